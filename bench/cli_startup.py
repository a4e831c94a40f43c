"""Command-line start-up: the median wall time of whole `clonaguard` runs, beside a bare interpreter and beside
the same commands from an earlier checkout (`--baseline-src`), measured in the same run, alternating.

Lines: `check --case examples/case.json --json` (with the label cache warm, and with CLONAGUARD_NO_CACHE=1),
`parse TEXT --json`, `--version`, and `check` with this package not byte-compiled (these machines set
PYTHONDONTWRITEBYTECODE=1, so such a package is compiled anew at every start; `make` byte-compiles it).
Two floors beside them: pydantic's own start (import it, build one model), which any run that validates a case
pays, and the same check through the Python API, i.e. everything but the command-line framework.
`--imports N` adds the N slowest imports of `check` (`python -X importtime`, cumulative) for each tree.
Run: .venv/bin/python bench/cli_startup.py [--baseline-src /tmp/base-cli/src] [--repeats 21] [--imports 12]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from timing import one_core

ROOT = Path(__file__).resolve().parents[1]
CASE = str(ROOT / "examples" / "case.json")
CLI = [sys.executable, "-m", "clonaguard"]
COMMANDS: dict[str, list[str]] = {
    "check --case examples/case.json --json": [*CLI, "check", "--case", CASE, "--json"],
    "parse TEXT --json": [*CLI, "parse", "Klonopin 0,5 mg 1 tab po tid", "--json"],
    "--version": [*CLI, "--version"],
}
# Floors: what any check pays before clonaguard's own code runs, and the same check without a CLI framework.
PYDANTIC_FLOOR = "from pydantic import BaseModel\nclass One(BaseModel):\n    x: int"
API_CHECK = f"""
import json, sys
from datetime import date
from clonaguard.alternatives import offered_alternative
from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.textinput import read_text
label = load_label("clonazepam-leaflet")
case = parse_case(read_text({CASE!r}, "--case"), label, today=date.today())
report = check(case, label)
alternative = offered_alternative(case, label, report)
answer = report.to_dict() | {{"alternative": alternative and alternative.to_dict()}}
print(json.dumps(answer | {{"provenance": label.profile.provenance()}}, ensure_ascii=False, indent=2))
"""
Run = tuple[list[str], dict[str, str]]


def _ms(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run, in ms; the CPU time moves less with the load."""
    begin = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped here
    return (time.perf_counter() - begin) * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def _medians(runs: dict[str, Run], repeats: int) -> dict[str, tuple[float, float]]:
    """The median wall and CPU time of `repeats` runs of each, interleaved so a change of load touches all alike."""
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for command, env in runs.values():
        _ms(command, env)  # warm the file cache (and the label cache)
    for _ in range(repeats):
        for name, (command, env) in runs.items():
            timings[name].append(_ms(command, env))
    return {
        name: (statistics.median(wall for wall, _ in values), statistics.median(cpu for _, cpu in values))
        for name, values in timings.items()
    }


@contextmanager
def _uncompiled_copy() -> Iterator[str]:
    """A copy of this checkout's package without any .pyc, on a path to put first."""
    import clonaguard

    with tempfile.TemporaryDirectory(prefix="clonaguard-src-") as scratch:
        package = Path(clonaguard.__file__).parent
        shutil.copytree(package, Path(scratch) / "clonaguard", ignore=shutil.ignore_patterns("__pycache__"))
        yield scratch


def slowest_imports(env: dict[str, str], count: int) -> list[tuple[float, str]]:
    """The `count` imports of `check --json` with the largest cumulative time, in ms (one run)."""
    command = [sys.executable, "-X", "importtime", *COMMANDS["check --case examples/case.json --json"][1:]]
    lines = subprocess.run(command, env=env, check=False, capture_output=True, text=True).stderr.splitlines()
    found = []
    for line in lines:
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            found.append((int(parts[1]) / 1000, parts[2].rstrip()))
    return sorted(found, reverse=True)[:count]


def _runs(env: dict[str, str], baseline: dict[str, str] | None, uncompiled: str) -> dict[str, Run]:
    no_plugins = {**env, "PYDANTIC_DISABLE_PLUGINS": "__all__"}  # as the command line starts pydantic
    runs: dict[str, Run] = {
        "python -c pass (bare interpreter)": ([sys.executable, "-c", "pass"], env),
        "import pydantic, build one model (pydantic's floor)": ([sys.executable, "-c", PYDANTIC_FLOOR], no_plugins),
        "the same check through the Python API (no CLI framework)": ([sys.executable, "-c", API_CHECK], no_plugins),
    }
    for name, command in COMMANDS.items():
        runs[name] = (command, env)
        if baseline is not None:
            runs[f"{name}  [baseline]"] = (command, baseline)
    check = COMMANDS["check --case examples/case.json --json"]
    runs["check ... --json, CLONAGUARD_NO_CACHE=1"] = (check, {**env, "CLONAGUARD_NO_CACHE": "1"})
    runs["check ... --json, package not byte-compiled"] = (check, {**env, "PYTHONPATH": uncompiled})
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-src", help="src/ of an earlier checkout (e.g. a git worktree of origin/main)")
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--imports", type=int, default=0, help="also list the N slowest imports of check")
    args = parser.parse_args()
    one_core()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CLONAGUARD_NO_CACHE", None)
    baseline = None
    if args.baseline_src:
        compileall.compile_dir(args.baseline_src, quiet=1)  # byte-compiled as `make` installs this one
        baseline = {**env, "PYTHONPATH": str(Path(args.baseline_src).resolve())}
    with _uncompiled_copy() as uncompiled:
        medians = _medians(_runs(env, baseline, uncompiled), args.repeats)
    print(f"clonaguard start-up, median of {args.repeats} runs, load average {os.getloadavg()[0]:.2f}:")
    print(f"  {'command':<58}{'wall ms':>8}{'CPU ms':>8}")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:<58}{wall:8.1f}{cpu:8.1f}")
    check = medians["check --case examples/case.json --json"][0]
    print(f"check --json end to end, target < 150 ms median: {'met' if check < 150 else 'NOT met'}")
    for tree, tree_env in (("this tree", env), ("baseline", baseline)):
        if args.imports and tree_env is not None:
            print(f"slowest imports of check --json, {tree} (cumulative ms, one run):")
            for ms, name in slowest_imports(tree_env, args.imports):
                print(f"  {ms:8.1f}  {name}")


if __name__ == "__main__":
    main()
