"""Imports run one way: the import-linter layers contract in pyproject.toml holds, and it catches a breach."""

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
    assert "1 kept, 0 broken" in result.stdout


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "src" / "clonaguard", tmp_path / "clonaguard", ignore=shutil.ignore_patterns("__pycache__"))
    model = tmp_path / "clonaguard" / "model.py"
    model.write_text(model.read_text() + "\nfrom clonaguard.check import check  # noqa: E402\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "clonaguard.model -> clonaguard.check" in result.stdout
