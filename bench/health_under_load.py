"""GET /health latency while maximum-size CDS order-signs run, beside /health on the same idle server.

Starts `clonaguard serve` on 127.0.0.1 with a fresh SQLite audit log, probes /health for --seconds while idle
(the baseline), then again while --clients clients each send order-signs of the most draft orders a request may hold
(MAX_DRAFT_ENTRIES) back to back. Prints p50, p99 and the maximum of both. Aim: p99 under load < 200 ms.
Bounded: each phase ends after --seconds; the server is stopped at the end. Loopback only.
Run: .venv/bin/python bench/health_under_load.py [--seconds 5] [--clients 2]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clonaguard.cdshooks.models import MAX_DRAFT_ENTRIES
from tests.service.live import draft_orders_body, health_latency, post, served

SIGN = "/cds-services/clonaguard-order-sign"


def probe(port: int, seconds: float) -> list[float]:
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        latencies.append(health_latency(port) * 1000)
        time.sleep(0.02)
    return sorted(latencies)


def _load(port: int, body: bytes, until: float) -> None:
    while time.monotonic() < until:
        with contextlib.suppress(OSError):
            post(port, SIGN, body)


def line(name: str, latencies: list[float]) -> str:
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return f"{name:<34}{len(latencies):>7}{statistics.median(latencies):>10.1f}{p99:>10.1f}{latencies[-1]:>10.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each phase (default 5)")
    parser.add_argument("--clients", type=int, default=2, help="clients sending order-signs (default 2)")
    args = parser.parse_args()
    body = draft_orders_body(MAX_DRAFT_ENTRIES)
    with served(Path(tempfile.mkdtemp(prefix="clonaguard-bench-"))) as (port, _server):
        idle = probe(port, args.seconds)
        until = time.monotonic() + args.seconds + 1
        clients = [threading.Thread(target=_load, args=(port, body, until), daemon=True) for _ in range(args.clients)]
        for client in clients:
            client.start()
        time.sleep(1)  # the bodies are in and being checked
        loaded = probe(port, args.seconds)
    print(f"{'GET /health, ms':<34}{'probes':>7}{'p50':>10}{'p99':>10}{'max':>10}")
    print(line("idle server (baseline)", idle))
    print(line(f"{args.clients} x order-sign of {len(body) // 1000} kB", loaded) + "   aim: p99 < 200 ms")


if __name__ == "__main__":
    main()
