"""Record the trace the replay tests answer from: one real run of the embedded model, retrieval off.

Rerun after changing prompts, stage schemas or what the playtest reports to the critic (the replay LM
matches requests exactly); the seed makes the recording itself reproducible:
    .venv/bin/python tests/record_trace.py [SEED]
"""

import json
import sys
from pathlib import Path

from genontology.agents import Designer, Switches

OUT = Path(__file__).parent / "data" / "embedded_trace.json"
PROMPT = "bioluminescent fungi competing in a cave ecosystem"

if __name__ == "__main__":
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    # The tuning budget is the replay tests' own (tests/test_agents.py: designer())
    designer = Designer(
        max_rounds=1, seed=seed, route="scratch", switches=Switches(retrieval=False), tune_budget_s=3
    )
    result = designer.run(PROMPT, players="2-4", minutes=60)
    payload = {
        "prompt": PROMPT,
        "seed": seed,
        "status": result.status,
        **result.trace.model_dump(mode="json"),
    }
    OUT.write_text(json.dumps(payload, indent=1))
    print(result, "->", OUT)
