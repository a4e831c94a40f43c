"""The planner reads the strengths from the label: other products give other plans, or a clear refusal."""

from __future__ import annotations

import pytest

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from tests.plan.plans import assert_in_real_tablets, attention, taper, titration


def with_products(label: Label, **products: list[float]) -> Label:
    identity = label.identity
    changed = identity.products.model_copy(update=products)
    return label.model_copy(update={"identity": identity.model_copy(update={"products": changed})})


def test_without_orally_disintegrating_tablets_a_tablet_taper_cannot_end_and_says_so(label: Label) -> None:
    tablets_only = with_products(label, odt_mg=[])
    with pytest.raises(InvalidInputError, match=r"^form: no combination of 0.5 mg \(scored\), 1 mg and 2 mg tablets"):
        taper(tablets_only)
    with pytest.raises(InvalidInputError, match=r"^form: the label lists no orally disintegrating tablets"):
        taper(tablets_only, form="odt")


def test_a_minimal_dose_no_tablets_give_starts_at_the_nearest_lower_one(label: Label) -> None:
    other = with_products(label, tablet_mg=[0.4, 2], scored_tablet_mg=[])
    plan = titration(other, target=4)
    assert plan.steps[0].daily_mg == 1.2
    assert any("nearest lower dose, 1.2 mg a day" in note for note in plan.notes)
    assert {t.strength_mg for s in plan.steps for d in s.administrations for t in d.tablets} <= {0.4, 2.0}
    assert_in_real_tablets(plan)
    assert attention(plan, other) == []


def test_tablets_too_coarse_for_the_taper_step_are_refused(label: Label) -> None:
    other = with_products(label, tablet_mg=[0.4, 2], scored_tablet_mg=[], odt_mg=[])
    with pytest.raises(InvalidInputError, match=r"^step_mg: .*smallest change, 0.4 mg, is above .*choose another form"):
        taper(other)
