"""Sampling settings for the short creative slots, measured: the concept stage (title, tagline, theme,
setting) of the embedded model on the design benchmark's themes, under each setting, and how often its text
is clean by the prose rules (a title that is a label, the theme again or a published game's, text copying
an instruction, a tagline or setting that repeats the theme). One call per theme and setting, in one
process per setting (the repeat penalty is the engine's).

    python benchmarks/sampling.py [--n 10] [--out benchmarks/out/sampling.json]

Settings: greedy decoding (temperature 0, the default) with the default repeat penalty 1.1 and a stronger
1.3, and sampling at 0.7 and 1.0; with sampling, three seeds per theme are scored and both the first and the
best kept ("best of 3": the candidate with the fewest faults) are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SETTINGS = [(0.0, 1.1), (0.0, 1.3), (0.7, 1.1), (1.0, 1.1)]
SEEDS = (0, 1, 2)

ONE_SETTING = """
import json, sys, time
from dataclasses import replace
from genontology.agents import Designer, Switches, get_plan
from genontology.evaluation.prompts import THEMES
from genontology.generators import resolve_lm
from genontology.ontology.echo import descriptions, echoed, told
from genontology.ontology.prose import repeats, same_name
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.rules.prose import borrowed, title_fault

temperature, n, seeds = float(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
plan = get_plan("tabletop")
only = replace(plan, stages=(plan.stage("concept"),), critic=None, simulate=None)
quiet = Switches(retrieval=False, critic=False, playtest=False)
instructions = descriptions(GameDesign) + told("tabletop")


def faults(concept, prompt):
    found = []
    for theme in (concept["theme"], prompt):
        fault = title_fault(concept["title"], theme)
        if fault:
            found.append(f"title {fault}")
            break
    if borrowed(concept["title"]):
        found.append("title borrowed")
    for field in ("tagline", "theme", "setting"):
        if echoed(concept[field], instructions):
            found.append(f"{field} echoes")
    if same_name(concept["tagline"]) == same_name(prompt) or repeats(concept["setting"], concept["theme"]):
        found.append("repeats the theme")
    return found


rows = []
for i, item in enumerate(THEMES[:n]):
    candidates = []
    for seed in seeds:
        lm = resolve_lm("embedded", temperature=temperature, seed=seed, cache=False)
        d = Designer(lm=lm, plan=only, max_rounds=0, switches=quiet)
        began = time.perf_counter()
        result = d.run(item.prompt, **item.constraints)
        step = next(s for s in result.trace.steps if s.kind == "lm")
        concept = step.output or {}
        found = faults(concept, item.prompt) if concept else ["unusable"]
        candidates.append({"seed": seed, "faults": found, "title": concept.get("title"),
                           "s": round(time.perf_counter() - began, 2)})
    rows.append({"theme": i, "candidates": candidates})
print(json.dumps(rows))
"""


def run_setting(temperature: float, penalty: float, n: int) -> list[dict]:
    seeds = list(SEEDS) if temperature > 0 else [0]
    env = {**os.environ, "GENONTOLOGY_REPEAT_PENALTY": str(penalty)}
    out = subprocess.run(
        [sys.executable, "-c", ONE_SETTING, str(temperature), str(n), json.dumps(seeds)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def summarize(rows: list[dict]) -> dict:
    first = [r["candidates"][0] for r in rows]
    best = [min(r["candidates"], key=lambda c: len(c["faults"])) for r in rows]
    return {
        "clean_first": f"{sum(not c['faults'] for c in first)}/{len(rows)}",
        "clean_best_of_seeds": f"{sum(not c['faults'] for c in best)}/{len(rows)}",
        "faults": sorted({f for c in first for f in c["faults"]}),
        "median_s_per_call": statistics.median(c["s"] for r in rows for c in r["candidates"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--out", default="benchmarks/out/sampling.json")
    args = parser.parse_args()
    report = {}
    for temperature, penalty in SETTINGS:
        rows = run_setting(temperature, penalty, args.n)
        name = f"temperature {temperature}, repeat penalty {penalty}"
        report[name] = {"summary": summarize(rows), "themes": rows}
        print(name, json.dumps(report[name]["summary"]), flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
