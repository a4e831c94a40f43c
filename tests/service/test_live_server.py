"""A real server on loopback against slow, broken and heavy clients: connections that never finish their headers
or body are closed, malformed HTTP is an OperationOutcome, a client that leaves is not an error, and /health
keeps answering while a maximum-size order-sign runs."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clonaguard.cdshooks.models import MAX_DRAFT_ENTRIES
from tests.service.live import draft_orders_body, health_latency, post, served

TIMEOUT = 1.0  # header, body and keep-alive timeouts of the server under test, in seconds
SIGN = "/cds-services/clonaguard-order-sign"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, list[bytes]]]:
    directory = tmp_path_factory.mktemp("live")
    settings = {"header_timeout_seconds": "1", "body_timeout_seconds": "1", "keep_alive_seconds": "1"}
    with served(directory, **settings) as (port, _process):
        yield port, []


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Whether the server closed the connection within `seconds`, and what it sent before."""
    sock.settimeout(seconds)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
        return True, received
    except TimeoutError:
        return False, received


def test_half_sent_headers_are_closed_within_the_timeout(server: tuple[int, list[bytes]]) -> None:
    port, _ = server
    with _connect(port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        started = time.monotonic()
        closed, _ = _closed_within(sock, TIMEOUT + 5)
    assert closed and time.monotonic() - started < TIMEOUT + 2


def test_a_slowloris_dripping_headers_is_closed_too(server: tuple[int, list[bytes]]) -> None:
    port, _ = server
    with _connect(port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        started = time.monotonic()
        closed = False
        for index in range(20):
            try:
                sock.sendall(f"X-Drip-{index}: 1\r\n".encode())
            except OSError:
                closed = True
                break
            time.sleep(0.25)
        closed = closed or _closed_within(sock, TIMEOUT + 2)[0]
    assert closed and time.monotonic() - started < TIMEOUT + 4


def test_a_half_sent_body_is_answered_408(server: tuple[int, list[bytes]]) -> None:
    port, _ = server
    with _connect(port) as sock:
        head = f"POST {SIGN} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        sock.sendall(head.encode() + b"{")
        started = time.monotonic()
        _, answer = _closed_within(sock, TIMEOUT + 5)
    assert time.monotonic() - started < TIMEOUT + 2
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["resourceType"] == "OperationOutcome"


def test_an_idle_keep_alive_connection_is_closed(server: tuple[int, list[bytes]]) -> None:
    port, _ = server
    with _connect(port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        closed, _ = _closed_within(sock, TIMEOUT + 5)
    assert closed


def test_malformed_http_is_a_400_operation_outcome(server: tuple[int, list[bytes]]) -> None:
    port, _ = server
    with _connect(port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")
        _, answer = _closed_within(sock, 10)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
    assert json.loads(body)["resourceType"] == "OperationOutcome"


def test_an_abandoned_upload_is_not_logged_as_an_error(tmp_path: Path) -> None:
    with served(tmp_path) as (port, process):
        for _ in range(3):
            with _connect(port) as sock:
                sock.sendall(
                    f"POST {SIGN} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    'Content-Length: 5000\r\n\r\n{"hook":'.encode()
                )
        time.sleep(0.5)
        assert health_latency(port) < 5
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert b"ERROR" not in stderr, stderr.decode()[-2000:]


def _post_back_to_back(port: int, body: bytes, until: float) -> None:
    while time.monotonic() < until:
        with contextlib.suppress(OSError):  # the server is stopped before it answers
            post(port, SIGN, body)


@pytest.mark.xdist_group("liveness")
def test_health_answers_within_a_second_while_maximum_size_order_signs_run(tmp_path: Path) -> None:
    """A bound, not a benchmark (bench/health_under_load.py reports the figure): two clients send order-signs
    of the most draft orders a request may hold, back to back, while /health is probed."""
    body = draft_orders_body(MAX_DRAFT_ENTRIES)
    with served(tmp_path) as (port, _process):
        until = time.monotonic() + 5
        heavy = [threading.Thread(target=_post_back_to_back, args=(port, body, until), daemon=True) for _ in range(2)]
        for thread in heavy:
            thread.start()
        time.sleep(0.5)
        latencies = []
        while time.monotonic() < until - 0.5:
            latencies.append(health_latency(port))
            time.sleep(0.05)
        busy = all(thread.is_alive() for thread in heavy)
    assert busy, "the order-signs ended before the probe did: the test measured an idle server"
    assert max(latencies) < 1.0, sorted(latencies)[-5:]
