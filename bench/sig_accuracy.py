"""Accuracy of the sig reader on every labelled set: right / refused / silently wrong, and field accuracy.

Sets: the field-labelled corpus (`tests/sig/corpus.jsonl`: all of it, and its later "holdout" and "blind"
parts), the adversarial set (`tests/sig/adversarial.jsonl`) and the EHR-style set (`tests/sig/ehr.jsonl`),
both labelled with the orders a careful pharmacist reads or "refuse".

A reading is *silently wrong* when the reader lets the check evaluate it (nothing uncertain) and it is not
what the label says. *Refused (right)* is a refusal of a sig labelled "refuse" (or, in the corpus, labelled
not checkable); *refused (readable)* is a refusal of a sig a pharmacist reads: safe, but a miss.

First score of the reader before it was changed for these sets (read right / refused rightly / refused
readable / silently wrong / crashed): adversarial 88 / 58 / 43 / 121 / 2; EHR 24 / 33 / 98 / 0 / 0 (EHR
exactness: dose in mg 105/122, times a day 38/122); corpus 360 / 176 / 21 / 0 / 0.

Field accuracy on the corpus: the patterns were written while most of it was being labelled, so "all"
flatters the reader. "holdout" sigs were labelled after the patterns were first settled (first score: dose
56/59, frequency 59/59, as needed 59/59); "blind" sigs were labelled last and scored once (dose 30/30,
frequency 28/30, as needed 30/30; the two misses were labelling errors).
Run: .venv/bin/python bench/sig_accuracy.py [--misses]
"""

from __future__ import annotations

import sys
from pathlib import Path

from clonaguard.sig.accuracy import Verdicts, field_verdicts, load_corpus, score, table, verdicts

TESTS = Path(__file__).resolve().parents[1] / "tests" / "sig"


def _row(name: str, v: Verdicts) -> str:
    return f"{name:<14}{v.total:>6}{v.read:>8}{v.refused_rightly:>10}{v.refused_readable:>11}{v.wrong:>9}{v.crashed:>9}"


def main() -> None:
    corpus = load_corpus(TESTS / "corpus.jsonl")
    sets = {
        "corpus (all)": field_verdicts(corpus),
        "holdout": field_verdicts([r for r in corpus if r["convention"] == "holdout"]),
        "blind": field_verdicts([r for r in corpus if r["convention"] == "blind"]),
        "adversarial": verdicts(load_corpus(TESTS / "adversarial.jsonl")),
        "ehr": verdicts(load_corpus(TESTS / "ehr.jsonl")),
    }
    print(f"{'set':<14}{'sigs':>6}{'read':>8}{'refused':>10}{'refused':>11}{'silently':>9}{'crashed':>9}")
    print(f"{'':<14}{'':>6}{'right':>8}{'(right)':>10}{'(readable)':>11}{'wrong':>9}")
    for name, entry in sets.items():
        print(_row(name, entry))
    ehr = sets["ehr"]
    print(
        f"ehr exactness over {ehr.readable} readable sigs: dose in mg {ehr.dose_exact}/{ehr.readable}, "
        f"times a day {ehr.frequency_exact}/{ehr.readable} (reported beside the reading, checkable or not)"
    )
    parts = {name: score([r for r in corpus if r["convention"] == name]) for name in ("holdout", "blind")}
    print(f"\ncorpus field accuracy: {len(corpus)} sigs")
    print(f"{'field':<16}{'all':>18}" + "".join(f"{name:>18}" for name in parts))
    everything = score(corpus)
    for name, correct, total, accuracy in table(everything):
        line = f"{name:<16}{f'{correct}/{total} {accuracy:7.1%}':>18}"
        for part in parts.values():
            field = part.get(name)
            line += f"{f'{field.correct}/{field.total} {field.accuracy:7.1%}' if field else '':>18}"
        print(line)
    if "--misses" in sys.argv:
        for name, entry in sets.items():
            for miss in entry.misses:
                print(f"{name}: {miss}")


if __name__ == "__main__":
    main()
