"""Fault injection: an engine that wraps another and, at a set rate and reproducibly by seed, answers as a
flaky provider or a weak model would. For measuring what the retries, typed errors and checkpoints survive
(`benchmarks/faults.py`, RELIABILITY.md); never for producing designs.

Transport faults (timeouts, connection errors, 429, 5xx) raise the errors a real backend raises, before the
inner engine is asked. Output faults (empty, truncated or malformed JSON, a value outside the vocabulary, an
id nobody declared) corrupt the inner engine's real answer, which then meets the same JSON check our engines
apply. A slow answer is the real answer, late.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import dspy
from dspy import lm15
from dspy.lm15 import Message, Request, Response

from genontology.generators.engine import Generation, check_json, response_schema

TRANSPORT = ("timeout", "connection", "rate_limit", "server_error")
OUTPUT = ("empty", "truncated", "malformed", "wrong_enum", "undeclared_id")
KINDS = (*TRANSPORT, *OUTPUT, "slow")
_TOKEN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")  # enum values and ids look like this; prose does not
OUT_OF_VOCABULARY, GHOST_ID = "zz_not_in_vocabulary", "ghost_never_declared"


@dataclass
class FaultPlan:
    """How often and which: each call is faulted with probability `rate`, the kind drawn from `kinds`."""

    rate: float = 0.2
    seed: int = 0
    kinds: tuple[str, ...] = KINDS
    slow_s: float = 1.0

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown or not self.kinds:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; choose from {', '.join(KINDS)}")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate {self.rate} is not a probability")


@dataclass
class FaultyEngine:
    """Wraps an engine (anything with `complete(request) -> Response`) and injects faults by plan."""

    inner: Any
    plan: FaultPlan = field(default_factory=FaultPlan)
    injected: Counter[str] = field(default_factory=Counter)
    calls: int = 0
    spoiled_tokens: int = 0  # of real answers an output fault corrupted

    def __post_init__(self) -> None:
        self._rng = random.Random(self.plan.seed)
        self._lock = threading.Lock()
        self.name = f"faulty-{getattr(self.inner, 'name', 'engine')}"
        self.supports_response_schema = getattr(self.inner, "supports_response_schema", True)
        self.supported_params = getattr(self.inner, "supported_params", frozenset())

    def _draw(self) -> str | None:
        with self._lock:  # one seeded sequence, whatever the threads
            self.calls += 1
            if self._rng.random() >= self.plan.rate:
                return None
            kind = self._rng.choice(self.plan.kinds)
            self.injected[kind] += 1
            return kind

    def complete(self, request: Request) -> Response:
        kind = self._draw()
        if kind in TRANSPORT:
            _raise(kind)
        if kind == "slow":
            time.sleep(self.plan.slow_s)
        response = self.inner.complete(request)
        if kind not in OUTPUT:
            return response
        with self._lock:
            self.spoiled_tokens += response.usage.total_tokens or 0
        text, finish = _corrupt(kind, response.message.text or "", random.Random(self.calls))
        if response_schema(request.config.response_format) is not None:
            # What our engines do with such an answer, so it is not left to a lenient parser to mend.
            check_json(Generation(text, 0, 0, finish), self.name)
        return Response(
            id=response.id,
            model=response.model,
            message=Message.assistant(text),
            finish_reason=finish,  # type: ignore[arg-type]
            usage=response.usage,
        )

    def stream(self, request: Request) -> Iterator[Any]:
        return lm15.response_to_events(self.complete(request))

    def close(self) -> None:
        closer = getattr(self.inner, "close", None)
        if closer is not None:
            closer()


def _raise(kind: str) -> None:
    provider = "fault-injection"
    if kind == "timeout":
        raise lm15.TimeoutError("injected: the request timed out", provider=provider)
    if kind == "connection":
        raise lm15.TransportError("injected: connection reset by peer", provider=provider)
    if kind == "rate_limit":
        raise lm15.RateLimitError("injected: 429 too many requests", provider=provider, status=429)
    raise lm15.ServerError("injected: 503 service unavailable", provider=provider, status=503)


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, (*path, i))
    elif isinstance(data, str) and _TOKEN.match(data):
        yield path, data


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _corrupt(kind: str, text: str, rng: random.Random) -> tuple[str, str]:
    """The answer as the fault makes it, and its finish reason."""
    if kind == "empty":
        return "", "stop"
    if kind == "truncated":
        return text[: max(1, len(text) // 2)], "length"
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    tokens = list(_leaves(data)) if data is not None else []
    if kind == "undeclared_id":  # a reference: a token that occurs more than once, renamed once
        counts = Counter(value for _, value in tokens)
        references = [(path, value) for path, value in tokens if counts[value] > 1]
        if references:
            _set(data, rng.choice(references)[0], GHOST_ID)
            return json.dumps(data), "stop"
    if kind in ("wrong_enum", "undeclared_id") and tokens:
        _set(data, rng.choice(tokens)[0], OUT_OF_VOCABULARY)
        return json.dumps(data), "stop"
    cut = rng.randrange(1, max(2, len(text)))  # malformed: a brace dropped and garbage spliced in
    return text[:cut].replace("}", "", 1) + ",,]" + text[cut:], "stop"


def faulty_lm(engine: Any, plan: FaultPlan) -> tuple[dspy.LM, FaultyEngine]:
    """A DSPy LM over `engine` with faults injected by `plan` (retries stay ours: calls.py)."""
    faulty = FaultyEngine(engine, plan)
    return dspy.LM(f"local/{faulty.name}", engine=faulty, cache=False, num_retries=0), faulty
