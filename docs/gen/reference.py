"""Reference pages generated from the sources at every `mkdocs build`, so they cannot drift from the code.

Run by the mkdocs-gen-files plugin: labels (from each shipped label file), finding codes (from the code table),
the command line (from the Typer app), the HTTP API (from the OpenAPI document), configuration (from the
settings model) and the case format (from its JSON Schema).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import mkdocs_gen_files
import typer
from pydantic.fields import FieldInfo
from typer.cli import get_docs_for_click

from clonaguard.cdshooks.discovery import discovery
from clonaguard.cli import app as cli_app
from clonaguard.labels.load import available_labels, load_label
from clonaguard.model import FINDING_CODES, Case
from clonaguard.service.app import create_app
from clonaguard.service.settings import Settings

Row = tuple[str, ...]


def cell(value: object) -> str:
    """One Markdown table cell: line breaks folded, pipes escaped outside code spans (tables leave those alone)."""
    parts = " ".join(str(value).split()).split("`")
    return "`".join(part if index % 2 else part.replace("|", "\\|") for index, part in enumerate(parts))


def table(header: Row, rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write(path: str, text: str) -> None:
    with mkdocs_gen_files.open(path, "w") as page:
        page.write(text)


# Labels ---------------------------------------------------------------------------------------------------------

_CITES = ("source", "sources", "reference")


def _number(value: Any) -> str | None:
    if isinstance(value, dict) and set(value) == {"min", "max"}:
        return f"{value['min']:g}–{value['max']:g}"
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list) and value and all(isinstance(item, int | float) for item in value):
        return ", ".join(f"{item:g}" for item in value)
    return None


def _quote(value: str | list[str]) -> str:
    return " ".join(value) if isinstance(value, list) else value


_WORDS = ("statement", "advice", "description", "instructions", "caveat")


def _value(value: Any) -> str | None:
    """A value worth showing beside the statement: a number, a range, a code, a list of either."""
    if isinstance(value, str) and len(value) <= 40:
        return value
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return _number(value)


def _statements(node: Any, path: tuple[str, ...] = ()) -> Iterator[Row]:
    """Every entry of the label that cites something: its path, kind, values, statement and what it cites."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            name = item.get("id", str(index)) if isinstance(item, dict) else str(index)
            yield from _statements(item, (*path, name))
        return
    if not isinstance(node, dict):
        return
    cited = [key for key in node if key in _CITES or key.endswith("_source")]
    if cited:
        shown = [key for key in node if key not in cited and key not in _WORDS and key not in {"id", "policy"}]
        values = [f"{key} {text}" for key in shown if (text := _value(node[key])) is not None]
        words = [node[key] for key in _WORDS if isinstance(node.get(key), str)]
        quotes = [f"{'Reference' if key == 'reference' else 'Leaflet'}: “{_quote(node[key])}”" for key in cited]
        kind = "policy" if node.get("policy") else "leaflet" if set(cited) != {"reference"} else "reference"
        yield (f"`{'.'.join(path)}`", kind, "; ".join(values), " ".join(words), "<br>".join(quotes))
    for key, value in node.items():
        if isinstance(value, dict | list) and _value(value) is None:
            yield from _statements(value, (*path, key))


def label_pages() -> None:
    for name in available_labels():
        label = load_label(name)
        profile = label.profile
        rows = list(_statements(label.model_dump(mode="json", exclude={"profile"})))
        write(
            f"reference/labels/{name}.md",
            f"# Label: {profile.title}\n\n"
            f"Profile `{profile.name}`, quoting [{profile.document}]({profile.url}). Every entry below is read "
            f"from `labels/{name}.yaml`; each `Leaflet` sentence is checked, when the label loads, to appear verbatim "
            "in the document. Entries marked *policy* carry numbers the leaflet does not give, with their "
            "reference; *reference* entries come from the coding systems named.\n\n"
            + table(("Entry", "Kind", "Values", "Statement", "Cites"), rows)
            + f"\nThe same on the command line: `clonaguard label --label {name}` (`--json` for every field).\n",
        )


