"""Record the trace the replay tests answer from: one real run of the embedded model, retrieval off.

Rerun after changing prompts or stage schemas (the replay LM matches requests exactly):
    .venv/bin/python tests/record_trace.py
"""

import json
from pathlib import Path

from genontology.agents import Designer, Switches

OUT = Path(__file__).parent / "data" / "embedded_trace.json"
PROMPT = "bioluminescent fungi competing in a cave ecosystem"

if __name__ == "__main__":
    designer = Designer(max_rounds=1, switches=Switches(retrieval=False))
    result = designer.run(PROMPT, players="2-4", minutes=60)
    payload = {"prompt": PROMPT, "status": result.status, **result.trace.model_dump(mode="json")}
    OUT.write_text(json.dumps(payload, indent=1))
    print(result, "->", OUT)
