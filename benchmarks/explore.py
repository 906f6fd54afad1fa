"""The explorer's axes and what the search adds, measured.

1. Axes: each behaviour descriptor (genontology.explore.AXES) measured on every shipped exemplar that passes
   the playable gate, as quantiles, beside the edges the axes use: an axis whose bins the published games
   do not spread over would waste its cells.
2. Search against no search, at an equal number of gate judgements: MAP-Elites from START designs for
   GENERATIONS rounds of BATCH number variations, against the same budget of number variations drawn from
   the start designs alone (no archive to build on): cells filled and QD score, per seed.

    .venv/bin/python benchmarks/explore.py [--games 40] [--generations 6] [--batch 6] [--seeds 3]
        [--only axes|search]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from genontology import get_domain
from genontology.agents import Designer
from genontology.execution import LocalExecutor
from genontology.explore import AXES, Archive, explore
from genontology.explore.search import Settings, judge_design, judge_into, vary_numbers

START = ("king_of_tokyo", "euchre", "go_fish", "gin_rummy")  # pass the gate, judged in seconds


def axes(games: int) -> None:
    tabletop = get_domain("tabletop")
    measured: dict[str, list[float]] = {name: [] for name in AXES}
    passed = 0
    exemplars = tabletop.load_exemplars()
    with LocalExecutor(processes=os.cpu_count() or 1) as pool:
        calls = [(d.model_dump(mode="json"), 0, games, None) for d in exemplars]
        for test in pool.map(judge_design, calls):
            if "refused" in test or not test["gate"]["passed"]:
                continue
            passed += 1
            for name, axis in AXES.items():
                measured[name].append(axis.measure(test))
    print(f"\n{passed} of {len(exemplars)} exemplars pass the gate ({games} games a judgement)\n")
    print("| axis | 10% | 25% | 50% | 75% | 90% | edges | exemplars a bin |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for name, axis in AXES.items():
        values = sorted(measured[name])
        q = statistics.quantiles(values, n=20)
        per_bin = [sum(axis.bin(v) == b for v in values) for b in range(len(axis.edges) + 1)]
        print(
            f"| {axis.label} | {q[1]:.2f} | {q[4]:.2f} | {q[9]:.2f} | {q[14]:.2f} | {q[17]:.2f} "
            f"| {', '.join(f'{e:g}' for e in axis.edges)} | {per_bin} |"
        )


def no_search(seeded: Archive, settings: Settings, budget: int, seed: int) -> Archive:
    """The same number of number variations, each drawn from a start design, none from what was found."""
    archive = seeded.model_copy(deep=True)
    rng = random.Random(f"baseline:{seed}")
    starts = [(k, e) for k, e in archive.elites.items() if e.origin == "start"]
    candidates = []
    while len(candidates) < budget:
        key, elite = rng.choice(starts)
        varied = vary_numbers(elite, key, rng)
        if varied is not None:
            candidates.append(varied)
    with LocalExecutor(processes=os.cpu_count() or 1) as pool:
        judge_into(archive, candidates, pool, settings)
    return archive


def search(games: int, generations: int, batch: int, seeds: int) -> None:
    tabletop = get_domain("tabletop")
    by_id = {d.id: d for d in tabletop.load_exemplars()}
    start = [by_id[i] for i in START]
    trace = Path(__file__).parent.parent / "tests/data/embedded_trace.json"
    designer = Designer(lm=f"replay:{trace}")  # never asked: no themes, no stage variations
    print(f"\nFrom {', '.join(START)}: {generations} generations of {batch} number variations, {games} games")
    print("\n| seed | start: cells | MAP-Elites: cells | QD score | no search: cells | QD score | s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for seed in range(seeds):
        with tempfile.TemporaryDirectory() as tmp:
            began = time.perf_counter()
            seeded = explore(
                designer,
                [],
                out=Path(tmp) / "s",
                start=start,
                designs=0,
                generations=0,
                games=games,
                seed=seed,
                processes=os.cpu_count() or 1,
            )
            found = explore(
                designer,
                [],
                out=Path(tmp) / "s",
                start=start,
                designs=0,
                generations=generations,
                batch=batch,
                variations=0,
                games=games,
                seed=seed,
                processes=os.cpu_count() or 1,
            )
            seconds = time.perf_counter() - began
        settings = Settings(tuple(AXES[a] for a in found.axes), seed, games, None)
        judged = found.evaluations - seeded.evaluations
        baseline = no_search(seeded, settings, judged, seed)
        rows.append((len(found.elites), found.qd_score, len(baseline.elites), baseline.qd_score))
        print(
            f"| {seed} | {len(seeded.elites)} | {len(found.elites)} | {found.qd_score:.2f} "
            f"| {len(baseline.elites)} | {baseline.qd_score:.2f} | {seconds:.0f} |"
        )
    medians = [statistics.median(r[i] for r in rows) for i in range(4)]
    print(
        f"\nMedian: MAP-Elites {medians[0]:g} cells, QD {medians[1]:.2f}; no search {medians[2]:g} cells, "
        f"QD {medians[3]:.2f} (x{medians[1] / max(medians[3], 1e-9):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--games", type=int, default=40)
    parser.add_argument("--generations", type=int, default=6)
    parser.add_argument("--batch", type=int, default=6)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", choices=("axes", "search"), help="One of the two measurements.")
    args = parser.parse_args()
    machine = platform.processor() or platform.machine()
    print(f"{machine}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    if args.only != "search":
        axes(args.games)
    if args.only != "axes":
        search(args.games, args.generations, args.batch, args.seeds)


if __name__ == "__main__":
    main()
