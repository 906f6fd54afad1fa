"""How long does the playable gate take? `playtest_design` (the calibrated gate: sequential random playouts,
the skill ladder, the duels) on shipped exemplars, at each cap on random playouts and each number of worker
processes; the games each part actually played (sequential sampling stops early on clear cases); and whether
the verdict and every number are the same whatever the number of processes. Baseline in the same run: one
process, the default cap of 200.

    python benchmarks/gate_speed.py [--exemplars N] [--caps 100,200] [--processes 1,2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology import get_domain
from genontology.playtest.evaluate import playtest_design


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--exemplars", type=int, default=20, help="every fourth exemplar in id order, up to N"
    )
    parser.add_argument("--caps", default="100,200")
    parser.add_argument("--processes", default="1,2")
    args = parser.parse_args()
    designs = sorted(get_domain("tabletop").load_exemplars(), key=lambda d: d.id)[::4][: args.exemplars]
    caps = [int(c) for c in args.caps.split(",")]
    counts = [int(p) for p in args.processes.split(",")]
    seconds: dict[tuple[int, int], list[float]] = {(c, p): [] for c in caps for p in counts}
    same, rows = True, []
    for design in designs:
        verdicts = {}
        for cap in caps:
            for processes in counts:
                began = time.perf_counter()
                result = playtest_design(design, games=cap, processes=processes)
                seconds[cap, processes].append(time.perf_counter() - began)
                verdicts[cap, processes] = result.as_dict()
            same &= all(verdicts[cap, p] == verdicts[cap, counts[0]] for p in counts)
        gate = result.gate
        assert gate is not None
        rows.append(
            f"| {design.id} | {result.report.games} | {sum(r.estimate.games for r in gate.ladder)}"
            f" | {sum(e.games for e in gate.duels.values())} | {seconds[caps[-1], counts[-1]][-1]:.1f} |"
            f" {'pass' if result.passed else 'fail: ' + ', '.join(c.name for c in gate.failed)} |"
        )
    print(f"{machine()}; {len(designs)} exemplars (every fourth by id)")
    base = statistics.median(seconds[caps[-1], counts[0]])
    baseline = f"ratio to {counts[0]} process, cap {caps[-1]}"
    print(f"\n| cap on random playouts | processes | median s | max s | {baseline} |")
    print("|---:|---:|---:|---:|---:|")
    for (cap, processes), times in seconds.items():
        median = statistics.median(times)
        print(f"| {cap} | {processes} | {median:.1f} | {max(times):.1f} | x{base / median:.2f} |")
    print(f"\nsame numbers whatever the processes: {same}")
    print(
        f"\n| exemplar | random playouts | ladder games | duel games | s ({counts[-1]} processes) | verdict |"
    )
    print("|---|---:|---:|---:|---:|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
