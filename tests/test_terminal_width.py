"""Every table the command line prints stays readable from 80 columns up, and piped output is plain text."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable

import pytest
from rich.console import Console

from clonaguard.check import check
from clonaguard.cli.render.label import print_label
from clonaguard.cli.render.plan import print_plan
from clonaguard.cli.render.report import print_report
from clonaguard.cli.render.sig import print_sig
from clonaguard.labels.schema import Label
from clonaguard.plan import Plan
from clonaguard.sig.parser import parse_sig
from tests.cases import make_case
from tests.plan.plans import taper, titration

WIDTHS = (80, 120)
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def _render(width: int, draw: Callable[..., None], *args: object) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, force_terminal=False)
    draw(*args, console=console)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


def _assert_fits(text: str, width: int) -> None:
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text, "a cell was cut"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("make", [lambda label: taper(label), lambda label: titration(label, form="odt")])
def test_plan_tables_show_every_date_whole(label: Label, width: int, make: Callable[[Label], Plan]) -> None:
    plan = make(label)
    text = _render(width, print_plan, plan, label)
    _assert_fits(text, width)
    for step in plan.steps:
        assert str(step.start) in text and str(step.end) in text


@pytest.mark.parametrize("width", WIDTHS)
def test_a_report_with_many_findings_fits(label: Label, width: int) -> None:
    case = make_case(8, 1, 34, patient={"pregnant": True, "alcohol_use": True, "breastfeeding": True})
    report = check(case, label)
    text = _render(width, print_report, report, case)
    _assert_fits(text, width)
    for finding in report.findings:
        assert finding.code in text


@pytest.mark.parametrize("width", WIDTHS)
def test_the_label_and_a_sig_fit(label: Label, width: int) -> None:
    _assert_fits(_render(width, print_label, label), width)
    sig = parse_sig("Klonopin 0,5 mg 1 tab po tid between meals x 10 days then 0.25 mg bid for 2/52 then stop")
    _assert_fits(_render(width, print_sig, sig), width)


def _cli(*args: str, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key not in {"NO_COLOR", "FORCE_COLOR"}}
    done = subprocess.run(
        [sys.executable, "-m", "clonaguard", *args], capture_output=True, text=True, env={**environment, **env}
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


_PLAN = ("plan", "taper", "--from", "2 mg tid", "--start", "2026-12-01")
_CHECK = ("check", "--dose-mg", "2", "--times-per-day", "3", "--age", "34")


@pytest.mark.parametrize("command", [_PLAN, _CHECK])
def test_output_piped_to_a_file_has_no_control_codes(command: tuple[str, ...]) -> None:
    assert "\x1b" not in _cli(*command)


def test_no_color_and_the_no_color_option_leave_out_colour_even_on_a_terminal() -> None:
    assert _COLOUR.search(_cli(*_CHECK, FORCE_COLOR="1")), "the check must be coloured on a terminal to test this"
    for text in (_cli(*_CHECK, FORCE_COLOR="1", NO_COLOR="1"), _cli("--no-color", *_CHECK, FORCE_COLOR="1")):
        colours = [code for code in _COLOUR.findall(text) if re.search(r"\[(3[0-7]|9[0-7]|38)[;m]", code)]
        assert colours == []
