"""Where an order-sign's time goes in the real server: py-spy samples `clonaguard serve` (1 worker, SQLite audit
log) while 8 keep-alive connections send order-signs, and the busy samples are split by area, as a share and as
ms of sampled thread time per request; with --baseline-src, an earlier checkout's server the same way.

bench/order_sign_profile.py profiles the app in process under cProfile; this samples the whole server from
outside (uvicorn, the event loop, every thread), at the cost of needing py-spy (`pip install py-spy`). A sample
is left out when its innermost Python frame waits (a lock, an event) or is the event loop's run call: that is
the loop's poll, but also the loop's own C work between callbacks. A thread inside a C call (a commit, say)
counts as busy. So the ms are neither CPU time (bench/service_load.py gives that) nor wall time: compare shares,
and ms only between servers sampled in one run. The areas overlap (validation happens while the FHIR resources
are read), so the shares do not add up to 100%; "the rest" is what no area names.
Run: .venv/bin/python bench/service_profile.py [--py-spy PATH] [--seconds 12] [--case none|two] [--baseline-src ..]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from service_load import closed_loop, order_sign_body, raw_request, serving

AREAS = {
    "the check itself (rules)": r"\(clonaguard/check\.py|clonaguard/rules/",
    "safer regimen, corrected order": r"clonaguard/alternatives|cdshooks/alternatives|fhir/corrected",
    "cards": r"cdshooks/cards\.py",
    "reading the FHIR resources": r"clonaguard/fhir/|fhir_core/|fhir/resources/|cdshooks/prefetch|cdshooks/ageless",
    "pydantic validation": r"pydantic/main\.py|pydantic_core",
    "audit row: build, insert, commit": r"clonaguard/db/audit\.py|sqlalchemy/|sqlite3/|uuid\.py",
    "JSON in and out": r"orjson|json/(?:de|en)coder|json/__init__|parse_json|jsonresponse",
    "uvicorn: writing answers": r"RequestResponseCycle\.send",
    "uvicorn: reading requests": r"data_received|handle_events|on_headers_complete|on_body|on_message",
}
_WAITING = re.compile(r"(?:Condition\.wait|Event\.wait|Runner\.run|\w*Selector\.select|Thread\._wait_for_tstate_lock) ")
RATE = 500  # samples a second


def profile(source: str | None, body: bytes, seconds: float, py_spy: str) -> tuple[Counter[str], int, int]:
    """Busy samples by area (and "total"), the requests answered while sampling, and how many were not 200."""
    request = raw_request("POST", "/cds-services/clonaguard-order-sign", body)
    with serving(1, source, None) as (port, server), tempfile.TemporaryDirectory() as folder:
        asyncio.run(closed_loop(port, request, 8, 1.0, 2_000))  # warm-up
        raw = Path(folder) / "samples.txt"
        command = [py_spy, "record", "--pid", str(server.pid), "--duration", f"{seconds:g}", "--rate", str(RATE)]
        spy = subprocess.Popen(
            [*command, "--format", "raw", "--output", str(raw), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        load = asyncio.run(closed_loop(port, request, 8, seconds, 10**7))
        if spy.wait() != 0:
            raise SystemExit(f"py-spy exited with status {spy.returncode} (it needs ptrace: run as the server's user)")
        return areas(raw.read_text()), load["requests"], load["failures"]


def areas(samples: str) -> Counter[str]:
    """py-spy's raw lines (frames from the root, `;`-joined, then a count) counted by area, waiting left out."""
    counted: Counter[str] = Counter()
    for line in samples.splitlines():
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        if _WAITING.match(stack.rsplit(";", 1)[-1]):
            continue
        counted["total"] += int(count)
        named = [area for area, pattern in AREAS.items() if re.search(pattern, stack)]
        for area in named or ["the rest (event loop, middleware, routing)"]:
            counted[area] += int(count)
    return counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--py-spy", default=shutil.which("py-spy"), help="the py-spy program (default: on PATH)")
    parser.add_argument("--seconds", type=float, default=12.0, help="seconds sampled per server (default 12)")
    parser.add_argument("--case", choices=["none", "two"], default="none", help="order-sign with no or 2 findings")
    parser.add_argument("--baseline-src", help="src/ of an earlier checkout: its server is sampled first")
    args = parser.parse_args()
    if not args.py_spy:
        raise SystemExit("py-spy is not installed: pip install py-spy, or give --py-spy PATH")
    body = order_sign_body(0.5, 3) if args.case == "none" else order_sign_body(3, 3)
    servers = {**({"baseline": args.baseline_src} if args.baseline_src else {}), "this": None}
    results = {name: profile(source, body, args.seconds, args.py_spy) for name, source in servers.items()}
    which = "no finding" if args.case == "none" else "2 findings"
    print(f"order-sign with {which}, 1 worker, 8 connections, {args.seconds:g} s sampled at {RATE} Hz")
    print(f"{'area':<44}" + "".join(f"{name + ' %':>12}{'ms/req':>9}" for name in results))
    for area in [*AREAS, "the rest (event loop, middleware, routing)", "total"]:
        cells = ""
        for counted, requests, _ in results.values():
            cells += f"{100 * counted[area] / counted['total']:>11.1f}%{1000 * counted[area] / RATE / requests:>9.3f}"
        print(f"{area:<44}{cells}")
    answered = "".join(f"{requests:>12,}{f'({bad})':>9}" for _, requests, bad in results.values())
    print(f"{'requests answered (not 200)':<44}{answered}")


if __name__ == "__main__":
    main()
