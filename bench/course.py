"""What the course rules cost: checks per second of histories of growing length, beside a single order.

The baseline (one order) is measured in the same run; the course rules walk the history a few times, so a
check should grow about linearly with the number of orders.
Run: .venv/bin/python bench/course.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding
from clonaguard.rules.course import abrupt_stop, course_duration, taper_pace, titration_pace, tolerance_increase

COURSE_RULES = (titration_pace, course_duration, tolerance_increase, abrupt_stop, taper_pace)


def taper_history(orders: int) -> Case:
    """A taper of `orders` steps of 0.25 mg a day, 3 days apart, ending at 0.25 mg a day and then stopping."""
    start = date(2026, 1, 1)
    rows: list[dict[str, Any]] = [
        {"start": str(start + timedelta(days=3 * k)), "dose_mg": 0.25 * (orders - k), "times_per_day": 1}
        for k in range(orders)
    ]
    return parse_case(
        {
            "today": str(start),
            "patient": {"age_years": 40},
            "continuing": True,
            "orders": rows,
            "stop": str(start + timedelta(days=3 * orders)),
        }
    )


def _course_rules(case: Case, label: Label) -> list[list[Finding]]:
    return [rule(label, case) for rule in COURSE_RULES]


def rate(work: Callable[[], object], seconds: float = 0.6) -> float:
    """Calls per second, best of three runs."""
    best = 0.0
    for _ in range(3):
        calls, begin = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - begin) < seconds / 3:
            work()
            calls += 1
        best = max(best, calls / elapsed)
    return best


def main() -> None:
    label = load_label()
    print(f"{'orders':>7} {'check/s':>10} {'course rules/s':>15} {'vs 1 order':>11} {'µs per order':>13}")
    baseline = 0.0
    for size in (1, 10, 80, 1000):
        case = taper_history(size)
        full = rate(partial(check, case, label))
        course = rate(partial(_course_rules, case, label))
        baseline = baseline or full
        print(f"{size:>7} {full:>10,.0f} {course:>15,.0f} {baseline / full:>10.1f}x {1e6 / full / size:>13.1f}")


if __name__ == "__main__":
    main()
