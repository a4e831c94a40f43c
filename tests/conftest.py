"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label


@pytest.fixture(scope="session")
def label() -> Label:
    return load_label()
