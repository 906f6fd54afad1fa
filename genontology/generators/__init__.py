"""LM backends, all DSPy LMs: the embedded default, litellm, OpenAI-compatible servers (vLLM, llama.cpp)
and torch. Import-light: a backend's heavy libraries load only when it is resolved."""

import os

# litellm would fetch a model price list from the internet at import; its bundled copy is enough.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from genontology.generators.calls import CallRecord, UsageLedger, call_lm
from genontology.generators.errors import LMError, LMOutputError, LMSpecError, LMUnavailable
from genontology.generators.resolve import accepted_forms, resolve_lm

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
