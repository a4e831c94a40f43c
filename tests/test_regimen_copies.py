"""The safer-regimen search's copies of a case are exactly what validating the changed case gives.

The search copies the valid case with only the checked order's dose and times a day replaced, without validating
the whole case again (`alternatives._Regimens`). Here every copy is compared with the case built from its given
fields and validated in full (what the search did before): the same fields, the same fields given, the same course
and the same report, and a refusal wherever validation refuses.
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from clonaguard.alternatives import _Regimens
from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.model import Case, Order
from clonaguard.rules.tables import Regimen, tables_for
from clonaguard.units import Mass
from tests.rules.test_report_snapshot import _case

LABEL = load_label()
REGIMENS = tables_for(LABEL).regimens


def _validated(case: Case, dose_mg: float, times_per_day: int) -> Case:
    """The reference: the case's given fields with the changed order, validated in full."""
    checked = case.checked_order
    order = {name: getattr(checked, name) for name in checked.model_fields_set}
    order.update(dose_mg=dose_mg, times_per_day=times_per_day)
    given = {name: getattr(case, name) for name in case.model_fields_set}
    return Case.model_validate({**given, "orders": [*case.orders[:-1], Order.model_validate(order)]})


def _fields(model: BaseModel) -> dict[str, Any]:
    return {name: getattr(model, name) for name in type(model).model_fields}


def _valid_case(rng: random.Random) -> Case:
    data = _case(rng)
    try:
        case = parse_case(data, LABEL)
    except ValueError:
        assume(False)
        raise
    if rng.random() < 0.5:  # a case whose derived values are already worked out, as after `check`
        check(case, LABEL)
    return case


def _assert_same(copy: Case, reference: Case) -> None:
    assert type(copy) is Case
    assert _fields(copy) == _fields(reference)
    assert copy.model_fields_set == reference.model_fields_set
    copied, expected = copy.checked_order, reference.checked_order
    assert _fields(copied) == _fields(expected)
    assert copied.model_fields_set == expected.model_fields_set
    assert copy.steps == reference.steps
    assert copied.daily_dose_mg == expected.daily_dose_mg
    assert check(copy, LABEL) == check(reference, LABEL)


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(REGIMENS))
def test_a_copy_for_a_label_regimen_is_the_validated_case(rng: random.Random, regimen: Regimen) -> None:
    case = _valid_case(rng)
    _assert_same(_Regimens(case).case(regimen), _validated(case, regimen.dose_mg, regimen.times_per_day))


DOSES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 0.0009, 0.001, 1000.0, 1000.0001, -0.5, math.inf, math.nan]),
)


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False), DOSES, st.integers(-2, 30))
def test_any_regimen_is_copied_or_refused_as_validation_does(rng: random.Random, dose: float, times: int) -> None:
    """Doses and times a day outside an order's bounds are refused with validation's own error."""
    case = _valid_case(rng)
    regimen = Regimen(dose, times, Mass(0))
    try:
        reference = _validated(case, dose, times)
    except ValidationError as expected:
        with pytest.raises(ValidationError) as refused:
            _Regimens(case).case(regimen)
        assert refused.value.errors() == expected.errors()
        return
    _assert_same(_Regimens(case).case(regimen), reference)


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_a_model_copy_keeps_the_fields_and_works_its_derived_values_out_afresh(rng: random.Random) -> None:
    case = _valid_case(rng)
    orders = [order.model_copy(update={"times_per_day": 1}) for order in case.orders]
    copy = case.model_copy(update={"orders": orders})
    reference = BaseModel.model_copy(case, update={"orders": orders})
    assert _fields(copy) == _fields(reference)
    assert copy.model_fields_set == reference.model_fields_set
    assert "steps" not in copy.__dict__
    assert copy.steps == Case.model_validate(copy.model_dump()).steps
    assert [order.daily_dose_mg for order in copy.orders] == [order.dose_mg for order in copy.orders]
