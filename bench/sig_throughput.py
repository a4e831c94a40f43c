"""Sigs per second on one core over the labelled corpus, beside baselines measured in the same run.

Baseline: only lower-casing and tokenising the same sigs with one regex (a floor no parser can beat).
End to end: `clonaguard parse --jsonl -` on 50,000 sigs (the corpus repeated, as a day's sigs repeat; and 50,000
distinct ones, each corpus sig with its own duration), start-up included, beside a bare interpreter that reads
the same lines and writes one JSON object each.
Run: .venv/bin/python bench/sig_throughput.py [--baseline-src ../main/src]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import one_core, rate

from clonaguard.sig import parse_sig

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "sig" / "corpus.jsonl"
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+|\S")
END_TO_END = 50_000
_ECHO = "import json, sys\nfor line in sys.stdin: sys.stdout.write(json.dumps({'text': line.rstrip()}) + '\\n')"


def _seconds(command: list[str], stdin_path: Path, source: str | None = None) -> float:
    """Wall time of one run of `command` with the file on standard input, output discarded; best of three."""
    best = float("inf")
    for _ in range(3):
        with stdin_path.open("rb") as stdin:
            begin = time.perf_counter()
            env = {**os.environ, "PYTHONPATH": source} if source else None
            subprocess.run(command, stdin=stdin, stdout=subprocess.DEVNULL, check=False, env=env)
            best = min(best, time.perf_counter() - begin)
    return best


def end_to_end(sigs: list[str], baseline_src: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="clonaguard-sigs-") as folder:
        path, distinct = Path(folder) / "sigs.txt", Path(folder) / "distinct.txt"
        path.write_text("\n".join(sigs[index % len(sigs)] for index in range(END_TO_END)) + "\n", encoding="utf-8")
        lines = (f"{sigs[index % len(sigs)]} x {index} days" for index in range(END_TO_END))
        distinct.write_text("\n".join(lines) + "\n", encoding="utf-8")
        echo = END_TO_END / _seconds([sys.executable, "-c", _ECHO], path)
        command = [sys.executable, "-m", "clonaguard", "parse", "--jsonl", "-"]
        earlier = END_TO_END / _seconds(command, path, baseline_src) if baseline_src else None
        earlier_distinct = END_TO_END / _seconds(command, distinct, baseline_src) if baseline_src else None
        cli = END_TO_END / _seconds(command, path)
        cli_distinct = END_TO_END / _seconds(command, distinct)
        jobs = END_TO_END / _seconds([*command, "--jobs", "2"], path)
    print(f"{'baseline: python reads + writes JSON lines':<44}{echo:>12,.0f}{1e6 / echo:>10.1f}")
    if earlier and earlier_distinct:
        print(f"{'the same from --baseline-src':<44}{earlier:>12,.0f}{1e6 / earlier:>10.1f}")
        print(f"{'  distinct sigs, from --baseline-src':<44}{earlier_distinct:>12,.0f}{1e6 / earlier_distinct:>10.1f}")
    print(f"{'clonaguard parse --jsonl - --jobs 2':<44}{jobs:>12,.0f}{1e6 / jobs:>10.1f}")
    print(f"{'clonaguard parse --jsonl - (end to end)':<44}{cli:>12,.0f}{1e6 / cli:>10.1f}")
    print(f"{'  distinct sigs (none repeats)':<44}{cli_distinct:>12,.0f}{1e6 / cli_distinct:>10.1f}")
    print(
        f"end to end, {END_TO_END:,} sigs with start-up, target >= 20,000 sigs/s: "
        f"{'met' if cli >= 20_000 else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-src", help="src/ of an earlier checkout: its CLI end to end as well")
    args = parser.parse_args()
    one_core()
    sigs = [json.loads(line)["sig"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]

    def tokenise() -> None:
        for sig in sigs:
            _TOKEN.findall(sig.lower())

    def parse() -> None:
        for sig in sigs:
            parse_sig(sig)

    baseline = rate(tokenise, seconds=3) * len(sigs)
    parsed = rate(parse, seconds=3) * len(sigs)
    print(f"corpus: {len(sigs)} sigs, one core")
    print(f"{'what':<44}{'sigs/s':>12}{'µs/sig':>10}")
    print(f"{'baseline: lower-case + one-regex tokenise':<44}{baseline:>12,.0f}{1e6 / baseline:>10.1f}")
    print(f"{'parse_sig (full structured reading)':<44}{parsed:>12,.0f}{1e6 / parsed:>10.1f}")
    print(f"parse_sig costs {baseline / parsed:.0f} times the tokenising baseline")
    print(f"in process, target >= 40,000 sigs/s: {'met' if parsed >= 40_000 else 'NOT met'}")
    end_to_end(sigs, args.baseline_src)


if __name__ == "__main__":
    main()
