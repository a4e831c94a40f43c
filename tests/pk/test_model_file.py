"""The model file: every value sourced and validated; the typical subject and the summary it gives."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.optimize import brentq

from clonaguard.errors import InvalidInputError, LabelError
from clonaguard.pk.parameters import MODEL_FILE, load_model, typical, with_overrides
from clonaguard.pk.simulate import subjects
from clonaguard.pk.summary import time_in_range, time_to_steady_state


def test_a_70_kg_adult_on_monotherapy_has_the_facts_sheets_clearance_and_half_life() -> None:
    """Facts sheet: CL/F ≈ 4.9 L/h, t½ ≈ 30 h for 70 kg (CL/F = 152 × 70^-0.181 mL/kg/h, V = 3 L/kg)."""
    subject = typical(load_model(), 70.0)
    assert subject.cl == pytest.approx(152 * 70**-0.181 * 70 / 1000)
    assert round(subject.cl, 1) == 4.9
    assert round(math.log(2) * subject.v / subject.cl) == 30


def test_comedication_raises_clearance_as_the_model_says() -> None:
    model = load_model()
    alone, valproate = typical(model, 30.0), typical(model, 30.0, "carbamazepine_or_valproate")
    several = typical(model, 30.0, "two_or_more")
    assert valproate.cl == pytest.approx(alone.cl * 1.18)
    assert several.cl == pytest.approx(alone.cl * 2.12 * 30**-0.119)


def test_a_value_without_its_source_does_not_load(tmp_path: Path) -> None:
    data = yaml.safe_load(MODEL_FILE.read_text(encoding="utf-8"))
    del data["volume"]["source"]
    broken = tmp_path / "model.yaml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(LabelError, match=r"volume\.source"):
        load_model(broken)


def test_the_range_comes_from_the_model_file() -> None:
    band = load_model().therapeutic_range
    assert (band.low_ng_ml, band.high_ng_ml) == (20, 70)


def test_two_compartments_need_q_and_v2() -> None:
    base = typical(load_model(), 70.0)
    with pytest.raises(InvalidInputError, match=r"^q:"):
        with_overrides(base, structure="2cmt")
    with pytest.raises(InvalidInputError, match=r"^weight:"):
        with_overrides(typical(load_model(), None))


def test_time_to_90_percent_of_steady_state_solves_the_one_compartment_formula() -> None:
    subject = typical(load_model(), 70.0)
    k, ka = subject.cl / subject.v, subject.ka

    def fraction(t: float) -> float:
        return 1 - (ka * math.exp(-k * t) - k * math.exp(-ka * t)) / (ka - k) - 0.9

    expected = brentq(fraction, 1.0, 1000.0, xtol=1e-12)
    assert float(time_to_steady_state(subjects(subject))[0]) == pytest.approx(expected, rel=1e-9)


def test_fractions_of_time_cover_the_whole_curve() -> None:
    levels = np.array([10.0, 20.0, 45.0, 70.0, 71.0])
    assert time_in_range(levels, 20.0, 70.0) == {"fraction_in_range": 0.6, "fraction_below": 0.2, "fraction_above": 0.2}
