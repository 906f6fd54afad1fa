"""What a reader sees in generated designs: the prose rules over designs saved by a design benchmark run.

For each run folder (one sub-folder per theme, `NN/design.json` and `NN/result.json`, as `design_ab.py` writes
them), per theme: prose findings of error severity, duplicate display names, code fragments, echoed
instructions, the title restating the theme, names a reader cannot read (`naming.fault`: a numeral, a
published title, words run together or of no language, only the form's words), how many names the model wrote
and the framework kept, working titles, and whether the interaction is the one the theme's words state
(for the themes that state one: competing, rival, racing, together); then the shares over all themes.

    python benchmarks/prose_check.py --run before=/tmp/ab/after --run after=benchmarks/out/prose/after

The prompts the agents were given are told to the rules first (`get_plan`), so that an echo of them is found
in designs made by any earlier version too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from interaction_reading import STATED  # the benchmark themes that state their interaction

from genontology import get_domain
from genontology.agents import get_plan
from genontology.agents.tabletop.naming import fault
from genontology.agents.tabletop.plan import own_title
from genontology.evaluation.prompts import THEMES
from genontology.ontology.prose import same_name
from genontology.schemas.tabletop.rules.prose import names

WATCHED = (
    "prose.duplicate-name",
    "prose.code-fragment",
    "prose.echo",
    "prose.title-is-theme",
    "prose.borrowed-name",
    "prose.run-together",
)


def model_names(folder: Path) -> set[str]:
    """Every name the stages wrote (from the run's checkpoint), as a reader hears it."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("name"), str):
                found.add(same_name(node["name"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    checkpoint = folder / "checkpoint.json"
    if checkpoint.exists():
        walk(json.loads(checkpoint.read_text()).get("parts", {}))
    return found


def check(folder: Path, theme: int) -> dict:
    domain = get_domain("tabletop")
    design = json.loads((folder / "design.json").read_text())
    result = json.loads((folder / "result.json").read_text())
    violations = domain.validate(design)
    prose = [v for v in violations if v.code.startswith("prose.")]
    structural = [v for v in violations if not v.code.startswith("prose.") and v.severity.value == "error"]
    prompt = THEMES[theme].prompt
    stated = STATED.get(prompt)
    interaction = design.get("players", {}).get("interaction")
    try:
        shown = [name for _, _, name in names(domain.parse(design))]
    except ValueError:  # a design that does not fit the schema shows no names to count
        shown = []
    written = model_names(folder)
    return {
        "theme": theme,
        "prompt": prompt,
        "title": design.get("title"),
        "prose_errors": sum(v.severity.value == "error" for v in prose),
        "prose_warnings": sum(v.severity.value == "warning" for v in prose),
        "by_code": dict(Counter(v.code for v in prose)),
        "structural_errors": len(structural),
        "interaction": interaction,
        "stated": stated,
        "interaction_ok": None if stated is None else interaction == stated,
        "wall_s": result.get("usage", {}).get("wall_s"),
        "names": len(shown),
        "names_at_fault": [n for n in shown if fault(n, prompt) is not None],
        "names_from_model": sum(same_name(n) in written for n in shown),
        "working_title": design.get("title") == own_title({"title": "Theme", "theme": ""}, prompt),
    }


def shares(rows: list[dict]) -> dict:
    n = len(rows)
    stated = [r for r in rows if r["interaction_ok"] is not None]
    return {
        "designs": n,
        "no_prose_error": round(sum(r["prose_errors"] == 0 for r in rows) / n, 3),
        **{code: sum(r["by_code"].get(code, 0) for r in rows) for code in WATCHED},
        "prose_warnings": sum(r["prose_warnings"] for r in rows),
        "zero_structural_errors": round(sum(r["structural_errors"] == 0 for r in rows) / n, 3),
        "interaction_as_stated": f"{sum(bool(r['interaction_ok']) for r in stated)}/{len(stated)}",
        "names": sum(r["names"] for r in rows),
        "names_at_fault": sum(len(r["names_at_fault"]) for r in rows),
        "names_from_model": sum(r["names_from_model"] for r in rows),
        "working_titles": sum(r["working_title"] for r in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--run", action="append", required=True, help="NAME=FOLDER of a benchmark run")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--out", default="benchmarks/out/prose_check.json")
    args = parser.parse_args()
    get_plan("tabletop")  # tells the rules what the agents were told
    report = {}
    for name, folder in (r.split("=", 1) for r in args.run):
        rows = [
            check(Path(folder) / f"{i:02d}", i)
            for i in range(args.n)
            if (Path(folder) / f"{i:02d}" / "design.json").exists()
        ]
        report[name] = {"summary": shares(rows), "themes": rows}
        print(name, json.dumps(report[name]["summary"]))
        for r in rows:
            print(
                f"  {r['theme']:2d} {r['prose_errors']} err {r['prose_warnings']} warn "
                f"{r['interaction']:<16} {r['by_code']} {r['title']!r}"
            )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
