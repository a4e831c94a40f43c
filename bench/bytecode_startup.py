"""`clonaguard check --json` end to end, with the package byte-compiled (as `make` installs it) and without.

Where PYTHONDONTWRITEBYTECODE=1 is set, Python never caches what it compiles, so a package installed without
its .pyc files is compiled anew at every start. The baseline is the same command on a copy of the package with
no .pyc files, measured in the same run, the two runs alternating so that a change in the machine's load
touches both alike; the dependencies are byte-compiled in both (pip compiles them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import one_core

import clonaguard.cli

COMMAND = [sys.executable, "-m", "clonaguard", "check", "--dose-mg", "0.5", "--times-per-day", "3", "--age", "34"]


def _run_ms(env: dict[str, str]) -> float:
    begin = time.perf_counter()
    subprocess.run([*COMMAND, "--json"], env=env, check=True, capture_output=True)
    return (time.perf_counter() - begin) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    repeats = parser.parse_args().repeats
    one_core()
    package = Path(clonaguard.cli.__file__).parent
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "clonaguard"
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
        nothing = {**env, "PYTHONPYCACHEPREFIX": str(Path(scratch) / "empty")}  # no .pyc found for any module
        modes = {"uncompiled": {**env, "PYTHONPATH": scratch}, "compiled": env, "nothing": nothing}
        timings: dict[str, list[float]] = {mode: [] for mode in modes}
        for mode in modes:
            _run_ms(modes[mode])  # warm the file cache
        for _ in range(repeats):
            for mode, mode_env in modes.items():
                timings[mode].append(_run_ms(mode_env))
        uncompiled, compiled, nothing_compiled = (statistics.median(timings[mode]) for mode in modes)
    print(f"clonaguard check --json, median of {repeats} (PYTHONDONTWRITEBYTECODE=1):")
    print(f"  package not byte-compiled (baseline): {uncompiled:7.1f} ms")
    print(f"  package byte-compiled (make install):  {compiled:7.1f} ms")
    print(f"  nothing byte-compiled, dependencies neither: {nothing_compiled:7.1f} ms")


if __name__ == "__main__":
    main()
