"""Sigs per second on one core over the labelled corpus, beside baselines measured in the same run.

Baseline: only lower-casing and tokenising the same sigs with one regex (a floor no parser can beat).
In process, two figures: unique sigs (the corpus, each sig once, the reading cache emptied before every
pass, so every sig is read from scratch) and a mix with repeats (20,000 sigs drawn from the corpus with
weight 1/rank in file order, as a day's orders repeat their common sigs; the cache emptied before every
pass, so each distinct sig is read once per pass and its repeats come from the cache).
With --baseline-src, the same two figures from that checkout, measured in a subprocess in the same run.
End to end: `clonaguard parse --jsonl -` on 50,000 sigs (the corpus repeated, as a day's sigs repeat; and 50,000
distinct ones, each corpus sig with its own duration; both also with --jobs 2), start-up included, beside a
bare interpreter that reads the same lines and writes one JSON object each.
Both checkouts are byte-compiled first (PYTHONDONTWRITEBYTECODE=1 would otherwise compile a changed or
never-installed checkout again at every start of the command line, and the start-up would not compare alike).
With --profile, instead: where the time of reading unique sigs and writing their JSON lines goes (cProfile).
Run: .venv/bin/python bench/sig_throughput.py [--baseline-src ../main/src] [--profile]
"""

from __future__ import annotations

import argparse
import compileall
import cProfile
import json
import os
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timing import one_core, rate

from clonaguard.sig import parse_sig

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "sig" / "corpus.jsonl"
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+|\S")
END_TO_END = 50_000
MIX = 20_000
_ECHO = "import json, sys\nfor line in sys.stdin: sys.stdout.write(json.dumps({'text': line.rstrip()}) + '\\n')"


def _seconds(command: list[str], stdin_path: Path, source: str | None = None) -> float:
    """Wall time of one run of `command` with the file on standard input, output discarded; best of three."""
    best = float("inf")
    for _ in range(3):
        with stdin_path.open("rb") as stdin:
            begin = time.perf_counter()
            env = {**os.environ, "PYTHONPATH": source} if source else None
            subprocess.run(command, stdin=stdin, stdout=subprocess.DEVNULL, check=False, env=env)
            best = min(best, time.perf_counter() - begin)
    return best


def end_to_end(sigs: list[str], baseline_src: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="clonaguard-sigs-") as folder:
        path, distinct = Path(folder) / "sigs.txt", Path(folder) / "distinct.txt"
        path.write_text("\n".join(sigs[index % len(sigs)] for index in range(END_TO_END)) + "\n", encoding="utf-8")
        lines = (f"{sigs[index % len(sigs)]} x {index} days" for index in range(END_TO_END))
        distinct.write_text("\n".join(lines) + "\n", encoding="utf-8")
        echo = END_TO_END / _seconds([sys.executable, "-c", _ECHO], path)
        command = [sys.executable, "-m", "clonaguard", "parse", "--jsonl", "-"]
        earlier = END_TO_END / _seconds(command, path, baseline_src) if baseline_src else None
        earlier_distinct = END_TO_END / _seconds(command, distinct, baseline_src) if baseline_src else None
        cli = END_TO_END / _seconds(command, path)
        cli_distinct = END_TO_END / _seconds(command, distinct)
        jobs = END_TO_END / _seconds([*command, "--jobs", "2"], path)
        jobs_distinct = END_TO_END / _seconds([*command, "--jobs", "2"], distinct)
    print(f"{'baseline: python reads + writes JSON lines':<44}{echo:>12,.0f}{1e6 / echo:>10.1f}")
    if earlier and earlier_distinct:
        print(f"{'the same from --baseline-src':<44}{earlier:>12,.0f}{1e6 / earlier:>10.1f}")
        print(f"{'  distinct sigs, from --baseline-src':<44}{earlier_distinct:>12,.0f}{1e6 / earlier_distinct:>10.1f}")
    print(f"{'clonaguard parse --jsonl - --jobs 2':<44}{jobs:>12,.0f}{1e6 / jobs:>10.1f}")
    print(f"{'clonaguard parse --jsonl - (end to end)':<44}{cli:>12,.0f}{1e6 / cli:>10.1f}")
    print(f"{'  distinct sigs (none repeats)':<44}{cli_distinct:>12,.0f}{1e6 / cli_distinct:>10.1f}")
    print(f"{'  distinct sigs, --jobs 2':<44}{jobs_distinct:>12,.0f}{1e6 / jobs_distinct:>10.1f}")
    print(
        f"end to end, {END_TO_END:,} sigs with start-up, target >= 20,000 sigs/s: "
        f"repeated {'met' if cli >= 20_000 else 'NOT met'}, distinct {'met' if cli_distinct >= 20_000 else 'NOT met'}"
    )


def in_process(sigs: list[str], mix: list[str]) -> tuple[float, float]:
    """parse_sig per second: unique sigs, then the mix with repeats; the cache emptied before every pass."""

    def parse(batch: list[str]) -> Callable[[], None]:
        def work() -> None:
            getattr(parser_module, "clear_cache", lambda: None)()
            for sig in batch:
                parse_sig(sig)

        return work

    parser_module = sys.modules[parse_sig.__module__]
    return rate(parse(sigs), seconds=3) * len(sigs), rate(parse(mix), seconds=3) * len(mix)


