"""Imports run one way: the import-linter contracts in pyproject.toml hold (the layers; Typer and Rich only in the
command line), and each catches a breach."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's contract on the package under `source` (a directory holding `clonaguard/`)."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        capture_output=True,
        text=True,
        env=env,
        cwd=source,
        timeout=120,
    )


def test_the_tree_keeps_the_layers_contract() -> None:
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def _with_import(tmp_path: Path, module: str, statement: str) -> subprocess.CompletedProcess[str]:
    """The contracts run on a copy of the package whose `module` (a path under clonaguard/) gains `statement`."""
    shutil.copytree(ROOT / "src" / "clonaguard", tmp_path / "clonaguard", ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path / "clonaguard" / module
    path.write_text(path.read_text() + f"\n{statement}  # noqa: E402\n")
    return lint_imports(tmp_path)


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    result = _with_import(tmp_path, "model.py", "from clonaguard.check import check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "clonaguard.model -> clonaguard.check" in result.stdout


def test_a_domain_module_drawing_a_terminal_table_breaks_the_contract(tmp_path: Path) -> None:
    result = _with_import(tmp_path, "plan/taper.py", "from rich.table import Table")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "clonaguard.plan.taper -> rich" in result.stdout
