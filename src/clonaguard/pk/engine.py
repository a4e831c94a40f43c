"""Linear 1- and 2-compartment models with first-order absorption, solved in closed form from event to event.

The amounts obey dx/dt = K x + r, with K constant between events (the ADVAN2/ADVAN4 systems). With K = V Λ V⁻¹
the solution over a step dt is exact: in modal coordinates y = V⁻¹ x each mode decays by exp(λ dt) and a
constant input adds (exp(λ dt) − 1)/λ. The state is held in modal coordinates for all subjects at once, so a
step is a few elementwise NumPy operations; no ODE solver is involved.

Absorption lag and bioavailability are one value per compartment for every subject (so all subjects share
one timeline); clearances and volumes may differ by subject.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from clonaguard.errors import InvalidInputError
from clonaguard.pk.events import CENTRAL, Event, expand, validate

Structure = Literal["1cmt", "2cmt"]
Array = NDArray[np.float64]
# Absorption is moved this far (relative) off a disposition rate it equals, where V is singular.
SEPARATION = 1e-7

_RESET, _SS, _RATE_OFF, _RATE_ON, _BOLUS, _OBSERVE = range(6)


@dataclass(frozen=True)
class Subjects:
    """Per-subject parameters (arrays of one length); `q` and `v2` only for the two-compartment model."""

    structure: Structure
    cl: Array
    v: Array
    ka: Array
    q: Array | None = None
    v2: Array | None = None
    bioavailability: Mapping[int, float] = field(default_factory=dict)
    lag: Mapping[int, float] = field(default_factory=dict)

    @property
    def compartments(self) -> int:
        return 2 if self.structure == "1cmt" else 3

    @property
    def count(self) -> int:
        return int(self.cl.shape[0])


class Modes:
    """K = V diag(λ) V⁻¹ for every subject: λ (n, m), V and V⁻¹ (n, m, m).

    The stepping loop works on mode-major copies, (m, n), so that every operation runs over contiguous rows."""

    def __init__(self, subjects: Subjects) -> None:
        k = _system(subjects)
        lam, vec = np.linalg.eig(k)
        self.lam: Array = np.real(lam).astype(np.float64)
        self.vec: Array = np.real(vec).astype(np.float64)
        self.inv: Array = np.asarray(np.linalg.inv(self.vec), dtype=np.float64)
        self.observe: Array = self.vec[:, CENTRAL - 1, :] / subjects.v[:, None]
        self.rows_lam: Array = np.ascontiguousarray(self.lam.T)
        self.rows_observe: Array = np.ascontiguousarray(self.observe.T)
        self.rows_into: Array = np.ascontiguousarray(self.inv.transpose(2, 1, 0))  # (cmt, m, n)
        self._cache: dict[float, tuple[Array, Array]] = {}

    def step(self, dt: float) -> tuple[Array, Array]:
        """exp(λ dt) and (exp(λ dt) − 1)/λ, mode-major, cached by dt (a grid has few distinct steps)."""
        found = self._cache.get(dt)
        if found is None:
            found = (np.exp(self.rows_lam * dt), np.expm1(self.rows_lam * dt) / self.rows_lam)
            if len(self._cache) < 256:
                self._cache[dt] = found
        return found

    def into(self, cmt: int) -> Array:
        """The modal image of a unit amount put into compartment `cmt`, (n, m)."""
        return self.inv[:, :, cmt - 1]


def _system(subjects: Subjects) -> Array:
    n, m = subjects.count, subjects.compartments
    k10 = subjects.cl / subjects.v
    ka = _separated(subjects)
    k = np.zeros((n, m, m))
    k[:, 0, 0] = -ka
    k[:, 1, 0] = ka
    k[:, 1, 1] = -k10
    if subjects.structure == "2cmt":
        assert subjects.q is not None and subjects.v2 is not None
        k12, k21 = subjects.q / subjects.v, subjects.q / subjects.v2
        k[:, 1, 1] -= k12
        k[:, 1, 2] = k21
        k[:, 2, 1] = k12
        k[:, 2, 2] = -k21
    return k


def disposition_rates(subjects: Subjects) -> Array:
    """The elimination rate constants of the central (and peripheral) system: k, or α and β, (n, 1 or 2)."""
    k10 = subjects.cl / subjects.v
    if subjects.structure == "1cmt":
        return k10[:, None]
    assert subjects.q is not None and subjects.v2 is not None
    k12, k21 = subjects.q / subjects.v, subjects.q / subjects.v2
    total = k10 + k12 + k21
    root = np.sqrt(total**2 - 4 * k10 * k21)
    return np.stack([(total + root) / 2, 2 * k10 * k21 / (total + root)], axis=1)


def _separated(subjects: Subjects) -> Array:
    """ka, moved by a relative SEPARATION where it (nearly) equals a disposition rate (V would be singular)."""
    ka = subjects.ka.astype(float)
    for rate in disposition_rates(subjects).T:
        close = np.abs(ka - rate) < SEPARATION * rate
        ka = np.where(close, rate * (1 + SEPARATION), ka)
    return ka


@dataclass(frozen=True, slots=True)
class _Action:
    time: float
    order: int
    seq: int
    cmt: int = CENTRAL
    value: float = 0.0
    epoch: int = 0
    event: Event | None = None
    replace: bool = False


def _actions(events: Sequence[Event], times: Array, subjects: Subjects) -> list[_Action]:
    """Doses become boluses and infusion starts/ends at their lagged times; resets open a new epoch."""
    actions: list[_Action] = []
    epoch = 0
    for event in expand(events):
        seq = len(actions)
        if event.resets:
            epoch += 1
            actions.append(_Action(event.time, _RESET, seq, epoch=epoch))
        if not event.is_dose:
            continue
        f = subjects.bioavailability.get(event.cmt, 1.0)
        lag = subjects.lag.get(event.cmt, 0.0)
        if event.ss:
            actions.extend(_steady_state_actions(event, f, lag, epoch, seq))
        start = event.time + lag
        if event.rate > 0:
            duration = f * event.amt / event.rate
            actions.append(_Action(start, _RATE_ON, seq, event.cmt, event.rate, epoch))
            actions.append(_Action(start + duration, _RATE_OFF, seq, event.cmt, event.rate, epoch))
        else:
            actions.append(_Action(start, _BOLUS, seq, event.cmt, f * event.amt, epoch))
    actions.extend(_Action(float(t), _OBSERVE, index) for index, t in enumerate(times))
    actions.sort(key=lambda action: (action.time, action.order, action.seq))
    return actions


def _steady_state_actions(event: Event, f: float, lag: float, epoch: int, seq: int) -> list[_Action]:
    """The steady state before the record's own dose; an infusion of the previous cycle may still run."""
    actions = [_Action(event.time, _SS, seq, event.cmt, f, epoch, event, replace=event.ss == 1)]
    if lag >= event.ii:
        raise InvalidInputError(
            f"tlag: {lag:g} h is not shorter than the dosing interval ii ({event.ii:g} h) of a steady-state dose"
        )
    if event.rate > 0:
        duration = f * event.amt / event.rate
        if duration > event.ii:
            raise InvalidInputError(
                f"rate: an infusion of {duration:g} h is longer than its steady-state interval ii ({event.ii:g} h)"
            )
        phase = event.ii - lag
        if phase < duration:
            actions.append(_Action(event.time, _RATE_ON, seq, event.cmt, event.rate, epoch))
            actions.append(_Action(event.time + duration - phase, _RATE_OFF, seq, event.cmt, event.rate, epoch))
    return actions


