"""As needed, with its indication, and as directed."""

from __future__ import annotations

import pytest

from clonaguard.sig import parse_sig


@pytest.mark.parametrize(
    ("sig", "reason"),
    [
        ("1 tab q8h prn panic, max 3/day", "panic"),
        ("1 tab tid as needed for anxiety", "anxiety"),
        ("1 tab tid as needed for panic attacks", "panic attacks"),
        ("0.5 mg bd when required for anxiety", "anxiety"),
        ("0.5mg bd prn agitation", "agitation"),
        ("0.5 mg prn", None),
        ("0.5 mg if needed", None),
        ("0.5 mg p.r.n.", None),
        ("0.5 mg sos", None),
    ],
)
def test_as_needed_and_what_for(sig: str, reason: str | None) -> None:
    parsed = parse_sig(sig)
    assert parsed.as_needed
    assert parsed.as_needed_for == reason


def test_an_indication_without_prn_is_not_as_needed() -> None:
    parsed = parse_sig("clonazepam 0.5 mg tid for seizures")
    assert not parsed.as_needed
    assert parsed.indication == "seizures"
    assert parsed.as_needed_for is None


@pytest.mark.parametrize("sig", ["take as directed", "as directed", "ud", "mdu", "use as directed by your doctor"])
def test_as_directed_without_numbers(sig: str) -> None:
    parsed = parse_sig(sig)
    assert parsed.as_directed
    assert parsed.dose is None and parsed.timing is None


def test_as_directed_with_numbers_keeps_them() -> None:
    parsed = parse_sig("0.5 mg tid as directed")
    assert parsed.as_directed and parsed.dose is not None and parsed.timing is not None
