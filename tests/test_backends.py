"""Every backend against a real engine: the embedded model, llama.cpp's server, torch, and vLLM.

Slow (real models on CPU); `make test-fast` skips them, CI runs them all.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import dspy
import pytest
from child import run_python
from pydantic import BaseModel, Field

from genontology.agents.adapter import CompactJSONAdapter
from genontology.generators import UsageLedger, call_lm, resolve_lm
from genontology.generators.embedded import embedded_model_path
from genontology.generators.serve import RunningServer, serve_llamacpp, serve_vllm
from genontology.schemas.tabletop.effects import EndCondition, VictoryCondition
from genontology.schemas.tabletop.model import Action, Mechanism, Resource

pytestmark = pytest.mark.slow


# One item a list where one shows the grammar at work: a second action doubled the slowest tests' time
# (1,255 tokens for two actions on the first theme) and tested nothing the first had not.
class MechanismSlice(BaseModel):
    mechanisms: list[Mechanism] = Field(min_length=1, max_length=1)


class ActionSlice(BaseModel):
    """An action carries nested lists of typed effects: the hardest slice for a grammar."""

    actions: list[Action] = Field(min_length=1, max_length=1)


class EconomySlice(BaseModel):
    resources: list[Resource] = Field(min_length=1, max_length=2)
    end_conditions: list[EndCondition] = Field(min_length=1, max_length=1)
    victory: list[VictoryCondition] = Field(min_length=1, max_length=1)


def signature(slice_model: type[BaseModel]) -> type[dspy.Signature]:
    return dspy.Signature(
        {"theme": (str, dspy.InputField()), "part": (slice_model, dspy.OutputField())},
        f"Design this part of a tabletop game for the theme: {slice_model.__name__}.",
    )


def generate(lm: dspy.BaseLM, slice_model: type[BaseModel], theme: str, ledger: UsageLedger) -> BaseModel:
    # The Designer's adapter: the schema is enforced by the grammar and outlined in the prompt. DSPy's own
    # JSONAdapter prints the whole JSON Schema, which for the full effect vocabulary overflows the 135M
    # model's 8,192-token context.
    with dspy.context(lm=lm, adapter=CompactJSONAdapter()):
        prediction = call_lm(
            lambda: dspy.Predict(signature(slice_model))(theme=theme),
            lm=lm,
            label=slice_model.__name__,
            ledger=ledger,
        )
    part = prediction.part
    assert isinstance(part, slice_model)
    # The text the model wrote is valid in strict mode (no "3" taken for 3, no missing field defaulted away
    # by a lenient parse): schema-valid as produced, not merely coerced into shape by DSPy's adapter.
    written = json.loads(lm.history[-1]["outputs"][0])["part"]
    return slice_model.model_validate_json(json.dumps(written), strict=True)


THEMES = ["bioluminescent fungi competing in a cave", "rival lighthouse keepers on a stormy coast"]


@pytest.mark.parametrize("slice_model", [MechanismSlice, ActionSlice, EconomySlice])
@pytest.mark.parametrize("theme", THEMES)
def test_embedded_model_answers_are_schema_valid(slice_model: type[BaseModel], theme: str) -> None:
    lm = resolve_lm("embedded", cache=False, max_tokens=3000, temperature=0.0)
    ledger = UsageLedger()
    generate(lm, slice_model, theme, ledger)
    record = ledger.records[0]
    assert record.output_tokens > 0 and record.input_tokens > 0 and record.error is None


def test_embedded_seed_reaches_the_sampler() -> None:
    """Same seed, same sampled text at a high temperature (free text: no grammar in the way)."""
    texts = [
        resolve_lm("embedded", cache=False, max_tokens=24, temperature=1.0, seed=7)("Name a fungus.")[0]
        for _ in range(2)
    ]
    assert texts[0] == texts[1]


def test_loaded_models_are_freed_at_exit_while_llama_cpp_is_intact() -> None:
    # In a child process: the hook frees every model, and this session's cached ones must stay usable.
    code = (
        "from genontology.generators import embedded as e\n"
        "model = e._load(str(e.embedded_model_path()), 256, 1)\n"
        "e.close_models()\n"
        "print(model._model.model is None, e._load.cache_info().currsize)\n"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split() == ["True", "0"]
    assert "Exception ignored" not in done.stderr


def test_cache_hits_are_counted() -> None:
    lm = resolve_lm("embedded", cache=True, max_tokens=1500, temperature=0.0)
    ledger = UsageLedger()
    theme = "cache check: tidal pools at dawn"
    generate(lm, MechanismSlice, theme, ledger)
    generate(lm, MechanismSlice, theme, ledger)
    assert [r.cache_hit for r in ledger.records][-1] is True


@pytest.fixture(scope="module")
def llamacpp_server() -> Iterator[RunningServer]:
    with serve_llamacpp(embedded_model_path(), log=Path(".cache/test-llamacpp.log")) as server:
        yield server


def test_openai_compatible_path_against_llama_cpp_server(llamacpp_server: RunningServer) -> None:
    """llama.cpp's server accepts only `json_object` response formats, so we send our strict grammar. The
    second theme: the server's own sampler writes 1,255 tokens of actions for the first (106 s), 182 here."""
    lm = resolve_lm(f"llamacpp:smollm2@{llamacpp_server.url}", cache=False, max_tokens=3000, temperature=0.0)
    ledger = UsageLedger()
    part = generate(lm, ActionSlice, THEMES[1], ledger)
    (record,) = ledger.records
    assert record.error is None and record.output_tokens > 0
    # The tokens counted are the server's for this answer: at least one per few characters it wrote.
    assert record.output_tokens >= len(part.model_dump_json(exclude_defaults=True)) // 8


