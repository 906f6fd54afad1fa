"""`genontology lm check`: one small schema-constrained request, to prove a backend works end to end."""

from __future__ import annotations

import time
from typing import Any

import dspy
from pydantic import BaseModel, Field

from genontology.generators.calls import UsageLedger, call_lm
from genontology.generators.resolve import resolve_lm


class GameIdea(BaseModel):
    """A one-line game idea: enough structure to prove constrained decoding works."""

    title: str = Field(min_length=1, max_length=60, description="A title for the game.")
    players: int = Field(ge=1, le=8, description="Best player count.")
    mechanism: str = Field(min_length=1, max_length=80, description="The main mechanism, in a few words.")


class ProposeIdea(dspy.Signature):
    """Propose a tabletop game for the theme."""

    theme: str = dspy.InputField()
    idea: GameIdea = dspy.OutputField()


def check_backend(
    spec: str | None, theme: str = "bioluminescent fungi competing in a cave"
) -> dict[str, Any]:
    lm = resolve_lm(spec, cache=False, max_tokens=256)
    ledger = UsageLedger()
    began = time.perf_counter()
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        prediction = call_lm(
            lambda: dspy.Predict(ProposeIdea)(theme=theme), lm=lm, label="lm check", ledger=ledger
        )
    return {
        "model": lm.model,
        "answer": prediction.idea.model_dump(),
        "seconds": round(time.perf_counter() - began, 3),
        "usage": ledger.totals(),
    }
