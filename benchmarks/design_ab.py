"""Two source trees side by side on the design benchmark's themes, same machine, same run, interleaved.

For each theme, one design per tree (each in its own process, the order alternating from theme to theme, so
that a slow spell of the machine falls on both), embedded model, the Designer's defaults. Reported per tree:
the share of designs with zero structural errors, median wall time (and the ratio between the trees), LM
calls, tokens, the playable share, the names and titles the assembly refused; and per stage, from the
traces, how often the model's answer was usable (parsed and valid against the stage's schema) and how many
errors of the first validation that stage owns.

    python benchmarks/design_ab.py --tree before=/tmp/oldtree --tree after=. [--n 20] [--out DIR]
    python benchmarks/design_ab.py --tree scratch=. --tree recombine=.@recombine --themes held-out

A tree is any checkout of this repository (`git worktree add /tmp/oldtree COMMIT`); it runs with this
interpreter and its installed dependencies. `NAME=PATH@ROUTE` runs that tree's Designer on another route
(`Designer(route=...)`), and `NAME=PATH@ROUTE+PROGRAM` with a program written by `genontology compile`
(`Designer(program=...)`); `--themes held-out` runs the themes written for issue 25 and never tuned on.

    python benchmarks/design_ab.py --tree plain=.@scratch --tree compiled=.@scratch+p.json --themes held-out
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology.agents import get_plan
from genontology.agents.result import refused_names

PLAN = get_plan("tabletop")

RUN_ONE = """
import sys
from pathlib import Path
from genontology.agents import Designer
from genontology.evaluation import prompts
item = getattr(prompts, sys.argv[3])[int(sys.argv[1])]
designer = Designer(lm="embedded", route=sys.argv[4], program=sys.argv[5] or None)
designer.run(item.prompt, **item.constraints, out=Path(sys.argv[2]))
"""
THEME_SETS = {"benchmark": "THEMES", "held-out": "HELD_OUT_THEMES"}


def run_one(
    tree: Path, theme: int, out: Path, themes: str = "THEMES", route: str = "scratch", program: str = ""
) -> dict:
    """One design by `tree`'s code in a fresh process; its summary and trace from what it saved."""
    env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
    argv = [str(theme), str(out), themes, route, str(Path(program).resolve()) if program else ""]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN_ONE, *argv], env=env, check=True, cwd=tree)
    return {**read_one(out), "process_s": round(time.perf_counter() - started, 1)}


def read_one(out: Path) -> dict:
    result = json.loads((out / "result.json").read_text())
    trace = json.loads((out / "trace.json").read_text())
    tests = [s["detail"] for s in trace["steps"] if s["kind"] == "playtest"]
    first = bool(tests) and "fails the playable" not in tests[0]  # before any tuning or repair
    descent = json.loads((out / "checkpoint.json").read_text())["brief"].get("descent")
    answers = [(s["stage"], s["output"]) for s in trace["steps"] if s["kind"] == "lm" and s.get("output")]
    concept = dict(answers).get("concept")  # the concept stage's last answer
    design = json.loads((out / "design.json").read_text()) if (out / "design.json").exists() else {}
    return {
        "result": result,
        "stages": stage_counts(trace),
        "first_playtest_passed": first,
        "descent": descent,  # the recombination route's parents and distances; None from scratch
        "refused": refused_names(answers, design),  # names and titles the model wrote that the design lacks
        "title_refused": concept is not None and json.dumps(design.get("title")) not in json.dumps(concept),
    }


def stage_counts(trace: dict) -> dict[str, Counter]:
    """Per stage: answers asked for, answers unusable (cut off, unparseable, invalid), and errors of the first
    validation whose path that stage owns."""
    counts: dict[str, Counter] = {}
    for step in trace["steps"]:
        if step["kind"] == "lm" and step.get("stage"):
            c = counts.setdefault(step["stage"], Counter())
            c["asked"] += 1
            c["unusable"] += bool(step.get("error"))
    first = next((s for s in trace["steps"] if s["kind"] == "validate"), None)
    for v in first["violations"] if first else []:
        owner = PLAN.owner(v["path"])
        if v["severity"] == "error" and owner is not None:
            counts.setdefault(owner.name, Counter())["first_errors"] += 1
    return counts


