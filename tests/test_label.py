"""The label file: complete, cited verbatim, validated, and replaceable by a second profile."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from clonaguard.check import check, parse_case
from clonaguard.errors import LabelError
from clonaguard.labels.load import LABELS_DIR, available_labels, load_label, read_yaml
from clonaguard.labels.schema import Label
from tests.cases import PACKAGED_LEAFLET, codes, make_case
from tests.dates import TODAY

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


@pytest.mark.parametrize("section", ["taper_policy", "titration_policy", "taper_policy.proceeds"])
def test_a_policy_entry_without_its_reference_is_refused(tmp_path: Path, section: str) -> None:
    path = _write_profile(tmp_path, {}, name="unreferenced")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = raw
    for key in section.split("."):
        node = node[key]
    del node["reference"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LabelError, match=rf"{re.escape(section)}\.reference\s+Field required"):
        load_label(str(path))


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
        ({"recommendations.course_limit.max_months": 4}, r"course_months.max \(3\) differs from .*max_months \(4\)"),
        ({"adult_dosing.acute_maximum.daily_mg": 25}, r"acute_maximum.daily_mg \(25\) is above .*overdose_above"),
        ({"adult_dosing.hospital_only_above.daily_mg": 7}, r"standard.daily_mg.max \(8\) is above .*hospital_only"),
        ({"taper_policy.proceeds.max_hold_days": 2}, r"max_hold_days \(2\) is shorter than interval_days \(3\)"),
    ],
)
def test_a_bad_profile_is_refused(tmp_path: Path, edit: dict[str, object], complaint: str) -> None:
    with pytest.raises(LabelError, match=complaint):
        load_label(str(_write_profile(tmp_path, edit, name="broken")))


def test_unknown_profile_name_lists_the_available_ones() -> None:
    assert "clonazepam-leaflet" in available_labels()
    with pytest.raises(LabelError, match=r"available: .*clonazepam-leaflet"):
        load_label("no-such-profile")


# --- profiles that extend another -----------------------------------------------------------------

CLINIC = Path(__file__).parent / "labels" / "clinic-slow-taper.yaml"


def test_a_profile_extends_the_default_overriding_only_what_differs(label: Label) -> None:
    clinic = load_label(str(CLINIC))
    assert (clinic.profile.name, clinic.profile.document, clinic.extends) == (
        "clinic-slow-taper",
        "clinic-protocol.txt",
        "clonazepam-leaflet",
    )
    assert (clinic.taper_policy.step_daily_mg, clinic.taper_policy.interval_days) == (0.125, 7)
    assert clinic.taper_policy.final_daily_mg == label.taper_policy.final_daily_mg  # merged key by key
    assert clinic.taper_policy.proceeds == label.taper_policy.proceeds
    inherited = set(Label.model_fields) - {"profile", "extends", "taper_policy"}
    assert all(getattr(clinic, name) == getattr(label, name) for name in inherited)


def test_the_extending_profile_changes_the_check() -> None:
    case = parse_case(
        {
            "today": "2026-03-01",
            "patient": {"age_years": 34},
            "continuing": True,
            "orders": [
                {"start": "2026-03-01", "dose_mg": 0.5, "times_per_day": 3},
                {"start": "2026-03-05", "dose_mg": 1.25, "times_per_day": 1},  # 0.25 mg less after 4 days
            ],
            "stop": "2026-03-20",
        },
        today=TODAY,
    )
    assert "TAPER_STEP_TOO_LARGE" not in codes(check(case).findings)
    clinic = load_label(str(CLINIC))
    (finding,) = [f for f in check(case, clinic).findings if f.code == "TAPER_STEP_TOO_LARGE"]
    assert finding.source == clinic.taper_policy.source
    assert "at most 0.125 mg every 7 days" in (finding.suggestion or "")


def _child(tmp_path: Path, text: str, document: str = "clinic-protocol.txt") -> Path:
    shutil.copy(CLINIC.parent / "clinic-protocol.txt", tmp_path / "clinic-protocol.txt")
    path = tmp_path / "child.yaml"
    path.write_text(f"profile: {{name: child, title: Child, document: {document}}}\n{text}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        # A sentence of the base's document is not in the profile's own.
        (
            "extends: clonazepam-leaflet\ntaper_policy: {source: Do not terminate the treatment abruptly.}\n",
            "not found verbatim in clinic-protocol.txt",
        ),
        ("extends: no-such-profile\n", r"no profile named 'no-such-profile'; available: .*clonazepam-leaflet"),
        ("extends: child.yaml\n", r"extends itself through child.yaml -> child.yaml"),
        ("extends: [clonazepam-leaflet]\n", "extends must be a profile name or a path"),
        ("extends: clonazepam-leaflet\nadministration: {course_months: {min: 2, max: 4}}\n", "differs from"),
        ("extends: clonazepam-leaflet\ntaper_policy: {step_daily_mg: -1}\n", r"taper_policy.step_daily_mg"),
    ],
)
def test_a_bad_extending_profile_is_refused(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(LabelError, match=complaint):
        load_label(str(_child(tmp_path, text)))


def test_a_profile_extends_another_by_a_path_beside_it(tmp_path: Path) -> None:
    shutil.copy(CLINIC, tmp_path / CLINIC.name)
    path = _child(tmp_path, "extends: clinic-slow-taper.yaml\ntaper_policy: {interval_days: 10}\n")
    grandchild = load_label(str(path))
    assert grandchild.extends == "clinic-slow-taper"
    assert (grandchild.taper_policy.step_daily_mg, grandchild.taper_policy.interval_days) == (0.125, 10)


# --- reading the YAML -----------------------------------------------------------------------------

LOADERS = [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]


@pytest.mark.parametrize("loader", LOADERS)
def test_the_c_loader_and_its_python_fallback_read_the_same_label(loader: type[yaml.SafeLoader]) -> None:
    path = LABELS_DIR / "clonazepam-leaflet.yaml"
    assert read_yaml(path, loader) == yaml.safe_load(path.read_text(encoding="utf-8"))


def _alias_bomb(levels: int = 12) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "line"),
    [
        (_alias_bomb(), 1),
        ("profile: &p {name: x}\n", 1),  # an anchor alone is refused too: nothing may be shared
        ("identity:\n  names: [a]\nalso: *missing\n", 3),
    ],
)
def test_anchors_and_aliases_are_refused_fast(
    tmp_path: Path, loader: type[yaml.SafeLoader], text: str, line: int
) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    begin = time.perf_counter()
    with pytest.raises(LabelError, match=rf"bomb.yaml: line {line}: YAML anchors and aliases are not accepted"):
        read_yaml(path, loader)
    assert time.perf_counter() - begin < 2  # a billion "lol"s, had they been built; refused at the first anchor


def test_an_alias_bomb_profile_is_refused_by_the_loader(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_alias_bomb(), encoding="utf-8")
    with pytest.raises(LabelError, match="anchors and aliases"):
        load_label(str(path))


# --- derived values follow a copy -----------------------------------------------------------------


def test_a_copied_label_recomputes_what_it_derives(label: Label) -> None:
    products = label.identity.products
    assert products.smallest_step_mg == 0.25  # half a scored 0.5 mg tablet; computed and kept
    assert products.model_copy(update={"scored_tablet_mg": []}).smallest_step_mg == 0.5
    bands = label.pediatric.bands[:2]
    assert label.pediatric.model_copy(update={"bands": bands}).adult_from_age_years == 6
    with pytest.raises(ValidationError, match="scored_tablet_mg"):
        products.model_copy(update={"scored_tablet_mg": [3]})


def test_a_scored_strength_that_does_not_halve_to_whole_nanograms_is_refused(label: Label) -> None:
    products = label.identity.products
    odd = 0.000001  # 1 ng: half a tablet would be half a nanogram
    with pytest.raises(ValidationError, match="whole number of nanograms"):
        products.model_copy(update={"tablet_mg": [*products.tablet_mg, odd], "scored_tablet_mg": [odd]})
    halved = products.model_copy(update={"tablet_mg": [*products.tablet_mg, 0.000002], "scored_tablet_mg": [0.000002]})
    assert halved.smallest_step_mg == 0.000001


def test_the_rule_limits_of_a_copied_label_follow_the_copy(label: Label) -> None:
    """The limits every check reads are cached per label: a copy computes its own from its own numbers."""
    assert label.limits.outpatient_ceiling_mg == label.adult_dosing.standard.daily_mg.max  # computed and kept
    standard = label.adult_dosing.standard.model_copy(update={"daily_mg": {"min": 3, "max": 6}})
    narrower = label.model_copy(update={"adult_dosing": label.adult_dosing.model_copy(update={"standard": standard})})
    assert narrower.limits.outpatient_ceiling_mg == 6
    assert label.limits.outpatient_ceiling_mg == label.adult_dosing.standard.daily_mg.max
    start = label.adult_dosing.start.model_copy(update={"dose_mg": 0.25})
    assert start.daily_mg == 0.25 * start.times_per_day
    assert label.adult_dosing.start.daily_mg == label.adult_dosing.start.dose_mg * start.times_per_day
