"""The packages' lazy re-exports: each name comes from its module, once, and an unknown name is an AttributeError."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    ("package", "name", "home"),
    [
        ("clonaguard.sig", "parse_sig", "clonaguard.sig.parser"),
        ("clonaguard.plan", "plan_taper", "clonaguard.plan.taper"),
        ("clonaguard.pk", "run", "clonaguard.pk.simulate"),
    ],
)
def test_a_re_exported_name_is_its_module_s_and_kept(package: str, name: str, home: str) -> None:
    module = importlib.import_module(package)
    assert getattr(module, name) is getattr(importlib.import_module(home), name)
    assert name in vars(module)  # kept: the next use does not go through __getattr__


@pytest.mark.parametrize("package", ["clonaguard.sig", "clonaguard.plan", "clonaguard.pk"])
def test_an_unknown_name_is_an_attribute_error(package: str) -> None:
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        getattr(importlib.import_module(package), "no_such_name")  # noqa: B009
