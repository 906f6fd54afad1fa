"""One way of naming every backend: `resolve_lm(spec)` turns a string into a ready `dspy.LM`."""

from __future__ import annotations

import os
import re
from typing import Any

import dspy

from genontology.generators.lm_errors import LMSpecError

ENV_VAR = "GENONTOLOGY_LM"
ACCEPTED = (
    "embedded (the default: SmolLM2-135M shipped on PyPI, no key, no GPU)",
    "embedded:/path/model.gguf",
    "<provider>/<model> for litellm, e.g. openai/gpt-4o-mini, anthropic/claude-sonnet-4, ollama/llama3",
    "vllm:<model>@<url>, e.g. vllm:smollm2@http://localhost:8000",
    "hosted_vllm/<model> (URL from $HOSTED_VLLM_API_BASE)",
    "server:<model>@<url> (any OpenAI-compatible server)",
    "llamacpp:<model>@<url> (llama.cpp's server, decoding under our strict grammar)",
    "torch:<model directory or .gguf file>",
    "replay:<trace.json> (a recorded-response LM answering from a trace, for tests)",
    "a ready dspy.LM object",
)
_AT_URL = re.compile(r"^(?P<model>[^@]+)@(?P<url>https?://\S+)$")
_LITELLM = re.compile(r"^[a-z0-9_\-]+/\S+$")


def accepted_forms() -> str:
    return "; ".join(ACCEPTED)


def _wrap(
    engine: Any, *, cache: bool, temperature: float | None, max_tokens: int | None, seed: int | None
) -> dspy.LM:
    # Our own retry layer (calls.py) adds jitter and typed errors, so DSPy's retries are off.
    kwargs: dict[str, Any] = {"seed": seed} if seed is not None else {}
    return dspy.LM(
        f"local/{engine.name}",
        engine=engine,
        cache=cache,
        num_retries=0,
        temperature=temperature,
        max_tokens=max_tokens,
        **kwargs,
    )


def _model_at_url(rest: str, form: str) -> tuple[str, str]:
    match = _AT_URL.match(rest)
    if not match:
        raise LMSpecError(f"expected {form}:<model>@<http(s) url>, got {form}:{rest!r}")
    return match["model"], match["url"]


def resolve_lm(
    spec: str | dspy.LM | None = None,
    *,
    cache: bool = True,
    temperature: float | None = None,
    max_tokens: int | None = None,
    seed: int | None = None,
) -> dspy.LM:
    """A DSPy LM for `spec`: None reads $GENONTOLOGY_LM, then falls back to the embedded model.

    `cache` is DSPy's response cache (on for tests and replays, off when variety is wanted); `seed` and
    `temperature` are passed to the backend. Unknown specs raise LMSpecError listing the accepted forms.
    """
    if isinstance(spec, dspy.BaseLM):
        return spec
    if spec is None:
        spec = os.environ.get(ENV_VAR) or "embedded"
    if not isinstance(spec, str) or not spec.strip():
        raise LMSpecError(f"empty LM spec; accepted forms: {accepted_forms()}")
    spec = spec.strip()
    options = {"cache": cache, "temperature": temperature, "max_tokens": max_tokens, "seed": seed}
    kind, _, rest = spec.partition(":")
    if spec == "embedded" or kind == "embedded":
        from genontology.generators.embedded import EmbeddedEngine

        return _wrap(EmbeddedEngine(rest or None), **options)
    if kind in ("vllm", "server", "llamacpp") and rest:
        from genontology.generators.server import ServerEngine

        model, url = _model_at_url(rest, kind)
        flavor = {"server": "openai"}.get(kind, kind)
        return _wrap(
            ServerEngine(model, url, flavor=flavor, api_key=os.environ.get("VLLM_API_KEY")), **options
        )
    if spec.startswith("hosted_vllm/"):
        from genontology.generators.server import ServerEngine

        url = os.environ.get("HOSTED_VLLM_API_BASE")
        if not url:
            raise LMSpecError(
                "hosted_vllm/<model> needs $HOSTED_VLLM_API_BASE (e.g. http://localhost:8000/v1), "
                "or use vllm:<model>@<url>"
            )
        return _wrap(ServerEngine(spec.split("/", 1)[1], url, flavor="vllm"), **options)
    if kind == "replay" and rest:
        from genontology.testing.replay import ReplayEngine

        return _wrap(ReplayEngine.from_trace(rest), **options)
    if kind == "torch" and rest:
        from genontology.generators.torch_engine import TorchEngine

        return _wrap(TorchEngine(rest), **options)
    if _LITELLM.match(spec):
        kwargs: dict[str, Any] = {"seed": seed} if seed is not None else {}
        return dspy.LM(
            spec, cache=cache, num_retries=0, temperature=temperature, max_tokens=max_tokens, **kwargs
        )
    raise LMSpecError(f"unknown LM spec {spec!r}; accepted forms: {accepted_forms()}")
