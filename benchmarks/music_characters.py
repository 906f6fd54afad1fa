"""The music domain on its own themes, two source trees side by side: valid plans, and what each plan's
character, meter, tempo, mode and form are (issue 26: "every plan is the same piece").

For each theme of `genontology.evaluation.prompts.MUSIC_THEMES` (`--set held_out`: the second set,
`MUSIC_HELD_OUT_THEMES`), one plan per tree, each in its own process (the order alternating from theme to
theme), embedded model, seed 0, the Designer's defaults. Reported per tree: valid plans, median wall time, a
table per theme, and how many distinct settings the plans take.

    python benchmarks/music_characters.py --tree before=/tmp/oldtree --tree after=. [--set held_out]
        [--n 10] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology.evaluation.prompts import MUSIC_HELD_OUT_THEMES, MUSIC_THEMES

RUN_ONE = """
import sys
from pathlib import Path
from genontology.agents import Designer
Designer(domain="music", lm="embedded", seed=0).run(sys.argv[1], out=Path(sys.argv[2]))
"""
SETTINGS = ("character", "meter", "tempo", "mode", "form")


def run_one(tree: Path, theme: str, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
    subprocess.run([sys.executable, "-c", RUN_ONE, theme, str(out)], env=env, check=True, cwd=tree)
    result = json.loads((out / "result.json").read_text())
    plan = json.loads((out / "plan.json").read_text()) if (out / "plan.json").exists() else {}
    return {
        "theme": theme,
        "status": result["status"],
        "errors": result["errors"],
        "wall_s": result["usage"]["wall_s"],
        "character": plan.get("character") or "-",
        "meter": plan.get("meter"),
        "tempo": f"{plan['tempo']['marking']} {plan['tempo']['bpm']}" if plan.get("tempo") else None,
        "mode": f"{plan['key']['tonic']} {plan['key']['mode']}" if plan.get("key") else None,
        "form": " ".join(plan.get("order", [])),
    }


def summarize(rows: list[dict]) -> dict:
    return {
        "plans": len(rows),
        "valid": sum(r["errors"] == 0 for r in rows),
        "median_wall_s": round(statistics.median(r["wall_s"] for r in rows), 1),
        "distinct": {s: len({r[s] for r in rows}) for s in SETTINGS},
        "commonest_share": {
            s: round(max(sum(r[s] == v for r in rows) for v in {r[s] for r in rows}) / len(rows), 2)
            for s in SETTINGS
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", action="append", required=True, help="NAME=PATH; one or more")
    parser.add_argument("--set", choices=("main", "held_out"), default="main", help="which ten themes")
    parser.add_argument("--n", type=int, default=len(MUSIC_THEMES))
    parser.add_argument("--out", default="benchmarks/out/music_characters")
    args = parser.parse_args()
    trees = [(name, Path(path)) for name, path in (t.split("=", 1) for t in args.tree)]
    print(f"machine: {machine()}", flush=True)
    rows: dict[str, list[dict]] = {name: [] for name, _ in trees}
    themes = MUSIC_THEMES if args.set == "main" else MUSIC_HELD_OUT_THEMES
    for i, theme in enumerate(themes[: args.n]):
        for name, tree in trees if i % 2 == 0 else trees[::-1]:
            row = run_one(tree, theme, Path(args.out).resolve() / name / f"{i:02d}")
            rows[name].append(row)
            shown = " | ".join(str(row[s]) for s in SETTINGS)
            print(f"{i:2d} {name:<7} {row['status']:<20} {row['wall_s']:6.1f} s  {shown}", flush=True)
    summary = {name: summarize(rows[name]) for name, _ in trees} | {"rows": rows}
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, indent=1))
    (Path(args.out) / "summary.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
