"""The `clonaguard parse` adapter: one sig to text, JSON or FHIR; or one sig a line to JSON lines."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from clonaguard.errors import ClonaguardError
from clonaguard.sig.fhir import doubt_outcome, to_fhir_dosage
from clonaguard.sig.model import ParsedSig
from clonaguard.sig.orders import uncertainties
from clonaguard.sig.parser import parse_sig
from clonaguard.textinput import read_lines


def _as_json(parsed: ParsedSig, fhir: bool) -> tuple[Any, bool]:
    """The reading as JSON (with `checkable` and `uncertainties`) or FHIR, and whether it is checkable."""
    problems = uncertainties(parsed)
    if fhir:
        if problems:
            return doubt_outcome(problems), False
        dosages = [dosage.model_dump(mode="json", exclude_none=True) for dosage in to_fhir_dosage(parsed)]
        single = not parsed.is_multi_step and len(dosages) == 1
        return (dosages[0] if single else dosages), True  # a list of Dosages for several steps or parts
    return {**parsed.model_dump(mode="json"), "checkable": not problems, "uncertainties": problems}, not problems


def parse_one(text: str, as_json: bool, fhir: bool) -> bool:
    """Print one sig's reading; True when it can be checked as written (nothing unparsed, no doubt)."""
    parsed = parse_sig(text)
    if as_json or fhir:
        print(json.dumps(_as_json(parsed, fhir)[0], ensure_ascii=False, indent=2))
    else:
        from clonaguard.sig.render import print_sig

        print_sig(parsed)
    return not uncertainties(parsed)


def parse_lines(path: str, fhir: bool, out: TextIO | None = None) -> bool:
    """One JSON object a line for each input line (an unreadable line gives an object with its error).

    True when every line was read with certainty (the command's exit status 0).
    """
    out = out or sys.stdout
    lines = read_lines(path, "--jsonl")
    all_checkable = True
    for text in lines:
        try:
            result, checkable = _as_json(parse_sig(text), fhir)
        except ClonaguardError as exc:
            problems = [str(exc)]
            result = (
                doubt_outcome(problems)
                if fhir
                else {"text": text[:200], "errors": problems, "checkable": False, "uncertainties": problems}
            )
            checkable = False
        all_checkable = all_checkable and checkable
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return all_checkable