def _periodic_state(modes: Modes, event: Event, f: float, lag: float) -> Array:
    """The modal state at the record's time when the dose has been given every ii for ever (lag < ii)."""
    unit = modes.into(event.cmt)
    lam = modes.lam
    phase = event.ii - lag
    cycle = -np.expm1(lam * event.ii)  # 1 − exp(λ ii)
    if event.rate <= 0:
        return unit * f * event.amt * np.exp(lam * phase) / cycle
    duration = f * event.amt / event.rate
    gain = unit * event.rate * np.expm1(lam * duration) / lam
    start = gain * np.exp(lam * (event.ii - duration)) / cycle
    if phase >= duration:
        return start * np.exp(lam * phase) + gain * np.exp(lam * (phase - duration))
    return start * np.exp(lam * phase) + unit * event.rate * np.expm1(lam * phase) / lam


def simulate(subjects: Subjects, events: Sequence[Event], times: Sequence[float] | Array) -> Array:
    """Concentration in the central compartment (amount / volume units) at `times`, shape (subjects, times)."""
    records = validate(events, subjects.compartments)
    grid = np.asarray(times, dtype=float)
    if grid.size and not np.all(grid >= 0):
        raise InvalidInputError("times: an output time is before time 0; accepted: 0 or later")
    modes = Modes(subjects)
    m = subjects.compartments
    out = np.empty((grid.size, subjects.count))
    state = np.zeros((m, subjects.count))  # modal amounts, mode-major
    rates = np.zeros(m)
    inflow = np.zeros_like(state)
    scratch = np.empty(subjects.count)
    now, epoch = 0.0, 0
    for action in _actions(records, grid, subjects):
        if action.epoch < epoch and action.order != _OBSERVE:
            continue  # given before a reset that came after it
        if action.time > now:
            decay, gain = modes.step(action.time - now)
            state *= decay
            if rates.any():
                state += inflow * gain  # constant infusions during the step
            now = action.time
        if action.order == _OBSERVE:
            row = out[action.seq]
            np.multiply(modes.rows_observe[0], state[0], out=row)
            for mode in range(1, m):
                row += np.multiply(modes.rows_observe[mode], state[mode], out=scratch)
        elif action.order == _BOLUS:
            state += modes.rows_into[action.cmt - 1] * action.value
        elif action.order == _RESET:
            epoch = action.epoch
            state[:] = 0.0
            rates[:] = 0.0
            inflow[:] = 0.0
        elif action.order == _SS:
            assert action.event is not None
            periodic = _periodic_state(modes, action.event, action.value, subjects.lag.get(action.cmt, 0.0)).T
            state = np.ascontiguousarray(periodic) if action.replace else state + periodic
        else:
            rates[action.cmt - 1] += action.value if action.order == _RATE_ON else -action.value
            if abs(rates[action.cmt - 1]) < 1e-12:
                rates[action.cmt - 1] = 0.0
            inflow = np.einsum("cmn,c->mn", modes.rows_into, rates)
    result: Array = out.T
    return result


__all__ = ["SEPARATION", "Array", "Modes", "Structure", "Subjects", "disposition_rates", "simulate"]
