"""Where a design's LM time goes on the embedded model, and what the greedy decoder and saved prefixes save.

    python benchmarks/decode_speed.py [--theme T] [--route scratch] [--formats] [--out FILE]

1. One design runs in this process on the route asked (scratch by default: the route that asks the model
   most), through llama-cpp-python's own sampler chain (the engine before issue 28), and every call is
   recorded: its stage, messages, schema and token limit.
2. Every call is replayed, in the design's order, under each way of decoding, on one loaded model:
   - `library`: llama-cpp-python's chain (penalties, grammar over the whole vocabulary, greedy), the
     KV cache reused only where a call starts like the one before it (the library's own reuse);
   - `greedy`: `GreedyDecoder` without saved prefixes (the same reuse);
   - `greedy+prefixes`: `GreedyDecoder` with saved prefixes (a stage's first message restored);
   - `greedy+prefixes+disk`: the same, with saved prefixes on disk that a design on another theme
     (`--warm-theme`, replayed first, as an earlier process) left there;
   - `q8_0+flash` (and `+disk`): the same on Q8_0 weights made from the shipped Q4_1, with flash attention
     (`EmbeddedEngine(weights="Q8_0", flash_attention=True)`, the default since issue 28; other words);
   - `free`: no grammar, as many tokens as the answer had, on both weights: the model's own rate.
   Each call reports prompt tokens read and reused, output tokens, prompt and decoding seconds (the
   library's are one number), and whether the answer is byte for byte the library's.
3. `--formats`: the weight formats llama.cpp's quantize API makes from the shipped Q4_1 (Q8_0, F16), with and
   without flash attention: prompt-reading and free-decoding rates on the longest prompt, and how many of
   the design's answers come out the same as Q4_1's.
4. The process's fixed costs: interpreter and imports, loading the model.

The formats' rates are medians of three reads of the longest prompt; everything else is one pass, all in
one run on one machine (CPU, flags, threads printed).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine as machine_line

THEME = "bioluminescent fungi competing in a cave ecosystem, 2-4 players, 60 minutes"
WARM_THEME = "rival deep-sea salvage crews racing for a sunken treasure, 2-5 players, 45 minutes"
FLAGS = ("avx", "avx2", "fma", "f16c", "avx512f", "avx512_vnni", "avx_vnni", "amx_tile")


def machine(threads: int) -> dict[str, Any]:
    """The shared machine line, plus what decoding speed depends on: SIMD flags, threads, the binding."""
    import llama_cpp

    info: dict[str, Any] = {
        "machine": machine_line(),
        "threads": threads,
        "llama_cpp_python": llama_cpp.__version__,
    }
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        flags = next(line.split(":", 1)[1].split() for line in lines if line.startswith("flags"))
        info["flags"] = [f for f in FLAGS if f in flags]
    except (OSError, StopIteration):
        pass
    return info


def record(theme: str, route: str, library: bool = True) -> tuple[list[dict[str, Any]], float]:
    """One design through the library's chain (or the greedy decoder, the same answers faster); every call
    it made, with its stage."""
    from genontology.agents import Designer
    from genontology.generators.embedded import EmbeddedEngine
    from genontology.generators.resolve import _wrap

    calls: list[dict[str, Any]] = []

    class Recording(EmbeddedEngine):
        def generate(self, messages, schema, config):  # type: ignore[no-untyped-def]
            calls.append({"messages": messages, "schema": schema, "max_tokens": config.max_tokens})
            return super().generate(messages, schema, config)

    engine = Recording(greedy_decoder=not library, weights=None, flash_attention=False)
    lm = _wrap(engine, cache=False, temperature=None, max_tokens=None, seed=None)
    started = time.perf_counter()
    result = Designer(lm=lm, route=route).run(theme)
    wall = time.perf_counter() - started
    stages = [step.stage or step.kind for step in result.trace.steps if step.messages]
    for call, stage in zip(calls, stages, strict=False):
        call["stage"] = stage
    return calls, wall


def decode_all(
    decoder: Any, calls: list[dict[str, Any]], grammars: list[str | None], penalty: float
) -> list[dict[str, Any]]:
    from genontology.generators.embedded import DEFAULT_MAX_TOKENS

    rows = []
    for call, grammar in zip(calls, grammars, strict=True):
        started = time.perf_counter()
        done = decoder.decode(call["messages"], grammar, call["max_tokens"] or DEFAULT_MAX_TOKENS, penalty)
        rows.append(
            {
                "stage": call["stage"],
                "text": done.text,
                "prompt_tokens": done.prompt_tokens,
                "reused_tokens": done.cached_tokens,
                "output_tokens": done.output_tokens,
                "prompt_s": done.prompt_s,
                "decode_s": done.decode_s,
                "seconds": time.perf_counter() - started,
            }
        )
    return rows


def free_rate(decoder: Any, calls: list[dict[str, Any]], like: list[dict[str, Any]], penalty: float) -> list:
    """No grammar, as many tokens as each answer had, the prompt read again: the model's own rate."""
    rows = []
    for call, done in zip(calls, like, strict=True):
        decoder.llm.reset()
        out = decoder.decode(call["messages"], None, max(1, done["output_tokens"]), penalty)
        rows.append({"stage": call["stage"], "output_tokens": out.output_tokens, "decode_s": out.decode_s})
    return rows


