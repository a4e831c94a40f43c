"""Fixtures shared by the whole suite."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label

# Label cache entries made by the suite, and by the commands it runs, go to a folder of its own, not the user's.
if "CLONAGUARD_CACHE_DIR" not in os.environ:
    os.environ["CLONAGUARD_CACHE_DIR"] = tempfile.mkdtemp(prefix="clonaguard-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CLONAGUARD_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def label() -> Label:
    return load_label()
