"""Sig readings out: one sig to text, JSON or FHIR; or one sig a line to JSON lines (in a process pool with --jobs)."""

from __future__ import annotations

import json
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from itertools import islice
from typing import Any, TextIO

import orjson

from clonaguard.errors import ClonaguardError
from clonaguard.sig.model import ParsedSig
from clonaguard.sig.orders import uncertainties
from clonaguard.sig.parser import parse_sig
from clonaguard.textinput import read_lines

_CHUNK = 2_000  # sigs a process reads at a time with --jobs
_KEPT_LENGTH = 256  # lines up to this long keep their result for a repeat (at most 4,096 of them, a few MB)


def _as_json(parsed: ParsedSig, fhir: bool) -> tuple[Any, bool]:
    """The reading as JSON (with `checkable` and `uncertainties`) or FHIR, and whether it is checkable."""
    problems = uncertainties(parsed)
    if fhir:
        from clonaguard.sig.fhir import doubt_outcome, to_fhir_dosage  # FHIR models load in ~0.25 s: only for --fhir

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
        from clonaguard.cli.render.sig import print_sig

        print_sig(parsed)
    return not uncertainties(parsed)


def _line_result(text: str, fhir: bool) -> tuple[str, bool]:
    """One input line's JSON line (an unreadable sig gives an object with its error) and whether it is checkable."""
    return _kept_line_result(text, fhir) if len(text) <= _KEPT_LENGTH else _read_line(text, fhir)


@lru_cache(maxsize=4096)
def _kept_line_result(text: str, fhir: bool) -> tuple[str, bool]:
    """The same, kept for the lines that repeat, as a day's sigs do (a reading depends on its text alone)."""
    return _read_line(text, fhir)


def _read_line(text: str, fhir: bool) -> tuple[str, bool]:
    try:
        parsed = parse_sig(text)
    except ClonaguardError as exc:
        problems = [str(exc)]
        result = (
            _doubt_outcome(problems)
            if fhir
            else {"text": text[:200], "errors": problems, "checkable": False, "uncertainties": problems}
        )
        return orjson.dumps(result).decode() + "\n", False
    if fhir:
        result, checkable = _as_json(parsed, fhir)
        return orjson.dumps(result).decode() + "\n", checkable
    # The text of _as_json's object without building it: the reading's own JSON, then the two keys it adds.
    problems = uncertainties(parsed)
    added = f',"checkable":{"false" if problems else "true"},"uncertainties":{orjson.dumps(problems).decode()}}}'
    return parsed.model_dump_json()[:-1] + added + "\n", not problems


def _doubt_outcome(problems: list[str]) -> dict[str, Any]:
    """The OperationOutcome of an unreadable line with --fhir (the FHIR models load only then)."""
    from clonaguard.sig.fhir import doubt_outcome

    return doubt_outcome(problems)


def _chunk_results(texts: list[str], fhir: bool) -> tuple[str, bool]:
    """The JSON lines of a chunk of input lines, joined, and whether every one is checkable."""
    results = [_line_result(text, fhir) for text in texts]
    return "".join(line for line, _ in results), all(checkable for _, checkable in results)


def _in_pool(lines: Iterator[str], fhir: bool, jobs: int) -> Iterator[tuple[str, bool]]:
    """The results of `jobs` processes, in input order; at most two chunks a process are in flight (bounded memory)."""
    with ProcessPoolExecutor(jobs) as pool:
        waiting: deque[Future[tuple[str, bool]]] = deque()
        while chunk := list(islice(lines, _CHUNK)):
            waiting.append(pool.submit(_chunk_results, chunk, fhir))
            if len(waiting) >= 2 * jobs:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


def parse_lines(path: str, fhir: bool, out: TextIO | None = None, jobs: int = 1) -> bool:
    """One JSON object a line for each input line, in input order (with `jobs` > 1 read by that many processes).

    True when every line was read with certainty (the command's exit status 0).
    """
    out = out or sys.stdout
    lines = read_lines(path, "--jsonl")
    results = _in_pool(lines, fhir, jobs) if jobs > 1 else (_line_result(text, fhir) for text in lines)
    all_checkable = True
    for line, checkable in results:
        all_checkable = all_checkable and checkable
        out.write(line)
    return all_checkable
