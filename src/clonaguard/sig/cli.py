"""The `clonaguard parse` adapter: one sig to text, JSON or FHIR; or one sig a line to JSON lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from clonaguard.errors import ClonaguardError, InvalidInputError
from clonaguard.sig.fhir import to_fhir_dosage
from clonaguard.sig.model import ParsedSig
from clonaguard.sig.orders import uncertainties
from clonaguard.sig.parser import parse_sig
from clonaguard.textinput import read_lines


def _as_json(parsed: ParsedSig, fhir: bool) -> Any:
    if fhir:
        dosages = [dosage.model_dump(mode="json", exclude_none=True) for dosage in to_fhir_dosage(parsed)]
        return dosages if parsed.is_multi_step else dosages[0]  # one Dosage; a list of them for several steps
    return parsed.model_dump(mode="json")


def parse_one(text: str, as_json: bool, fhir: bool) -> bool:
    """Print one sig's reading; True when it can be checked as written (nothing unparsed, no doubt)."""
    parsed = parse_sig(text)
    if as_json or fhir:
        print(json.dumps(_as_json(parsed, fhir), ensure_ascii=False, indent=2))
    else:
        from clonaguard.sig.render import print_sig

        print_sig(parsed)
    return not uncertainties(parsed)


def _lines(path: str) -> Iterable[str]:
    if path == "-":
        return sys.stdin
    file = Path(path)
    if not file.is_file():
        raise InvalidInputError(f"--jsonl: file {path!r} not found")
    return file.open(encoding="utf-8")


def parse_lines(path: str, fhir: bool, out: TextIO | None = None) -> None:
    """One JSON object a line for each input line (an unreadable line gives an object with its error)."""
    out = out or sys.stdout
    lines = read_lines(path, "--jsonl")
    try:
        for line in lines:
            text = line.rstrip("\r\n")
            try:
                result = _as_json(parse_sig(text), fhir)
            except ClonaguardError as exc:
                result = {"text": text[:200], "errors": [str(exc)]}
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if hasattr(lines, "close") and lines is not sys.stdin:
            lines.close()
