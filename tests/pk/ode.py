"""An independent reference: the same models as ODEs, integrated by scipy's solve_ivp between breakpoints.

Doses, lags, infusions and resets are expanded here on their own (not by the engine), so a shared mistake
in that bookkeeping cannot hide. Steady-state records are not covered: they are tested against the limit
of repeated dosing instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from clonaguard.pk.engine import Subjects
from clonaguard.pk.events import Event


def _matrix(subjects: Subjects, index: int) -> NDArray[np.float64]:
    cl, v, ka = subjects.cl[index], subjects.v[index], subjects.ka[index]
    if subjects.structure == "1cmt":
        return np.array([[-ka, 0.0], [ka, -cl / v]])
    assert subjects.q is not None and subjects.v2 is not None
    q, v2 = subjects.q[index], subjects.v2[index]
    return np.array([[-ka, 0.0, 0.0], [ka, -(cl + q) / v, q / v2], [0.0, q / v, -q / v2]])


def _records(events: Sequence[Event]) -> list[tuple[float, Event, bool]]:
    """Records in data order (by time, ties in the order given), addl doses written out: (time, record, first)."""
    expanded: list[tuple[float, Event, bool]] = []
    for event in sorted(events, key=lambda e: e.time):
        expanded.extend((event.time + k * event.ii, event, k == 0) for k in range(event.addl + 1))
    return sorted(expanded, key=lambda item: item[0])


def _schedule(subjects: Subjects, events: Sequence[Event]) -> list[tuple[float, str, int, float]]:
    """(time, kind, compartment index, value): boluses, rate changes and resets.

    A reset empties the compartments and stops infusions; what records before it (in data order) would still
    do at or after its time is dropped; doses recorded after it (addl ones too) are given."""
    records = _records(events)
    resets = [(i, t) for i, (t, e, first) in enumerate(records) if first and e.evid in (3, 4)]
    items: list[tuple[float, str, int, float]] = []
    for position, (record_time, event, first) in enumerate(records):
        if first and event.evid in (3, 4):
            items.append((record_time, "reset", 0, 0.0))
        if event.evid not in (1, 4):
            continue
        cancel = next((t for i, t in resets if i > position), None)
        f = subjects.bioavailability.get(event.cmt, 1.0)
        start = record_time + subjects.lag.get(event.cmt, 0.0)
        if cancel is not None and cancel <= start:
            continue
        if event.rate > 0:
            end = start + f * event.amt / event.rate
            items.append((start, "rate", event.cmt - 1, event.rate))
            if cancel is None or end < cancel:
                items.append((end, "rate", event.cmt - 1, -event.rate))
        else:
            items.append((start, "bolus", event.cmt - 1, f * event.amt))
    order = {"reset": 0, "rate": 1, "bolus": 2}
    return sorted(items, key=lambda item: (item[0], order[item[1]]))


def ode_concentrations(subjects: Subjects, events: Sequence[Event], times: Sequence[float]) -> NDArray[np.float64]:
    """Central concentration of subject 0 at `times`, integrated (rtol 1e-12) to each time and breakpoint in turn
    (not read from the solver's dense output, which is less exact)."""
    k = _matrix(subjects, 0)
    m = k.shape[0]
    pending = _schedule(subjects, events)
    wanted, back = np.unique(np.asarray(times, dtype=float), return_inverse=True)
    found = np.full(wanted.size, np.nan)
    state, rates, now = np.zeros(m), np.zeros(m), 0.0
    for stop in sorted({item[0] for item in pending} | set(wanted.tolist())):
        if stop > now:
            solution = solve_ivp(
                lambda _t, x, r=rates: k @ x + r, (now, stop), state, method="DOP853", rtol=1e-12, atol=1e-18
            )
            state, now = solution.y[:, -1], stop
        while pending and pending[0][0] <= now:
            _, kind, cmt, value = pending.pop(0)
            if kind == "reset":
                state, rates = np.zeros(m), np.zeros(m)
            elif kind == "rate":
                rates = rates.copy()
                rates[cmt] += value
            else:
                state = state.copy()
                state[cmt] += value
        found[wanted == now] = state[1] / subjects.v[0]
    result: NDArray[np.float64] = found[back]
    return result
