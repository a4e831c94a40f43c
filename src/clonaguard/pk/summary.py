"""What a concentration curve means against the range: time to 90% of steady state, time in and out of range."""

from __future__ import annotations

import numpy as np

from clonaguard.pk.engine import Array, Modes, Subjects
from clonaguard.pk.events import DEPOT

FRACTION = 0.9


def time_to_steady_state(subjects: Subjects, fraction: float = FRACTION) -> Array:
    """Hours until the level under constant input reaches `fraction` of its steady state, per subject.

    Under any fixed regimen (dose D every τ) the average level over the n-th interval equals the
    constant-input level (rate D/τ) at the interval's end, so this is when the daily average has reached
    90% of its steady state; it depends on the parameters, not on the dose (linear kinetics).
    """
    modes = Modes(subjects)
    weights = modes.observe * modes.into(DEPOT) / modes.lam  # (n, m): level(t) = Σ w (e^{λt} − 1)
    final = -weights.sum(axis=1)
    slowest = np.min(-modes.lam, axis=1)
    low, high = np.zeros(subjects.count), np.log(1 / (1 - fraction)) * 50 / slowest
    for _ in range(80):
        middle = (low + high) / 2
        level = (weights * np.expm1(modes.lam * middle[:, None])).sum(axis=1)
        below = level < fraction * final
        low, high = np.where(below, middle, low), np.where(below, high, middle)
    result: Array = (low + high) / 2
    return result


def time_in_range(levels: Array, low: float, high: float) -> dict[str, float]:
    """Fractions of an evenly spaced curve below, within (ends included) and above the range."""
    below = float(np.mean(levels < low))
    above = float(np.mean(levels > high))
    return {
        "fraction_in_range": round(1 - below - above, 4),
        "fraction_below": round(below, 4),
        "fraction_above": round(above, 4),
    }


__all__ = ["FRACTION", "time_in_range", "time_to_steady_state"]
