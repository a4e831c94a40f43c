"""check(case, label) -> Report: the one entry point every adapter calls."""

from __future__ import annotations

import json
from datetime import date
from operator import attrgetter
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json

from clonaguard.errors import InvalidInputError
from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Report
from clonaguard.rules import applicable_rules
from clonaguard.sig.case import expand_case
from clonaguard.validation import describe_errors, validate_input


def check(case: Case, label: Label | None = None) -> Report:
    """Run every rule on the case; findings come most severe first, in rule order within a severity.

    Only the rules that can find anything in the case run (see `clonaguard.rules.applicable_rules`).
    """
    label = label or load_label()
    findings: list[Finding] = []
    for rule in applicable_rules(label, case):
        findings.extend(rule(label, case))
    if len(findings) > 1:
        findings.sort(key=_RANK, reverse=True)  # a stable sort, reversed or not: equal ranks keep the rules' order
    order = case.checked_order
    return Report(order.daily_dose_mg, tuple(findings), order.dose_basis)


_RANK = attrgetter("severity.rank")  # a finding's rank, read without a Python call of our own per finding


def parse_case(data: str | bytes | dict[str, Any], label: Label | None = None, *, today: date | None = None) -> Case:
    """Read a case given as JSON text or a parsed object: sigs first, then the model, against a label.

    Sig orders become structured orders (steps dated from `today` when neither the order nor the case gives a
    date), and `today` is the case's date when it gives none (without either, `today` is a missing field). The
    adapters choose `today`: the command line passes the local date, the service the UTC date (see
    docs/explanation/architecture.md). Errors name each field at fault (a sig's at `orders[i].sig`); the label
    (the default profile when None) is what an `indication` must be one of.
    """
    context = {"label": label or load_label()}
    if not isinstance(data, dict) and _as_it_stands(data, today):
        try:
            return Case.model_validate_json(data, context=context)
        except ValidationError:
            pass  # read again below, so the error is worded as it always was
    if not isinstance(data, dict):
        try:
            data = _json_value(data)
        except ValueError:
            return validate_input(Case, data, context)  # worded as any other invalid JSON
        if not isinstance(data, dict):
            return validate_input(Case, json.dumps(data), context)
    if today is not None:
        data = {"today": today, **data}
    try:
        data = expand_case(data)
    except ValidationError as exc:
        raise InvalidInputError(describe_errors(exc, Case)) from exc
    return validate_input(Case, data, context)


def _as_it_stands(text: str | bytes, today: date | None) -> bool:
    """Whether a JSON text is the model's input as it stands, so pydantic can read and validate it in one pass.

    So it is when it has no sig for `expand_case` to read (no `sig`, nor an escape that could spell one) and no
    `today` to add (none is given, or the text may give its own, which wins). A text this lets through wrongly
    (`"today"` only as a value) fails validation and is read again the usual way, so no error changes.
    """
    if isinstance(text, bytes):  # searched as text, which is quicker than searching the bytes
        try:
            text = text.decode()
        except UnicodeDecodeError:
            return False
    return "sig" not in text and "\\" not in text and (today is None or '"today"' in text)


def _json_value(text: str | bytes) -> Any:
    """The value of a JSON text: read by pydantic's fast reader, and by `json` when that refuses it (a byte-order
    mark, a lone surrogate), so what `json` accepts is accepted as before."""
    try:
        return from_json(text)
    except ValueError:
        return json.loads(text)