def _earlier_in_process(baseline_src: str) -> tuple[float, float]:
    """The two in-process figures of the checkout at `baseline_src`, measured in a subprocess now."""
    bench = Path(__file__).resolve().parent
    script = f"import sys; sys.path[:0] = [{str(bench)!r}]; import sig_throughput as b; print(*b._measure())"
    env = {**os.environ, "PYTHONPATH": baseline_src}
    output = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    unique, mixed = output.stdout.split()
    return float(unique), float(mixed)


def _sigs() -> tuple[list[str], list[str]]:
    sigs = [json.loads(line)["sig"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    mix = random.Random(12).choices(sigs, weights=[1 / rank for rank in range(1, len(sigs) + 1)], k=MIX)
    return sigs, mix


def _measure() -> tuple[float, float]:
    one_core()
    return in_process(*_sigs())


# (file, function, indent) of the stages of reading one sig and writing its JSON line, in the order they run.
_STAGES = (
    ("readings.py", "_read_line", 0),
    ("parser.py", "parse_sig", 1),
    ("text.py", "normalise", 2),
    ("parser.py", "_read_step", 2),
    ("parser.py", "_read_leftovers", 3),
    ("parser.py", "_assemble", 2),
    ("parser.py", "_decide_dose", 3),
    ("parser.py", "_build_step", 3),
    ("main.py", "model_validate", 3),
    ("model.py", "trusted", 3),
    ("orders.py", "uncertainties", 1),
    ("main.py", "model_dump_json", 1),
)


def profile(sigs: list[str], passes: int = 10) -> None:
    """The share of each stage in reading the corpus `passes` times (cache emptied) and writing its JSON lines."""
    from clonaguard.cli.readings import _read_line

    parser_module = sys.modules[parse_sig.__module__]
    profiler = cProfile.Profile()
    for _ in range(passes):
        getattr(parser_module, "clear_cache", lambda: None)()
        profiler.runcall(lambda: [_read_line(sig, False) for sig in sigs])
    table = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    cumulative: dict[tuple[str, str], float] = {}
    own: dict[str, float] = {}
    for (file, _, function), (_, _, own_time, total_time, _) in table.items():
        key = (Path(file).name, function)
        cumulative[key] = cumulative.get(key, 0.0) + total_time
        name = f"{Path(file).name}:{function}" if file != "~" else function
        own[name] = own.get(name, 0.0) + own_time
    whole = cumulative[("readings.py", "_read_line")]
    print(f"profile: {passes} passes over {len(sigs)} unique sigs, share of writing their JSON lines")
    for file, function, indent in _STAGES:
        share = cumulative.get((file, function), 0.0) / whole
        print(f"{'  ' * indent + function:<44}{share:>11.1%}")
    print("most own time:")
    for name, seconds in sorted(own.items(), key=lambda item: -item[1])[:12]:
        print(f"  {name[:70]:<72}{seconds / whole:>7.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-src", help="src/ of an earlier checkout: its figures beside these")
    parser.add_argument("--profile", action="store_true", help="print where the time goes instead")
    args = parser.parse_args()
    one_core()
    sigs, mix = _sigs()
    if args.profile:
        profile(sigs)
        return
    for source in (str(Path(__file__).resolve().parents[1] / "src"), args.baseline_src):
        if source:
            compileall.compile_dir(source, quiet=1)

    def tokenise() -> None:
        for sig in sigs:
            _TOKEN.findall(sig.lower())

    baseline = rate(tokenise, seconds=3) * len(sigs)
    # Interleaved, the best of two each, so a change of load between them favours neither.
    unique, mixed, earlier = 0.0, 0.0, (0.0, 0.0)
    for _ in range(2):
        if args.baseline_src:
            before = _earlier_in_process(args.baseline_src)
            earlier = (max(earlier[0], before[0]), max(earlier[1], before[1]))
        now = in_process(sigs, mix)
        unique, mixed = max(unique, now[0]), max(mixed, now[1])
    print(f"corpus: {len(sigs)} sigs, one core; mix: {MIX:,} sigs, {len(set(mix))} distinct")
    print(f"{'what':<44}{'sigs/s':>12}{'µs/sig':>10}")
    print(f"{'baseline: lower-case + one-regex tokenise':<44}{baseline:>12,.0f}{1e6 / baseline:>10.1f}")
    rows = [("parse_sig, unique sigs (uncached)", unique), ("parse_sig, mix with repeats (cached)", mixed)]
    if args.baseline_src:
        rows[:0] = [
            ("the same from --baseline-src, unique", earlier[0]),
            ("the same from --baseline-src, mix", earlier[1]),
        ]
    for name, figure in rows:
        print(f"{name:<44}{figure:>12,.0f}{1e6 / figure:>10.1f}")
    print(f"parse_sig on unique sigs costs {baseline / unique:.0f} times the tokenising baseline")
    print(
        f"in process, target >= 40,000 sigs/s: unique {'met' if unique >= 40_000 else 'NOT met'}, "
        f"mix {'met' if mixed >= 40_000 else 'NOT met'}"
    )
    end_to_end(sigs, args.baseline_src)


if __name__ == "__main__":
    main()
