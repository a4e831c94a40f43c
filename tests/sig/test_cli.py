"""`clonaguard parse` and `clonaguard check SIG`, end to end as a separate process."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli_check import run


def test_parse_prints_a_readable_reading() -> None:
    result = run("parse", "Klonopin 0,5 mg 1 tab po tid between meals")
    assert result.returncode == 0, result.stderr
    assert "1 tablet (0.5 mg)" in result.stdout
    assert "three times a day" in result.stdout
    assert "Read in full" in result.stdout


def test_parse_json_has_exactly_the_documented_fields() -> None:
    result = run("parse", "1 tab q8h prn panic, max 3/day", "--json")
    data = json.loads(result.stdout)
    assert set(data) >= {
        "text", "drug", "strength_mg", "dose", "dose_mg", "timing", "times_per_day", "as_needed", "as_needed_for",
        "as_directed", "route", "duration", "max_per_day", "steps", "unparsed", "errors",
    }  # fmt: skip
    assert data["as_needed_for"] == "panic"
    assert data["timing"]["period"] == 8
    assert result.returncode == 1  # no strength: the dose in mg is unknown


def test_parse_fhir_is_one_dosage_or_a_list_for_several_steps() -> None:
    result = run("parse", "0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop", "--fhir")
    assert result.returncode == 0, result.stderr
    dosages = json.loads(result.stdout)
    assert [d["sequence"] for d in dosages] == [1, 2]
    single = json.loads(run("parse", "0.5 mg tid", "--fhir").stdout)
    assert single["timing"]["repeat"]["frequency"] == 3
    assert single["doseAndRate"][0]["doseQuantity"]["value"] == 0.5


def test_parse_jsonl_reads_one_sig_a_line(tmp_path: Path) -> None:
    sigs = tmp_path / "sigs.txt"
    sigs.write_text("0.5 mg tid\n\n1 tab bd\n", encoding="utf-8")
    result = run("parse", "--jsonl", str(sigs))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == ["0.5 mg tid", "", "1 tab bd"]
    assert lines[1]["errors"] == ["the sig is empty"]
    from_stdin = run("parse", "--jsonl", "-", stdin="0.5 mg tid\n")
    assert json.loads(from_stdin.stdout)["dose_mg"] == {"min": 0.5, "max": 0.5}


def test_parse_refuses_bad_invocations_with_status_2() -> None:
    assert run("parse").returncode == 2
    assert run("parse", "0.5 mg tid", "--json", "--fhir").returncode == 2
    missing = run("parse", "--jsonl", "/nonexistent/sigs.txt")
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_check_takes_a_sig() -> None:
    result = run("check", "Klonopin 0,5 mg tid", "--age", "34", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["provenance"]["label"] == "clonazepam-leaflet"
    del answer["provenance"]
    assert answer == {"daily_dose_mg": 1.5, "dose_basis": "scheduled", "findings": [], "alternative": None}
    high = run("check", "clonazepam 2 mg tid", "--age", "34", "--json")  # a new course starting high
    assert high.returncode == 1


def test_check_refuses_an_uncertain_sig_with_status_2() -> None:
    result = run("check", "Klonopin 1-2 tabs tid", "--age", "34")
    assert result.returncode == 2
    assert "SIG: could not be read with certainty" in result.stderr
    assert "a dose range (1-2 tablets)" in result.stderr


def test_check_refuses_a_sig_and_a_dose_together() -> None:
    result = run("check", "0.5 mg tid", "--dose-mg", "0.5", "--times-per-day", "3", "--age", "34")
    assert result.returncode == 2
    assert "not both" in result.stderr
