"""The Typer application: global options, every command registered, and the console-script entry point.

The command modules import only Typer at start-up; each imports the domain it needs when it runs. A run that
names its command builds an application of that command alone (the same options, help and errors).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from clonaguard.cli.check import check
from clonaguard.cli.common import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK
from clonaguard.cli.label import list_labels, show_label
from clonaguard.cli.parse import parse
from clonaguard.cli.plan import app as plan_app
from clonaguard.cli.serve import serve
from clonaguard.cli.simulate import app as simulate_app


def _print_version(value: bool) -> None:
    if value:
        from clonaguard import __version__

        typer.echo(f"clonaguard {__version__}")
        raise typer.Exit()


def options(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in the output (as NO_COLOR=1 does).")] = False,
) -> None:
    """Options for every command."""
    if no_color:
        os.environ["NO_COLOR"] = "1"  # read by every Rich console created after this


_COMMANDS: dict[str, Callable[..., None]] = {
    "check": check,
    "parse": parse,
    "label": show_label,
    "labels": list_labels,
    "serve": serve,
}
_GROUPS = {"plan": plan_app, "simulate": simulate_app}


def build_app(only: str | None = None) -> typer.Typer:
    """The application with every command, or with only the one named: Click builds the options of every
    command an application holds before it runs one, so a run that names its command builds just that one's."""
    application = typer.Typer(
        help="Check clonazepam orders against the Klonopin leaflet, each finding citing its sentence.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )
    application.callback()(options)
    for name, command in _COMMANDS.items():
        if only in (None, name):
            application.command(name)(command)
    for name, group in _GROUPS.items():
        if only in (None, name):
            application.add_typer(group, name=name)
    return application


app = build_app()


def _command_named(args: list[str]) -> str | None:
    """The command a command line runs (after any --no-color), or None when it names none we know."""
    first = next((arg for arg in args if arg != "--no-color"), None)
    return first if first in _COMMANDS or first in _GROUPS else None


def _status(exc: SystemExit) -> int:
    return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_INTERNAL)


def main() -> None:
    """Console-script entry point: every failure ends with one line on stderr and its exit status; an error
    nobody raised on purpose is an internal error (3), never mistaken for a finding (1)."""
    command = _command_named(sys.argv[1:])
    if command != "serve":  # no pydantic plugin is of use to a short run; the service may want them
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        build_app(command)() if command else app()
        status = EXIT_OK
    except SystemExit as exc:
        status = _status(exc)
    except UnicodeDecodeError as exc:
        typer.echo(f"Error: the input is not UTF-8 text ({exc.reason} at byte {exc.start})", err=True)
        status = EXIT_INVALID
    except KeyboardInterrupt:
        status = 130
    except OSError as exc:
        where = f"file {exc.filename}" if exc.filename else "the output"
        typer.echo(f"Error: {where} could not be read or written ({exc.strerror or type(exc).__name__})", err=True)
        status = EXIT_INTERNAL
    except Exception as exc:
        typer.echo(f"Internal error: {type(exc).__name__}; please report it with the command that caused it", err=True)
        status = EXIT_INTERNAL
    sys.exit(_flushed(status))


def _flushed(status: int) -> int:
    """Output written to a full disk or a closed pipe fails only here, at the flush: say so, exit 3."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more may reach the failed stream
        typer.echo(f"Error: the output could not be written ({exc.strerror or type(exc).__name__})", err=True)
        return EXIT_INTERNAL
    return status
