"""Text the command line reads from a file or standard input, with bounds: a file no larger than
MAX_FILE_BYTES, a line no longer than MAX_LINE_BYTES, UTF-8 only. Reading /dev/zero ends with a clear error,
not with the machine's memory."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NoReturn

from clonaguard.errors import InvalidInputError

MAX_FILE_BYTES = 8 * 1_048_576
MAX_LINE_BYTES = 16_384
_BLOCK_BYTES = 1_048_576


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
    the line for one longer than `max_line_bytes` or not UTF-8.

    Read in blocks of what is available (a pipe's lines are not held back until a block fills); every line is
    given before a later one is found at fault.
    """
    stream = _open(path, option)
    read = getattr(stream, "read1", stream.read)
    try:
        number, rest = 0, b""
        while block := read(_BLOCK_BYTES):
            *lines, rest = (rest + block).split(b"\n")
            for line in lines:
                number += 1
                yield _line(line, number, option, max_line_bytes)
            if len(rest) > max_line_bytes:
                _too_long(number + 1, option, max_line_bytes)
        if rest:
            yield _line(rest, number + 1, option, max_line_bytes)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _line(data: bytes, number: int, option: str, max_line_bytes: int) -> str:
    data = data.rstrip(b"\r\n")
    if len(data) > max_line_bytes:
        _too_long(number, option, max_line_bytes)
    return _decoded(data, option, f"line {number} is ")


def _too_long(number: int, option: str, max_line_bytes: int) -> NoReturn:
    raise InvalidInputError(
        f"{option}: line {number} is longer than {max_line_bytes} bytes; accepted: at most {max_line_bytes}"
    )