def test_torch_backend_on_cpu_with_grammar() -> None:
    lm = resolve_lm(f"torch:{embedded_model_path()}", cache=False, max_tokens=1500, temperature=0.0)
    ledger = UsageLedger()
    part = generate(lm, MechanismSlice, THEMES[1], ledger)  # strictly valid as written (see generate)
    assert lm.model == "local/torch/" + embedded_model_path().stem  # transformers answered, not llama.cpp
    (record,) = ledger.records
    tokenizer = lm.engine._load()[0]
    written = lm.history[-1]["outputs"][0]
    # The grammar let the model stop where the JSON ends, and the ledger counts this answer's tokens (the
    # constrained path splits some text into other tokens than the tokenizer does: within a quarter).
    retokenized = len(tokenizer(written)["input_ids"])
    assert 0.75 * retokenized <= record.output_tokens <= 1.25 * retokenized + 2
    assert part.mechanisms[0].id and record.error is None


VLLM_MODEL = Path(".cache/smollm2-hf")
VLLM_PYTHON = Path(".venv-vllm/bin/python")


@pytest.fixture(scope="module")
def vllm_server() -> Iterator[RunningServer]:
    if not (VLLM_MODEL.exists() and VLLM_PYTHON.exists()):
        if os.environ.get("GENONTOLOGY_REQUIRE_VLLM"):
            pytest.fail("GENONTOLOGY_REQUIRE_VLLM is set but `make vllm-env` has not been run")
        pytest.skip("the vLLM environment is not built here; `make vllm-env` builds it (CI does)")
    with serve_vllm(
        VLLM_MODEL,
        python=str(VLLM_PYTHON),
        served_name="smollm2",
        log=Path(".cache/test-vllm.log"),
        eager=True,  # compiling would take two of its three minutes' start, for two requests
    ) as server:
        yield server


@pytest.mark.vllm
@pytest.mark.parametrize(("form", "slice_model"), [("vllm", ActionSlice), ("server", MechanismSlice)])
def test_real_vllm_server_structured_output(
    vllm_server: RunningServer, form: str, slice_model: type[BaseModel]
) -> None:
    """vLLM decodes the standard json_schema response_format with its own grammar backend."""
    lm = resolve_lm(f"{form}:smollm2@{vllm_server.url}", cache=False, max_tokens=3000, temperature=0.0)
    generate(lm, slice_model, THEMES[0], UsageLedger())
