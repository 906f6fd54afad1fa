"""A transformers model in process, on CUDA when there is one and the CPU otherwise, decoding under an
xgrammar logits processor compiled from the JSON Schema. Loads a local model directory or a .gguf file (the
embedded model included); never a hub download.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from genontology.generators.engine import ChatMessage, Generation, SchemaEngine, schema_key
from genontology.generators.lm_errors import LMSpecError

DEFAULT_MAX_TOKENS = 2048


class TorchEngine(SchemaEngine):
    def __init__(self, path: str | Path, *, device: str | None = None) -> None:
        path = Path(path).expanduser()
        if not path.exists():
            raise LMSpecError(f"torch model not found: {path} (give a model directory or a .gguf file)")
        self.path = path
        self.name = f"torch/{path.stem if path.is_file() else path.name}"
        self._device = device
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, Any] | None = None
        self._grammars: dict[str, Any] = {}

    @property
    def device(self) -> str:
        if self._device is None:
            import torch

            self._device = "cuda" if torch.cuda.is_available() else "cpu"
        return self._device

    def _load(self) -> tuple[Any, Any, Any]:
        if self._loaded is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local path must never turn into a download
            import xgrammar as xgr
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()

            folder, extra = (
                (self.path.parent, {"gguf_file": self.path.name}) if self.path.is_file() else (self.path, {})
            )
            tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True, **extra)
            model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True, **extra).to(
                self.device
            )
            model.eval()
            info = xgr.TokenizerInfo.from_huggingface(tokenizer, vocab_size=model.config.vocab_size)
            self._loaded = (tokenizer, model, xgr.GrammarCompiler(info))
        return self._loaded

    def _processor(self, compiler: Any, schema: dict[str, Any]) -> Any:
        import json

        import xgrammar as xgr

        key = schema_key(schema)
        if key not in self._grammars:
            self._grammars[key] = compiler.compile_json_schema(json.dumps(schema), any_whitespace=False)
        return xgr.contrib.hf.LogitsProcessor(self._grammars[key])  # stateful: one per generation

    def generate(self, messages: list[ChatMessage], schema: dict[str, Any] | None, config: Any) -> Generation:
        import torch

        with self._lock:
            tokenizer, model, compiler = self._load()
            inputs = tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
            ).to(self.device)
            temperature = 0.0 if config.temperature is None else config.temperature
            max_new = config.max_tokens or DEFAULT_MAX_TOKENS
            kwargs: dict[str, Any] = {"max_new_tokens": max_new, "do_sample": temperature > 0}
            if temperature > 0:
                kwargs["temperature"] = temperature
            if config.seed is not None:
                torch.manual_seed(config.seed)
            if schema is not None:
                kwargs["logits_processor"] = [self._processor(compiler, schema)]
            with torch.inference_mode():
                output = model.generate(**inputs, pad_token_id=tokenizer.eos_token_id, **kwargs)
        prompt_len = inputs["input_ids"].shape[1]
        new_tokens = output[0][prompt_len:]
        finished = len(new_tokens) < max_new or (
            len(new_tokens) and int(new_tokens[-1]) == tokenizer.eos_token_id
        )
        return Generation(
            text=tokenizer.decode(new_tokens, skip_special_tokens=True),
            input_tokens=int(prompt_len),
            output_tokens=len(new_tokens),
            finish_reason="stop" if finished else "length",
        )
