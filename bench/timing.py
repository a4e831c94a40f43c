"""Timing shared by the bench scripts: one core, calls per second, median milliseconds."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable


def one_core() -> None:
    """Pin this process to one core, so figures are per core and the other core is left to the system."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def rate(work: Callable[[], object], seconds: float = 1.5, clock: Callable[[], float] = time.perf_counter) -> float:
    """Calls of `work` per second: the best of three runs of about `seconds` / 3 each, after a warm-up call.

    `clock=time.process_time` counts this process's CPU time only, steadier on a shared machine.
    """
    work()
    best = 0.0
    for _ in range(3):
        calls, begin = 0, clock()
        while (elapsed := clock() - begin) < seconds / 3:
            work()
            calls += 1
        best = max(best, calls / elapsed)
    return best


def median_ms(work: Callable[[], object], repeats: int) -> float:
    """The median time of one call of `work`, in milliseconds, after a warm-up call."""
    work()
    timings = []
    for _ in range(repeats):
        begin = time.perf_counter()
        work()
        timings.append((time.perf_counter() - begin) * 1000)
    return statistics.median(timings)
