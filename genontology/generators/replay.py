"""A recorded-response LM: answers from a trace a real model produced, for deterministic tests of the
orchestration (routing, checkpoints, budgets). It never stands in for a model: it can only say again what
one said. `resolve_lm("replay:path/to/trace.json")` builds one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from genontology.generators.engine import ChatMessage, Generation, SchemaEngine
from genontology.generators.errors import LMError, LMOutputError, LMSpecError


def messages_key(messages: Sequence[dict[str, Any]]) -> str:
    canonical = [{"role": m.get("role"), "content": m.get("content")} for m in messages]
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


class ReplayEngine(SchemaEngine):
    """Answers a request with the raw text recorded for the same messages; an answer the run could not use
    (cut off, unparseable) fails again with the recorded error. With `in_order=True` it answers the recorded
    texts one after another, whatever is asked (a script, for tests that steer a run)."""

    name = "replay"

    def __init__(
        self,
        answers: Iterable[tuple[Sequence[dict[str, Any]], str]],
        *,
        in_order: bool = False,
        failures: Iterable[tuple[Sequence[dict[str, Any]], str, str]] = (),
    ):
        pairs = list(answers)
        self.in_order = in_order
        self._by_key = {messages_key(m): raw for m, raw in pairs}
        self._failed = {messages_key(m): (raw, error) for m, raw, error in failures}
        self._queue = [raw for _, raw in pairs]
        self.calls = 0

    @classmethod
    def from_trace(cls, trace: str | Path | dict[str, Any], **kwargs: Any) -> ReplayEngine:
        if not isinstance(trace, dict):
            try:
                trace = json.loads(Path(trace).read_text())
            except (OSError, ValueError) as exc:
                raise LMSpecError(f"replay: cannot read the trace {trace}: {exc}") from None
        steps = [s for s in trace.get("steps", []) if s.get("messages") and s.get("raw")]
        answers = [(s["messages"], s["raw"]) for s in steps if not s.get("error")]
        if not answers:
            raise LMSpecError("replay: the trace records no LM answers")
        failures = [(s["messages"], s["raw"], s["error"]) for s in steps if s.get("error")]
        return cls(answers, failures=failures, **kwargs)

    @classmethod
    def script(cls, texts: Sequence[str]) -> ReplayEngine:
        return cls((([], t) for t in texts), in_order=True)

    def generate(self, messages: list[ChatMessage], schema: dict[str, Any] | None, config: Any) -> Generation:
        self.calls += 1
        if self.in_order:
            if not self._queue:
                raise LMError("replay: the script has no answers left")
            text = self._queue.pop(0)
        else:
            key = messages_key(messages)
            if key in self._failed:
                raw, error = self._failed[key]
                raise LMOutputError(error, raw_text=raw)
            if key not in self._by_key:
                raise LMError("replay: no answer recorded for these messages (the run left the trace)")
            text = self._by_key[key]
        return Generation(text=text, input_tokens=0, output_tokens=len(text) // 4)
