"""Every `clonaguard` command the documentation shows runs and exits as a check does (0 or 1), never 2 or 3."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_LONG_RUNNING = ("clonaguard serve", "--install-completion", "some-export")


def _commands() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        # ```text blocks are transcripts (errors shown on purpose); the others are commands to run.
        blocks = "\n".join(re.findall(r"^```(?!text)[a-z]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL))
        for line in re.sub(r"\\\n\s*", "", blocks).splitlines():  # continued lines joined
            command = line.removeprefix("$ ").split("  #", 1)[0].strip()
            if command.startswith("clonaguard ") and not any(word in command for word in _LONG_RUNNING):
                found.append((page.relative_to(ROOT).as_posix(), command))
    return found


@pytest.fixture(scope="module")
def plan_json() -> str:
    """The plan.json the pages use (`clonaguard plan titrate ... --json > plan.json`)."""
    command = ["plan", "titrate", "--age", "34", "--target-mg", "6", "--start", "2026-12-01", "--json"]
    executable = str(Path(sys.executable).parent / "clonaguard")
    return subprocess.run([executable, *command], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("page", "command"), _commands())
def test_documented_command_runs(page: str, command: str, tmp_path: Path, plan_json: str) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copy(ROOT / "examples" / "case.json", tmp_path / "case.json")
    (tmp_path / "plan.json").write_text(plan_json, encoding="utf-8")
    (tmp_path / "sigs.txt").write_text("Klonopin 0,5 mg tid\n1 tab q8h prn panic, max 3/day\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), f"{page}: {command}\n{done.stderr}"
