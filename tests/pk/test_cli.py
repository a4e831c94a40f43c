"""`clonaguard simulate`: the JSON of the issue, charts by extension, exit 2 naming the option on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clonaguard.cli import app

runner = CliRunner()
SIG = ["simulate", "--sig", "0.5 mg tid", "--weight", "70", "--days", "21"]
KEYS = {"model", "parameters", "times_h", "concentration_ng_ml", "summary", "notice"}
CASE = {
    "today": "2026-03-01",
    "patient": {"age_years": 34, "weight_kg": 70},
    "orders": [{"start": "2026-01-01", "dose_mg": 1, "times_per_day": 3}],
    "stop": "2026-02-01",
}


def test_json_has_the_issues_shape_and_says_it_is_a_prediction() -> None:
    result = runner.invoke(app, [*SIG, "--at", "24,168,504", "--json"])
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == KEYS
    assert body["times_h"] == [24.0, 168.0, 504.0]
    levels = body["concentration_ng_ml"]
    assert levels[0] < levels[1] < levels[2]  # still rising after a day, near steady state after a week
    assert set(body["summary"]) == {
        "time_to_90pct_steady_state_h",
        "fraction_in_range",
        "fraction_below",
        "fraction_above",
    }
    assert body["notice"].startswith("Model prediction, not a measured level")


def test_a_population_adds_ordered_percentiles_reproducibly() -> None:
    args = [*SIG, "--at", "24,168,504", "--population", "300", "--seed", "1", "--json"]
    first, second = (json.loads(runner.invoke(app, args).stdout) for _ in range(2))
    assert first == second
    low, middle, high = (first["percentiles"][key] for key in ("5", "50", "95"))
    assert all(a < b < c for a, b, c in zip(low, middle, high, strict=True))


def test_the_table_carries_the_notice() -> None:
    result = runner.invoke(app, SIG)
    assert result.exit_code == 0
    assert "Model prediction, not a measured level" in result.stdout


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_a_chart_is_written_in_the_format_of_its_extension(tmp_path: Path, suffix: str, magic: bytes) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE), encoding="utf-8")
    chart = tmp_path / f"levels{suffix}"
    result = runner.invoke(app, ["simulate", "--case", str(case), "--png", str(chart), "--json"])
    assert result.exit_code == 0, result.stderr
    assert chart.read_bytes().startswith(magic)
    body = json.loads(result.stdout)
    assert body["taper"]["summary"]["fraction_in_range"] > body["summary"]["fraction_in_range"]


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--weight", "-70"], "--weight"),
        (["--population", "0"], "--population"),
        (["--at", "600"], "--at"),
        (["--at", "2x"], "--at"),
        (["--days", "0"], "--days"),
        (["--model", "3cmt"], "--model"),
        (["--model", "2cmt"], "--q"),
        (["--png", "levels.jpg"], "--png/--svg"),
        (["--seed", "1"], "--seed"),
    ],
)
def test_bad_input_exits_2_naming_the_option(extra: list[str], option: str) -> None:
    result = runner.invoke(app, [*SIG, *extra])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {option}")


def test_a_case_with_an_order_before_its_history_names_the_case(tmp_path: Path) -> None:
    bad = tmp_path / "case.json"
    bad.write_text(json.dumps({**CASE, "orders": [{"start": "2026-01-01", "dose_mg": 0, "times_per_day": 3}]}))
    result = runner.invoke(app, ["simulate", "--case", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --case: orders[0].dose_mg")


def test_check_starts_without_numpy_or_matplotlib() -> None:
    code = "import sys, clonaguard.cli; print(sorted({'numpy', 'matplotlib'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
