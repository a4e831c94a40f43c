"""Pregnancy, breastfeeding and alcohol: critical at any dose and age."""

from __future__ import annotations

import pytest

from clonaguard.check import check
from clonaguard.labels.schema import Label
from tests.cases import codes, make_case


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
