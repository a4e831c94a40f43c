"""The code table's severity text agrees with the severities the rules give (the reference page prints it)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clonaguard.check import check
from clonaguard.labels.schema import Label
from clonaguard.model import FINDING_CODES, Severity
from tests.cases import make_case

_NAMED = re.compile(r"\b(info|warning|critical)\b")


def test_every_severity_text_names_only_severities() -> None:
    for code, info in FINDING_CODES.items():  # "warning; info when acute"
        named = set(_NAMED.findall(info.severity))
        assert named, code
        assert named <= {severity.value for severity in Severity}, code


@settings(max_examples=300, deadline=None)
@given(
    daily_eighths=st.integers(min_value=1, max_value=200),
    times_per_day=st.integers(min_value=1, max_value=5),
    age_years=st.sampled_from([0.5, 3, 10, 16, 34, 80]),
    setting=st.sampled_from(["outpatient", "inpatient"]),
    acute=st.booleans(),
    flags=st.sets(st.sampled_from(["pregnant", "breastfeeding", "alcohol_use"])),
)
def test_each_finding_has_a_severity_its_code_table_entry_names(
    label: Label, daily_eighths: int, times_per_day: int, age_years: float, setting: str, acute: bool, flags: set[str]
) -> None:
    case = make_case(
        daily_eighths / 8 / times_per_day,
        times_per_day,
        age_years,
        patient={flag: True for flag in flags},
        setting=setting,
        acute=acute,
    )
    for finding in check(case, label).findings:
        text = FINDING_CODES[finding.code].severity
        assert finding.severity.value in _NAMED.findall(text), (finding.code, finding.severity, text)
