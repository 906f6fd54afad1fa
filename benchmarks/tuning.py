"""What does tuning the numbers buy? `tune` (playtest/tune.py) on three sets, each design judged by the
calibrated gate before and after, in the same run:

- generated: designs the Designer wrote with the playtest off (a folder of runs, each with design.json),
  so the "before" column is what the model and the structural loop alone deliver;
- exemplars: every shipped exemplar (`genontology tune` must work on each: it passes, is tuned to pass, or
  says which checks numbers cannot fix);
- negatives: the degenerate variants of `playtest/degenerate.py` (how many tuning cures is reported by
  kind: curing "the end moved to the first round" by moving the end is tuning's job; curing "no choices"
  would mean the gate or the tuner is wrong).

    python benchmarks/tuning.py --generated DIR [--sets generated,exemplars,negatives] [--budget-s 40]
        [--json benchmarks/figures/tuning.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology import get_domain
from genontology.ontology import errors_among
from genontology.playtest.degenerate import DAMAGES, damaged
from genontology.playtest.tune import tune
from genontology.schemas.tabletop.model import GameDesign


def designs(which: str, generated: Path | None, per_kind: int) -> list[tuple[str, str, GameDesign]]:
    """(set, name, design) for one set; designs with structural errors are left out (tuning needs valid)."""
    domain = get_domain("tabletop")
    found: list[tuple[str, str, Any]] = []
    if which == "generated" and generated is not None:
        for run in sorted(generated.glob("*/design.json")):  # mended as the Designer's validation mends
            found.append(("generated", run.parent.name, domain.autofix(json.loads(run.read_text()))[0]))
    elif which == "exemplars":
        found = [("exemplars", d.id, d.model_dump(mode="json")) for d in domain.load_exemplars()]
    elif which == "negatives":
        corpus = sorted(domain.load_exemplars(), key=lambda d: d.id)
        for damage in DAMAGES:
            made = 0
            for design in corpus:
                data = damaged(design.model_dump(mode="json", exclude_none=True), damage)
                if made < per_kind and data is not None:
                    found.append((f"negatives: {damage.name}", design.id, data))
                    made += 1
    valid = [(s, n, d) for s, n, d in found if not errors_among(domain.validate(d))]
    return [(s, n, GameDesign.model_validate(d)) for s, n, d in valid]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--generated", type=Path, help="a folder of design runs (each with design.json)")
    parser.add_argument("--sets", default="generated,exemplars,negatives")
    parser.add_argument("--budget-s", type=float, default=40.0)
    parser.add_argument("--per-kind", type=int, default=5, help="negatives of each kind")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write every design's outcome here")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for which in args.sets.split(","):
        for group, name, design in designs(which, args.generated, args.per_kind):
            began = time.perf_counter()
            result = tune(design, budget_s=args.budget_s, processes=args.processes)
            rows.append(
                {
                    "set": group,
                    "design": name,
                    "before": result.before.passed,
                    "after": result.passed,
                    "failed_before": [c.name for c in result.before.gate.failed]
                    if result.before.gate
                    else [],
                    "failed_after": [c.name for c in result.after.gate.failed] if result.after.gate else [],
                    "changes": [f"{c.knob} {c.before}->{c.after}" for c in result.changes],
                    "evaluations": result.evaluations,
                    "seconds": round(time.perf_counter() - began, 2),
                }
            )
            r = rows[-1]
            print(
                f"{group:40} {name:24} {r['before']!s:5} -> {r['after']!s:5} {r['seconds']:6.1f}s "
                f"{r['evaluations']:3} evals {'; '.join(r['changes'])[:90]}",
                file=sys.stderr,
                flush=True,
            )
    print(f"{machine()}; tuning budget {args.budget_s:g} s a design, {args.processes} process(es)\n")
    print("| set | designs | passed before | passed after tuning | tuned: median s (max) | evaluations |")
    print("|---|---:|---:|---:|---:|---:|")
    for group in dict.fromkeys(r["set"] for r in rows):
        mine = [r for r in rows if r["set"] == group]
        tried = [r for r in mine if not r["before"]]
        seconds = [r["seconds"] for r in tried] or [0.0]
        evals = [r["evaluations"] for r in tried] or [0]
        print(
            f"| {group} | {len(mine)} | {sum(r['before'] for r in mine)} | {sum(r['after'] for r in mine)} |"
            f" {statistics.median(seconds):.1f} ({max(seconds):.1f}) | {statistics.median(evals):g} |"
        )
    still = Counter(c for r in rows if not r["after"] for c in r["failed_after"])
    print(f"\nchecks still failing after tuning: {dict(still.most_common())}")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine(), "budget_s": args.budget_s, "designs": rows}, indent=1)
        )


if __name__ == "__main__":
    main()
