"""Throughput against concurrency: a batch of designs through `Designer.run_many`, sharing one exemplar store
and one LM server, at each concurrency; the median of REPEATS batches, and the ratio to concurrency 1
measured in the same run. Prints the table BENCHMARKS.md quotes.

The server is `RecordedServer`: the embedded model's recorded answers over HTTP after LATENCY seconds, the
answer time of a hosted model. It measures what concurrency buys where the model is remote; a model on
this machine's own cores (the embedded one) gains nothing from it, since its calls share those cores.

    .venv/bin/python benchmarks/load.py [--designs 16] [--latency 0.25] [--repeats 3] [--levels 1,2,4,8,16]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from genontology.agents import Designer, Switches
from genontology.retrieval import ExemplarStore
from genontology.testing.recorded_server import RecordedServer, recorded_prompts

TRACE = Path(__file__).parent.parent / "tests" / "data" / "embedded_trace.json"


def batch(designer: Designer, themes: list[str], concurrency: int, out: Path) -> tuple[float, int]:
    began = time.perf_counter()
    results = designer.run_many(themes, concurrency=concurrency, out=out, players="2-4", minutes=60)
    return time.perf_counter() - began, sum(r.status == "failed" for r in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--designs", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--levels", default="1,2,4,8,16")
    args = parser.parse_args()
    themes = recorded_prompts(TRACE, args.designs)
    levels = [int(level) for level in args.levels.split(",")]
    rows: dict[int, list[float]] = {level: [] for level in levels}
    failed = peak = calls = 0
    with tempfile.TemporaryDirectory() as tmp, RecordedServer(TRACE, latency_s=args.latency) as server:
        store = ExemplarStore.open(Path(tmp) / "store")
        designer = Designer(
            lm=f"server:smollm2@{server.url}", store=store, max_rounds=1, switches=Switches(playtest=False)
        )
        batch(designer, themes[:2], 2, Path(tmp) / "warm")  # load the embedder and the store once
        calls_before = server.requests
        for repeat in range(args.repeats):
            for level in levels:  # interleaved, so drift in the machine touches every level alike
                seconds, lost = batch(designer, themes, level, Path(tmp) / f"r{repeat}c{level}")
                rows[level].append(seconds)
                failed += lost
        peak, calls = server.peak_in_flight, server.requests - calls_before
    print(
        f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}; {args.designs} designs "
        f"a batch, {args.latency} s a call, median of {args.repeats}; {calls} calls, peak {peak} in flight, "
        f"{failed} failed"
    )
    base = statistics.median(rows[levels[0]])
    print(f"| concurrency | batch s (median) | designs/min | speed-up vs {levels[0]} |")
    print("|---:|---:|---:|---:|")
    for level in levels:
        median = statistics.median(rows[level])
        rate = args.designs / median * 60
        print(f"| {level} | {median:.1f} | {rate:.1f} | {base / median:.2f}x |")


if __name__ == "__main__":
    main()
