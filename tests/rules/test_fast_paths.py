"""The rules' shortcuts read the same values as the longer ways they replace (property tests).

A single order's start is compared in mg instead of through `Case.steps`; the course's quick bound reads its
first and last start from the orders; a child's band is found on flat copies of its ages; the facts that pick
the rules tell a raise or a reduction from the steps. Each is compared here with the value it stands for.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clonaguard.check import parse_case
from clonaguard.labels.load import load_label
from clonaguard.rules import _dose_changes
from clonaguard.rules.tables import tables_for
from clonaguard.rules.timeline import is_raise, is_reduction
from tests.rules.test_report_snapshot import generated_cases

LABEL = load_label()
TABLES = tables_for(LABEL)
# any dose an order accepts, as a whole number of micrograms or as any float in the range
doses = st.one_of(st.integers(1, 1_000_000).map(lambda ug: ug / 1000), st.floats(0.001, 1000, allow_nan=False))


def _single(dose_mg: float, times_per_day: int, start: date | None = None) -> dict[str, Any]:
    order: dict[str, Any] = {"dose_mg": dose_mg, "times_per_day": times_per_day}
    if start is not None:
        order["start"] = str(start)
    return {"today": "2026-03-01", "patient": {"age_years": 40}, "orders": [order]}


@settings(max_examples=400, deadline=None)
@given(doses, st.integers(1, 24))
def test_a_single_orders_daily_dose_in_mg_orders_as_its_step_in_nanograms(dose_mg: float, times: int) -> None:
    """start_dose and the facts compare a single order's mg with the minimal dose's: the same as its step's ng."""
    case = parse_case(_single(dose_mg, times), LABEL)
    step, daily = case.steps[0], case.checked_order.daily_dose_mg
    assert daily == step.daily_mg
    assert (daily > TABLES.start_daily_mg) == (step.daily_ng > TABLES.start_daily_ng)
    assert (daily <= TABLES.start_daily_mg) == (step.daily_ng <= TABLES.start_daily_ng)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2000).map(lambda ng: ng * 500), st.integers(1, 24))
def test_at_the_minimal_dose_and_a_nanogram_either_side_the_two_tests_agree(offset_ng: int, times: int) -> None:
    """Doses right at the minimal daily dose, and just off it, where a rounding would show."""
    for ng in (TABLES.start_daily_ng - offset_ng, TABLES.start_daily_ng + offset_ng):
        if ng < 1000 * times:  # below 0.001 mg a dose: not an order
            continue
        case = parse_case(_single(ng / times / 1_000_000, times), LABEL)
        step, daily = case.steps[0], case.checked_order.daily_dose_mg
        assert (daily > TABLES.start_daily_mg) == (step.daily_ng > TABLES.start_daily_ng)


def test_the_course_bound_reads_the_first_and_last_start_the_steps_give() -> None:
    for data in generated_cases():
        case = parse_case(data, LABEL)
        orders = case.orders
        assert (orders[0].start or case.today) == case.steps[0].start
        assert (orders[-1].start or case.today) == case.steps[-1].start


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(0, 120, allow_nan=False), st.sampled_from([0, 0.999999, 1, 5.999, 6, 15.99, 16, 17.99, 18])))
def test_a_childs_band_found_on_the_flat_ages_is_the_labels(age: float) -> None:
    entry, band = TABLES.band_for_age(age), LABEL.band_for_age(age)
    if age >= LABEL.pediatric.adult_from_age_years:
        assert entry is None
        return
    assert (entry is None) == (band is None)
    if entry is not None and band is not None:
        assert (entry.min_age_years, entry.max_age_years) == (band.min_age_years, band.max_age_years)
        assert (entry.daily_min_mg, entry.daily_max_mg, entry.source) == (
            band.daily_mg.min,
            band.daily_mg.max,
            band.source,
        )


def test_the_facts_find_a_raise_and_a_reduction_where_the_steps_have_them() -> None:
    start = date(2026, 1, 1)
    histories = [
        [(1, 0), (2, 3)],
        [(2, 0), (1, 3)],
        [(1, 0), (1, 3), (1, 6)],
        [(1, 0), (3, 3), (2, 6)],
        [(3, 0), (1, 0), (1, 4)],  # a same-day order replaces the first: no change at all
    ]
    for data in generated_cases() + [
        {
            "today": "2026-03-01",
            "patient": {"age_years": 40},
            "orders": [
                {"start": str(start + timedelta(days=day)), "dose_mg": dose, "times_per_day": 1}
                for dose, day in history
            ],
        }
        for history in histories
    ]:
        course = parse_case(data, LABEL).steps
        expected = (
            any(is_raise(before, after) for before, after in pairwise(course)),
            any(is_reduction(before, after) for before, after in pairwise(course)),
        )
        assert _dose_changes(course) == expected, data


@given(st.integers(1, 24))
def test_the_times_a_suggestion_is_given_for_are_the_ordered_ones_clamped_to_the_labels(times: int) -> None:
    assert TABLES.times_for_suggestion(times) == int(min(max(times, TABLES.times_min), TABLES.times_max))
