"""Sigs in a case's orders: read with certainty into orders, or refused naming orders[i].sig."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clonaguard.check import check, parse_case
from clonaguard.errors import InvalidInputError
from clonaguard.model import Case, Order
from clonaguard.sig.case import fill_order
from tests.dates import TODAY


def case(*orders: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"today": "2026-03-01", "patient": {"age_years": 34}, "orders": list(orders), **extra}


def test_a_sig_fills_the_structured_fields_and_keeps_the_text() -> None:
    parsed = parse_case(case({"sig": "Klonopin 0,5 mg 1 tab po tid between meals"}), today=TODAY)
    (order,) = parsed.orders
    assert (order.dose_mg, order.times_per_day) == (0.5, 3)
    assert order.sig == "Klonopin 0,5 mg 1 tab po tid between meals"
    assert order.food_drink == ("between meals",)
    assert check(parsed).findings == ()


def test_a_sig_is_checked_like_the_same_structured_order() -> None:
    from_sig = check(parse_case(case({"sig": "2 mg three times a day"}), today=TODAY))
    structured = check(parse_case(case({"dose_mg": 2, "times_per_day": 3}), today=TODAY))
    assert [f.code for f in from_sig.findings] == [f.code for f in structured.findings]
    assert from_sig.daily_dose_mg == structured.daily_dose_mg == 6


def test_a_multi_step_sig_becomes_a_dated_course_with_a_stop() -> None:
    parsed = parse_case(case({"sig": "0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop"}), today=TODAY)
    assert [(o.start, o.dose_mg, o.times_per_day) for o in parsed.orders] == [
        (date(2026, 3, 1), 0.5, 2),
        (date(2026, 3, 4), 0.25, 2),
    ]
    assert parsed.stop == date(2026, 3, 7)


def test_steps_start_from_the_orders_start_and_months_are_calendar_months() -> None:
    parsed = parse_case(
        case({"start": "2026-01-31", "sig": "0.5 mg tid x 1 month then 0.5 mg bid x 2 weeks then stop"}), today=TODAY
    )
    assert [o.start for o in parsed.orders] == [date(2026, 1, 31), date(2026, 2, 28)]
    assert parsed.stop == date(2026, 3, 14)


def test_an_as_needed_sig_is_checked_at_the_most_it_allows() -> None:
    (order,) = parse_case(case({"sig": "clonazepam 0.5 mg 1 tab q4h prn panic, max 3/day"}), today=TODAY).orders
    assert (order.dose_mg, order.times_per_day) == (0.5, 3)


@pytest.mark.parametrize(
    ("sig", "says"),
    [
        ("Klonopin 1-2 tabs tid", "a dose range"),
        ("clonazepam 0.5 mg take as directed", "no dose"),
        ("lorazepam 1 mg tid", "lorazepam: not covered"),
        ("1 tab tid", "the dose in mg is unknown"),
        ("0.5 mg tid for seizures, if tolerated", "not understood: 'if tolerated'"),
        ("0.5 mg every other day", "not a whole number of administrations a day"),
        ("0.5 mg 2-3 times a day", "a frequency range"),
        ("0.5 mg tid then 1 mg tid", "no duration"),
        ("klonopin 3 mg a day", "daily total"),
    ],
)
def test_uncertain_sigs_are_refused_naming_the_field(sig: str, says: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        parse_case(
            case({"start": "2026-03-01", "dose_mg": 0.5, "times_per_day": 3}, {"start": "2026-03-02", "sig": sig}),
            today=TODAY,
        )
    message = str(raised.value)
    assert message.startswith("orders[1].sig: could not be read with certainty, so nothing was evaluated")
    assert says in message


def test_the_case_round_trips_through_its_own_json() -> None:
    parsed = parse_case(case({"sig": "0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop"}), today=TODAY)
    assert parse_case(parsed.model_dump(mode="json"), today=TODAY) == parsed


def test_a_sig_that_disagrees_with_the_numbers_given_beside_it_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.sig: does not agree"):
        parse_case(case({"sig": "0.5 mg tid", "dose_mg": 2, "times_per_day": 3}), today=TODAY)


def test_a_stop_that_disagrees_with_the_sig_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.sig: ends on 2026-03-04"):
        parse_case(case({"sig": "0.5 mg bid x 3 days then stop"}, stop="2026-03-10"), today=TODAY)


def test_an_order_can_be_built_from_a_sig_alone() -> None:
    order = Order.model_validate(fill_order({"sig": "500 mcg bd with milk"}, TODAY))
    assert (order.dose_mg, order.times_per_day, order.food_drink) == (0.5, 2, ("with milk",))
    with pytest.raises(ValueError, match="several steps"):
        fill_order({"sig": "0.5 mg bid x 3 days then stop"}, TODAY)


def test_the_model_reads_no_sig_and_no_clock() -> None:
    """Reading sigs is parse_case's step: the model alone refuses a sig without numbers, and a case without today."""
    with pytest.raises(ValueError, match="dose_mg"):
        Order.model_validate({"sig": "500 mcg bd with milk"})
    with pytest.raises(ValueError, match="today"):
        Case.model_validate({"patient": {"age_years": 34}, "orders": [{"dose_mg": 0.5, "times_per_day": 2}]})


def test_sig_steps_are_dated_from_the_today_passed_in() -> None:
    data = {"patient": {"age_years": 34}, "orders": [{"sig": "0.5 mg bid x 3 days then 0.25 mg bid x 3 days"}]}
    parsed = parse_case(data, today=date(2026, 5, 1))
    assert parsed.today == date(2026, 5, 1)
    assert [order.start for order in parsed.orders] == [date(2026, 5, 1), date(2026, 5, 4)]
    with pytest.raises(InvalidInputError, match="today: required field is missing"):
        parse_case(data)


def test_bad_sig_values_name_the_field() -> None:
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.sig: longer than 2000 characters"):
        parse_case(case({"sig": "x" * 2001}), today=TODAY)
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.sig: must be text"):
        parse_case(case({"sig": 42}), today=TODAY)
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.start: must be a date"):
        parse_case(case({"sig": "0.5 mg tid", "start": "03/01/2026"}), today=TODAY)
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.end: not with a multi-step sig"):
        parse_case(case({"sig": "0.5 mg bid x 3 days then stop", "end": "2026-03-02"}), today=TODAY)


def test_a_structured_case_round_trips_with_an_empty_sig_field() -> None:
    parsed = parse_case(case({"start": "2026-03-01", "dose_mg": 0.5, "times_per_day": 3}), today=TODAY)
    dumped = parsed.model_dump(mode="json")
    assert dumped["orders"][0]["sig"] is None
    assert parse_case(dumped, today=TODAY) == parsed


@pytest.mark.parametrize("given", [1e308, "1e308", 1e300])
def test_a_dose_mg_too_large_for_any_amount_is_a_disagreement_not_a_crash(given: object) -> None:
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.sig: does not agree"):
        parse_case(case({"sig": "clonazepam 1 mg tid", "dose_mg": given, "times_per_day": 3}), today=TODAY)
