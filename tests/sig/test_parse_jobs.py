"""`clonaguard parse --jsonl --jobs N`: the same JSON lines as one process, in input order, errors included."""

from __future__ import annotations

import io
import json
from pathlib import Path

from clonaguard.cli.readings import _CHUNK, parse_lines

CORPUS = Path(__file__).parent / "corpus.jsonl"


def test_jobs_give_the_same_lines_in_input_order(tmp_path: Path) -> None:
    sigs = [json.loads(line)["sig"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [f"{sigs[index % len(sigs)]} x{index} days" if index % 7 else "" for index in range(2 * _CHUNK + 321)]
    path = tmp_path / "sigs.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    serial, pooled = io.StringIO(), io.StringIO()
    assert parse_lines(str(path), False, serial) == parse_lines(str(path), False, pooled, jobs=2)
    assert pooled.getvalue() == serial.getvalue()
    read = [json.loads(line) for line in pooled.getvalue().splitlines()]
    assert len(read) == len(lines)
    assert [row["text"][:200] for row in read] == [line[:200] for line in lines]  # each in its place