def replay(
    calls: list[dict[str, Any]], repeat_penalty: float, warm: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Every call under each way of decoding: `library` and `greedy*` on the shipped weights without flash
    attention (as `EmbeddedEngine()` runs), `q8_0+flash*` on the faster weights and attention; `*+disk` with
    saved prefixes on disk that the `warm` calls (another design, as an earlier process) left there."""
    from llama_cpp import LlamaGrammar

    from genontology.generators.decoding import GreedyDecoder
    from genontology.generators.embedded import (
        DEFAULT_MAX_TOKENS,
        EmbeddedEngine,
        _load,
        embedded_model_path,
        usable_cores,
    )
    from genontology.generators.grammar import json_schema_to_grammar
    from genontology.generators.prefixes import DiskPrefixes, PrefixStates

    llm = _load(str(embedded_model_path()), 8192, usable_cores())
    rows: dict[str, list[dict[str, Any]]] = {"library": []}
    grammars: list[str | None] = []
    built = []
    for call in calls:
        started = time.perf_counter()
        grammars.append(json_schema_to_grammar(call["schema"]) if call["schema"] else None)
        built.append((time.perf_counter() - started) * 1000)
    llm.reset()  # the library, call after call, as the engine before issue 28 ran a design
    for call, grammar, ms in zip(calls, grammars, built, strict=True):
        started = time.perf_counter()
        out = llm.create_chat_completion(
            messages=call["messages"],
            max_tokens=call["max_tokens"] or DEFAULT_MAX_TOKENS,
            temperature=0.0,
            repeat_penalty=repeat_penalty,
            grammar=LlamaGrammar.from_string(grammar, verbose=False) if grammar else None,
        )
        rows["library"].append(
            {
                "stage": call["stage"],
                "text": out["choices"][0]["message"]["content"],
                "prompt_tokens": out["usage"]["prompt_tokens"],
                "output_tokens": out["usage"]["completion_tokens"],
                "seconds": time.perf_counter() - started,
                "grammar_build_ms": ms,
            }
        )
    engine = EmbeddedEngine(weights="Q8_0", flash_attention=True)
    faster = _load(str(engine.model_path), 8192, engine.n_threads, engine.flash_attention)
    for name, model, states, disk in (
        ("greedy", llm, PrefixStates(capacity=0), False),
        ("greedy+prefixes", llm, PrefixStates(), False),
        ("greedy+prefixes+disk", llm, PrefixStates(), True),
        ("q8_0+flash", faster, PrefixStates(), False),
        ("q8_0+flash+disk", faster, PrefixStates(), True),
    ):
        folder = DiskPrefixes(Path(tempfile.mkdtemp(prefix="decode-prefixes-"))) if disk else None
        if folder is not None and warm:  # an earlier process's design on another theme fills the disk
            model.reset()
            earlier = GreedyDecoder(model, disk=folder)
            decode_all(earlier, warm, [grammar_of(c) for c in warm], repeat_penalty)
            earlier.close()
        model.reset()
        decoder = GreedyDecoder(model, states=states, disk=folder)
        rows[name] = decode_all(decoder, calls, grammars, repeat_penalty)
        if name in ("greedy", "q8_0+flash"):
            label = "free (shipped)" if model is llm else "free (q8_0+flash)"
            rows[label] = free_rate(decoder, calls, rows[name], repeat_penalty)
        decoder.close()
    return rows


def grammar_of(call: dict[str, Any]) -> str | None:
    from genontology.generators.grammar import json_schema_to_grammar

    return json_schema_to_grammar(call["schema"]) if call["schema"] else None


def formats(calls: list[dict[str, Any]], reference: list[str], repeat_penalty: float) -> list[dict[str, Any]]:
    """Other weight formats and flash attention: rates on the longest prompt, answers equal to Q4_1's."""
    import llama_cpp
    from llama_cpp import Llama

    from genontology.generators.decoding import GreedyDecoder
    from genontology.generators.embedded import DEFAULT_MAX_TOKENS, embedded_model_path, usable_cores
    from genontology.generators.grammar import json_schema_to_grammar
    from genontology.generators.prefixes import PrefixStates

    source = embedded_model_path()
    folder = Path(tempfile.mkdtemp(prefix="decode-formats-"))
    made = {"Q4_1": source}
    for name, ftype in (
        ("Q8_0", llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0),
        ("F16", llama_cpp.LLAMA_FTYPE_MOSTLY_F16),
    ):
        params = llama_cpp.llama_model_quantize_default_params()
        params.ftype, params.allow_requantize, params.nthread = ftype, True, usable_cores()
        target = folder / f"{source.stem}.{name}.gguf"
        if (
            llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), ctypes.byref(params))
            == 0
        ):
            made[name] = target
    longest = max(calls, key=lambda c: sum(len(m["content"]) for m in c["messages"]))
    grammars = [json_schema_to_grammar(c["schema"]) if c["schema"] else None for c in calls]
    rows = []
    for name, path in made.items():
        for flash in (False, True):
            llm = Llama(
                model_path=str(path),
                n_ctx=8192,
                n_threads=usable_cores(),
                n_threads_batch=usable_cores(),
                flash_attn=flash,
                verbose=False,
            )
            decoder = GreedyDecoder(llm, states=PrefixStates(capacity=0))
            rates = []
            for _ in range(3):
                llm.reset()
                out = decoder.decode(longest["messages"], None, 100, repeat_penalty)
                rates.append((out.prompt_tokens / out.prompt_s, out.output_tokens / out.decode_s))
            same = 0
            for call, grammar, text in zip(calls, grammars, reference, strict=True):
                llm.reset()
                out = decoder.decode(
                    call["messages"], grammar, call["max_tokens"] or DEFAULT_MAX_TOKENS, repeat_penalty
                )
                same += out.text == text
            decoder.close()
            llm.close()
            rows.append(
                {
                    "weights": name,
                    "flash_attention": flash,
                    "prompt_tokens_per_s": statistics.median(r[0] for r in rates),
                    "free_tokens_per_s": statistics.median(r[1] for r in rates),
                    "answers_as_q4_1": f"{same}/{len(calls)}",
                }
            )
    return rows


