"""The fault-injection harness at scale: RUNS designs with RATE of LM calls faulted (every kind, seeded),
each typed error resumed with the faults off; prints the table RELIABILITY.md quotes.

    .venv/bin/python benchmarks/faults.py [--runs 200] [--rate 0.2] [--slow-s 0.05]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from genontology.evaluation.fault_runs import baseline, fault_run, summarize
from genontology.testing.faulty_engine import FaultPlan

TRACE = Path(__file__).parent.parent / "tests" / "data" / "embedded_trace.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--slow-s", type=float, default=0.05)
    args = parser.parse_args()
    trace = json.loads(TRACE.read_text())
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        clean = baseline(trace, Path(tmp) / "baseline")
        plans = [FaultPlan(rate=args.rate, seed=i, slow_s=args.slow_s) for i in range(args.runs)]
        runs = [fault_run(trace, i, plan, Path(tmp) / f"run{i:04d}") for i, plan in enumerate(plans)]
    summary = summarize(runs, clean)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs; {time.perf_counter() - began:.0f} s")
    print(json.dumps(summary, indent=1, default=str))
    for run in runs:
        if run.outcome == "otherwise":
            print("OTHERWISE", run)


if __name__ == "__main__":
    main()
