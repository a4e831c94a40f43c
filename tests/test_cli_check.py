"""`clonaguard check` and `clonaguard label` end to end, as a separate process."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cases import PACKAGED_LEAFLET

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "case.json"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clonaguard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin", "CLONAGUARD_CACHE_DIR": os.environ["CLONAGUARD_CACHE_DIR"]},
    )


def as_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_clean_order_exits_0_with_the_json_shape() -> None:
    result = run("check", "--dose-mg", "0,5", "--times-per-day", "3", "--age", "34", "--json")
    assert result.returncode == 0, result.stderr
    answer = as_json(result)
    provenance = answer.pop("provenance")
    assert answer == {"daily_dose_mg": 1.5, "dose_basis": "scheduled", "findings": [], "alternative": None}
    assert (provenance["label"], provenance["label_version"]) == ("clonazepam-leaflet", "1")
    assert provenance["document_sha256"] == hashlib.sha256(PACKAGED_LEAFLET.read_bytes()).hexdigest()


def test_a_report_offers_the_safer_regimen_the_rules_accept() -> None:
    order = ("--age", "34", "--continuing", "--today", "2026-03-01")
    result = run("check", "--dose-mg", "7", "--times-per-day", "3", *order, "--json")
    assert result.returncode == 1, result.stderr
    alternative = as_json(result)["alternative"]
    assert alternative["daily_dose_mg"] == round(alternative["dose_mg"] * alternative["times_per_day"], 6) < 21
    assert alternative["text"].startswith(f"{alternative['dose_mg']:g} mg ")
    dose, times = str(alternative["dose_mg"]), str(alternative["times_per_day"])
    again = run("check", "--dose-mg", dose, "--times-per-day", times, *order, "--json")
    assert again.returncode == 0, again.stdout
    table = run("check", "--dose-mg", "7", "--times-per-day", "3", *order)
    assert f"Safer regimen: {alternative['text']}" in " ".join(table.stdout.split())


def test_no_alternative_when_no_dose_avoids_the_finding() -> None:
    result = run("check", "--dose-mg", "0,5", "--times-per-day", "3", "--age", "34", "--pregnant", "--json")
    assert result.returncode == 1
    assert as_json(result)["alternative"] is None


def test_warning_exits_1_and_lists_every_field() -> None:
    result = run("check", "--dose-mg", "2", "--times-per-day", "3", "--age", "34", "--json")
    assert result.returncode == 1
    report = as_json(result)
    assert report["daily_dose_mg"] == 6
    (finding,) = report["findings"]
    assert set(finding) == {
        "code",
        "severity",
        "dur_code",
        "hl7_code",
        "message",
        "source",
        "suggestion",
        "order_index",
    }
    assert finding["code"] == "START_DOSE_ABOVE_MINIMUM" and finding["severity"] == "warning"
    assert finding["source"] in PACKAGED_LEAFLET.read_text(encoding="utf-8")


def test_info_only_exits_0() -> None:
    result = run("check", "--dose-mg", "0.25", "--times-per-day", "3", "--age", "34", "--continuing", "--json")
    assert result.returncode == 0
    assert [f["code"] for f in as_json(result)["findings"]] == ["DOSE_BELOW_MINIMUM"]


def test_flags_reach_the_rules() -> None:
    result = run(
        "check",
        "--dose-mg",
        "4",
        "--times-per-day",
        "3",
        "--age",
        "50",
        "--inpatient",
        "--acute",
        "--continuing",
        "--pregnant",
        "--breastfeeding",
        "--alcohol",
        "--json",
    )
    found = {f["code"]: f["severity"] for f in as_json(result)["findings"]}
    assert found == {
        "PREGNANCY": "critical",
        "BREASTFEEDING": "critical",
        "ALCOHOL_USE": "critical",
        "DOSE_REQUIRES_HOSPITAL": "info",
    }


def test_case_file_and_stdin() -> None:
    from_file = run("check", "--case", str(EXAMPLE), "--json")
    from_stdin = run("check", "--case", "-", "--json", stdin=EXAMPLE.read_text())
    assert from_file.returncode == from_stdin.returncode == 0
    assert from_file.stdout == from_stdin.stdout


def test_table_output_is_readable() -> None:
    result = run("check", "--dose-mg", "7", "--times-per-day", "3", "--age", "34", "--continuing")
    assert result.returncode == 1
    assert "Daily dose: 21 mg (7 mg three times a day)" in result.stdout
    assert "DOSE_ABOVE_MAXIMUM" in result.stdout and "critical" in result.stdout
    assert "overdose" in result.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "names"),
    [
        (["--dose-mg", "0", "--times-per-day", "3", "--age", "34"], None, ["--dose-mg", "at least 0.001"]),
        (["--dose-mg", "-1", "--times-per-day", "3", "--age", "34"], None, ["--dose-mg"]),
        (["--dose-mg", "1", "--times-per-day", "3", "--age", "121"], None, ["--age", "at most 120"]),
        (["--dose-mg", "1", "--times-per-day", "0", "--age", "30"], None, ["--times-per-day", "at least 1"]),
        (["--dose-mg", "1,2,3", "--times-per-day", "3", "--age", "30"], None, ["--dose-mg", "not a number"]),
        (["--dose-mg", "1", "--times-per-day", "3"], None, ["missing --age"]),
        (["--case", "/no/such/case.json"], None, ["--case", "not found"]),
        (
            ["--case", "-"],
            '{"patient": {"age_years": 3}, "orders": [{"dose_mg": 1, "times_per_day": 3, "x": 1}]}',
            ["orders[0].x", "unknown field"],
        ),
        (
            ["--case", "-"],
            '{"today": "01/03/2026", "patient": {"age_years": 3}, "orders": [{"dose_mg": 1, "times_per_day": 3}]}',
            ["today", "date"],
        ),
        (["--case", "-"], '{"patient": {"age_years": 3}, "orders": []}', ["orders"]),
        (["--case", "-"], "{not json", ["not valid JSON"]),
        (["--dose-mg", "1", "--times-per-day", "3", "--age", "30", "--label", "nope"], None, ["label", "nope"]),
    ],
)
def test_invalid_input_exits_2_naming_the_field(args: list[str], stdin: str | None, names: list[str]) -> None:
    result = run("check", *args, stdin=stdin)
    assert result.returncode == 2
    for name in names:
        assert name in result.stderr
    assert result.stdout == ""


def test_label_command() -> None:
    table = run("label")
    assert table.returncode == 0
    assert "Standard: 4–8 mg a day in 3 parts" in table.stdout
    data = json.loads(run("label", "--json").stdout)
    assert data["adult_dosing"]["overdose_above"]["daily_mg"] == 20
    assert "clonazepam-leaflet" in run("labels").stdout.split()


def test_help_has_examples() -> None:
    result = run("check", "--help")
    assert result.returncode == 0 and "clonaguard check --dose-mg 2" in result.stdout


def _profile_for(tmp_path: Path, indication: str) -> Path:
    """A profile over the shipped one whose only indication is `indication`, quoted from its own document."""
    sentence = f"In this clinic clonazepam is ordered for {indication} only."
    (tmp_path / "protocol.txt").write_text(f"Clinic protocol.\n\n{sentence}\n", encoding="utf-8")
    profile = tmp_path / f"clinic-{indication}.yaml"
    profile.write_text(
        "extends: clonazepam-leaflet\n"
        f"profile: {{name: clinic-{indication}, title: Clinic protocol, version: '1', document: protocol.txt}}\n"
        f"indications:\n  - {{id: {indication}, statement: {indication.capitalize()}., source: {sentence!r}}}\n"
        # The starting dose names the indications it is given for, which must be this profile's own.
        f"adult_dosing: {{start: {{indications: [{indication}]}}}}\n",
        encoding="utf-8",
    )
    return profile


def test_check_validates_the_indication_against_the_chosen_label(tmp_path: Path) -> None:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    case["indication"] = "panic"
    case_path = tmp_path / "case.json"
    case_path.write_text(json.dumps(case), encoding="utf-8")
    shipped = run("check", "--case", str(case_path), "--json")
    assert shipped.returncode == 0, shipped.stderr
    only_epilepsy = run("check", "--case", str(case_path), "--json", "--label", str(_profile_for(tmp_path, "epilepsy")))
    assert only_epilepsy.returncode == 2, only_epilepsy.stdout
    assert "indication" in only_epilepsy.stderr and "accepted: epilepsy" in only_epilepsy.stderr
    assert "clinic-epilepsy" in only_epilepsy.stderr
    only_panic = run("check", "--case", str(case_path), "--json", "--label", str(_profile_for(tmp_path, "panic")))
    assert only_panic.returncode == 0, only_panic.stderr
    assert as_json(only_panic)["provenance"]["label"] == "clinic-panic"
