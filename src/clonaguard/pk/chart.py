"""The level over time as a PNG or SVG chart: the range band, the doses, the typical patient, the population."""

from __future__ import annotations

import textwrap
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from clonaguard.errors import InvalidInputError
from clonaguard.pk.simulate import NOTICE, Panel

FORMATS = {".png": "png", ".svg": "svg"}


def chart_format(path: str) -> str:
    """The format named by the file's extension, or InvalidInputError."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInputError(f"png: {path!r} has neither the .png nor the .svg extension; accepted: .png or .svg")
    return FORMATS[suffix]


def draw(panels: tuple[Panel, ...], path: str, title: str, band: tuple[float, float], population: int | None) -> None:
    """Write the chart; panels sit side by side on one concentration scale."""
    kind = chart_format(path)
    figure = Figure(figsize=(6.4 * len(panels) + 1.2, 5.2))  # no pyplot: no global state, the Agg canvas
    axes = figure.subplots(1, len(panels), sharey=True, squeeze=False)
    top = max(
        max(float(p.typical.max()), float(p.percentiles.max()) if p.percentiles is not None else 0.0) for p in panels
    )
    for axis, panel in zip(axes[0], panels, strict=True):
        _panel(axis, panel, band, population)
        axis.set_ylim(0, max(top, band[1]) * 1.12)
    axes[0][0].set_ylabel("Clonazepam plasma concentration (ng/mL)")
    axes[0][0].legend(loc="upper right", fontsize=8, framealpha=0.9)
    figure.suptitle(title, fontsize=12)
    caption = textwrap.fill(NOTICE, width=int(110 * len(panels) ** 0.8))
    figure.text(0.5, 0.015, caption, ha="center", va="bottom", fontsize=8.5, style="italic")
    figure.tight_layout(rect=(0, 0.09, 1, 0.95))
    try:
        figure.savefig(path, format=kind, dpi=130)
    except OSError as exc:
        raise InvalidInputError(f"png: cannot write {path!r}: {exc.strerror}") from exc


def _panel(axis: Axes, panel: Panel, band: tuple[float, float], population: int | None) -> None:
    days = panel.times_h / 24
    low, high = band
    axis.axhspan(low, high, color="tab:green", alpha=0.13, label=f"{low:g}-{high:g} ng/mL: range used in monitoring")
    if panel.percentiles is not None:
        axis.fill_between(
            days,
            panel.percentiles[0],
            panel.percentiles[2],
            color="tab:blue",
            alpha=0.2,
            label=f"5th-95th percentile, {population} simulated patients",
        )
        axis.plot(days, panel.percentiles[1], color="tab:blue", lw=1, ls="--", label="Median of the population")
    axis.plot(days, panel.typical, color="tab:blue", lw=1.6, label="Typical patient (model prediction)")
    doses = [t / 24 for t in panel.doses_h]
    axis.plot(
        doses,
        [0.012] * len(doses),
        ls="none",
        marker="|",
        ms=9,
        color="0.3",
        transform=axis.get_xaxis_transform(),
        label="Doses",
    )
    if panel.stop_h is not None:
        axis.axvline(panel.stop_h / 24, color="tab:red", lw=1.2, ls=":", label="Stop (no further dose)")
    axis.set_xlim(0, days[-1])
    axis.set_xlabel("Time since the first dose (days)")
    if panel.title:
        axis.set_title(panel.title, fontsize=10)
    axis.grid(alpha=0.3)


__all__ = ["FORMATS", "chart_format", "draw"]
