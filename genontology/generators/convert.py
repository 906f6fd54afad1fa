"""Convert the embedded GGUF model to a Hugging Face model directory (for vLLM), locally and offline.

`save_pretrained` refuses a model loaded from GGUF, so the model is rebuilt from its config, given the
de-quantized weights, then saved. Usage: `python -m genontology.generators.convert OUT_DIR [GGUF]`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from genontology.generators.embedded import embedded_model_path


def gguf_to_hf(out_dir: str | Path, gguf: str | Path | None = None) -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    source = Path(gguf) if gguf else embedded_model_path()
    folder, name = source.parent, source.name
    out = Path(out_dir)
    if (out / "config.json").exists():
        return out
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name, local_files_only=True)
    loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, local_files_only=True)
    config = AutoConfig.from_pretrained(folder, gguf_file=name, local_files_only=True)
    fresh = AutoModelForCausalLM.from_config(config)
    fresh.load_state_dict(loaded.state_dict())
    tmp = out.with_name(out.name + ".partial")
    fresh.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    if out.exists():
        raise FileExistsError(f"{out} exists; remove it to convert again")
    tmp.replace(out)  # a half-written model is never served
    return out


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python -m genontology.generators.convert OUT_DIR [MODEL.gguf]")
    print(gguf_to_hf(*sys.argv[1:]))
