"""Lines read in blocks: the same lines as `splitlines` across block boundaries, the bounds named by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from clonaguard.errors import InvalidInputError
from clonaguard.textinput import MAX_LINE_BYTES, read_lines


def test_lines_across_blocks_are_the_lines_of_the_file(tmp_path: Path) -> None:
    lines = [f"{index} mg ½ tab tid" + ("\r" if index % 3 else "") for index in range(150_000)]  # over 2 MiB
    path = tmp_path / "sigs.txt"
    path.write_bytes("\n".join(lines).encode())  # no newline after the last
    assert list(read_lines(str(path), "--jsonl")) == [line.rstrip("\r") for line in lines]


@pytest.mark.parametrize("ending", [b"\n", b""])
def test_a_line_over_the_bound_is_named_after_the_lines_before_it(tmp_path: Path, ending: bytes) -> None:
    path = tmp_path / "sigs.txt"
    path.write_bytes(b"0.5 mg tid\n" * 200_000 + b"x" * (MAX_LINE_BYTES + 1) + ending + b"0.5 mg bid\n")
    read: list[str] = []
    with pytest.raises(InvalidInputError, match=f"--jsonl: line 200001 is longer than {MAX_LINE_BYTES} bytes"):
        read.extend(read_lines(str(path), "--jsonl"))
    assert len(read) == 200_000


def test_a_line_at_the_bound_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sigs.txt"
    path.write_bytes(b"x" * MAX_LINE_BYTES + b"\r\n" + b"y\n")
    assert list(read_lines(str(path), "--jsonl")) == ["x" * MAX_LINE_BYTES, "y"]
