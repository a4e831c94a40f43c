"""Machine instructions per validation and per parse-and-check of each case of bench/check_throughput.py, counted
by valgrind's callgrind, and the rules ÷ validation ratio from them, beside an earlier checkout's in the same run.

On a shared machine a wall-clock figure moves by a third from one run to the next; an instruction count does not,
so this is the figure to compare two trees by (check_throughput.py gives the times). callgrind counts only
inside `functools.reduce`, which drives the calls, so start-up and imports are left out. Needs valgrind; each
count is a child process of about half a minute under it, ten per tree, as many at once as there are cores.
Run: .venv/bin/python bench/check_instructions.py [--baseline-src /tmp/base/src] [--calls 200]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from check_throughput import CASES, TEXTS

# Only what every checkout has: parse_case, check, load_label and Case.
CHILD = """
import sys
from functools import reduce
from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.model import Case
label, text, calls = load_label(), sys.argv[2].encode(), int(sys.argv[3])
if sys.argv[1] == "validate":
    def work(_, __): return Case.model_validate_json(text)
else:
    def work(_, __): return check(parse_case(text), label)
work(None, None)  # first-use work (caches, lazy imports) outside the count
reduce(work, range(calls), None)
"""
_COLLECTED = re.compile(r"Collected : (\d+)")
Counts = dict[tuple[str, int], int]  # (validate | check, case index) -> instructions per call


def count(source: str, mode: str, index: int, calls: int) -> int:
    """Instructions per call of `mode` on case `index`, by the code under `source`."""
    command = [
        "valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
        "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD, mode, TEXTS[index].decode(), str(calls),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": source}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = _COLLECTED.search(result.stderr)
    if found is None or int(found[1]) == 0:
        raise SystemExit("callgrind counted nothing: this interpreter has no functools_reduce symbol to count in")
    return int(found[1]) // calls


def counts(source: str, calls: int) -> Counts:
    if not (Path(source) / "clonaguard" / "__init__.py").is_file():
        raise SystemExit(f"{source}: no clonaguard package there")
    keys = [(mode, index) for mode in ("validate", "check") for index in range(len(CASES))]
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        values = pool.map(lambda key: count(source, key[0], key[1], calls), keys)
        return dict(zip(keys, values, strict=True))


def table(title: str, figures: Counts) -> None:
    print(f"{title}\n{'case (instructions a call)':<34}{'validate':>10}{'check':>10}{'rules':>10}{'ratio':>8}")
    validated = rules = 0
    for index, name in enumerate(CASES):
        validate, check = figures["validate", index], figures["check", index]
        validated, rules = validated + validate, rules + check - validate
        print(f"{name:<34}{validate:>10,}{check:>10,}{check - validate:>10,}{(check - validate) / validate:>8.2f}")
    cases = len(CASES)
    print(f"{'mix (mean)':<34}{validated // cases:>10,}{'':>10}{rules // cases:>10,}{rules / validated:>8.2f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", help="src/ of an earlier checkout, counted in the same run")
    parser.add_argument("--calls", type=int, default=200, help="calls counted per case and mode (default 200)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    print("rules: parse_case and check minus validation of the same JSON; ratio: rules ÷ validation (aim <= 1)\n")
    if args.baseline_src:
        table(f"baseline: {args.baseline_src}", counts(args.baseline_src, args.calls))
    table("this checkout", counts(str(Path(__file__).resolve().parents[1] / "src"), args.calls))


if __name__ == "__main__":
    main()
