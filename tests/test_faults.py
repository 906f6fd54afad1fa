"""Fault injection: the faulty engine is reproducible and raises what real backends raise, and the harness
behind RELIABILITY.md finds no run that ends otherwise than in a design or a typed, resumable error."""

from __future__ import annotations

import json
from pathlib import Path

import dspy
import pytest

from genontology.evaluation.fault_runs import baseline, fault_run, summarize
from genontology.generators.calls import call_lm
from genontology.generators.lm_errors import LMOutputError, LMUnavailable
from genontology.testing.faulty_engine import KINDS, OUTPUT, TRANSPORT, FaultPlan, faulty_lm
from genontology.testing.replay import ReplayEngine

TRACE = json.loads((Path(__file__).parent / "data" / "embedded_trace.json").read_text())
ANSWER = json.dumps({"answer": {"kind": "points", "resource": "spores", "gives": "spores"}})


class Answer(dspy.Signature):
    """Answer."""

    question: str = dspy.InputField()
    answer: dict[str, str] = dspy.OutputField()


def _ask(lm: dspy.LM) -> object:
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        return call_lm(lambda: dspy.Predict(Answer)(question="?"), lm=lm, backoff_s=0.01)


def test_the_same_seed_injects_the_same_faults() -> None:
    def sequence(seed: int) -> list[str | None]:
        _, faulty = faulty_lm(ReplayEngine.script([ANSWER]), FaultPlan(rate=0.5, seed=seed))
        return [faulty._draw() for _ in range(50)]

    assert sequence(3) == sequence(3) != sequence(4)
    assert {k for k in sequence(3) if k} <= set(KINDS)


def test_unknown_kinds_and_rates_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault kinds"):
        FaultPlan(kinds=("meteor",))
    with pytest.raises(ValueError, match="not a probability"):
        FaultPlan(rate=1.5)


@pytest.mark.parametrize("kind", TRANSPORT)
def test_transport_faults_are_retried_then_reported_as_unavailable(kind: str) -> None:
    lm, faulty = faulty_lm(ReplayEngine.script([ANSWER] * 9), FaultPlan(rate=1.0, kinds=(kind,)))
    with pytest.raises(LMUnavailable, match="injected"):
        _ask(lm)
    assert faulty.calls == 4  # the first attempt and three retries


@pytest.mark.parametrize("kind", OUTPUT)
def test_output_faults_spoil_a_real_answer(kind: str) -> None:
    lm, faulty = faulty_lm(ReplayEngine.script([ANSWER] * 2), FaultPlan(rate=1.0, kinds=(kind,)))
    try:
        answer = _ask(lm).answer  # type: ignore[attr-defined]
    except LMOutputError:
        return  # unparseable: the typed error the Designer asks again after
    # Parseable but wrong: a value renamed to one nobody declared, which the validator reports.
    assert kind in ("wrong_enum", "undeclared_id") and answer != json.loads(ANSWER)["answer"]
    assert faulty.spoiled_tokens > 0


def test_the_harness_loses_nothing_under_heavy_faults(tmp_path: Path) -> None:
    clean = baseline(TRACE, tmp_path / "clean")
    assert clean.outcome == "valid" and clean.calls > 5
    runs = [
        fault_run(TRACE, i, FaultPlan(rate=0.7, seed=i, slow_s=0.0), tmp_path / str(i)) for i in range(10)
    ]
    summary = summarize(runs, clean)
    assert summary["outcomes"]["otherwise"] == 0, [r for r in runs if r.outcome == "otherwise"]
    assert summary["outcomes"]["typed_error"] >= 1  # heavy faults do sink some runs, each resumable
    assert summary["stages_lost"] == 0 and summary["broken_files"] == 0
    # Resumed with the faults off, a run completes, unless a fault planted a name in a finished stage that
    # the recorded answers (the stand-in LM) cannot fit: then it fails typed again.
    assert set(summary["typed_errors_resumed"]) <= {"valid", "typed_error: LMOutputError"}
    assert summary["extra_calls_mean"] > 0


def test_a_run_sunk_by_unusable_answers_resumes_to_a_valid_design(tmp_path: Path) -> None:
    plan = FaultPlan(rate=0.8, seed=1, kinds=("empty", "truncated", "malformed"))
    run = fault_run(TRACE, 0, plan, tmp_path)
    assert (run.outcome, run.resumed, run.stages_lost) == ("typed_error", "valid", 0)
    assert "LMOutputError" in run.error
