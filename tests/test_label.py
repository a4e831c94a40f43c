"""The label file: complete, cited verbatim, validated, and replaceable by a second profile."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from clonaguard.check import check
from clonaguard.errors import LabelError
from clonaguard.labels.load import LABELS_DIR, available_labels, load_label
from clonaguard.labels.schema import Label
from tests.cases import PACKAGED_LEAFLET, codes, make_case

SHARED_LEAFLET = Path(__file__).resolve().parents[2] / "shared" / "leaflet" / "klonopin-leaflet.txt"
HEADINGS = {
    "Main information about Klonopin",
    "Administration and dose of Klonopin",
    "Recommendations for the use",
    "Side effect",
}


def leaflet_sentences(text: str) -> list[str]:
    sentences = []
    for line in text.splitlines():
        line = line.strip().lstrip("•").strip()
        if line and line not in HEADINGS:
            sentences += [part.strip() for part in re.split(r"(?<=\.)\s+", line) if part.strip()]
    return sentences


@pytest.mark.skipif(not SHARED_LEAFLET.exists(), reason="the shared leaflet is not beside this checkout")
def test_packaged_leaflet_is_the_shared_one() -> None:
    assert PACKAGED_LEAFLET.read_text(encoding="utf-8") == SHARED_LEAFLET.read_text(encoding="utf-8")


def test_every_leaflet_sentence_is_encoded(label: Label) -> None:
    sources = label.sources()
    missing = [
        s
        for s in leaflet_sentences(PACKAGED_LEAFLET.read_text(encoding="utf-8"))
        if not any(s.rstrip(".:") in source for source in sources)
    ]
    assert missing == []


def test_every_source_is_verbatim(label: Label) -> None:
    text = PACKAGED_LEAFLET.read_text(encoding="utf-8")
    assert all(source in text for source in label.sources())
    assert len(label.sources()) > 30


def test_identity_codes_match_the_facts_sheet(label: Label) -> None:
    codes_ = label.identity.codes
    assert (codes_.rxnorm_ingredient, codes_.atc, codes_.snomed_ct, codes_.unii) == (
        "2598",
        "N03AE01",
        "387383007",
        "5PE9FDE8GB",
    )
    assert {d.rxcui: d.strength_mg for d in codes_.rxnorm_clinical_drugs} == {"197527": 0.5, "197528": 1, "197529": 2}


def test_taper_numbers_are_marked_as_policy(label: Label) -> None:
    assert label.taper_policy.policy is True
    assert "US prescribing information" in label.taper_policy.reference


def test_adults_begin_where_the_last_band_ends(label: Label) -> None:
    assert label.pediatric.adult_from_age_years == 16
    assert label.band_for_age(0) is not None and label.band_for_age(16) is None
    assert label.band_for_age(5.99).id == "child_1_to_5"  # type: ignore[union-attr]


def _write_profile(tmp_path: Path, edit: dict[str, object], name: str = "stricter") -> Path:
    raw = yaml.safe_load((LABELS_DIR / "clonazepam-leaflet.yaml").read_text(encoding="utf-8"))
    raw["profile"]["name"] = name
    for dotted, value in edit.items():
        node = raw
        *parents, last = dotted.split(".")
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[last] = value
    shutil.copy(PACKAGED_LEAFLET, tmp_path / raw["profile"]["document"])
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_second_profile_is_a_second_file(tmp_path: Path) -> None:
    path = _write_profile(tmp_path, {"adult_dosing.standard.daily_mg": {"min": 4, "max": 6}})
    case = make_case(2.25, 3, continuing=True)  # 6.75 mg a day
    assert "DOSE_ABOVE_STANDARD" not in codes(check(case).findings)
    stricter = load_label(str(path))
    finding = next(f for f in check(case, stricter).findings if f.code == "DOSE_ABOVE_STANDARD")
    assert "standard 4–6 mg a day" in finding.message


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        ({"adult_dosing.standard.source": "A standard daily dose is 5 mg."}, "not found verbatim"),
        ({"adult_dosing.standard.daily_mg": {"min": 8, "max": 4}}, "greater than max"),
        ({"pediatric.bands.1.min_age_years": 2}, "must start at 1"),
        ({"taper_policy.policy": False}, "taper_policy.policy"),
        ({"administration.colour": "blue"}, "Extra inputs"),
    ],
)
def test_a_bad_profile_is_refused(tmp_path: Path, edit: dict[str, object], complaint: str) -> None:
    with pytest.raises(LabelError, match=complaint):
        load_label(str(_write_profile(tmp_path, edit, name="broken")))


def test_unknown_profile_name_lists_the_available_ones() -> None:
    assert "clonazepam-leaflet" in available_labels()
    with pytest.raises(LabelError, match=r"available: .*clonazepam-leaflet"):
        load_label("no-such-profile")