# Finding codes --------------------------------------------------------------------------------------------------


def finding_codes_page() -> None:
    rows = [
        (f"`{code}`", info.severity, info.dur_code, info.hl7_code or "—", info.meaning)
        for code, info in FINDING_CODES.items()
    ]
    write(
        "reference/finding-codes.md",
        "# Finding codes\n\n"
        "Every finding a check reports, from the code table in `clonaguard.model`. *NCPDP* is the NCPDP DUR "
        "reason-for-service code; *HL7* the HL7 v3 `DosageProblem` code where one fits. The severity follows the "
        "CDS Hooks indicator vocabulary (info < warning < critical); a check exits 1 when any finding is a warning "
        "or critical. The numbers each rule uses are those of the [label](labels/clonazepam-leaflet.md).\n\n"
        + table(("Code", "Severity", "NCPDP", "HL7", "Meaning"), rows),
    )


# Command line ---------------------------------------------------------------------------------------------------


def _examples_as_code(text: str) -> str:
    """Typer help shows examples as indented lines under [b]Examples[/b]; in Markdown they become console blocks."""
    out: list[str] = []
    for line in text.replace("[b]", "**").replace("[/b]", "**").splitlines():
        if line.startswith("  clonaguard") or line.startswith("  CLONAGUARD_"):
            out += ["```console", f"$ {line.strip()}", "```"]
        else:
            out.append(line)
    return "\n".join(out)


def cli_page() -> None:
    command = typer.main.get_command(cli_app)
    context = typer.Context(command, info_name="clonaguard")
    text = get_docs_for_click(obj=command, ctx=context, name="clonaguard", title="Command line: `clonaguard`")
    write(
        "reference/cli.md",
        _examples_as_code(text)
        + "\nShell completion: `clonaguard --install-completion` installs it for the current shell (bash, zsh, "
        "fish or PowerShell); `clonaguard --show-completion` prints the script to install by hand.\n",
    )


# HTTP API -------------------------------------------------------------------------------------------------------


def _schema_name(body: dict[str, Any]) -> str:
    for media in body.get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref:
            return f"`{ref.rsplit('/', 1)[-1]}`"
    return "—"


