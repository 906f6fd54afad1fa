"""Compile the Designer with DSPy: designs of a few briefs that are clean and play lend their stage calls as
demonstrations (BootstrapFewShot), and a Designer given the saved program shows them to its stages.

    python examples/compile_program.py     # minutes a brief on the embedded model, on 2 cores
"""

from __future__ import annotations

from genontology.agents import Designer, compile_program
from genontology.agents.program import examples

BRIEFS = [
    {"prompt": "rival tea merchants on the silk road", "players": "2-4", "minutes": 45},
    {"prompt": "bees building a hive before winter", "players": "2-4", "minutes": 30},
]

if __name__ == "__main__":
    designer = Designer(route="scratch", max_rounds=1, on_event=print)  # the route whose stages are compiled
    program = compile_program(designer, examples(BRIEFS))
    program.save_json("out/program.json")
    print(program.source)
    compiled = Designer(route="scratch", program="out/program.json")
    result = compiled.run("smugglers running contraband through a mountain pass", players="2-4", minutes=60)
    print(result.status, result.usage["program"])
