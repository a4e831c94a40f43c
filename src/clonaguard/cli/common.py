"""What every command shares: exit statuses, the invalid-input exit, the command line's "today", common options."""

from __future__ import annotations

from datetime import date
from typing import Annotated, NoReturn

import typer

# Exit statuses of every command (docs/reference/exit-codes.md).
EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3

LabelOption = Annotated[str, typer.Option("--label", help="Label profile: a shipped name or a path to a YAML file.")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str) -> NoReturn:
    """Invalid input: say what is wrong on stderr and exit with status 2."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(EXIT_INVALID)


def local_today() -> date:
    """The command line's "today": the local date of the machine it runs on (the service uses the UTC date).

    A case without `today` is checked on this date, and sigs without a start date are dated from it.
    """
    return date.today()