def fixed_costs() -> dict[str, float]:
    """Seconds a fresh process spends before the first design call: interpreter and imports, model load."""
    script = (
        "import time; t = time.perf_counter()\n"
        "import genontology.cli, genontology.agents, dspy\n"
        "from genontology.generators.embedded import _load, embedded_model_path, usable_cores\n"
        "i = time.perf_counter(); _load(str(embedded_model_path()), 8192, usable_cores())\n"
        "print(i - t, time.perf_counter() - i)"
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    total = time.perf_counter() - started
    imports, load = (float(x) for x in out.stdout.split())
    return {"process_s": total, "imports_s": imports, "model_load_s": load}


def summary(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    library = rows["library"]
    out: dict[str, Any] = {"calls": len(library)}
    for name in (
        "library",
        "greedy",
        "greedy+prefixes",
        "greedy+prefixes+disk",
        "q8_0+flash",
        "q8_0+flash+disk",
    ):
        calls = rows[name]
        seconds = sum(r["seconds"] for r in calls)
        outputs = sum(r["output_tokens"] for r in calls)
        entry = {"seconds": round(seconds, 2), "output_tokens": outputs, "out_per_lm_s": outputs / seconds}
        if name != "library":
            prompt_s = sum(r["prompt_s"] for r in calls)
            decode_s = sum(r["decode_s"] for r in calls)
            read = sum(r["prompt_tokens"] - r["reused_tokens"] for r in calls)
            entry |= {
                "prompt_s": round(prompt_s, 2),
                "decode_s": round(decode_s, 2),
                "prompt_tokens_read": read,
                "prompt_tokens": sum(r["prompt_tokens"] for r in calls),
                "decode_tokens_per_s": outputs / decode_s,
                "same_as_library": sum(a["text"] == b["text"] for a, b in zip(calls, library, strict=True)),
                "same_without_disk": sum(
                    a["text"] == b["text"]
                    for a, b in zip(calls, rows[name.removesuffix("+disk")], strict=True)
                ),
            }
        out[name] = entry
    for name in ("free (shipped)", "free (q8_0+flash)"):
        free_s = sum(r["decode_s"] for r in rows[name])
        free_tokens = sum(r["output_tokens"] for r in rows[name])
        out[name] = {"decode_s": round(free_s, 2), "tokens_per_s": free_tokens / free_s}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--theme", default=THEME)
    parser.add_argument(
        "--warm-theme", default=WARM_THEME, help="the design whose prompts fill the disk first ('' for none)"
    )
    parser.add_argument("--route", default="scratch", choices=["scratch", "recombine", "auto"])
    parser.add_argument("--formats", action="store_true", help="also weight formats and flash attention")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/decode.json"))
    args = parser.parse_args()
    from genontology.generators.embedded import EmbeddedEngine, usable_cores

    penalty = EmbeddedEngine().repeat_penalty
    report: dict[str, Any] = {"machine": machine(usable_cores()), "theme": args.theme, "route": args.route}
    report["fixed_costs"] = fixed_costs()
    print(json.dumps(report, indent=1), flush=True)
    calls, wall = record(args.theme, args.route)
    report["design_wall_s_library"] = wall
    print(f"recorded {len(calls)} calls in a {wall:.1f} s design", flush=True)
    warm = record(args.warm_theme, args.route, library=False)[0] if args.warm_theme else []
    rows = replay(calls, penalty, warm)
    report["per_call"] = {
        name: [{k: v for k, v in r.items() if k != "text"} for r in calls_] for name, calls_ in rows.items()
    }
    report["summary"] = summary(rows)
    print(json.dumps(report["summary"], indent=1), flush=True)
    print(
        f"{'stage':<12}{'prompt':>7}{'reused':>7}{'+disk':>6}{'out':>5}{'library':>9}{'greedy':>8}"
        f"{'+prefix':>8}{'+disk':>7}{'q8+flash':>9}{'+disk':>7}"
    )
    for lib, greedy, pre, disk, q8, q8disk in zip(
        *(rows[n] for n in ("library", "greedy", "greedy+prefixes", "greedy+prefixes+disk")),
        rows["q8_0+flash"],
        rows["q8_0+flash+disk"],
        strict=True,
    ):
        print(
            f"{lib['stage']:<12}{lib['prompt_tokens']:>7}{pre['reused_tokens']:>7}{disk['reused_tokens']:>6}"
            f"{lib['output_tokens']:>5}{lib['seconds']:>9.2f}{greedy['seconds']:>8.2f}{pre['seconds']:>8.2f}"
            f"{disk['seconds']:>7.2f}{q8['seconds']:>9.2f}{q8disk['seconds']:>7.2f}"
        )
    if args.formats:
        report["formats"] = formats(calls, [r["text"] for r in rows["library"]], penalty)
        for row in report["formats"]:
            print(row, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
