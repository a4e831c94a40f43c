"""A run that names its command builds an application of that command alone: the same help, the same errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clonaguard.cli import app
from clonaguard.cli.app import _command_named, build_app

COMMANDS = ["check", "parse", "label", "labels", "serve", "plan", "simulate"]


@pytest.mark.parametrize(
    "args",
    [
        *([name, "--help"] for name in COMMANDS),
        ["plan", "taper", "--help"],
        ["check", "--bogus"],
        ["check", "--age", "old"],
        ["plan", "nope"],
        ["--no-color", "labels"],
    ],
)
def test_the_named_command_alone_answers_as_the_whole_application(args: list[str]) -> None:
    runner = CliRunner()
    whole = runner.invoke(app, args, terminal_width=100, env={"COLUMNS": "100"})
    alone = runner.invoke(build_app(_command_named(args)), args, terminal_width=100, env={"COLUMNS": "100"})
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    assert whole.output


def test_only_a_known_command_after_the_global_options_is_built_alone() -> None:
    assert [_command_named(args) for args in (["--no-color", "plan", "taper"], ["chek"], ["--version"], [])] == [
        "plan",
        None,
        None,
        None,
    ]
