"""clonaguard: the Klonopin (clonazepam) leaflet as executable, cited rules."""

from __future__ import annotations

# The one place the version is set: pyproject.toml reads it from here (reading the installed package's metadata
# instead would cost every command-line start about 20 ms of imports).
__version__ = "0.1.0"
