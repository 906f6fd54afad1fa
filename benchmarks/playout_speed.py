"""Playout speed: 200 random playouts per exemplar on one core, and the scaling of a playtest with processes.

Part 1 pins the process to one core and times 200 seeded random playouts of every shipped exemplar
(median of --repeat runs): playouts per second, and how many exemplars finish 200 playouts under 2 s.
Part 2 times a whole playtest (random playouts, the greedy skill probe, the dominance duels) of a few
exemplars with 1..N worker processes; the 1-process time measured in the same run is the baseline.

    python benchmarks/playout_speed.py [--repeat 3] [--processes 1,2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology import get_domain
from genontology.playtest import Tabletop, playtest

PLAYOUTS = 200
SCALING = ["catan", "splendor", "ticket_to_ride", "wingspan"]


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", default=f"1,{os.cpu_count() or 1}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    exemplars = {d.id: d for d in get_domain("tabletop").load_exemplars()}
    every_core = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(every_core)})  # "on one core", literally
    per_exemplar = {}
    for name, design in exemplars.items():
        game = Tabletop(design)
        seconds = timed(lambda g=game: playtest(g, games=PLAYOUTS, seed=0), args.repeat)
        per_exemplar[name] = round(seconds, 4)
    os.sched_setaffinity(0, every_core)
    counts = sorted(int(p) for p in args.processes.split(","))
    scaling = {}
    for name in SCALING:
        game = Tabletop(exemplars[name])
        runs = {
            p: timed(
                lambda g=game, p=p: playtest(
                    g, games=PLAYOUTS, seed=0, bots=("random", "greedy"), skill_games=40, processes=p
                ),
                args.repeat,
            )
            for p in counts
        }
        scaling[name] = {
            p: {"s": round(t, 3), "speedup": round(runs[counts[0]] / t, 2)} for p, t in runs.items()
        }
    times = sorted(per_exemplar.values())
    result = {
        "machine": machine(),
        "playouts": PLAYOUTS,
        "median_s_per_200": round(statistics.median(times), 4),
        "max_s_per_200": max(times),
        "slowest": max(per_exemplar, key=per_exemplar.__getitem__),
        "under_2s": sum(t < 2 for t in times),
        "exemplars": len(times),
        "median_playouts_per_s": round(PLAYOUTS / statistics.median(times)),
        "per_exemplar_s": per_exemplar,
        "playtest_scaling": scaling,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    print(
        f"{PLAYOUTS} random playouts on one core: median {result['median_s_per_200']:.3f} s over"
        f" {len(times)} exemplars ({result['median_playouts_per_s']} playouts/s), max"
        f" {result['max_s_per_200']:.2f} s ({result['slowest']}); {result['under_2s']}/{len(times)} under 2 s"
    )
    for name, row in scaling.items():
        cells = ", ".join(f"{p} proc {r['s']:.2f} s (x{r['speedup']:.2f})" for p, r in row.items())
        print(f"playtest of {name} (200 random + greedy probe + duels): {cells}")


if __name__ == "__main__":
    main()
