"""Does the playable gate separate good games from degenerate ones? Positives: the shipped exemplars
(published and traditional games). Negatives: their degenerate variants (`playtest/degenerate.py`: eight
kinds of damage, each structurally valid). Every design gets the Designer's playtest (random playouts, skill
and dominance probes, the gate); reported: positives passed, negatives rejected per kind and by the check
meant to catch the kind, and each check's measured values on both sides, to choose thresholds from (issue 24).

    python benchmarks/gate_calibration.py [--positives N] [--per-kind K] [--games G] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology import get_domain
from genontology.playtest.degenerate import DAMAGES, damaged
from genontology.playtest.evaluate import playtest_design


def judge(design_data: dict, games: int, skill_games: int) -> dict:
    design = get_domain("tabletop").parse(design_data)
    result = playtest_design(design, games=games, skill_games=skill_games)
    return {
        "passed": result.passed,
        "failed": [c.name for c in result.gate.failed],
        "measured": {c.name: c.measured for c in result.gate.checks},
    }


def _rejected(check: str, rows: dict[str, dict]) -> dict[str, str]:
    """How many of one kind's negatives the gate rejected, and how many by the check meant for the kind."""
    return {
        "rejected": f"{sum(not r['passed'] for r in rows.values())}/{len(rows)}",
        f"by {check}": f"{sum(check in r['failed'] for r in rows.values())}/{len(rows)}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--positives", type=int, default=80, help="how many exemplars, in id order")
    parser.add_argument("--per-kind", type=int, default=10, help="negatives per kind of damage")
    parser.add_argument("--games", type=int, default=100)
    parser.add_argument("--skill-games", type=int, default=30)
    parser.add_argument("--out", default="benchmarks/out/gate_calibration.json")
    args = parser.parse_args()
    began = time.perf_counter()
    exemplars = sorted(
        (e.model_dump(mode="json", exclude_none=True) for e in get_domain("tabletop").load_exemplars()),
        key=lambda d: d["id"],
    )
    positives = {d["id"]: judge(d, args.games, args.skill_games) for d in exemplars[: args.positives]}
    negatives: dict[str, dict[str, dict]] = defaultdict(dict)
    for damage in DAMAGES:
        for design in exemplars:
            if len(negatives[damage.name]) >= args.per_kind:
                break
            variant = damaged(design, damage)
            if variant is not None:
                negatives[damage.name][design["id"]] = judge(variant, args.games, args.skill_games)
    passed = sum(p["passed"] for p in positives.values())
    report = {
        "machine": machine(),
        "seconds": round(time.perf_counter() - began, 1),
        "positives_passed": f"{passed}/{len(positives)}",
        "positives_failing_by_check": {
            check: sum(check in p["failed"] for p in positives.values())
            for check in sorted({c for p in positives.values() for c in p["failed"]})
        },
        "negatives": {damage.name: _rejected(damage.caught_by, negatives[damage.name]) for damage in DAMAGES},
        "seconds_per_design": round(
            (time.perf_counter() - began) / max(1, len(positives) + sum(map(len, negatives.values()))), 1
        ),
        "positives": positives,
        "negatives_detail": negatives,
    }
    print(json.dumps({k: v for k, v in report.items() if not k.endswith(("positives", "detail"))}, indent=1))
    rejected = [r for rows in negatives.values() for r in rows.values() if not r["passed"]]
    print(f"negatives rejected overall: {len(rejected)}/{sum(map(len, negatives.values()))}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
