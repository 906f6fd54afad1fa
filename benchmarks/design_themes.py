"""Designer.run over 20 varied themes with the embedded model: validity, wall time, tokens, LM calls.

Reports the share of runs with zero error-severity violations, the median wall time per design, tokens and
LM calls per design, and the share of wall time spent outside LM calls. The response cache is off, so a
rerun measures generation, not the cache. Each design is saved under --out for inspection.

    python benchmarks/design_themes.py [--n 20] [--lm embedded] [--out benchmarks/out/designs]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology.agents import Designer
from genontology.evaluation.prompts import THEMES


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=len(THEMES))
    parser.add_argument("--lm", default="embedded")
    parser.add_argument("--max-rounds", type=int, default=3)
    parser.add_argument("--out", default="benchmarks/out/designs")
    args = parser.parse_args()
    began = time.perf_counter()
    designer = Designer(lm=args.lm, max_rounds=args.max_rounds)
    print(f"machine: {machine()}; model: {args.lm}", flush=True)
    rows = []
    for i, item in enumerate(THEMES[: args.n]):
        theme = item.prompt
        result = designer.run(theme, **item.constraints, out=Path(args.out) / f"{i:02d}")
        rows.append(result.summary() | {"outside_lm_share": result.usage["outside_lm_share"]})
        codes = sorted({v.code for v in result.errors})
        usage = result.usage
        tokens = usage["input_tokens"] + usage["output_tokens"]
        print(
            f"{i:2d} {result.status:<20} {usage['wall_s']:6.1f} s  calls {usage['calls']:2d}  "
            f"tokens {tokens:6d}  {theme[:40]}  {codes}",
            flush=True,
        )
    clean = sum(r["errors"] == 0 for r in rows)
    playable = sum(bool(r.get("playable")) for r in rows)
    walls = [r["wall_s"] for r in rows]
    lm_s = sum(r["lm_s"] for r in rows)
    summary = {
        "runs": len(rows),
        "zero_error_share": round(clean / len(rows), 3),
        "playable_share": round(playable / len(rows), 3),
        "median_wall_s": round(statistics.median(walls), 1),
        "max_wall_s": round(max(walls), 1),
        "median_calls": statistics.median(r["calls"] for r in rows),
        "median_tokens": statistics.median(r["input_tokens"] + r["output_tokens"] for r in rows),
        "outside_lm_share": round(1 - lm_s / sum(walls), 4),
        "median_outside_lm_share": statistics.median(r["outside_lm_share"] for r in rows),
        "setup_s": round(time.perf_counter() - began - sum(walls), 1),
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
