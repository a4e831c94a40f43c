"""`clonaguard serve` as a real process on loopback, for the tests that need real sockets (and for bench/)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from clonaguard.cdshooks.discovery import PREFETCH

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(directory: Path, **settings: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A server on a free loopback port with a fresh SQLite audit log; CLONAGUARD_<NAME> for each setting (and
    CLONAGUARD_WORKERS for `serve --workers`). It runs in its own session, so its workers are signalled with it."""
    port = free_port()
    env = {**os.environ, "CLONAGUARD_DATABASE_URL": f"sqlite:///{directory / 'audit.db'}"}
    env["CLONAGUARD_AUDIT_KEY_FILE"] = str(directory / "audit.key")
    env.pop("CLONAGUARD_JWT_ISSUERS", None)
    env.update({f"CLONAGUARD_{name.upper()}": value for name, value in settings.items()})
    command = [sys.executable, "-c", "from clonaguard.cli import main; main()", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield port, server
    finally:
        signal_server(server, signal.SIGTERM)
        try:
            server.wait(timeout=2)
        except subprocess.TimeoutExpired:  # still finishing a heavy request: it is not waited for
            signal_server(server, signal.SIGKILL)
            server.wait(timeout=10)


def signal_server(server: subprocess.Popen[bytes], number: int) -> None:
    """Signal the server and every worker process of its session."""
    with suppress(ProcessLookupError):
        os.killpg(server.pid, number)


def draft_orders_body(count: int) -> bytes:
    """An order-sign with `count` draft clonazepam orders (2,000 make about 0.9 MB)."""
    orders = [
        {
            "resource": {
                "resourceType": "MedicationRequest",
                "id": f"draft-{index}",
                "status": "draft",
                "intent": "order",
                "subject": {"reference": "Patient/live-1"},
                "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "197528"}]},
                "dosageInstruction": [
                    {
                        "timing": {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}},
                        "doseAndRate": [{"doseQuantity": {"value": 2, "unit": "mg", "code": "mg"}}],
                    }
                ],
            }
        }
        for index in range(count)
    ]
    body: dict[str, Any] = {
        "hook": "order-sign",
        "hookInstance": "live-1",
        "context": {
            "userId": "Practitioner/live",
            "patientId": "live-1",
            "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": orders},
        },
        "prefetch": {key: {"resourceType": "Bundle", "type": "searchset", "entry": []} for key in PREFETCH},
    }
    body["prefetch"]["patient"] = {"resourceType": "Patient", "id": "live-1", "birthDate": "1980-01-01"}
    return json.dumps(body).encode()


def post(port: int, path: str, body: bytes, timeout: float = 120) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def health_latency(port: int) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=30) as response:
        response.read()
    return time.perf_counter() - started
