"""The course a case's orders make: one step per start date, each daily dose in whole nanograms."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clonaguard.model import Case
from clonaguard.units import Mass

_ORDERS = st.lists(st.tuples(st.integers(0, 5), st.integers(1, 1_000_000), st.integers(1, 24)), min_size=1, max_size=6)


@given(_ORDERS)
def test_each_step_is_its_orders_exact_daily_dose(rows: list[tuple[int, int, int]]) -> None:
    """The step's nanograms are the order's daily dose exactly, and of orders starting on one day the last applies."""
    day, orders = date(2026, 1, 1), []
    for gap, micrograms, times in rows:
        day += timedelta(days=gap)
        orders.append({"start": day, "dose_mg": Mass.of(micrograms, "ug").mg, "times_per_day": times})
    case = Case.model_validate({"today": day, "patient": {"age_years": 40}, "orders": orders})
    starts = [order.start for order in case.orders]
    expected = [index for index in range(len(starts)) if index == len(starts) - 1 or starts[index + 1] != starts[index]]
    assert [step.order_index for step in case.steps] == expected
    for step in case.steps:
        order = case.orders[step.order_index]
        assert step.start == order.start
        assert step.daily_ng == (Mass.of(order.dose_mg) * order.times_per_day).ng
        assert step.daily_mg == order.daily_dose_mg
