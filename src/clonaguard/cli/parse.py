"""`clonaguard parse`: read free-text sigs into structured fields, one sig or one a line."""

from __future__ import annotations

from typing import Annotated

import typer

from clonaguard.cli.common import JsonFlag, fail


def parse(
    text: Annotated[str | None, typer.Argument(help="The sig, in quotes.", show_default=False)] = None,
    as_json: JsonFlag = False,
    fhir: Annotated[
        bool, typer.Option("--fhir", help="Print a FHIR R4 Dosage as JSON (a list of them for a multi-step sig).")
    ] = False,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help="File with one sig a line (- for standard input): one JSON object a line out."),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", help="With --jsonl: processes reading sigs, output in input order; 1 to 64.", min=1, max=64
        ),
    ] = 1,
) -> None:
    """Read a free-text sig into structured fields; what is not understood is listed, never guessed.

    Exit status: 0 read in full and checkable (every line with --jsonl), 1 any reading not understood or in
    doubt, 2 invalid input, 3 internal error. With --fhir a reading in doubt is a FHIR OperationOutcome listing
    why, never a Dosage.

    [b]Examples[/b]

      clonaguard parse "Klonopin 0,5 mg 1 tab po tid between meals"

      clonaguard parse "0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop" --fhir

      clonaguard parse --jsonl sigs.txt --jobs 2
    """
    from clonaguard.cli.readings import parse_lines, parse_one
    from clonaguard.errors import ClonaguardError

    if as_json and fhir:
        fail("--json and --fhir: choose one")
    if (text is None) == (jsonl is None):
        fail("give either one sig (TEXT) or --jsonl FILE")
    try:
        if jsonl is not None:
            read_in_full = parse_lines(jsonl, fhir, jobs=jobs)
        else:
            assert text is not None
            read_in_full = parse_one(text, as_json, fhir)
    except ClonaguardError as exc:
        fail(str(exc))
    raise typer.Exit(0 if read_in_full else 1)
