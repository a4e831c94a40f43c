"""CDS Hooks order-sign under load over loopback, beside a no-op endpoint (GET /health) of the same server.

Starts `clonaguard serve` on 127.0.0.1 with a fresh SQLite audit log, at 1 and at 2 workers (each time first an
earlier checkout's server, with --baseline-src), then drives each from a second process over keep-alive HTTP/1.1:

1. closed loop, as fast as the server answers: requests/s, p50 and p99 latency for GET /health, for an
   order-sign whose order is within the leaflet, and for one with findings (cards and a corrected order);
2. open loop at 80% of the order-sign maximum: requests are sent on a fixed schedule and latency counts
   from the scheduled time, so a slow answer cannot hide the queue behind it; with --rates, the same at fixed
   rates too (the closed loop's maximum is reached with requests arriving together, which share a commit, so it
   can lie above what evenly spaced requests are served at).

A table at the end sets every server side by side: req/s, share of the no-op rate, the server's CPU time per
request (its processes' user and system time over the phase, from /proc), p50, p99 and the p99 at 80%.
Bounded: every phase stops after --seconds or --max-requests, whichever comes first. Loopback only.
Run: .venv/bin/python bench/service_load.py [--seconds 4] [--connections 8] [--baseline-src ../main/src]
     [--rates 200,400,600] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def _order(dose_mg: float, times: int) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": "draft-1",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/bench-1"},
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "197528"}]},
        "dosageInstruction": [
            {
                "timing": {"repeat": {"frequency": times, "period": 1, "periodUnit": "d"}},
                "doseAndRate": [
                    {
                        "doseQuantity": {
                            "value": dose_mg,
                            "unit": "mg",
                            "system": "http://unitsofmeasure.org",
                            "code": "mg",
                        }
                    }
                ],
            }
        ],
    }


def order_sign_body(dose_mg: float, times: int) -> bytes:
    empty = {"resourceType": "Bundle", "type": "searchset", "entry": []}
    weight = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
                    "subject": {"reference": "Patient/bench-1"},
                    "effectiveDateTime": "2026-01-10",
                    "valueQuantity": {"value": 72, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
                }
            }
        ],
    }
    body = {
        "hook": "order-sign",
        "hookInstance": "bench",
        "context": {
            "userId": "Practitioner/bench",
            "patientId": "bench-1",
            "draftOrders": {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"resource": _order(dose_mg, times)}],
            },
        },
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "bench-1", "birthDate": "1984-06-01"},
            "medications": empty,
            "weight": weight,
            "pregnancy": empty,
            "lactation": empty,
            "alcoholObservations": empty,
            "alcoholConditions": empty,
        },
    }
    return json.dumps(body).encode()


def raw_request(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: keep-alive\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(status_line.split()[1])


async def closed_loop(port: int, request: bytes, connections: int, seconds: float, limit: int) -> dict[str, Any]:
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection(HOST, port)
        while time.perf_counter() < deadline and len(latencies) < limit:
            start = time.perf_counter()
            status = await _exchange(reader, writer, request)
            latencies.append(time.perf_counter() - start)
            failures += status != 200
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return _summary(latencies, time.perf_counter() - began, failures)


async def open_loop(port: int, request: bytes, rate: float, seconds: float, limit: int) -> dict[str, Any]:
    """Send at `rate` requests/s on a pool of connections; latency from each request's scheduled time."""
    count = min(limit, int(rate * seconds))
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(32):
        pool.put_nowait(await asyncio.open_connection(HOST, port))
    latencies: list[float] = []
    failures = 0
    began = time.perf_counter()

    async def one(scheduled: float) -> None:
        nonlocal failures
        reader, writer = await pool.get()
        status = await _exchange(reader, writer, request)
        latencies.append(time.perf_counter() - scheduled)
        failures += status != 200
        pool.put_nowait((reader, writer))

    tasks = []
    for index in range(count):
        scheduled = began + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    while not pool.empty():
        pool.get_nowait()[1].close()
    return _summary(latencies, elapsed, failures)


