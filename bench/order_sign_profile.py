"""Where one order-sign request spends its time: the ASGI app called in process (no socket), under cProfile.

Prints the request rate of the app in process beside GET /health (the no-op baseline) in the same run, then, for
an order-sign with no finding and for one with two findings (cards, a safer regimen and a corrected order), the
profile's own time by area and its top by own and by cumulative time, so the split (validation, rules, cards,
audit write, serialisation) can be read off. Bounded: --requests order-signs a case (default 400). SQLite audit
log in a temp dir; the event loop is uvloop's, as the server's.
Run: .venv/bin/python bench/order_sign_profile.py [--requests 400] [--top 25] [--case none|two|both]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

import uvloop
from service_load import order_sign_body

from clonaguard.service.state import OffLoop


class InLine(OffLoop):
    """Runs the blocking work on the calling thread, so that cProfile (which sees one thread) sees it."""

    async def run(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)


async def _call(app: Any, method: str, path: str, body: bytes = b"") -> int:
    """One request through the ASGI app; returns the status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _many(app: Any, method: str, path: str, body: bytes, count: int) -> tuple[float, float]:
    """Requests a second (wall clock), and the CPU time of this process per request in ms, which other
    processes on a loaded machine disturb far less."""
    begin, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        status = await _call(app, method, path, body)
        if status != 200:
            raise SystemExit(f"{method} {path} answered {status}")
    return count / (time.perf_counter() - begin), 1000 * (time.process_time() - cpu) / count


def _area(filename: str) -> str:
    """clonaguard/<subpackage or module>, <site package>, or the interpreter's own code."""
    parts = Path(filename).parts
    if "clonaguard" in parts:
        index = len(parts) - 1 - parts[::-1].index("clonaguard")
        return "/".join(parts[index : index + 2]).removesuffix(".py")
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    return "python (stdlib, builtins)" if filename != "~" else "builtins (C calls: validation, sqlite, regex)"


def print_split(stats: pstats.Stats) -> None:
    """Own time summed by area: where the request's time goes."""
    areas: dict[str, float] = {}
    for (filename, _line, _name), (_calls, _primitive, own, _cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        areas[_area(filename)] = areas.get(_area(filename), 0.0) + own
    total = sum(areas.values())
    print(f"--- own time by area ({total:.2f} s in all) ---")
    for area, own in sorted(areas.items(), key=lambda item: -item[1])[:15]:
        print(f"{area:50} {own:7.3f} s {100 * own / total:5.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--case", choices=["none", "two", "both"], default="both", help="which order-sign to profile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clonaguard-profile-") as folder:
        os.environ["CLONAGUARD_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'audit.db'}"
        os.environ["CLONAGUARD_LOG_LEVEL"] = "ERROR"
        from clonaguard.service import app_from_environment

        app = app_from_environment()
        object.__setattr__(app.state.clonaguard, "off_loop", InLine(1))
        sign = "/cds-services/clonaguard-order-sign"
        cases = {"none": ("no finding", order_sign_body(0.5, 3)), "two": ("2 findings", order_sign_body(3, 3))}
        chosen = list(cases) if args.case == "both" else [args.case]

        async def run() -> None:
            noop, noop_cpu = await _many(app, "GET", "/health", b"", args.requests)
            for key in chosen:
                name, body = cases[key]
                await _many(app, "POST", sign, body, 50)  # warm-up
                rate, cpu = await _many(app, "POST", sign, body, args.requests)
                print(
                    f"\n=== in process: GET /health {noop:,.0f} req/s, {noop_cpu:.2f} ms CPU each; order-sign ({name}) "
                    f"{rate:,.0f} req/s, {cpu:.2f} ms CPU each = {100 * rate / noop:.0f}% of the no-op ==="
                )
                profile = cProfile.Profile()
                profile.enable()
                await _many(app, "POST", sign, body, args.requests)
                profile.disable()
                print_split(pstats.Stats(profile))
                for order in ("tottime", "cumulative"):
                    out = io.StringIO()
                    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
                    print(f"--- top {args.top} by {order} ({args.requests} order-signs, {name}) ---")
                    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))

        uvloop.run(run())  # the event loop `clonaguard serve` runs on


if __name__ == "__main__":
    main()
