"""Text the command line reads from a file or standard input, with bounds: a file no larger than
MAX_FILE_BYTES, a line no longer than MAX_LINE_BYTES, UTF-8 only. Reading /dev/zero ends with a clear error,
not with the machine's memory."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from clonaguard.errors import InvalidInputError

MAX_FILE_BYTES = 8 * 1_048_576
MAX_LINE_BYTES = 16_384


def _open(path: str, option: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    file = Path(path)
    if not file.is_file():
        raise InvalidInputError(f"{option}: file {path!r} not found")
    return file.open("rb")


def _decoded(data: bytes, option: str, where: str = "") -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{option}: {where}not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "accepted: UTF-8 text"
        ) from exc


def read_text(path: str, option: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The whole file (or standard input for "-") as text; InvalidInputError naming `option` when it is larger
    than `max_bytes` or not UTF-8."""
    stream = _open(path, option)
    try:
        data = stream.read(max_bytes + 1)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if len(data) > max_bytes:
        raise InvalidInputError(f"{option}: the input is larger than {max_bytes} bytes; accepted: at most {max_bytes}")
    return _decoded(data, option)


def read_lines(path: str, option: str, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[str]:
    """Each line of the file (or standard input) without its line ending; InvalidInputError naming `option` and
    the line for one longer than `max_line_bytes` or not UTF-8."""
    stream = _open(path, option)
    try:
        for number, line in enumerate(iter(lambda: stream.readline(max_line_bytes + 1), b""), start=1):
            if len(line.rstrip(b"\r\n")) > max_line_bytes:
                raise InvalidInputError(
                    f"{option}: line {number} is longer than {max_line_bytes} bytes; accepted: at most {max_line_bytes}"
                )
            yield _decoded(line, option, f"line {number} is ").rstrip("\r\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
