"""Field-level accuracy of the sig parser on the labelled corpus: all of it, and two later parts.

The patterns were written while most of the corpus was being labelled, so "all" flatters the parser.
"holdout" sigs were labelled after the patterns were first settled (first score: dose 56/59,
frequency 59/59, as needed 59/59; the three dose misses were then fixed in the parser). "blind"
sigs were labelled last and scored once (dose 30/30, frequency 28/30, as needed 30/30); the two
frequency misses were labelling errors, corrected in the corpus, with no change to the parser.
Run: .venv/bin/python bench/sig_accuracy.py [--misses]
"""

from __future__ import annotations

import sys
from pathlib import Path

from clonaguard.sig.accuracy import load_corpus, score, table

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "sig" / "corpus.jsonl"


def main() -> None:
    records = load_corpus(CORPUS)
    everything = score(records)
    parts = {name: score([r for r in records if r["convention"] == name]) for name in ("holdout", "blind")}
    sizes = ", ".join(f"{sum(r['convention'] == name for r in records)} {name}" for name in parts)
    print(f"corpus: {len(records)} sigs ({sizes})")
    print(f"{'field':<16}{'all':>18}" + "".join(f"{name:>18}" for name in parts))
    for name, correct, total, accuracy in table(everything):
        line = f"{name:<16}{f'{correct}/{total} {accuracy:7.1%}':>18}"
        for part in parts.values():
            entry = part.get(name)
            line += f"{f'{entry.correct}/{entry.total} {entry.accuracy:7.1%}' if entry else '':>18}"
        print(line)
    if "--misses" in sys.argv:
        for entry in everything.values():
            for miss in entry.misses:
                print(miss)


if __name__ == "__main__":
    main()
