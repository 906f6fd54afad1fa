"""Throughput on Ray against the local executor, in one run: playouts a second and designs an hour against the
number of Ray workers on a local multi-node cluster (`ray.cluster_utils.Cluster`, one CPU a node), beside the
local executor at the same worker counts; Ray's cost per task; and the numbers a projection to a real cluster
needs. Prints the tables BENCHMARKS.md quotes.

- Playouts: `playtest` of one exemplar (GAMES random playouts and a greedy skill probe), the same seeds on
  every executor (the results are checked identical).
- Designs: a batch of DESIGNS designs through `Designer.run_many` against `RecordedServer` (the embedded
  model's recorded answers after LATENCY seconds: a hosted model's answer time), the playable gate on; one Ray
  task a design, the local executor's threads sharing one process.
- Ray's cost: TASKS empty tasks, submitted at once and gathered (per task), and one at a time (round trip).

    .venv/bin/python benchmarks/scale.py [--workers 1,2,4] [--games 400] [--designs 8] [--latency 0.5]
        [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import ray
from ray.cluster_utils import Cluster

from genontology import get_domain
from genontology.agents import Designer, Switches
from genontology.execution import Executor, LocalExecutor, RayExecutor
from genontology.playtest import Tabletop, playtest
from genontology.testing.recorded_server import RecordedServer, recorded_prompts

TRACE = Path(__file__).parent.parent / "tests" / "data" / "embedded_trace.json"
NODE = {"num_cpus": 1, "object_store_memory": 80 * 1024**2}


def _nothing(x: int) -> int:
    return x


def task_cost(executor: RayExecutor, tasks: int) -> tuple[float, float]:
    """Seconds per empty task submitted in a batch, and per task submitted and awaited one at a time."""
    executor.map(_nothing, [(i,) for i in range(20)])  # workers started and the function shipped
    began = time.perf_counter()
    executor.map(_nothing, [(i,) for i in range(tasks)])
    batched = (time.perf_counter() - began) / tasks
    began = time.perf_counter()
    for i in range(tasks // 10):
        executor.map(_nothing, [(i,)])
    return batched, (time.perf_counter() - began) / (tasks // 10)


def playouts(game: Tabletop, games: int, executor: Executor) -> tuple[float, Any]:
    began = time.perf_counter()
    report = playtest(
        game, games, seed=0, bots=("random", "greedy"), skill_games=games // 4, executor=executor
    )
    return time.perf_counter() - began, report


def designs(designer: Designer, themes: list[str], out: Path, executor: Executor | str) -> tuple[float, int]:
    began = time.perf_counter()
    results = designer.run_many(themes, len(themes), out=out, executor=executor, players="2-4", minutes=60)
    return time.perf_counter() - began, sum(r.status == "failed" for r in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--games", type=int, default=400)
    parser.add_argument("--designs", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    exemplar = next(d for d in get_domain("tabletop").load_exemplars() if d.id == "stone_age")
    game = Tabletop(exemplar)
    themes = recorded_prompts(TRACE, args.designs)
    play: dict[tuple[str, int], list[float]] = {}
    design: dict[tuple[str, int], list[float]] = {}
    failed = 0
    tasks: dict[str, int] = {}  # tasks (or local chunks) one playtest makes, at the last worker count
    reference = None
    cluster = Cluster(initialize_head=True, head_node_args={**NODE, "num_cpus": 0})  # tasks go to nodes
    nodes: list[Any] = []
    ray_executor: RayExecutor | None = None
    with tempfile.TemporaryDirectory() as tmp, RecordedServer(TRACE, latency_s=args.latency) as server:
        lm = f"server:smollm2@{server.url}"
        designer = Designer(lm=lm, route="scratch", max_rounds=1, switches=Switches(critic=False, tune=False))
        designs(designer, themes[:1], Path(tmp) / "warm", "local")  # the store and the embedder, once
        for workers in counts:
            while len(nodes) < workers:
                nodes.append(cluster.add_node(**NODE))
            cluster.wait_for_nodes()
            if ray_executor is None:
                ray_executor = RayExecutor(cluster.address)
            designs(designer, themes[:workers], Path(tmp) / f"warm-ray{workers}", ray_executor)  # workers up
            for repeat in range(args.repeats):
                for name, executor in (("local", LocalExecutor(processes=workers)), ("ray", ray_executor)):
                    calls = executor.calls
                    seconds, report = playouts(game, args.games, executor)
                    tasks[name] = executor.calls - calls
                    reference = reference or report
                    assert report == reference, "an executor changed the numbers"
                    play.setdefault((name, workers), []).append(seconds)
                    if name == "local":
                        executor.close()
                    threads = LocalExecutor(threads=workers) if name == "local" else executor
                    seconds, lost = designs(
                        designer, themes, Path(tmp) / f"{name}{workers}-{repeat}", threads
                    )
                    design.setdefault((name, workers), []).append(seconds)
                    failed += lost
        assert ray_executor is not None
        batched, round_trip = task_cost(ray_executor, args.tasks)
        ray_executor.close()
    ray.shutdown()
    cluster.shutdown()

    playout_count = args.games + args.games // 4
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Ray {ray.__version__}; median of {args.repeats}; playouts: stone_age, "
        f"{playout_count} games a playtest; designs: {args.designs} a batch, recorded answers after "
        f"{args.latency} s, gate on, tuning off, 1 repair round; {failed} failed designs"
    )
    columns = ["workers", "playouts/s local", "playouts/s Ray", "Ray/local"]
    columns += ["designs/h local", "designs/h Ray", "Ray/local"]
    print("\n| " + " | ".join(columns) + " |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for workers in counts:
        p_local = playout_count / statistics.median(play[("local", workers)])
        p_ray = playout_count / statistics.median(play[("ray", workers)])
        d_local = args.designs * 3600 / statistics.median(design[("local", workers)])
        d_ray = args.designs * 3600 / statistics.median(design[("ray", workers)])
        print(
            f"| {workers} | {p_local:.0f} | {p_ray:.0f} | x{p_ray / p_local:.2f} | {d_local:.0f} "
            f"| {d_ray:.0f} | x{d_ray / d_local:.2f} |"
        )
    last = counts[-1]
    share = tasks["ray"] * batched / statistics.median(play[("ray", last)])
    print(
        f"\nRay, per empty task: {batched * 1000:.2f} ms submitted {args.tasks} at once, "
        f"{round_trip * 1000:.2f} ms submitted and awaited one at a time. A playtest at {last} workers "
        f"made {tasks['ray']} Ray tasks (sequential sampling plays in small batches): about {share:.0%} "
        "of its wall time is Ray's cost per task."
    )


if __name__ == "__main__":
    main()
