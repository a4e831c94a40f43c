"""Checks per second in-process on one core, beside the cost of only validating the same case JSON.

Also times the safer-regimen search on each case (the figure an order-sign with findings pays for its corrected
order), and `clonaguard check` end to end (a new process, import time included) beside a bare Python start.
With --baseline-src (the src/ of an earlier checkout, e.g. a `git worktree` of origin/main) the same in-process
figures of that code are measured in the same run, in a child process, and printed beside these.
Run: .venv/bin/python bench/check_throughput.py [--baseline-src /tmp/base/src]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from timing import one_core

from clonaguard.alternatives import safer_regimen
from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Report

CASES: dict[str, dict[str, Any]] = {
    "adult, new course, no finding": {"patient": {"age_years": 34}, "orders": [{"dose_mg": 0.5, "times_per_day": 3}]},
    "adult, continuing, no finding": {
        "patient": {"age_years": 45, "weight_kg": 80},
        "continuing": True,
        "orders": [{"dose_mg": 2, "times_per_day": 3}],
    },
    "child, 1 finding": {"patient": {"age_years": 4}, "orders": [{"dose_mg": 1.5, "times_per_day": 3}]},
    "pregnant inpatient, 4 findings": {
        "patient": {"age_years": 29, "pregnant": True},
        "setting": "inpatient",
        "acute": True,
        "orders": [{"dose_mg": 4, "times_per_day": 4}],
    },
    "two-order history, 2 findings": {
        "patient": {"age_years": 60, "alcohol_use": True},
        "continuing": True,
        "orders": [
            {"start": "2026-02-01", "dose_mg": 1, "times_per_day": 3},
            {"start": "2026-02-05", "dose_mg": 3, "times_per_day": 2},
        ],
    },
}
TEXTS = [json.dumps({"today": "2026-03-01", **case}).encode() for case in CASES.values()]


def cli_ms(args: list[str], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def rate(work: Callable[[], object], seconds: float = 1.5) -> float:
    """Calls of `work` per second of this process's CPU time, the best of five runs after a warm-up call.

    CPU time rather than wall time, since the machine is shared: time spent waiting for the core is not counted.
    """
    work()
    best = 0.0
    for _ in range(5):
        calls, begin = 0, time.process_time()
        while (elapsed := time.process_time() - begin) < seconds / 5:
            work()
            calls += 1
        best = max(best, calls / elapsed)
    return best


def check_text(text: bytes, label: Label) -> Report:
    return check(parse_case(text), label)


def measure() -> list[tuple[float, float, float]]:
    """Per case: µs to validate its JSON, µs to parse and check it, µs of the safer-regimen search on it."""
    label = load_label()
    figures = []
    for text in TEXTS:
        validate = 1e6 / rate(partial(Case.model_validate_json, text))
        full = 1e6 / rate(partial(check_text, text, label))
        search = 1e6 / rate(partial(safer_regimen, parse_case(text), label))
        figures.append((validate, full, search))
    return figures


def measure_baseline(src: str) -> list[tuple[float, float, float]]:
    """The same figures from the code under `src`, measured by this script in a child process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(src).resolve()), str(Path(__file__).parent)])}
    result = subprocess.run(
        [sys.executable, __file__, "--measure-only"], env=env, capture_output=True, text=True, check=True
    )
    return [tuple(figures) for figures in json.loads(result.stdout)]


def row(name: str, figures: tuple[float, float, float]) -> str:
    validate, full, search = figures
    rules = full - validate
    return f"{name:<34}{validate:>12.1f}{full:>10.1f}{rules:>10.1f}{rules / validate:>20.2f}{search:>12.0f}"


def table(title: str, figures: list[tuple[float, float, float]]) -> None:
    print(
        f"{title}\n{'case':<34}{'validate µs':>12}{'check µs':>10}{'rules µs':>10}{'rules ÷ validation':>20}"
        f"{'search µs':>12}"
    )
    for name, case_figures in zip(CASES, figures, strict=True):
        print(row(name, case_figures))
    mean = tuple(statistics.fmean(column) for column in zip(*figures, strict=True))
    print(row("mix (mean)", mean))  # type: ignore[arg-type]
    print(f"checks per second over the mix: {1e6 / mean[1]:,.0f} (aim >= 20,000); rules ÷ validation aim <= 1\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", help="src/ of an earlier checkout, measured in the same run")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    one_core()
    if args.measure_only:
        print(json.dumps(measure()))
        return
    print("In-process, one core. The rules' cost is check minus validation of the same JSON, so it includes")
    print("everything the rules compute for a fresh case. search: the safer-regimen search on the parsed case.\n")
    if args.baseline_src:
        table(f"baseline: {args.baseline_src}", measure_baseline(args.baseline_src))
    table("this checkout", measure())

    clonaguard = str(Path(sys.executable).with_name("clonaguard"))
    bare = cli_ms([sys.executable, "-c", "pass"])
    end_to_end = cli_ms([clonaguard, "check", "--dose-mg", "2", "--times-per-day", "3", "--age", "34", "--json"])
    print(f"{'end to end (median of 15)':<40}{'ms':>14}")
    print(f"{'python -c pass (baseline)':<40}{bare:>14.0f}")
    print(f"{'clonaguard check --json':<40}{end_to_end:>14.0f}   aim < 300 ms")


if __name__ == "__main__":
    main()
