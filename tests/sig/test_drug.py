"""Drug names: clonazepam and its brands; another drug is reported as not covered."""

from __future__ import annotations

import pytest

from clonaguard.labels.schema import Label
from clonaguard.sig import parse_sig
from clonaguard.sig.drug import CLONAZEPAM_NAMES


def test_the_names_are_the_labels(label: Label) -> None:
    assert sorted(CLONAZEPAM_NAMES) == sorted(name.lower() for name in label.identity.names)


@pytest.mark.parametrize("sig", ["Klonopin 0.5 mg tid", "KLONOPIN 0.5 mg tid", "rivotril 0.5 mg tid",
                                 "Clonazepam 0.5 mg tid", "clonazepam odt 0.5 mg tid"])  # fmt: skip
def test_clonazepam_names(sig: str) -> None:
    parsed = parse_sig(sig)
    assert parsed.drug == "clonazepam"
    assert not parsed.errors


@pytest.mark.parametrize(
    ("sig", "drug"),
    [("lorazepam 1 mg tid", "lorazepam"), ("Xanax 0.5 mg tid", "xanax"), ("Lamotrigine 25 mg daily", "lamotrigine"),
     ("Zonisamide 100 mg daily", "zonisamide"), ("clonazepam 0.5 mg, continue lorazepam", "lorazepam")],
)  # fmt: skip
def test_another_drug_is_reported_not_ignored(sig: str, drug: str) -> None:
    parsed = parse_sig(sig)
    assert parsed.drug == drug
    assert any("not covered" in error for error in parsed.errors)


def test_no_drug_name_is_fine() -> None:
    parsed = parse_sig("0.5 mg tid")
    assert parsed.drug is None and not parsed.errors
