"""What the course rules cost: histories of growing length, each validated afresh, beside validation alone.

A check should grow about linearly with the number of orders. The course rules' share is the check's time
less the time of the validation of the same case (measured in the same run).
Run: .venv/bin/python bench/course.py
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import partial
from typing import Any

from timing import one_core, rate

from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.model import Report


def taper_history(orders: int) -> bytes:
    """A taper of `orders` steps of 0.25 mg a day, 3 days apart, ending at 0.25 mg a day and then stopping."""
    start = date(2026, 1, 1)
    rows: list[dict[str, Any]] = [
        {"start": str(start + timedelta(days=3 * k)), "dose_mg": 0.25 * (orders - k), "times_per_day": 1}
        for k in range(orders)
    ]
    case = {
        "today": str(start),
        "patient": {"age_years": 40},
        "continuing": True,
        "orders": rows,
        "stop": str(start + timedelta(days=3 * orders)),
    }
    return json.dumps(case).encode()


def check_text(text: bytes, label: Label) -> Report:
    return check(parse_case(text), label)


def main() -> None:
    one_core()
    label = load_label()
    print(f"{'orders':>7} {'validate/s':>12} {'check/s':>10} {'rules µs':>10} {'rules µs per order':>19}")
    for size in (1, 10, 80, 1000):
        text = taper_history(size)
        validate = rate(partial(parse_case, text), seconds=0.9)
        full = rate(partial(check_text, text, label), seconds=0.9)
        rules_us = 1e6 / full - 1e6 / validate
        print(f"{size:>7} {validate:>12,.0f} {full:>10,.0f} {rules_us:>10.1f} {rules_us / size:>19.2f}")


if __name__ == "__main__":
    main()