def _summary(latencies: list[float], elapsed: float, failures: int) -> dict[str, Any]:
    ordered = sorted(latencies)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {
        "requests": len(ordered),
        "rate": len(ordered) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "failures": failures,
    }


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the server process and its worker processes so far; NaN without /proc."""
    try:
        pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
        fields = [Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split() for one in pids]
    except (OSError, ValueError):
        return float("nan")
    return sum(int(stat[11]) + int(stat[12]) for stat in fields) / os.sysconf("SC_CLK_TCK")


def drive(port: int, server_pid: int, args: argparse.Namespace, results: Any) -> None:
    """The load generator: runs in its own process so that it does not share the server's interpreter. Beside
    each closed-loop phase, the server's CPU time per request, which the load generator's share of the cores
    disturbs far less than the request rate."""
    requests = {
        "GET /health (no-op)": raw_request("GET", "/health"),
        "order-sign, no finding": raw_request("POST", "/cds-services/clonaguard-order-sign", order_sign_body(0.5, 3)),
        "order-sign, 2 findings": raw_request("POST", "/cds-services/clonaguard-order-sign", order_sign_body(3, 3)),
    }
    out: dict[str, Any] = {}
    for name, request in requests.items():
        asyncio.run(closed_loop(port, request, args.connections, 0.5, 500))  # warm-up
        cpu = server_cpu_seconds(server_pid)
        out[name] = asyncio.run(closed_loop(port, request, args.connections, args.seconds, args.max_requests))
        out[name]["cpu_ms"] = 1000 * (server_cpu_seconds(server_pid) - cpu) / max(out[name]["requests"], 1)
    for name in ("order-sign, no finding", "order-sign, 2 findings"):
        rate = 0.8 * out[name]["rate"]
        out[f"{name} @80%"] = asyncio.run(open_loop(port, requests[name], rate, args.seconds, args.max_requests))
    for rate in args.rates:
        request = requests["order-sign, no finding"]
        fixed = open_loop(port, request, rate, args.seconds, args.max_requests)
        out[f"no finding, open @{rate:g}/s"] = asyncio.run(fixed)
    results.put(out)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _wait_ready(port: int, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer /health in time")


@contextmanager
def serving(
    workers: int, source: str | None, database_url: str | None
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`clonaguard serve` (from `source`, a checkout's src/, when given) on a free loopback port, with a fresh SQLite
    audit log unless `database_url` names one, until the block ends: its port and process."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="clonaguard-bench-") as folder:
        env = {
            **os.environ,
            "CLONAGUARD_DATABASE_URL": database_url or f"sqlite:///{Path(folder) / 'audit.db'}",
            "CLONAGUARD_AUDIT_KEY_FILE": str(Path(folder) / "audit.key"),
            "CLONAGUARD_LOG_LEVEL": "ERROR",
            "CLONAGUARD_WORKERS": str(workers),
        }
        if source:
            env["PYTHONPATH"] = source
        command = [sys.executable, "-c", "from clonaguard.cli import main; main()", "serve", "--port", str(port)]
        server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            _wait_ready(port, server)
            yield port, server
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


def run_server(label: str, workers: int, source: str | None, args: argparse.Namespace) -> dict[str, Any]:
    """Start `clonaguard serve` (from `source`, a checkout's src/, when given) and drive it; its figures."""
    with serving(workers, source, args.database_url) as (port, server):
        results: Any = multiprocessing.get_context("spawn").Queue()
        driver = multiprocessing.get_context("spawn").Process(target=drive, args=(port, server.pid, args, results))
        driver.start()
        out: dict[str, Any] = results.get(timeout=args.seconds * (12 + 2 * len(args.rates)) + 120)
        driver.join()
    print(f"\n{label}")
    print(f"{'endpoint':30} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-200':>8}")
    for name, row in out.items():
        print(
            f"{name:30} {row['requests']:>9} {row['rate']:>9.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['failures']:>8}"
        )
    noop = out["GET /health (no-op)"]["rate"]
    for name in ("order-sign, no finding", "order-sign, 2 findings"):
        by_cpu = 100 * out["GET /health (no-op)"]["cpu_ms"] / out[name]["cpu_ms"]
        print(
            f"{name}: {100 * out[name]['rate'] / noop:.0f}% of the no-op rate ({by_cpu:.0f}% by server CPU per "
            f"request); p99 at 80% of its maximum rate: {out[name + ' @80%']['p99_ms']:.1f} ms"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each phase (default 4)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections, closed loop (default 8)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap per phase (default 20000)")
    parser.add_argument(
        "--baseline-src", help="src/ of an earlier checkout (e.g. a worktree of origin/main): its server runs first"
    )
    parser.add_argument(
        "--database-url",
        help="the audit log's database (e.g. a PostgreSQL URL; its tables are created when missing, rows are added "
        "to what is there); default: a fresh SQLite file for each server",
    )
    parser.add_argument(
        "--rates",
        type=lambda text: [float(rate) for rate in text.split(",")],
        default=[],
        help="also: order-sign with no finding in an open loop at each of these fixed rates (e.g. 200,400,600,800)",
    )
    args = parser.parse_args()
    print(
        f"clonaguard serve on 127.0.0.1; {os.cpu_count()} CPUs shared by server and load generator; "
        f"closed loop on {args.connections} connections, {args.seconds:g} s a phase"
    )
    runs: list[tuple[str, dict[str, Any]]] = []
    for workers in (1, 2):
        plural = "s" if workers > 1 else ""
        if args.baseline_src:
            name = f"baseline, {workers} worker{plural}"
            runs.append((name, run_server(f"{name}: {args.baseline_src}", workers, args.baseline_src, args)))
        name = f"this checkout, {workers} worker{plural}"
        runs.append((name, run_server(name, workers, None, args)))
    print_table(runs)


def print_table(runs: list[tuple[str, dict[str, Any]]]) -> None:
    """Every server side by side: the no-op rate, then each order-sign's rate, share of the no-op and latencies."""
    heads = f"{'req/s':>7} {'of no-op':>9} {'CPU ms':>7} {'p50 ms':>7} {'p99 ms':>7} {'p99@80% ms':>11}"
    print(f"\n{'server':28} {'endpoint':24} {heads}")
    for server, out in runs:
        noop = out["GET /health (no-op)"]["rate"]
        for name in ("GET /health (no-op)", "order-sign, no finding", "order-sign, 2 findings"):
            row = out[name]
            at80 = out.get(f"{name} @80%")
            p99_80 = f"{at80['p99_ms']:>11.1f}" if at80 else f"{'':>11}"
            print(
                f"{server:28} {name:24} {row['rate']:>7.0f} {100 * row['rate'] / noop:>8.0f}% "
                f"{row['cpu_ms']:>7.3f} {row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f} {p99_80}"
            )


if __name__ == "__main__":
    main()
