"""How long does validating a design take? Schema plus every rule, on each shipped exemplar; the reachable-
ranges analysis (abstract interpretation, which some rules read) is also timed alone.

Baseline, measured in the same run: pydantic's schema validation alone (what a schema-only system does).
Reports medians over many repetitions; rerun with `make bench` or `python benchmarks/validate_speed.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

from genontology import get_domain
from genontology.schemas.tabletop.ranges import analyse


def median_us(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of one call, in microseconds, after a short warm-up."""
    for _ in range(min(20, repeat)):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1000)
    return statistics.median(samples)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    domain = get_domain("tabletop")
    rows = []
    for design in domain.load_exemplars():
        data = design.model_dump(mode="json", exclude_none=True)
        schema_only = median_us(lambda data=data: domain.schema.model_validate(data), args.repeat)
        full = median_us(lambda data=data: domain.validate(data), args.repeat)
        rules_only = median_us(lambda design=design: domain.validate(design), args.repeat)
        analysis = median_us(lambda design=design: analyse(design), args.repeat)
        rows.append(
            {
                "id": design.id,
                "schema_only_us": schema_only,
                "full_us": full,
                "rules_only_us": rules_only,
                "analysis_us": analysis,
                "entities": len(domain.build_graph(design)),
            }
        )

    def med(key: str) -> float:
        return statistics.median(r[key] for r in rows)

    summary = {
        "machine": machine(),
        "exemplars": len(rows),
        "rules": len(domain.rules),
        "median_schema_only_us": round(med("schema_only_us"), 1),
        "median_full_us": round(med("full_us"), 1),
        "median_rules_only_us": round(med("rules_only_us"), 1),
        "median_analysis_us": round(med("analysis_us"), 1),
        "worst_full_us": round(max(r["full_us"] for r in rows), 1),
        "full_over_schema_only": round(med("full_us") / med("schema_only_us"), 1),
        "catan_full_us": round(next(r["full_us"] for r in rows if r["id"] == "catan"), 1),
    }
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, indent=2))
        return
    for key, value in summary.items():
        print(f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
