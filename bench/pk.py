"""PK engine throughput beside solve_ivp, measured in the same run.

Workload (issue 14): 10,000 subjects × 90 days, 0.5 mg three times a day (08:00, 14:00, 20:00), hourly output
(2,161 times), the model file's 70 kg typical subject with log-normal variability of CL/F. Figures:
- the closed-form engine on all 10,000 subjects (median of 5 runs after a warm-up; aim < 1 s);
- the same regimen through scipy's solve_ivp (LSODA, rtol 1e-8) for a sample of subjects, scaled up to
  10,000; the speed-up (aim >= 100x) and the largest relative difference between the two on the sample.
For scale: mrgsolve's published figure is 2,000 subjects × 57 doses in 5-10 s serial.

Run: .venv/bin/python bench/pk.py [--subjects 10000] [--sample 20]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp
from timing import median_ms, one_core

from clonaguard.pk.dosing import daily, from_clock
from clonaguard.pk.engine import Subjects, simulate
from clonaguard.pk.parameters import load_model, typical
from clonaguard.pk.simulate import population_clearances, subjects
from clonaguard.plan.tablets import day_times

DAYS = 90


def _ode(
    group: Subjects, index: int, dose_times: NDArray[np.float64], amt: float, times: NDArray[np.float64]
) -> NDArray[np.float64]:
    """One subject by solve_ivp, restarted at every dose (the fair way to integrate through boluses)."""
    ka, k = group.ka[index], group.cl[index] / group.v[index]
    matrix = np.array([[-ka, 0.0], [ka, -k]])
    out = np.empty(times.size)
    state, now, position = np.zeros(2), 0.0, 0
    for stop in [*dose_times[1:], times[-1] + 1.0]:
        if now in dose_times:
            state = state + np.array([amt, 0.0])
        inside = times[(times >= now) & (times < stop)]
        solution = solve_ivp(
            lambda _t, x: matrix @ x,
            (now, stop),
            state,
            method="LSODA",
            t_eval=np.append(inside, stop),
            rtol=1e-8,
            atol=1e-12,
        )
        out[position : position + inside.size] = solution.y[1, :-1] / group.v[index]
        position += inside.size
        state, now = solution.y[:, -1], stop
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    one_core()
    model = load_model()
    subject = typical(model, 70.0)
    group = subjects(subject, population_clearances(model, subject, args.subjects, seed=1))
    times_of_day = day_times(3)
    from datetime import date, timedelta

    first = date(2026, 1, 1)
    dosing = from_clock(daily(first, first + timedelta(days=DAYS - 1), times_of_day, [0.5] * 3))
    times = np.arange(0.0, DAYS * 24 + 1.0)
    levels: list[NDArray[np.float64]] = []

    def engine() -> None:
        levels[:] = [simulate(group, dosing.events, times)]  # keep only the last result (173 MB)

    engine_ms = median_ms(engine, repeats=5)
    sample = Subjects("1cmt", group.cl[: args.sample], group.v[: args.sample], group.ka[: args.sample])
    dose_times = np.array([event.time for event in dosing.events])
    begin = time.perf_counter()
    reference = np.array([_ode(sample, i, dose_times, 0.5, times) for i in range(args.sample)])
    ode_s = (time.perf_counter() - begin) * args.subjects / args.sample
    closed = levels[-1][: args.sample]
    mask = reference > 1e-6 * reference.max()
    difference = float(np.max(np.abs(closed[mask] - reference[mask]) / reference[mask]))
    print(f"workload: {args.subjects} subjects x {DAYS} days, {len(dosing.events)} doses, {times.size} output times")
    print(f"closed form (clonaguard.pk): {engine_ms / 1000:.3f} s   (aim < 1 s)")
    print(f"solve_ivp baseline: {args.sample} subjects scaled to {args.subjects}: {ode_s:.1f} s")
    print(f"speed-up: {ode_s / (engine_ms / 1000):.0f}x   (aim >= 100x)")
    print(f"largest relative difference on the sample (levels above 1e-6 of the peak): {difference:.2e}")


if __name__ == "__main__":
    main()
