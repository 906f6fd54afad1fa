"""Compare LM backends on the same schemas and prompts: schema-valid rate, tokens/s, seconds per answer.

Every backend decodes the same tabletop slices (mechanisms; actions with nested typed effects) for the same
themes, through the same DSPy signature and JSONAdapter. Medians over all answers; the machine is printed.
Baseline: the embedded backend (llama.cpp in process), measured in the same run.

    python benchmarks/backends.py [--backends embedded,llamacpp,torch,vllm] [--out results.json]

vLLM runs only where `make vllm-env` has built .venv-vllm and .cache/smollm2-hf.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import dspy
from pydantic import BaseModel, Field

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology.generators import LMError, UsageLedger, call_lm, resolve_lm
from genontology.generators.embedded import embedded_model_path
from genontology.generators.serve import serve_llamacpp, serve_vllm
from genontology.schemas.tabletop.model import Action, Mechanism

THEMES = [
    "bioluminescent fungi competing in a cave ecosystem",
    "rival lighthouse keepers on a stormy coast",
    "night-market cooks racing to earn a Michelin star",
]


class Mechanisms(BaseModel):
    mechanisms: list[Mechanism] = Field(min_length=1, max_length=2)


class Actions(BaseModel):
    actions: list[Action] = Field(min_length=1, max_length=2)


SLICES: list[type[BaseModel]] = [Mechanisms, Actions]


def one_answer(lm: dspy.BaseLM, slice_model: type[BaseModel], theme: str) -> dict[str, object]:
    sig = dspy.Signature(
        {"theme": (str, dspy.InputField()), "part": (slice_model, dspy.OutputField())},
        "Design this part of a tabletop game for the theme.",
    )
    ledger = UsageLedger()
    began = time.perf_counter()
    valid = True
    try:
        with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
            part = call_lm(lambda: dspy.Predict(sig)(theme=theme).part, lm=lm, ledger=ledger, retries=0)
        slice_model.model_validate_json(part.model_dump_json())
    except LMError:
        valid = False
    seconds = time.perf_counter() - began
    out_tokens = ledger.totals()["output_tokens"]
    return {
        "valid": valid,
        "seconds": seconds,
        "output_tokens": out_tokens,
        "tok_per_s": out_tokens / seconds,
    }


def run_backend(spec: str) -> list[dict[str, object]]:
    rows = []
    for theme in THEMES:
        for slice_model in SLICES:
            # No per-request seed: vLLM 0.32 on CPU crashes its engine on one ("CPU Generator does not use
            # offset"); sampling at temperature 0.7 varies the answers anyway.
            lm = resolve_lm(spec, cache=False, max_tokens=3000, temperature=0.7)
            rows.append({"slice": slice_model.__name__, "theme": theme, **one_answer(lm, slice_model, theme)})
    return rows


def summarize(rows: list[dict[str, object]]) -> dict[str, float]:
    return {
        "answers": len(rows),
        "schema_valid_rate": sum(bool(r["valid"]) for r in rows) / len(rows),
        "median_seconds_per_answer": round(statistics.median(float(r["seconds"]) for r in rows), 2),
        "median_tokens_per_second": round(statistics.median(float(r["tok_per_s"]) for r in rows), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default="embedded,llamacpp,torch,vllm")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results: dict[str, object] = {"machine": machine()}
    gguf = embedded_model_path()
    for backend in args.backends.split(","):
        if backend == "embedded":
            results[backend] = summarize(run_backend("embedded"))
        elif backend == "torch":
            results[backend] = summarize(run_backend(f"torch:{gguf}"))
        elif backend == "llamacpp":
            with serve_llamacpp(gguf) as server:
                results[backend] = summarize(run_backend(f"llamacpp:smollm2@{server.url}"))
        elif backend == "vllm":
            model, python = Path(".cache/smollm2-hf"), Path(".venv-vllm/bin/python")
            if not (model.exists() and python.exists()):
                print("vllm: skipped (run `make vllm-env` first)", file=sys.stderr)
                continue
            with serve_vllm(model, python=str(python), served_name="smollm2") as server:
                results[backend] = summarize(run_backend(f"vllm:smollm2@{server.url}"))
        print(backend, results.get(backend), flush=True)
    base = results.get("embedded")
    if isinstance(base, dict):
        for name, summary in results.items():
            if isinstance(summary, dict) and name != "embedded":
                summary["seconds_vs_embedded"] = round(
                    summary["median_seconds_per_answer"] / base["median_seconds_per_answer"], 2
                )
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
