"""The command line against hostile input, end to end as a separate process: bounded reads, UTF-8 only, and
exit statuses a script can rely on (2 invalid input, 3 internal error, never a traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "clonaguard"]
ORDER = ["--dose-mg", "2", "--times-per-day", "3", "--age", "34"]


def run(*args: str, stdin: object = subprocess.DEVNULL, stdout: object = subprocess.PIPE) -> tuple[int, str]:
    result = subprocess.run(
        [*CLI, *args],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,  # type: ignore[call-overload]
    )
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    return result.returncode, stderr


@pytest.mark.parametrize(
    "command",
    [("check", "--case", "-"), ("parse", "--jsonl", "-")],
    ids=["check-case", "parse-jsonl"],
)
def test_endless_standard_input_is_refused_with_a_bound(command: tuple[str, ...]) -> None:
    with open("/dev/zero", "rb") as zeros:
        code, stderr = run(*command, stdin=zeros)
    assert code == 2
    assert "bytes; accepted: at most" in stderr


def test_a_case_file_that_is_not_utf8_is_invalid_input(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_bytes(b'{"patient": {"age_years": 3\xff}}')
    code, stderr = run("check", "--case", str(case))
    assert code == 2 and "--case: not UTF-8 text (byte 0xff at offset 27)" in stderr


def test_a_jsonl_line_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    sigs = tmp_path / "sigs.txt"
    sigs.write_bytes(b"Klonopin 0.5 mg tid\n0.5 mg \xe9 bid\n")
    code, stderr = run("parse", "--jsonl", str(sigs))
    assert code == 2 and "--jsonl: line 2 is not UTF-8 text" in stderr


def test_a_label_file_that_is_not_utf8_is_invalid_input(tmp_path: Path) -> None:
    label = tmp_path / "label.yaml"
    label.write_bytes(b"name: \xff\xfe\n")
    code, stderr = run("check", *ORDER, "--label", str(label))
    assert code == 2 and "not UTF-8" in stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [("check", *ORDER, "--json"), ("label", "--json"), ("parse", "0.5 mg tid")])
def test_output_to_a_full_disk_is_an_internal_error_not_a_finding(command: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        code, stderr = run(*command, stdout=full)
    assert code == 3
    assert "could not be read or written (No space left on device)" in stderr
