"""One way of naming backends; wrong specs fail with the list of accepted forms."""

from __future__ import annotations

import dspy
import pytest

from genontology.generators import LMSpecError, resolve_lm


@pytest.mark.parametrize(
    "spec", ["nonsense", "vllm:", "vllm:model-without-url", "server:m@ftp://x", "torch:", "  "]
)
def test_unknown_or_malformed_specs_fail_clearly(spec: str) -> None:
    with pytest.raises(LMSpecError) as info:
        resolve_lm(spec)
    assert "\n" not in str(info.value)


def test_unknown_spec_lists_accepted_forms() -> None:
    with pytest.raises(LMSpecError, match="accepted forms: embedded"):
        resolve_lm("nonsense")


def test_default_is_embedded_and_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENONTOLOGY_LM", raising=False)
    assert "embedded" in resolve_lm().model
    monkeypatch.setenv("GENONTOLOGY_LM", "vllm:smollm2@http://127.0.0.1:1")
    assert resolve_lm().model == "local/vllm/smollm2"


def test_litellm_strings_become_dspy_lms_without_network() -> None:
    lm = resolve_lm("openai/gpt-4o-mini", temperature=0.2, cache=False)
    assert isinstance(lm, dspy.LM) and lm.model == "openai/gpt-4o-mini"
    assert lm.num_retries == 0  # our retry layer owns retries


def test_engines_declare_schema_support() -> None:
    lm = resolve_lm("server:m@http://127.0.0.1:1")
    assert lm.supports_response_schema and "response_format" in lm.supported_params


def test_a_ready_lm_passes_through() -> None:
    lm = dspy.LM("openai/gpt-4o-mini")
    assert resolve_lm(lm) is lm


def test_hosted_vllm_needs_a_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSTED_VLLM_API_BASE", raising=False)
    with pytest.raises(LMSpecError, match="HOSTED_VLLM_API_BASE"):
        resolve_lm("hosted_vllm/smollm2")
    monkeypatch.setenv("HOSTED_VLLM_API_BASE", "http://127.0.0.1:1/v1")
    assert resolve_lm("hosted_vllm/smollm2").model == "local/vllm/smollm2"


def test_missing_torch_model_is_a_spec_error(tmp_path) -> None:
    with pytest.raises(LMSpecError, match="not found"):
        resolve_lm(f"torch:{tmp_path / 'missing'}")
