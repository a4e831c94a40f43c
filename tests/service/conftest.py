"""Real components for the service tests: SQLite files, a PostgreSQL database per test, a FHIR server on loopback."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from clonaguard.service import Settings, create_app

POSTGRES_ENV = "CLONAGUARD_TEST_POSTGRES_URL"
TODAY = date(2026, 3, 1)


def _postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"{POSTGRES_ENV} is not set under CI=true: .ci/run must start PostgreSQL")
    pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (a database URL; .ci/run sets it up)")


def _execute_retried(admin: Engine, statement: str) -> None:
    """CREATE or DROP DATABASE, retried for up to nine seconds: PostgreSQL refuses to copy template0 while
    another backend touches it (parallel test workers can), and DROP ... WITH (FORCE) refuses to terminate an
    autovacuum worker that has just connected to the database ("must be a member of the role whose process is
    being terminated"); either is over a moment later."""
    for attempt in range(10):
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
            return
        except DBAPIError:
            if attempt == 9:
                raise
            time.sleep(0.2 * (attempt + 1))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin_url = make_url(_postgres_url_or_skip())
    name = f"cg_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    _execute_retried(admin, f'CREATE DATABASE "{name}" TEMPLATE template0')  # no one connects to template0
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        _execute_retried(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(autouse=True)
def private_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's hash key in its own file, not in the working directory's var/."""
    path = tmp_path / "audit.key"
    monkeypatch.setenv("CLONAGUARD_AUDIT_KEY_FILE", str(path))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that asks for it runs twice: on a SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'audit.db'}"


AppFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(sqlite_url: str) -> Iterator[AppFactory]:
    """Build an app (settings overridable) and a client for it; the check date is fixed to TODAY."""
    clients: list[TestClient] = []

    def build(today: date = TODAY, **overrides: Any) -> TestClient:
        settings = Settings(**{"database_url": sqlite_url, **overrides})
        app: FastAPI = create_app(settings, today=lambda: today)
        client = TestClient(app, raise_server_exceptions=False)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.app.state.clonaguard.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def client(make_client: AppFactory) -> TestClient:
    return make_client()


class FhirServer:
    """A small FHIR server on 127.0.0.1: read Patient/{id}, search by type (filtered by patient), a JWKS."""

    def __init__(self) -> None:
        self.resources: list[dict[str, Any]] = []
        self.required_token: str | None = None
        self.jwks: dict[str, Any] | None = None
        self.seen: list[tuple[str, str | None]] = []
        self.fail_with: int | None = None
        self.delay_seconds = 0.0
        self.drip_seconds = 0.0
        """Pause before each byte of the body: a server that answers, but too slowly to finish."""
        handler = self._handler()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/fhir"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if path == "/jwks" and self.jwks is not None:
            return 200, self.jwks
        if not path.startswith("/fhir/"):
            return 404, {"resourceType": "OperationOutcome", "issue": []}
        parts = path.removeprefix("/fhir/").split("/")
        if len(parts) == 2:
            for resource in self.resources:
                if resource["resourceType"] == parts[0] and resource.get("id") == parts[1]:
                    return 200, resource
            return 404, {"resourceType": "OperationOutcome", "issue": []}
        patient = query.get("patient", [None])[0]
        codes = {value.split("|")[-1] for value in ",".join(query.get("code", [])).split(",") if value}
        entries = [
            {"resource": r}
            for r in self.resources
            if r["resourceType"] == parts[0]
            and r.get("subject", {}).get("reference") == f"Patient/{patient}"
            and (not codes or {c.get("code") for c in r.get("code", {}).get("coding", [])} & codes)
        ]
        return 200, {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                authorization = self.headers.get("Authorization")
                server.seen.append((self.path, authorization))
                time.sleep(server.delay_seconds)
                if server.fail_with is not None:
                    status, body = server.fail_with, {"resourceType": "OperationOutcome", "issue": []}
                elif server.required_token and authorization != f"Bearer {server.required_token}":
                    status, body = 401, {"resourceType": "OperationOutcome", "issue": []}
                else:
                    status, body = server._answer(url.path, parse_qs(url.query))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if not server.drip_seconds:
                    self.wfile.write(payload)
                    return
                for index in range(len(payload)):
                    time.sleep(server.drip_seconds)
                    try:
                        self.wfile.write(payload[index : index + 1])
                        self.wfile.flush()
                    except OSError:  # the service gave up on this answer
                        return

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler


@pytest.fixture
def fhir_server() -> Iterator[FhirServer]:
    server = FhirServer()
    yield server
    server.close()
