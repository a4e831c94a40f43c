"""Pregnancy, breastfeeding and alcohol: critical at any dose and age."""

from __future__ import annotations

import pytest

from clonaguard.check import check, parse_case
from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from tests.cases import codes, make_case
from tests.dates import TODAY


@pytest.mark.parametrize(
    ("flag", "code", "dur"),
    [("pregnant", "PREGNANCY", "PG"), ("breastfeeding", "BREASTFEEDING", "NR"), ("alcohol_use", "ALCOHOL_USE", "OH")],
)
@pytest.mark.parametrize("age", [1, 6, 16, 40])
def test_each_contraindication_is_critical(flag: str, code: str, dur: str, age: float) -> None:
    report = check(make_case(0.5, 3, age_years=age, patient={flag: True}))
    finding = next(f for f in report.findings if f.code == code)
    assert finding.severity.value == "critical"
    assert finding.dur_code == dur
    assert report.needs_attention


def test_none_without_flags() -> None:
    found = codes(check(make_case(0.5, 3)).findings)
    assert not {"PREGNANCY", "BREASTFEEDING", "ALCOHOL_USE"} & set(found)


def test_cites_the_recommendation(label: Label) -> None:
    report = check(make_case(patient={"pregnant": True, "breastfeeding": True, "alcohol_use": True}))
    sources = {f.code: f.source for f in report.findings}
    assert sources["PREGNANCY"] == label.recommendations.pregnancy.source
    assert sources["ALCOHOL_USE"] == label.recommendations.alcohol.source


def test_critical_findings_come_first() -> None:
    report = check(make_case(0.5, 4, patient={"pregnant": True}, continuing=True))
    assert [f.severity.value for f in report.findings] == ["critical", "warning"]


def test_the_words_are_the_profiles(label: Label) -> None:
    """A profile that words a contraindication its own way changes the finding, with no change to the rule."""
    pregnancy = label.recommendations.pregnancy.model_copy(
        update={"finding": "Not for use in pregnancy.", "suggestion": "Choose another treatment."}
    )
    reworded = label.model_copy(
        update={"recommendations": label.recommendations.model_copy(update={"pregnancy": pregnancy})}
    )
    (finding,) = check(make_case(patient={"pregnant": True}), reworded).findings
    assert (finding.message, finding.suggestion) == ("Not for use in pregnancy.", "Choose another treatment.")
    assert finding.source == label.recommendations.pregnancy.source


@pytest.mark.parametrize(("indication", "accepted"), [("panic", True), ("anxiety", True), ("insomnia", False)])
def test_the_indication_is_one_of_the_labels(label: Label, indication: str, accepted: bool) -> None:
    data = {"patient": {"age_years": 40}, "indication": indication, "orders": [{"dose_mg": 0.5, "times_per_day": 3}]}
    if accepted:
        case = parse_case(data, label, today=TODAY)
        assert case.indication in label.indication_ids
        return
    with pytest.raises(InvalidInputError) as error:
        parse_case(data, label, today=TODAY)
    assert str(error.value) == (
        "indication: is not an indication of label clonazepam-leaflet; "
        "accepted: epilepsy, panic, muscle_relaxation, anxiety (got 'insomnia')"
    )