def summarize(rows: list[dict]) -> dict:
    results = [r["result"] for r in rows]
    usage = [r.get("usage", {}) for r in results]
    stages: dict[str, Counter] = {}
    for r in rows:
        for name, c in r["stages"].items():
            stages.setdefault(name, Counter()).update(c)
    return {
        "runs": len(rows),
        "zero_error_share": round(sum(r.get("errors", 1) == 0 for r in results) / len(rows), 3),
        "playable_share": round(sum(bool(r.get("playable")) for r in results) / len(rows), 3),
        "first_playtest_pass_share": round(sum(r["first_playtest_passed"] for r in rows) / len(rows), 3),
        "median_wall_s": round(statistics.median(u["wall_s"] for u in usage), 1),
        # the whole process, as a user runs `genontology design` (start, imports, loading, the design)
        "median_process_s": (
            round(statistics.median(r["process_s"] for r in rows), 1)
            if all("process_s" in r for r in rows)
            else None
        ),
        "median_lm_s": round(statistics.median(u["lm_s"] for u in usage), 1),
        # prompt tokens read (not restored from a saved prefix) of all; output tokens per LM second
        "prompt_read_share": round(
            sum(u["input_tokens"] - (u.get("cached_tokens") or 0) for u in usage)
            / max(1, sum(u["input_tokens"] for u in usage)),
            3,
        ),
        "median_output_per_lm_s": round(statistics.median(u["output_tokens"] / u["lm_s"] for u in usage), 1),
        "by_route": {
            route: {
                "runs": len(mine),
                "playable": sum(bool(r["result"].get("playable")) for r in mine),
                "first_playtest_passed": sum(r["first_playtest_passed"] for r in mine),
                "zero_errors": sum(r["result"].get("errors", 1) == 0 for r in mine),
                "median_wall_s": round(statistics.median(r["result"]["usage"]["wall_s"] for r in mine), 1),
                "least_parent_distance": min(
                    (min(r["descent"]["distances"]) for r in mine if r["descent"]), default=None
                ),
            }
            for route in ("scratch", "recombine")
            if (mine := [r for r in rows if bool(r.get("descent")) == (route == "recombine")])
        },
        "title_refused_share": round(sum(bool(r.get("title_refused")) for r in rows) / len(rows), 3),
        "median_names_refused": statistics.median(len(r.get("refused", [])) for r in rows),
        "median_calls": statistics.median(u["calls"] for u in usage),
        "median_tokens": statistics.median(u["input_tokens"] + u["output_tokens"] for u in usage),
        "stages": {
            name: {
                "asked": c["asked"],
                "usable_share": round(1 - c["unusable"] / c["asked"], 3) if c["asked"] else None,
                "first_validation_errors": c["first_errors"],
            }
            for name, c in stages.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tree", action="append", required=True, help="NAME=PATH[@ROUTE[+PROGRAM]]; give two"
    )
    parser.add_argument("--themes", choices=sorted(THEME_SETS), default="benchmark")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--start", type=int, default=0, help="the first theme to run (to finish a cut run)")
    parser.add_argument("--out", default="benchmarks/out/design_ab")
    parser.add_argument(
        "--summarize", action="store_true", help="only summarize the themes both trees finished under --out"
    )
    args = parser.parse_args()
    given = (t.split("=", 1) for t in args.tree)
    named = [(name, *f"{where}@scratch".split("@")[:2]) for name, where in given]
    trees = [(name, Path(path)) for name, path, _ in named]
    routes = {name: route.partition("+")[0] for name, _, route in named}
    programs = {name: route.partition("+")[2] for name, _, route in named}
    print(f"machine: {machine()}", flush=True)
    rows: dict[str, list[dict]] = {name: [] for name, _ in trees}
    if args.summarize:  # a run cut short: the themes every tree finished
        done = [
            i
            for i in range(args.n)
            if all((Path(args.out) / n / f"{i:02d}/result.json").exists() for n, _ in trees)
        ]
        for name, _ in trees:
            rows[name] = [read_one(Path(args.out) / name / f"{i:02d}") for i in done]
        print(f"themes finished by every tree: {done}")
    for i in range(args.n if args.summarize else args.start, args.n):
        order = trees if i % 2 == 0 else trees[::-1]
        for name, tree in order:
            out = Path(args.out).resolve() / name / f"{i:02d}"
            row = run_one(tree, i, out, THEME_SETS[args.themes], routes[name], programs[name])
            rows[name].append(row)
            r = row["result"]
            print(
                f"{i:2d} {name:<8} {r['status']:<20} {r['usage']['wall_s']:6.1f} s  errors {r['errors']}",
                flush=True,
            )
    summary = {name: summarize(rows[name]) for name, _ in trees}
    (base, _), (new, _) = trees[0], trees[-1]
    summary["wall_ratio"] = round(summary[new]["median_wall_s"] / summary[base]["median_wall_s"], 2)
    print(json.dumps(summary, indent=1))
    (Path(args.out) / "summary.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
