"""What a critic found in a design: a typed finding, from a critic agent or from a playtest's failed check.

The Designer routes each finding to the stage that owns its `target` and reads `severity` to decide whether
the loop goes on; a playtest's finding also carries the check, its measured value with the interval, and
what tuning the numbers tried, so that the stage told to fix it sees the numbers it rests on.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class CriticFinding(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: Literal["low", "medium", "high"]
    target: str  # the part of the design at fault: a top-level field, which a stage owns
    evidence: str
    recommendation: str
    source: Literal["critic", "playtest"] = "critic"
    check: str | None = None  # the playtest check that failed
    value: float | None = None  # what the check compared with its threshold
    low: float | None = None  # the value's 95% interval
    high: float | None = None
    games: int | None = None  # the games it rests on
    concerns: str | None = None  # what in play shows it: the action that crowds out the rest, the seat ahead
    tried: str | None = None  # what tuning the numbers tried before the finding went to the model

    def note(self) -> str:
        """The finding as the stage that owns its target reads it."""
        shown = f" {self.concerns}." if self.concerns else ""
        tried = f" {self.tried}" if self.tried else ""
        return f"critic: {self.evidence}{shown} Fix: {self.recommendation}{tried}"
