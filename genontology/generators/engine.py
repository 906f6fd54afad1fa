"""A base for our DSPy engines: the canonical contract DSPy 3.4 supports going forward.

An engine turns one `dspy.lm15.Request` into one `dspy.lm15.Response` (`complete`), can stream it, and owns
its connection (`close`). It declares JSON-schema support, so DSPy's JSONAdapter passes each signature's
output schema through in `request.config.response_format`, and the engine decodes under that schema.
Engines make one attempt; retries live in `genontology.generators.calls`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dspy.clients.engines.base import validate_request
from dspy.lm15 import Message, Request, Response, Usage, response_to_events

from genontology.generators.lm_errors import LMOutputError

ChatMessage = dict[str, str]
SUPPORTED_PARAMS = frozenset({"response_format", "temperature", "max_tokens", "seed", "stop"})


@dataclass(frozen=True)
class Generation:
    """What a backend produced for one request."""

    text: str
    input_tokens: int
    output_tokens: int
    finish_reason: str = "stop"  # "stop" or "length"
    cached_tokens: int = 0  # prompt tokens restored from a saved prefix instead of read


def chat_messages(request: Request) -> list[ChatMessage]:
    """The request as OpenAI-style chat messages (system first), which every local chat template takes."""
    out: list[ChatMessage] = []
    if request.system is not None:
        system = (
            request.system if isinstance(request.system, str) else "".join(p.text for p in request.system)
        )
        out.append({"role": "system", "content": system})
    for message in request.messages:
        role = "user" if message.role == "developer" else message.role
        out.append({"role": role, "content": message.text or ""})
    return out


def response_schema(response_format: dict[str, Any] | None) -> dict[str, Any] | None:
    """The JSON Schema inside a response_format, whichever of the OpenAI-style shapes it uses.

    `{"type": "json_object"}` yields the schema of any JSON object; no response_format yields None.
    """
    if not response_format:
        return None
    if response_format.get("type") == "json_object":
        return {"type": "object"}
    for candidate in (
        response_format.get("schema"),
        (response_format.get("json_schema") or {}).get("schema"),
    ):
        if isinstance(candidate, dict):
            return candidate
    return None


class SchemaEngine:
    """Base class: subclasses implement `generate(messages, schema, config)`."""

    supports_response_schema = True
    supported_params = SUPPORTED_PARAMS
    name = "engine"

    def generate(self, messages: list[ChatMessage], schema: dict[str, Any] | None, config: Any) -> Generation:
        raise NotImplementedError

    def complete(self, request: Request) -> Response:
        validate_request(request)
        schema = response_schema(request.config.response_format)
        messages = chat_messages(request)
        try:
            generation = self.generate(messages, schema, request.config)
            if schema is not None:
                check_json(generation, self.name)
        except LMOutputError as exc:
            exc.messages = exc.messages or [dict(m) for m in messages]
            raise
        return Response(
            id=None,
            model=self.name,
            message=Message.assistant(generation.text),
            finish_reason=generation.finish_reason,
            usage=Usage(
                input_tokens=generation.input_tokens,
                output_tokens=generation.output_tokens,
                total_tokens=generation.input_tokens + generation.output_tokens,
                cache_read_tokens=generation.cached_tokens,
            ),
        )

    def stream(self, request: Request) -> Iterator[Any]:
        """The whole answer as lm15 stream events: local decoding finishes before anything is sent."""
        return response_to_events(self.complete(request))

    def close(self) -> None:
        """Nothing to release by default."""


def check_json(generation: Generation, model: str) -> None:
    """Refuse an answer cut off at the token limit or not parseable as JSON, rather than let a lenient
    parser invent the missing half."""
    if generation.finish_reason == "length":
        raise LMOutputError(
            f"{model}: the answer hit the token limit after {generation.output_tokens} tokens, incomplete; "
            "raise max_tokens or ask for less",
            raw_text=generation.text,
        )
    try:
        json.loads(generation.text)
    except json.JSONDecodeError as exc:
        raise LMOutputError(
            f"{model}: the answer is not valid JSON ({exc.msg} at {exc.pos})", raw_text=generation.text
        ) from None


def schema_key(schema: dict[str, Any] | None) -> str:
    """A stable key for caching compiled grammars per schema."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":"))
