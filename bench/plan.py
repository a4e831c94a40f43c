"""Planner throughput and the largest plan, printed beside a baseline measured in the same run.

Baseline: validating the same request models alone (what any planner must pay). Figures:
- titration and taper plans per second (validation + planning), aim >= 2,000/s;
- the largest plan, a 20 mg taper at 0.25 mg a day every 3 days: planning time (aim < 50 ms), and for
  information its case check and its iCalendar export.

Run: .venv/bin/python bench/plan.py [--seconds 1.0]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from timing import median_ms, rate

from clonaguard.check import check
from clonaguard.labels.load import load_label
from clonaguard.plan import TaperRequest, TitrationRequest, parse_request, plan_taper, plan_titration, to_ics

LABEL = load_label()

TITRATIONS: list[dict[str, Any]] = [
    {"age_years": 34, "target_mg": 6, "start": "2026-12-01"},
    {"age_years": 45, "target_mg": 8, "start": "2026-12-01", "step_mg": 1, "times": ["07:00", "13:00", "21:00"]},
    {"age_years": 3, "target_mg": 3, "start": "2026-12-01", "form": "odt"},
    {"age_years": 10, "target_mg": 6, "start": "2026-12-01", "interval_days": 4},
    {"age_years": 60, "target_mg": 20, "start": "2026-12-01", "step_mg": 1, "setting": "inpatient", "acute": True},
]
TAPERS: list[dict[str, Any]] = [
    {"dose_mg": 2, "times_per_day": 3, "start": "2026-12-01"},
    {"dose_mg": 0.5, "times_per_day": 2, "start": "2026-12-01", "form": "odt", "step_mg": 0.125},
    {"dose_mg": 1, "times_per_day": 3, "start": "2026-12-01", "age_years": 8},
    {"dose_mg": 1.5, "times_per_day": 3, "start": "2026-12-01", "interval_days": 7},
]
LARGEST: dict[str, Any] = {
    "dose_mg": 10,
    "times_per_day": 2,
    "start": "2026-12-01",
    "step_mg": 0.25,
    "interval_days": 3,
    "setting": "inpatient",
    "acute": True,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="measuring time per figure")
    seconds = parser.parse_args().seconds

    def validate(model: type[Any], requests: list[dict[str, Any]]) -> Callable[[], object]:
        return lambda: [parse_request(model, data) for data in requests]

    def planned(make: Callable[..., object], model: type[Any], requests: list[dict[str, Any]]) -> Callable[[], object]:
        return lambda: [make(parse_request(model, data), LABEL) for data in requests]

    print(f"{'figure':<44}{'baseline: validation only':>28}{'planner':>16}{'aim':>12}")
    for name, make, model, requests in (
        ("titration plans per second", plan_titration, TitrationRequest, TITRATIONS),
        ("taper plans per second", plan_taper, TaperRequest, TAPERS),
    ):
        base = rate(validate(model, requests), seconds) * len(requests)
        full = rate(planned(make, model, requests), seconds) * len(requests)
        print(f"{name:<44}{base:>26,.0f}/s{full:>14,.0f}/s{'>= 2,000/s':>12}")

    request = parse_request(TaperRequest, LARGEST)
    plan = plan_taper(request, LABEL)
    base_ms = median_ms(lambda: parse_request(TaperRequest, LARGEST), 200)
    plan_ms = median_ms(lambda: plan_taper(parse_request(TaperRequest, LARGEST), LABEL), 50)
    print(
        f"{'largest plan: 20 mg taper, 0.25 mg / 3 days (ms)':<44}{base_ms:>26.3f}ms{plan_ms:>13.2f}ms{'< 50 ms':>12}"
    )
    print(f"  {len(plan.steps)} steps, {plan.administrations} administrations, stop on {plan.stop}")
    check_ms = median_ms(lambda: check(plan.to_case(), LABEL), 20)
    stamp = datetime(2026, 11, 25, tzinfo=UTC)
    ics_ms = median_ms(lambda: to_ics(plan, LABEL, "Europe/Berlin", stamp), 5)
    print(f"  for information: its case built and checked in {check_ms:.2f} ms; iCalendar export in {ics_ms:.1f} ms")


if __name__ == "__main__":
    main()
