"""Route: by mouth or under the tongue."""

from __future__ import annotations

import pytest

from clonaguard.sig import parse_sig


@pytest.mark.parametrize(
    ("sig", "route"),
    [
        ("0.5 mg po tid", "oral"),
        ("0.5 mg p.o. tid", "oral"),
        ("0.5 mg by mouth tid", "oral"),
        ("0.5 mg orally tid", "oral"),
        ("0.5 mg per os tid", "oral"),
        ("dissolve 1 tablet on the tongue bid", "oral"),
        ("0.5 mg sl prn", "sublingual"),
        ("0.5 mg under the tongue prn", "sublingual"),
        ("0.5 mg tid", None),
    ],
)
def test_routes(sig: str, route: str | None) -> None:
    assert parse_sig(sig).route == route


def test_two_routes_are_an_error() -> None:
    parsed = parse_sig("0.5 mg po sl tid")
    assert parsed.route is None
    assert any("two routes" in error for error in parsed.errors)