def api_page() -> None:
    # An in-memory app, quiet about its authentication being off.
    document = create_app(Settings(database_url="sqlite://", log_level="ERROR")).openapi()
    write("reference/openapi.json", json.dumps(document, indent=2, ensure_ascii=False))
    sections: dict[str, list[str]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            lines = [f"### `{method.upper()} {path}`\n", operation.get("description", operation.get("summary", "")), ""]
            parameters = [
                (f"`{p['name']}`", p["in"], "yes" if p.get("required") else "no", p.get("description", ""))
                for p in operation.get("parameters", [])
            ]
            if parameters:
                lines.append(table(("Parameter", "In", "Required", "Meaning"), parameters))
            if "requestBody" in operation:
                lines.append(f"Body: {_schema_name(operation['requestBody'])} (JSON).\n")
            responses = [(status, answer.get("description", "")) for status, answer in operation["responses"].items()]
            lines.append(table(("Status", "Meaning"), responses))
            sections.setdefault(operation.get("tags", ["other"])[0], []).append("\n".join(lines))
    body = "".join(f"## {tag}\n\n" + "\n".join(items) + "\n" for tag, items in sections.items())
    write(
        "reference/http-api.md",
        "# HTTP API: REST and CDS Hooks\n\n"
        f"Generated from the service's OpenAPI document (version {document['info']['version']}), which is also "
        "[here as JSON](openapi.json) and served by a running service at `/openapi.json`, with interactive "
        "documentation at `/docs`. The schemas of every body are in that document.\n\n"
        "Every error is a FHIR `OperationOutcome` whose `diagnostics` name the field at fault: 400 body not JSON, "
        "401 authentication, 404 unknown service, label, card or route, 412 prefetch missing, 413 body too large, "
        "422 invalid content (including invalid FHIR, with `expression` naming where).\n\n" + body,
    )


def cds_services_section() -> None:
    """Appended to the written page reference/cds-hooks.md: the services and prefetch of the discovery document."""
    services = discovery()["services"]
    parts = ["\n## Services and prefetch\n\nFrom the discovery document (`GET /cds-services`).\n"]
    for service in services:
        parts.append(f"\n### `{service['id']}` (hook `{service['hook']}`)\n\n{service['description']}\n\n")
        parts.append(table(("Prefetch key", "Query"), [(f"`{k}`", f"`{q}`") for k, q in service["prefetch"].items()]))
    with mkdocs_gen_files.open("reference/cds-hooks.md", "a") as page:
        page.write("".join(parts))


# Configuration --------------------------------------------------------------------------------------------------


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        return "empty"
    return "none" if field.default is None else f"`{field.default}`"


def _limits(field: FieldInfo) -> str:
    bounds = []
    for item in field.metadata:
        for name, word in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            if (value := getattr(item, name, None)) is not None:
                bounds.append(f"{word} {value:,}")
    return ", ".join(bounds)


def configuration_page() -> None:
    prefix = Settings.model_config.get("env_prefix", "")
    rows = [
        (f"`{prefix}{name.upper()}`", _default(field), _limits(field), field.description or "")
        for name, field in Settings.model_fields.items()
    ]
    write(
        "reference/configuration.md",
        "# Configuration\n\n"
        "`clonaguard serve` (and `make run`) read these environment variables, from the settings model "
        "`clonaguard.service.settings.Settings`. Lists and objects are given as JSON. A value outside its range "
        "stops the service at start with exit status 2, naming the variable.\n\n"
        + table(("Variable", "Default", "Accepted", "Meaning"), rows),
    )


# Case format ----------------------------------------------------------------------------------------------------


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in schema:
        return " or ".join(_type(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " or ".join(f'`"{value}"`' for value in schema["enum"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    kind = schema.get("type", "any")
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def _accepted(schema: dict[str, Any]) -> str:
    words = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "minItems": "items ≥", "maxItems": "items ≤",
             "maxLength": "length ≤"}  # fmt: skip
    found = [f"{word} {schema[key]:g}" for key, word in words.items() if key in schema]
    for option in schema.get("anyOf", []):
        found += [f"{word} {option[key]:g}" for key, word in words.items() if key in option]
    return ", ".join(found)


def _object_table(name: str, schema: dict[str, Any]) -> str:
    required = set(schema.get("required", []))
    rows = [
        (
            f"`{field}`",
            _type(spec),
            "yes" if field in required else "no",
            json.dumps(spec["default"]) if "default" in spec else "",
            _accepted(spec),
            spec.get("description", ""),
        )
        for field, spec in schema["properties"].items()
    ]
    intro = f"{schema['description']} " if "description" in schema else ""
    extra = "Unknown fields are refused." if schema.get("additionalProperties") is False else ""
    return f"## {name}\n\n{intro}{extra}\n\n" + table(
        ("Field", "Type", "Required", "Default", "Accepted", "Meaning"), rows
    )


def case_format_page() -> None:
    schema = Case.model_json_schema()
    write("reference/case.schema.json", json.dumps(schema, indent=2, ensure_ascii=False))
    parts = [_object_table("Case", schema)]
    parts += [_object_table(name, definition) for name, definition in schema.get("$defs", {}).items()]
    write(
        "reference/case-format.md",
        "# Case format\n\n"
        "The JSON that `clonaguard check --case` and `POST /v1/check` read, generated from its "
        "[JSON Schema](case.schema.json). An order gives either `dose_mg` and `times_per_day` or a free-text `sig` "
        "(read before validation: a multi-step sig becomes several orders). Dates are `YYYY-MM-DD`.\n\n"
        + "\n".join(parts),
    )


label_pages()
finding_codes_page()
cli_page()
api_page()
cds_services_section()
configuration_page()
case_format_page()
