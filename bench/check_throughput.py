"""Checks per second in-process on one core, beside the cost of only validating the same case JSON.

Also times `clonaguard check` end to end (a new process, import time included) beside a bare Python start.
Run: .venv/bin/python bench/check_throughput.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

from timing import one_core, rate

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


def check_text(text: bytes, label: Label) -> Report:
    return check(parse_case(text), label)


def row(name: str, validate: float, full: float) -> None:
    rules = full - validate
    print(f"{name:<34}{validate:>12.1f}{full:>10.1f}{rules:>10.1f}{rules / validate:>16.2f}")


def main() -> None:
    one_core()
    label = load_label()
    print("In-process, one core. The rules' cost is check minus validation of the same JSON, so it includes")
    print("everything the rules compute for a fresh case.\n")
    print(f"{'case':<34}{'validate µs':>12}{'check µs':>10}{'rules µs':>10}{'rules/validate':>16}")
    totals = [0.0, 0.0]
    for name, text in zip(CASES, TEXTS, strict=True):
        validate = 1e6 / rate(partial(Case.model_validate_json, text))
        full = 1e6 / rate(partial(check_text, text, label))
        totals[0] += validate
        totals[1] += full
        row(name, validate, full)
    validate, full = (total / len(TEXTS) for total in totals)
    print(
        f"{'mix (mean)':<34}{validate:>12.1f}{full:>10.1f}{full - validate:>10.1f}{(full - validate) / validate:>16.2f}"
    )
    print(f"\nchecks per second over the mix: {1e6 / full:,.0f} (aim >= 20,000); rules/validate aim <= 1")

    clonaguard = str(Path(sys.executable).with_name("clonaguard"))
    bare = cli_ms([sys.executable, "-c", "pass"])
    end_to_end = cli_ms([clonaguard, "check", "--dose-mg", "2", "--times-per-day", "3", "--age", "34", "--json"])
    print(f"\n{'end to end (median of 15)':<40}{'ms':>14}")
    print(f"{'python -c pass (baseline)':<40}{bare:>14.0f}")
    print(f"{'clonaguard check --json':<40}{end_to_end:>14.0f}   aim < 300 ms")


if __name__ == "__main__":
    main()
