"""`clonaguard parse --jsonl -` end to end: byte for byte the JSON lines a plain loop over the public reading API
writes, for the labelled sigs, the hostile ones and the EHR ones, repeats included, with one process or two."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clonaguard.errors import ClonaguardError
from clonaguard.sig import parse_sig, to_fhir_dosage, uncertainties
from clonaguard.sig.fhir import doubt_outcome

SIGS = Path(__file__).parent / "sig"


def _texts() -> list[str]:
    texts = []
    for name in ("corpus", "adversarial", "ehr"):
        for line in (SIGS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(str(row.get("sig") or row.get("text") or "").replace("\n", " ").replace("\r", " "))
    return [*texts, *texts[:50], "", "x" * 300, "x" * 300]  # repeats, short and long


def _reference(text: str, fhir: bool) -> tuple[Any, bool]:
    """What one line must hold (the reading with `checkable` and `uncertainties`, or its FHIR form), and whether
    the sig can be checked as written."""
    try:
        parsed = parse_sig(text)
    except ClonaguardError as exc:
        problems = [str(exc)]
        if fhir:
            return doubt_outcome(problems), False
        return {"text": text[:200], "errors": problems, "checkable": False, "uncertainties": problems}, False
    problems = uncertainties(parsed)
    if not fhir:
        return {**parsed.model_dump(mode="json"), "checkable": not problems, "uncertainties": problems}, not problems
    if problems:
        return doubt_outcome(problems), False
    dosages = [dosage.model_dump(mode="json", exclude_none=True) for dosage in to_fhir_dosage(parsed)]
    return (dosages[0] if not parsed.is_multi_step and len(dosages) == 1 else dosages), True


@pytest.mark.parametrize(("fhir", "jobs"), [(False, "1"), (False, "2"), (True, "1")])
def test_jsonl_lines_are_the_plain_readings_byte_for_byte(fhir: bool, jobs: str) -> None:
    texts = _texts()
    command = [sys.executable, "-m", "clonaguard", "parse", "--jsonl", "-", "--jobs", jobs, *(["--fhir"] * fhir)]
    result = subprocess.run(command, input="\n".join(texts) + "\n", capture_output=True, text=True, timeout=120)
    expected = [_reference(text, fhir) for text in texts]
    written = "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row, _ in expected)
    assert result.stdout == written
    assert result.returncode == 1, result.stderr  # some are in doubt
    readable = [text for text, (_, checkable) in zip(texts, expected, strict=True) if checkable]
    assert len(readable) > 100
    again = subprocess.run(command, input="\n".join(readable), capture_output=True, text=True, timeout=120)
    assert (again.returncode, again.stdout.count("\n")) == (0, len(readable)), again.stderr
