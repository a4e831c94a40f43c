"""The audit log under SIGKILL: a server killed mid-load, then restarted on the same database (a SQLite file, a
real PostgreSQL database), has a row for every order-sign it answered 2xx, with one worker and with two. An answer
waits for the group commit of its row (SQLite in WAL with synchronous=NORMAL: a commit survives the process, see
docs/reference/security-and-privacy.md for what it does not survive)."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from clonaguard.db.audit import AuditStore
from clonaguard.db.engine import make_engine
from tests.service.fhirdata import hook_request, medication_request, prefetch
from tests.service.live import served, signal_server

SIGN = "/cds-services/clonaguard-order-sign"


def _order_sign(instance: str) -> bytes:
    body = hook_request(medication_request(dose=4, frequency=3), prefetch_data=prefetch(), instance=instance)
    return json.dumps(body).encode()


def _client(port: int, name: str, answered: list[str], stop: threading.Event) -> None:
    for number in range(10_000):
        if stop.is_set():
            return
        instance = f"{name}-{number}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{SIGN}", data=_order_sign(instance), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                if 200 <= response.status < 300:
                    answered.append(instance)
        except (urllib.error.URLError, OSError):
            return  # the server is gone


@pytest.mark.parametrize("workers", [1, 2])
def test_every_answered_check_has_its_row_after_a_sigkill(tmp_path: Path, workers: int, database_url: str) -> None:
    """Eight clients at once, so that checks arrive together and share group commits; every process of the
    server (both workers too) is killed at once, mid-burst."""
    answered: list[str] = []
    stop = threading.Event()
    with served(tmp_path, workers=str(workers), database_url=database_url) as (port, process):
        clients = [threading.Thread(target=_client, args=(port, f"c{i}", answered, stop)) for i in range(8)]
        for client in clients:
            client.start()
        deadline = time.monotonic() + 20
        while len(answered) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        signal_server(process, signal.SIGKILL)
        process.wait(timeout=10)
        stop.set()
        for client in clients:
            client.join(timeout=15)
    assert len(answered) >= 10, "too few answers before the kill to test anything"
    with served(tmp_path, workers=str(workers), database_url=database_url) as (port, _process):  # SQLite: recovers WAL
        engine = make_engine(database_url)
        logged = {row["hook_instance"] for row in AuditStore(engine, b"unused-for-reading").checks()}
        engine.dispose()
    missing = [instance for instance in answered if instance not in logged]
    assert not missing, f"{len(missing)} of {len(answered)} answered checks have no audit row"
