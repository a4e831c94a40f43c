"""The labelled corpus: at least 400 sigs in US, UK and European conventions, read as a pharmacist would."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from clonaguard.sig.accuracy import ALWAYS, FieldScore, load_corpus, score

CORPUS = Path(__file__).with_name("corpus.jsonl")


@pytest.fixture(scope="module")
def scores() -> dict[str, FieldScore]:
    return score(load_corpus(CORPUS))


def test_the_corpus_is_large_and_varied() -> None:
    records = load_corpus(CORPUS)
    assert len(records) >= 400
    assert len({record["sig"] for record in records}) == len(records), "each sig once"
    conventions = Counter(record["convention"] for record in records)
    assert {"us", "uk", "eu", "general", "steps", "edge", "holdout", "blind"} <= set(conventions)
    assert sum("clonazepam" in r["sig"].lower() or "klonopin" in r["sig"].lower() for r in records) >= 200


@pytest.mark.parametrize("field", ALWAYS)
def test_field_accuracy_is_at_least_98_percent(scores: dict[str, FieldScore], field: str) -> None:
    entry = scores[field]
    assert entry.total >= 400
    assert entry.accuracy >= 0.98, "\n".join(entry.misses)


def test_the_checkable_verdict_matches_the_safety_policy(scores: dict[str, FieldScore]) -> None:
    """Where the corpus says a sig can or cannot be checked as written, the parser agrees on every one."""
    entry = scores["checkable"]
    assert entry.total >= 100
    assert entry.correct == entry.total, "\n".join(entry.misses)
