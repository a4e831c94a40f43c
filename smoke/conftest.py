"""Build the sdist and the wheel, and install the wheel alone into a fresh virtual environment.

The smoke tests then run the installed `clonaguard` from a directory outside the checkout, so a template,
migration or label missing from the wheel fails here rather than for a user.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).with_name("uv")


@dataclass(frozen=True)
class Installed:
    """The fresh environment with the wheel in it, and a working directory outside the checkout."""

    venv: Path
    workdir: Path
    wheel: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a program of the environment from the working directory outside the checkout."""
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=self.workdir,
            env=self.environment(),
            timeout=120,
        )

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
        return {**env, "PATH": f"{self.bin}{os.pathsep}{env.get('PATH', '')}", "NO_COLOR": "1"}


def _run(*args: str | Path) -> None:
    subprocess.run([str(arg) for arg in args], check=True, cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    # The wheel is built from the sdist (build's default), so the sdist is checked to be complete too.
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ".")
    (wheel,) = dist.glob("clonaguard-*.whl")
    venv = base / "venv"
    _run(UV, "venv", "--quiet", "--python", sys.executable, venv)
    install: list[str | Path] = [UV, "pip", "install", "--quiet", "--python", venv]
    for lock in ("bootstrap", "runtime"):
        _run(*install, "--require-hashes", "-r", f"requirements/{lock}.txt")
    _run(*install, "--no-deps", "--compile-bytecode", wheel)  # byte-compiled, as pip installs it
    workdir = base / "work"
    workdir.mkdir()
    return Installed(venv, workdir, wheel)
