"""A recorded-response LM: answers from a trace a real model produced, for deterministic tests of the
orchestration (routing, checkpoints, budgets). It never stands in for a model: it can only say again what
one said. `resolve_lm("replay:path/to/trace.json")` builds one.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from genontology.generators.engine import ChatMessage, Generation, SchemaEngine
from genontology.generators.lm_errors import LMError, LMOutputError, LMSpecError


def messages_key(messages: Sequence[dict[str, Any]]) -> str:
    canonical = [{"role": m.get("role"), "content": m.get("content")} for m in messages]
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def _stage_key(messages: Sequence[dict[str, Any]]) -> str:
    """The role and task that open the system message (before the output schema), as a key."""
    system = next((m.get("content") or "" for m in messages if m.get("role") == "system"), "")
    return hashlib.sha256(system.split("\n\n", 1)[0].encode()).hexdigest()


class ReplayEngine(SchemaEngine):
    """Answers a request with the raw text recorded for the same messages; an answer the run could not use
    (cut off, unparseable) fails again with the recorded error. With `in_order=True` it answers the recorded
    texts one after another, whatever is asked (a script, for tests that steer a run). With
    `by_stage=True` it matches the stage only (the system message's opening: the role and its task) and
    cycles through the usable answers recorded for it: a run that leaves the recorded path (a retry that adds
    a problem, a repair round, a schema narrowed to other names) still gets a real answer for the stage it
    is in, as fault injection needs. Such an answer may no longer fit; the run then fails as it would."""

    name = "replay"

    def __init__(
        self,
        answers: Iterable[tuple[Sequence[dict[str, Any]], str]],
        *,
        in_order: bool = False,
        by_stage: bool = False,
        failures: Iterable[tuple[Sequence[dict[str, Any]], str, str]] = (),
    ):
        pairs = list(answers)
        self.in_order, self.by_stage = in_order, by_stage
        self._by_key = {messages_key(m): raw for m, raw in pairs}
        self._failed = {} if by_stage else {messages_key(m): (raw, error) for m, raw, error in failures}
        self._queue = [raw for _, raw in pairs]
        self._by_stage: dict[str, list[str]] = {}
        for m, raw in pairs:
            self._by_stage.setdefault(_stage_key(m), []).append(raw)
        self.calls = 0
        self.asked: list[list[ChatMessage]] = []  # the messages of every call, for tests of what was sent
        self._lock = threading.Lock()

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
        with self._lock:
            self.calls += 1
            self.asked.append(list(messages))
            return self._answer(messages, schema)

    def _answer(self, messages: list[ChatMessage], schema: dict[str, Any] | None = None) -> Generation:
        if self.by_stage:
            answers = self._by_stage.get(_stage_key(messages))
            if not answers:
                raise LMError("replay: no answer recorded for this stage (its schema or role changed)")
            # A stage asked again in a repair round was narrowed against other ids: of its recorded answers,
            # give one the request's schema admits, as the model answered the schema it was given.
            fitting = [a for a in answers if _admits(schema, a)] or answers
            text = fitting[self.calls % len(fitting)]
        elif self.in_order:
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
        # No tokenizer here: four characters a token is the estimate (the asked side only where it varies).
        asked = sum(len(m.get("content") or "") for m in messages) // 4 if self.by_stage else 0
        return Generation(text=text, input_tokens=asked, output_tokens=len(text) // 4)


def _admits(schema: dict[str, Any] | None, text: str) -> bool:
    """Whether `text` is JSON that `schema` accepts (any text, when the request has no schema)."""
    if schema is None:
        return True
    import jsonschema

    try:
        jsonschema.validate(json.loads(text), schema)
    except (ValueError, jsonschema.ValidationError, jsonschema.SchemaError):
        return False
    return True
