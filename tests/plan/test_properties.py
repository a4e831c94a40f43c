"""Self-consistency: whatever the planner emits, the check of its case gives no warning or critical finding.

A refused request is fine (it must name a field); an emitted plan that the rules flag is a bug in one of them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clonaguard.check import check
from clonaguard.errors import InvalidInputError
from clonaguard.labels.load import load_label
from clonaguard.model import Case, Severity
from clonaguard.plan import Plan, TaperRequest, TitrationRequest, parse_request, plan_taper, plan_titration
from clonaguard.plan.titration import setting_ceiling_mg
from clonaguard.units import Mass, daily_mg
from tests.plan.plans import assert_in_real_tablets

LABEL = load_label()
FIELDS = {"age_years", "target_mg", "start", "end", "interval_days", "step_mg", "times", "form", "dose_mg"}
CLOCKS = ["06:00", "07:30", "08:00", "12:00", "14:00", "16:45", "20:00", "22:00"]

eighths = st.integers(1, 160).map(lambda n: n / 8)
ages = st.one_of(st.sampled_from([0, 0.5, 0.99, 1, 5.99, 6, 15.99, 16, 34, 80]), st.floats(0, 100, allow_nan=False))
times = st.one_of(st.none(), st.lists(st.sampled_from(CLOCKS), min_size=2, max_size=3, unique=True).map(sorted))
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)).map(str)


def problems(case: Case) -> list[str]:
    return [f"{f.code}: {f.message}" for f in check(case, LABEL).findings if f.severity is not Severity.INFO]


def planned(make: Any, model: Any, data: dict[str, Any]) -> Plan:
    """The plan, or a refusal that names one of the request's fields (then the example is discarded)."""
    try:
        return make(parse_request(model, data), LABEL)  # type: ignore[no-any-return]
    except InvalidInputError as exc:
        assert str(exc).split(":", 1)[0].split("[")[0] in FIELDS, str(exc)
        assume(False)
        raise


@st.composite
def titration_requests(draw: st.DrawFn) -> dict[str, Any]:
    age = draw(ages)
    band = LABEL.band_for_age(age)
    low, high = (band.daily_mg.min, band.daily_mg.max) if band else (LABEL.adult_dosing.start.daily_mg, 20)
    within = st.integers(int(low * 8), int(high * 8)).map(lambda n: n / 8)
    return {
        "age_years": age,
        "target_mg": draw(st.one_of(within, within, eighths)),
        "start": draw(dates),
        "interval_days": draw(st.one_of(st.none(), st.integers(3, 5))),
        "step_mg": draw(st.one_of(st.none(), st.sampled_from([0.25, 0.375, 0.5, 0.75, 1]))),
        "form": draw(st.sampled_from(["tablet", "odt"])),
        "times": draw(times),
        "setting": draw(st.sampled_from(["outpatient", "inpatient"])),
        "acute": draw(st.booleans()),
        "weight_kg": draw(st.one_of(st.none(), st.floats(2, 150))),
    }


@st.composite
def taper_requests(draw: st.DrawFn) -> dict[str, Any]:
    times_per_day = draw(st.integers(1, 4))
    return {
        "dose_mg": draw(st.integers(1, 80).map(lambda n: n / 16)),
        "times_per_day": times_per_day,
        "start": draw(dates),
        "age_years": draw(st.one_of(st.none(), ages)),
        "interval_days": draw(st.one_of(st.none(), st.integers(3, 10))),
        "step_mg": draw(st.one_of(st.none(), st.sampled_from([0.125, 0.2, 0.25]))),
        "form": draw(st.sampled_from(["tablet", "odt"])),
        "times": draw(times),
        "setting": draw(st.sampled_from(["outpatient", "inpatient"])),
        "acute": draw(st.booleans()),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(titration_requests())
def test_every_titration_plan_checks_clean_and_is_in_real_tablets(data: dict[str, Any]) -> None:
    plan = planned(plan_titration, TitrationRequest, data)
    assert problems(plan.to_case()) == []
    assert_in_real_tablets(plan)
    assert plan.steps[-1].daily_mg <= data["target_mg"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(titration_requests())
def test_every_step_of_a_titration_checks_clean_when_it_is_the_current_order(data: dict[str, Any]) -> None:
    """Stronger than the whole plan: each prefix, checked on the day its last step starts."""
    plan = planned(plan_titration, TitrationRequest, data)
    case = plan.to_case()
    for count in range(1, len(case.orders) + 1):
        orders = case.orders[:count]
        prefix = case.model_copy(update={"orders": orders, "today": orders[-1].start})
        assert problems(Case.model_validate(prefix.model_dump(exclude_none=True))) == [], count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(taper_requests())
def test_every_taper_plan_checks_clean_and_ends_at_the_final_step(data: dict[str, Any]) -> None:
    plan = planned(plan_taper, TaperRequest, data)
    if not plan.steps:
        # Already at the final step: the case checks the patient's own regimen, which may be given once a day.
        assume(data["times_per_day"] in LABEL.administration.times_per_day)
    assert problems(plan.to_case()) == []
    assert_in_real_tablets(plan)
    last = plan.steps[-1].daily_mg if plan.steps else daily_mg(data["dose_mg"], data["times_per_day"])
    assert last <= LABEL.taper_policy.final_daily_mg


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(taper_requests())
def test_every_step_of_a_taper_from_an_allowed_dose_checks_clean(data: dict[str, Any]) -> None:
    """Tapers from a regimen the setting allows, 2-3 times a day: every step on its first day is clean too.

    A prefix has no stop yet, and the course rules count tapering time out of the course only once the stop is
    known, so DURATION_EXCEEDED is left to the whole-plan property above.
    """
    ceiling, _ = setting_ceiling_mg(LABEL, data["setting"], data["acute"])
    assume(data["age_years"] is None or data["age_years"] >= LABEL.pediatric.adult_from_age_years)
    assume(data["dose_mg"] * data["times_per_day"] <= ceiling and 2 <= data["times_per_day"] <= 3)
    plan = planned(plan_taper, TaperRequest, data)
    case = plan.to_case()
    for count in range(2, len(case.orders) + 1):
        orders = case.orders[:count]
        prefix = case.model_copy(update={"orders": orders, "today": orders[-1].start, "stop": None})
        found = problems(Case.model_validate(prefix.model_dump(exclude_none=True)))
        assert [text for text in found if not text.startswith("DURATION_EXCEEDED")] == [], count


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.one_of(titration_requests().map(lambda d: (True, d)), taper_requests().map(lambda d: (False, d))))
def test_every_emitted_step_is_exactly_its_tablets(request: tuple[bool, dict[str, Any]]) -> None:
    """Each dose is the exact sum of its tablets, each day the exact sum of its doses, and the checked case
    carries the same daily doses: no rounding and no tolerance anywhere between them."""
    is_titration, data = request
    plan = planned(plan_titration, TitrationRequest, data) if is_titration else planned(plan_taper, TaperRequest, data)
    assert_in_real_tablets(plan)
    orders = plan.to_case().orders[-len(plan.steps) :] if plan.steps else []
    assert [Mass.of(order.daily_dose_mg) for order in orders] == [Mass.of(step.daily_mg) for step in plan.steps]
