"""Every labelled sig read exactly as the snapshot says: all fields, uncertainties, orders or refusal reasons.

The snapshot (`readings.snapshot.jsonl`) was taken from the reader before its patterns were compiled for
speed, so any drift in any reading fails here, whether or not the labelled verdict moves. When a change of
reading is intended, rewrite the snapshot with `.venv/bin/python tests/sig/test_reading_snapshot.py` and
review its diff line by line.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from clonaguard.errors import InvalidInputError
from clonaguard.sig import parse_sig, sig_orders, uncertainties

HERE = Path(__file__).parent
SNAPSHOT = HERE / "readings.snapshot.jsonl"
SETS = ("corpus", "adversarial", "ehr")
_START = date(2026, 1, 1)


def labelled_sigs() -> list[tuple[str, str]]:
    """(set, sig) for every record of every labelled set, in file order."""
    sigs = []
    for name in SETS:
        for line in (HERE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                sigs.append((name, json.loads(line)["sig"]))
    return sigs


def reading(name: str, sig: str) -> dict[str, Any]:
    """The whole reading of one sig as plain JSON values."""
    parsed = parse_sig(sig)
    entry: dict[str, Any] = {
        "set": name,
        "sig": sig,
        "parsed": parsed.model_dump(mode="json", exclude_defaults=True),
        "uncertainties": uncertainties(parsed),
    }
    try:
        orders, stop = sig_orders(parsed, _START)
    except InvalidInputError as exc:
        entry["refused"] = str(exc)
    else:
        entry["orders"] = [
            {**asdict(order), "start": order.start.isoformat(), "end": order.end and order.end.isoformat()}
            for order in orders
        ]
        entry["stop"] = stop and stop.isoformat()
    return entry


def _snapshot() -> list[str]:
    """The snapshot's lines; none when it is missing, which the coverage test then reports."""
    if not SNAPSHOT.exists():
        return []
    return SNAPSHOT.read_text(encoding="utf-8").splitlines()


def _line(name: str, sig: str) -> str:
    # As text, so 3 and 3.0 or a list and a missing key are told apart.
    return json.dumps(reading(name, sig), ensure_ascii=False, sort_keys=True)


def test_the_snapshot_covers_every_labelled_sig() -> None:
    assert [(entry["set"], entry["sig"]) for entry in map(json.loads, _snapshot())] == labelled_sigs()


@pytest.mark.parametrize("expected", _snapshot(), ids=[f"line{number}" for number in range(1, len(_snapshot()) + 1)])
def test_each_reading_is_the_snapshot(expected: str) -> None:
    entry = json.loads(expected)
    assert _line(entry["set"], entry["sig"]) == expected


def write_snapshot() -> None:
    lines = [_line(name, sig) for name, sig in labelled_sigs()]
    SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_snapshot()
