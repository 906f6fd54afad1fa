"""The record of a run: every step, as JSON a person or a notebook can read, with secrets redacted."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from genontology.redaction import redact

__all__ = ["Step", "Trace", "redact"]


class Step(BaseModel):
    """One thing the Designer did: an LM call by a role, a validation, the fixes it applied."""

    kind: Literal["read", "lm", "validate", "fix", "playtest", "tune", "critique", "route"]
    stage: str = ""
    role: str = ""
    round: int = 0
    signature: str = ""
    exemplars: list[str] = Field(default_factory=list)
    messages: list[dict[str, Any]] = Field(default_factory=list)
    raw: str = ""
    output: dict[str, Any] | None = None
    violations: list[dict[str, Any]] = Field(default_factory=list)
    detail: str = ""
    input_tokens: int = 0
    cached_tokens: int = 0  # of the input tokens, those restored from a saved prefix instead of read
    output_tokens: int = 0
    latency_s: float = 0.0
    attempts: int = 0
    cache_hit: bool = False
    error: str | None = None


class Trace(BaseModel):
    """Every step of a run, in order."""

    steps: list[Step] = Field(default_factory=list)

    def add(self, step: Step) -> Step:
        self.steps.append(step)
        return step

    def table(self) -> list[dict[str, Any]]:
        """One row a step: what a notebook shows as a DataFrame."""
        return [
            {
                "round": s.round,
                "kind": s.kind,
                "stage": s.stage,
                "role": s.role,
                "tokens": s.input_tokens + s.output_tokens,
                "latency_s": s.latency_s,
                "violations": len(s.violations),
                "detail": s.detail[:80],
            }
            for s in self.steps
        ]

    def tokens_by_role(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for s in self.steps:
            if s.kind in ("lm", "critique"):
                totals[s.role] = totals.get(s.role, 0) + s.input_tokens + s.output_tokens
        return totals

    def violations_by_round(self) -> dict[int, int]:
        """Error-severity violations left after each round's validation."""
        return {
            s.round: sum(v.get("severity") == "error" for v in s.violations)
            for s in self.steps
            if s.kind == "validate"
        }
