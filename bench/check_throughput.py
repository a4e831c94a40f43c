"""Checks per second in-process on one core, beside the cost of only validating the same case JSON.

Also times the safer-regimen search on each case (the figure an order-sign with findings pays for its corrected
order), and `clonaguard check` end to end (a new process, import time included) beside a bare Python start.
With --baseline-src (the src/ of an earlier checkout, e.g. a `git worktree` of origin/main) the same in-process
figures of that code are measured in the same run, in a child process, and printed beside these.
Run: .venv/bin/python bench/check_throughput.py [--baseline-src /tmp/base/src] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from timing import one_core

from clonaguard.alternatives import safer_regimen
from clonaguard.check import check, parse_case
from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Report

CASES: dict[str, dict[str, Any]] = {
    "adult, new course, no finding": {"patient": {"age_years": 34}, "orders": [{"dose_mg": 0.5, "times_per_day": 3}]},
    "adult, continuing, no finding": {
        "patient": {"age_years": 45, "weight_kg": 80},
        "continuing": True,
        "orders": [{"dose_mg": 2, "times_per_day": 3}],
    },
    "child, 1 finding": {"patient": {"age_years": 4}, "orders": [{"dose_mg": 1.5, "times_per_day": 3}]},
    "pregnant inpatient, 4 findings": {
        "patient": {"age_years": 29, "pregnant": True},
        "setting": "inpatient",
        "acute": True,
        "orders": [{"dose_mg": 4, "times_per_day": 4}],
    },
    "two-order history, 2 findings": {
        "patient": {"age_years": 60, "alcohol_use": True},
        "continuing": True,
        "orders": [
            {"start": "2026-02-01", "dose_mg": 1, "times_per_day": 3},
            {"start": "2026-02-05", "dose_mg": 3, "times_per_day": 2},
        ],
    },
}
TEXTS = [json.dumps({"today": "2026-03-01", **case}).encode() for case in CASES.values()]


def cli_ms(args: list[str], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def per_call_us(works: list[Callable[[], object]], rounds: int = 80, calls: int = 40) -> list[float]:
    """µs per call of each work: the fastest of `rounds` short batches of `calls` calls, the works taken in turn.

    On a shared machine the load comes and goes: taken in turn, the works meet it alike, and the fastest batch
    (well under a millisecond) is one that no other process interrupted. The table's ratios divide one work's
    figure by another's, so measuring them side by side matters more than the figures themselves.
    """
    best = [float("inf")] * len(works)
    for work in works:
        work()
    for _ in range(rounds):
        for position, work in enumerate(works):
            begin = time.perf_counter()
            for _ in range(calls):
                work()
            best[position] = min(best[position], time.perf_counter() - begin)
    return [1e6 * seconds / calls for seconds in best]


def check_text(text: bytes, label: Label) -> Report:
    return check(parse_case(text), label)


Figures = tuple[float, float, float, float]


def measure() -> list[Figures]:
    """Per case, in µs: validating its JSON, parse_case alone, parse_case and check, the safer-regimen search."""
    label = load_label()
    figures = []
    for text in TEXTS:
        validate, parse, full = per_call_us(
            [partial(Case.model_validate_json, text), partial(parse_case, text), partial(check_text, text, label)]
        )
        (search,) = per_call_us([partial(safer_regimen, parse_case(text), label)], rounds=20, calls=5)
        figures.append((validate, parse, full, search))
    return figures


def profile_split(rounds: int = 3000) -> dict[str, float]:
    """Share of the mix's parse-and-check time by part, from cProfile's cumulative times (profiler overhead
    included, so read the shares, not the absolute figures)."""
    label = load_label()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for text in TEXTS:
            check_text(text, label)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    cumulative: dict[str, float] = {}
    for (path, _, name), (_, _, _, cum, _) in stats.items():
        part = _part(path, name)
        if part is not None:
            cumulative[part] = cumulative.get(part, 0.0) + cum
    total = cumulative.pop("total")
    shares = {part: 100 * seconds / total for part, seconds in sorted(cumulative.items())}
    # Python function calls per check: a count, so unlike the times it does not move with the machine's load
    calls = sum(primitive for primitive, *_ in stats.values()) / (rounds * len(TEXTS))
    return {**shares, CALLS: calls}


def _part(path: str, name: str) -> str | None:
    if name == "check_text":
        return "total"
    if path.endswith("check.py") and name in {"parse_case", "check"}:
        return f"{name} (all of it)"
    if name in {"validate_input", "expand_case", "loads", "_json_value", "model_validate_json"}:
        return f"parse: {name}"
    if path.endswith("model.py") and name in {"steps", "daily_dose_mg"}:
        return f"case: {name} (first use)"
    if "/rules/" in path and (name in RULE_NAMES or name == "applicable_rules"):
        return f"rule: {name}"
    return None


CALLS = "function calls per parse + check (a count)"
RULE_NAMES = {
    "adult_daily_dose", "start_dose", "pediatric_daily_dose", "frequency", "divided_in_three", "contraindications",
    "between_meals", "titration_pace", "titration_step", "course_duration", "tolerance_increase", "abrupt_stop",
    "taper_pace",
}  # fmt: skip


def child(src: str, flag: str) -> Any:
    """What this script prints with `flag` when run on the code under `src`, in a child process."""
    if not (Path(src) / "clonaguard" / "__init__.py").is_file():  # else the child would measure this checkout
        raise SystemExit(f"--baseline-src {src}: no clonaguard package there")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(src).resolve()), str(Path(__file__).parent)])}
    result = subprocess.run([sys.executable, __file__, flag], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def row(name: str, figures: Figures) -> str:
    validate, parse, full, search = figures
    rules, alone = full - validate, full - parse
    return (
        f"{name:<34}{validate:>9.1f}{parse:>8.1f}{full:>8.1f}{rules:>8.1f}{rules / validate:>9.2f}"
        f"{alone:>8.1f}{alone / validate:>9.2f}{search:>9.0f}"
    )


def table(title: str, figures: list[Figures]) -> None:
    print(
        f"{title}\n{'case (µs; ratios ÷ validate)':<34}{'validate':>9}{'parse':>8}{'check':>8}{'rules':>8}"
        f"{'ratio':>9}{'alone':>8}{'ratio':>9}{'search':>9}"
    )
    for name, case_figures in zip(CASES, figures, strict=True):
        print(row(name, case_figures))
    mean = tuple(statistics.fmean(column) for column in zip(*figures, strict=True))
    print(row("mix (mean)", mean))  # type: ignore[arg-type]
    print(f"checks per second over the mix: {1e6 / mean[2]:,.0f} (aim >= 20,000); rules ÷ validation aim <= 1\n")


def split_table(splits: dict[str, dict[str, float]]) -> None:
    print(f"{'share of parse_case + check (cProfile)':<44}" + "".join(f"{title:>16}" for title in splits))
    for part in sorted({part for split in splits.values() for part in split}):
        unit = "" if part == CALLS else "%"
        print(f"{part:<44}" + "".join(f"{split.get(part, 0.0):>15.1f}{unit or ' '}" for split in splits.values()))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", help="src/ of an earlier checkout, measured in the same run")
    parser.add_argument("--profile", action="store_true", help="also print where parse_case + check spend time")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    one_core()
    if args.measure_only or args.profile_only:
        print(json.dumps(measure() if args.measure_only else profile_split()))
        return
    print("In-process, one core, fastest batches. rules: check minus validation of the same JSON (everything the rules")
    print("compute for a fresh case, parse_case's reading included); alone: check minus parse_case (the rules only);")
    print("search: the safer-regimen search on the parsed case.\n")
    if args.profile:
        splits = {"this checkout": profile_split()}
        if args.baseline_src:
            splits = {"baseline": child(args.baseline_src, "--profile-only"), **splits}
        split_table(splits)
    if args.baseline_src:
        table(f"baseline: {args.baseline_src}", child(args.baseline_src, "--measure-only"))
    table("this checkout", measure())

    clonaguard = str(Path(sys.executable).with_name("clonaguard"))
    bare = cli_ms([sys.executable, "-c", "pass"])
    end_to_end = cli_ms([clonaguard, "check", "--dose-mg", "2", "--times-per-day", "3", "--age", "34", "--json"])
    print(f"{'end to end (median of 15)':<40}{'ms':>14}")
    print(f"{'python -c pass (baseline)':<40}{bare:>14.0f}")
    print(f"{'clonaguard check --json':<40}{end_to_end:>14.0f}   aim < 150 ms")


if __name__ == "__main__":
    main()
