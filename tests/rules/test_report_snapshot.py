"""Every report and every safer regimen for a broad set of generated cases, against a snapshot of them.

The snapshot (`report_snapshot.json`) was written by the rules as they were before they were made faster; the
rules' speed work must not change a finding, its order, message, suggestion or citation, nor the regimen the
search offers. Any drift fails here, naming the case. Cases come from a fixed seed, so the set is the same on
every run. Regenerate the file only for a deliberate change of behaviour:
`.venv/bin/python -m tests.rules.test_report_snapshot --write`, and review its diff.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from clonaguard.alternatives import safer_regimen
from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.model import FINDING_CODES

SNAPSHOT = Path(__file__).with_name("report_snapshot.json")
TODAY = date(2026, 3, 1)
AGES = [0.2, 0.99, 1, 3, 5.9, 6, 10, 15.99, 16, 17, 18, 34, 40, 70, 95]
DOSES = [0.1, 0.125, 0.25, 0.3, 0.333, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7]
FOOD_DRINK = ["with food", "after food", "with water", "with milk", "two hours after food"]


def _patient(rng: random.Random) -> dict[str, Any]:
    patient: dict[str, Any] = {"age_years": rng.choice(AGES) if rng.random() < 0.8 else round(rng.uniform(0, 120), 2)}
    for flag, chance in (("pregnant", 0.1), ("breastfeeding", 0.08), ("alcohol_use", 0.1)):
        if rng.random() < chance:
            patient[flag] = True
    if rng.random() < 0.3:
        patient["reduced_efficacy_reported"] = True
    return patient


def _dose(rng: random.Random) -> float:
    return rng.choice(DOSES) if rng.random() < 0.7 else rng.randint(1, 64) * 0.125


def _free_history(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Orders of any doses, some on the same day, some a few days apart, some months apart."""
    day = TODAY - timedelta(days=rng.choice([0, 2, 10, 40, 95, 200]))
    orders = []
    for _ in range(count):
        orders.append({"start": str(day), "dose_mg": _dose(rng), "times_per_day": rng.choice([1, 2, 2, 3, 3, 3, 4, 6])})
        day += timedelta(days=rng.choice([0, 1, 2, 3, 4, 5, 7, 14, 30]))
    return orders


def _taper(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """A descending course, in steps of about a quarter milligram a day, some held too briefly or too long."""
    day = TODAY - timedelta(days=rng.choice([20, 60, 120]))
    daily = rng.choice([1.5, 3, 4.5, 6])
    orders = []
    for _ in range(count):
        times = rng.choice([1, 2, 3])
        orders.append({"start": str(day), "dose_mg": round(daily / times, 3), "times_per_day": times})
        daily = max(0.125, daily - rng.choice([0.125, 0.25, 0.25, 0.5, 1]))
        day += timedelta(days=rng.choice([1, 2, 3, 3, 4, 7, 30]))
    return orders


def _titration(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """A rising course from the minimal dose, in steps of 0.5-1.5 mg a day, every 1-7 days."""
    day = TODAY - timedelta(days=rng.choice([5, 30, 100]))
    daily = 1.5
    orders = []
    for _ in range(count):
        orders.append({"start": str(day), "dose_mg": round(daily / 3, 3), "times_per_day": 3})
        daily += rng.choice([0.75, 1.5, 1.5, 3])
        day += timedelta(days=rng.choice([1, 2, 3, 4, 5, 7]))
    return orders


def _case(rng: random.Random) -> dict[str, Any]:
    count = rng.choice([1, 1, 1, 2, 2, 3, 4, 6])
    orders = rng.choice([_free_history, _taper, _titration])(rng, count)
    if count == 1 and rng.random() < 0.5:
        del orders[0]["start"]
    if rng.random() < 0.2:
        orders[-1]["food_drink"] = rng.sample(FOOD_DRINK, rng.randint(1, 2))
    case: dict[str, Any] = {
        "today": str(TODAY),
        "patient": _patient(rng),
        "setting": rng.choice(["outpatient", "inpatient"]),
        "acute": rng.random() < 0.3,
        "continuing": rng.random() < 0.5,
        "orders": orders,
    }
    last_start = date.fromisoformat(orders[-1].get("start", str(TODAY)))
    if rng.random() < 0.15:
        orders[-1]["end"] = str(last_start + timedelta(days=rng.choice([0, 10, 100])))
    elif rng.random() < 0.35:
        case["stop"] = str(last_start + timedelta(days=rng.choice([1, 2, 3, 5, 30])))
    if rng.random() < 0.2:
        case["taper"] = {"step_daily_mg": rng.choice([0.125, 0.25, 0.5]), "interval_days": rng.choice([2, 3, 7])}
    return case


def generated_cases(count: int = 700, seed: int = 12) -> list[dict[str, Any]]:
    """`count` valid cases from a fixed seed (a generated case the model refuses is drawn again)."""
    rng = random.Random(seed)
    label = load_label()
    cases: list[dict[str, Any]] = []
    while len(cases) < count:
        data = _case(rng)
        try:
            parse_case(data, label)
        except ValueError:
            continue
        cases.append(data)
    return cases


def outcome(data: dict[str, Any], label: Label) -> dict[str, Any]:
    """What the snapshot holds for a case: `check`'s report and the safer-regimen search's answer."""
    case = parse_case(data, label)
    alternative, unavoidable = safer_regimen(case, label)
    offered = None if alternative is None else {**alternative.to_dict(), "report": alternative.report.to_dict()}
    return {
        "report": check(case, label).to_dict(),
        "alternative": offered,
        "unavoidable": sorted(unavoidable),
    }


def _snapshot() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SNAPSHOT.read_text(encoding="utf-8").splitlines()]


def test_the_snapshot_covers_every_finding_code() -> None:
    found = {f["code"] for entry in _snapshot() for f in entry["expected"]["report"]["findings"]}
    assert found == set(FINDING_CODES)


def test_the_snapshot_holds_the_generated_cases() -> None:
    assert [entry["case"] for entry in _snapshot()] == generated_cases()


@pytest.mark.parametrize("chunk", range(10))
def test_reports_and_alternatives_match_the_snapshot(chunk: int, label: Label) -> None:
    entries = _snapshot()[chunk::10]
    for number, entry in enumerate(entries):
        assert outcome(entry["case"], label) == entry["expected"], f"case {chunk + 10 * number}: {entry['case']}"


def _write() -> None:
    label = load_label()
    entries = ({"case": data, "expected": outcome(data, label)} for data in generated_cases())
    lines = [json.dumps(entry, ensure_ascii=False) for entry in entries]
    SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        _write()
