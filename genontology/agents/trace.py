"""The record of a run: every step, as JSON a person or a notebook can read, with secrets redacted."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

SECRET_KEYS = re.compile(r"(api[_-]?key|authorization|token|secret|password)", re.IGNORECASE)
SECRET_VALUES = re.compile(r"(sk-[A-Za-z0-9_\-]{8,}|Bearer\s+[A-Za-z0-9._\-]{8,}|hf_[A-Za-z0-9]{8,})")
REDACTED = "[redacted]"


def redact(value: Any) -> Any:
    """A copy with secret-looking keys and values replaced. Token counts are not secrets."""
    if isinstance(value, dict):
        return {
            k: REDACTED if SECRET_KEYS.search(str(k)) and not str(k).endswith("tokens") else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return SECRET_VALUES.sub(REDACTED, value)
    return value


class Step(BaseModel):
    """One thing the Designer did: an LM call by a role, a validation, the fixes it applied."""

    kind: Literal["lm", "validate", "fix", "playtest", "critique", "route"]
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
