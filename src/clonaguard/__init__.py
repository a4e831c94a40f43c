"""clonaguard: the Klonopin (clonazepam) leaflet as executable, cited rules."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`clonaguard.__version__`: read from the installed package's metadata, the one place it is set."""
    if name == "__version__":
        from importlib.metadata import version

        return version("clonaguard")
    raise AttributeError(f"module 'clonaguard' has no attribute {name!r}")
