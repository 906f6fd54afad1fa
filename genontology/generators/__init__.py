"""LM backends, all DSPy LMs: the embedded default, litellm, OpenAI-compatible servers (vLLM, llama.cpp)
and torch, plus the artifact generators (`generators.music`). Import-light: DSPy loads with the first
name that needs it, and a backend's heavy libraries only when it is resolved, so the music realizer
runs without the LM stack."""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

from genontology.generators.lm_errors import LMError, LMOutputError, LMSpecError, LMUnavailable

# litellm would fetch a model price list from the internet at import; its bundled copy is enough.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

if TYPE_CHECKING:
    from genontology.generators.calls import CallRecord, UsageLedger, call_lm
    from genontology.generators.resolve import accepted_forms, resolve_lm

_LAZY = {
    "CallRecord": "calls",
    "UsageLedger": "calls",
    "call_lm": "calls",
    "accepted_forms": "resolve",
    "resolve_lm": "resolve",
}

__all__ = [
    "CallRecord",
    "LMError",
    "LMOutputError",
    "LMSpecError",
    "LMUnavailable",
    "UsageLedger",
    "accepted_forms",
    "call_lm",
    "resolve_lm",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value
