"""Checks per second in-process on one core, beside the cost of only validating the same case JSON.

Also times `clonaguard check` end to end (a new process, import time included) beside a bare Python start.
Run: .venv/bin/python bench/check_throughput.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.model import Case

CASES = [
    {"patient": {"age_years": 34}, "orders": [{"dose_mg": 0.5, "times_per_day": 3}]},
    {"patient": {"age_years": 45, "weight_kg": 80}, "continuing": True, "orders": [{"dose_mg": 2, "times_per_day": 3}]},
    {"patient": {"age_years": 4}, "orders": [{"dose_mg": 1.5, "times_per_day": 3}]},
    {"patient": {"age_years": 29, "pregnant": True}, "setting": "inpatient", "acute": True,
     "orders": [{"dose_mg": 4, "times_per_day": 4}]},
    {"today": "2026-03-01", "patient": {"age_years": 60, "alcohol_use": True}, "continuing": True,
     "orders": [{"start": "2026-02-01", "dose_mg": 1, "times_per_day": 3},
                {"start": "2026-02-05", "dose_mg": 3, "times_per_day": 2}]},
]
TEXTS = [json.dumps({"today": "2026-03-01", **case}).encode() for case in CASES]


def rate(work: Callable[[], None], per_call: int, seconds: float = 2.0) -> float:
    """Calls of `work` per second, best of three runs of about `seconds` each."""
    best = 0.0
    for _ in range(3):
        calls, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            work()
            calls += 1
        best = max(best, calls * per_call / elapsed)
    return best


def cli_ms(args: list[str], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    label = load_label()
    validated = [parse_case(text) for text in TEXTS]

    def validate_only() -> None:
        for text in TEXTS:
            Case.model_validate_json(text)

    def rules_only() -> None:
        for case in validated:
            check(case, label)

    def full_check() -> None:
        for text in TEXTS:
            check(parse_case(text), label)

    validation = rate(validate_only, len(TEXTS))
    rules = rate(rules_only, len(TEXTS))
    full = rate(full_check, len(TEXTS))
    print(f"{'in-process, one core':<40}{'per second':>14}{'µs each':>10}")
    for name, value in (("validate case JSON only (baseline)", validation), ("rules only (validated case)", rules),
                        ("check = validate + rules", full)):
        print(f"{name:<40}{value:>14,.0f}{1e6 / value:>10.1f}")
    print(f"rules cost / validation cost: {validation / rules:.2f} (aim <= 1)")
    print(f"aim >= 20,000 checks/s: {'met' if full >= 20_000 else 'NOT met'}")

    clonaguard = str(Path(sys.executable).with_name("clonaguard"))
    bare = cli_ms([sys.executable, "-c", "pass"])
    end_to_end = cli_ms([clonaguard, "check", "--dose-mg", "2", "--times-per-day", "3", "--age", "34", "--json"])
    print(f"\n{'end to end (median of 15)':<40}{'ms':>14}")
    print(f"{'python -c pass (baseline)':<40}{bare:>14.0f}")
    print(f"{'clonaguard check --json':<40}{end_to_end:>14.0f}   aim < 300 ms")


if __name__ == "__main__":
    main()
