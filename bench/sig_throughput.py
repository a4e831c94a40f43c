"""Sigs per second on one core over the labelled corpus, beside baselines measured in the same run.

Baseline: only lower-casing and tokenising the same sigs with one regex (a floor no parser can beat).
Run: .venv/bin/python bench/sig_throughput.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from timing import one_core, rate

from clonaguard.sig import parse_sig

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "sig" / "corpus.jsonl"
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+|\S")


def main() -> None:
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
    print(f"target >= 20,000 sigs/s: {'met' if parsed >= 20_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
