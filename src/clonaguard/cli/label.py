"""`clonaguard label` and `clonaguard labels`: the label profiles, each statement with its source."""

from __future__ import annotations

import typer

from clonaguard.cli.common import JsonFlag, LabelOption, fail


def show_label(as_json: JsonFlag = False, label: LabelOption = "clonazepam-leaflet") -> None:
    """Show the label profile as structured information, each statement with its source.

    [b]Example[/b]

      clonaguard label --json
    """
    from clonaguard.errors import ClonaguardError
    from clonaguard.labels.load import load_label

    try:
        profile = load_label(label)
    except ClonaguardError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(profile.model_dump_json(indent=2))
    else:
        from clonaguard.cli.render.label import print_label

        print_label(profile)


def list_labels() -> None:
    """List the label profiles shipped with clonaguard."""
    from clonaguard.labels.load import available_labels

    for name in available_labels():
        typer.echo(name)
