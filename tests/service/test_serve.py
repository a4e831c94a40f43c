"""`clonaguard serve` as a real process on loopback; and what its logs may say."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.service.fhirdata import hook_request, medication_request, patient, prefetch


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli() -> list[str]:
    return [sys.executable, "-c", "from clonaguard.cli import main; main()"]


def test_serve_answers_on_loopback_and_warns_that_auth_is_off(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "CLONAGUARD_DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'audit.db'}"}
    env.pop("CLONAGUARD_JWT_ISSUERS", None)
    server = subprocess.Popen(
        [*_cli(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    assert "authentication is OFF" in stderr.decode()
    assert (tmp_path / "var" / "audit.db").is_file()


def test_serve_refuses_bad_configuration_with_status_2(tmp_path: Path) -> None:
    env = {**os.environ, "CLONAGUARD_JWT_ISSUERS": "not json", "CLONAGUARD_DATABASE_URL": f"sqlite:///{tmp_path}/a.db"}
    done = subprocess.run([*_cli(), "serve", "--port", str(_free_port())], env=env, capture_output=True, timeout=60)
    assert done.returncode == 2
    assert "CLONAGUARD_" in done.stderr.decode() or "jwt_issuers" in done.stderr.decode()


def test_logs_carry_no_patient_data(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    secret_id = "pat-4711"
    with caplog.at_level("DEBUG"):
        body = hook_request(medication_request(dose=9, frequency=3), prefetch_data=prefetch(patient_resource=patient()))
        assert client.post("/cds-services/clonaguard-order-sign", json=body).status_code == 200
        client.post("/cds-services/clonaguard-order-sign", json={**body, "prefetch": {"patient": {"x": 1}}})
    text = "\n".join(record.getMessage() for record in caplog.records)
    for private in (secret_id, "Zzyzx-Testname", "Quentinella", "1986-05-20"):
        assert private not in text
