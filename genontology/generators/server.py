"""An OpenAI-compatible HTTP server as a DSPy engine: vLLM, llama.cpp's server, or any compatible endpoint.

Structured output goes as the standard `response_format` JSON schema (vLLM decodes it with its own grammar
backend); for llama.cpp's server, which accepts a raw grammar, we send our stricter GBNF instead. Transport
failures, 429 and 5xx become the lm15 errors that DSPy and our retry layer classify as transient.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx
from dspy import lm15

from genontology.generators.engine import ChatMessage, Generation, SchemaEngine
from genontology.generators.grammar import json_schema_to_grammar
from genontology.redaction import redact_text, remember

Flavor = Literal["openai", "vllm", "llamacpp"]
DEFAULT_MAX_TOKENS = 2048


def api_root(base_url: str) -> str:
    """`http://host:8000` or `http://host:8000/v1` -> `http://host:8000/v1`."""
    root = base_url.rstrip("/")
    return root if root.endswith("/v1") else root + "/v1"


class ServerEngine(SchemaEngine):
    def __init__(
        self,
        model: str,
        base_url: str,
        *,
        flavor: Flavor = "openai",
        api_key: str | None = None,
        timeout: float = 300.0,
    ) -> None:
        self.model = model
        self.url = api_root(base_url) + "/chat/completions"
        self.flavor = flavor
        self.name = f"{flavor}/{model}"
        remember(api_key)  # a server may echo it in an error; nothing we write may contain it
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout, headers=headers)

    def _body(
        self, messages: list[ChatMessage], schema: dict[str, Any] | None, config: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": config.max_tokens or DEFAULT_MAX_TOKENS,
            "temperature": 0.0 if config.temperature is None else config.temperature,
        }
        if config.seed is not None:
            body["seed"] = config.seed
        if config.stop:
            body["stop"] = list(config.stop)
        if schema is not None:
            if self.flavor == "llamacpp":
                body["grammar"] = json_schema_to_grammar(schema)
            else:
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "output", "schema": schema, "strict": True},
                }
        return body

    def generate(self, messages: list[ChatMessage], schema: dict[str, Any] | None, config: Any) -> Generation:
        try:
            reply = self._client.post(self.url, json=self._body(messages, schema, config))
        except httpx.TimeoutException as exc:
            raise lm15.TimeoutError(f"{self.url} timed out: {exc}", provider=self.flavor) from None
        except httpx.TransportError as exc:
            raise lm15.TransportError(f"cannot reach {self.url}: {exc}", provider=self.flavor) from None
        _raise_for_status(reply, self.flavor)
        try:
            data = reply.json()
            choice = data["choices"][0]
            text = choice["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError):
            raise lm15.ServerError(
                f"{self.url} answered with an unexpected body: {redact_text(reply.text[:200])!r}",
                provider=self.flavor,
                status=reply.status_code,
            ) from None
        usage = data.get("usage") or {}
        return Generation(
            text=text,
            input_tokens=int(usage.get("prompt_tokens") or 0),
            output_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason="length" if choice.get("finish_reason") == "length" else "stop",
        )

    def close(self) -> None:
        self._client.close()


def _raise_for_status(reply: httpx.Response, provider: str) -> None:
    status = reply.status_code
    if status < 400:
        return
    detail = redact_text(reply.text[:300])
    kwargs: dict[str, Any] = {"provider": provider, "status": status}
    if status == 429:
        retry_after = reply.headers.get("retry-after")
        if retry_after and retry_after.replace(".", "", 1).isdigit():
            kwargs["retry_after"] = float(retry_after)
        raise lm15.RateLimitError(f"rate limited: {detail}", **kwargs)
    if status >= 500:
        raise lm15.ServerError(f"server error: {detail}", **kwargs)
    if status in (401, 403):
        raise lm15.AuthError(f"not authorized: {detail}", **kwargs)
    if status == 404:
        raise lm15.UnsupportedModelError(f"not found (wrong model name or URL?): {detail}", **kwargs)
    raise lm15.InvalidRequestError(f"request refused: {detail}", **kwargs)
