"""The fault-injection harness: many designs with a share of LM calls faulted, and what became of each.

Each run designs from the recorded embedded-model trace (a recorded-response LM matched by stage, so real
answers keep coming when a retry or a repair leaves the recorded path) behind a `FaultyEngine`. A run ends
in a design (valid, or with its violations reported), or in a typed error; then its checkpoint is resumed
with the faults off, and the stages it had finished must not be asked again. Anything else (an untyped
exception, no readable checkpoint, a half-written file) counts as "otherwise", whose target is 0.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dspy

from genontology.agents.designer import CHECKPOINT, Designer, RunState, Switches
from genontology.ontology.errors import GenontologyError
from genontology.testing.faulty_engine import FaultPlan, FaultyEngine, faulty_lm
from genontology.testing.replay import ReplayEngine


@dataclass
class FaultRun:
    index: int
    outcome: str  # valid | reported | typed_error | otherwise
    calls: int  # engine calls, every attempt counted, resume included
    spoiled_tokens: int  # tokens of real answers a fault corrupted: spent, unusable
    injected: dict[str, int]
    error: str = ""
    resumed: str = ""  # for a typed error: how the resumed run (faults off) ended
    stages_kept: int = 0  # finished stages the resume reused
    stages_lost: int = 0  # finished stages the resume had to ask again (target 0)
    broken_files: list[str] = field(default_factory=list)


def _lm(trace: dict[str, Any], plan: FaultPlan) -> tuple[dspy.LM, FaultyEngine]:
    return faulty_lm(ReplayEngine.from_trace(trace, by_stage=True), plan)


def _broken(folder: Path) -> list[str]:
    """JSON files that do not parse: what a non-atomic write leaves behind when interrupted."""
    broken = []
    for path in folder.glob("*.json"):
        try:
            json.loads(path.read_text())
        except ValueError:
            broken.append(path.name)
    return broken


def _outcome(status: str) -> str:
    return "valid" if status.startswith("valid") else "reported"


def fault_run(trace: dict[str, Any], index: int, plan: FaultPlan, folder: Path) -> FaultRun:
    """One design under `plan`; on a typed error, resume it with the faults off."""
    lm, faulty = _lm(trace, plan)
    switches = Switches(retrieval=False, playtest=False)
    constraints = {"players": "2-4", "minutes": 60}
    run = FaultRun(index, "otherwise", 0, 0, {})
    try:
        result = Designer(lm=lm, route="scratch", switches=switches, max_rounds=1).run(
            trace["prompt"], out=folder, **constraints
        )
        run.outcome = _outcome(result.status)
    except GenontologyError as exc:
        run.outcome, run.error = "typed_error", f"{type(exc).__name__}: {str(exc)[:200]}"
        _resume(trace, folder, run)
    except Exception as exc:  # the harness exists to find these
        run.error = f"{type(exc).__name__}: {str(exc)[:200]}"
    run.calls += faulty.calls
    run.spoiled_tokens += faulty.spoiled_tokens
    run.injected = dict(faulty.injected)
    run.broken_files = _broken(folder)
    if run.broken_files:
        run.outcome = "otherwise"
    return run


def _resume(trace: dict[str, Any], folder: Path, run: FaultRun) -> None:
    try:
        state = RunState.model_validate_json((folder / CHECKPOINT).read_text())
    except (OSError, ValueError) as exc:
        run.outcome, run.resumed = "otherwise", f"no readable checkpoint: {exc}"
        return
    # Finished: answered and not waiting to be asked again (a repair round keeps last round's answers).
    finished, at_round, seen = set(state.parts) - set(state.pending), state.round, len(state.trace.steps)
    lm, clean = _lm(trace, FaultPlan(rate=0.0))
    try:
        result = Designer(lm=lm).resume(folder)
    except GenontologyError as exc:  # typed again: the recorded answers may not fit a name a fault planted
        run.resumed = f"typed_error: {type(exc).__name__}"
        run.calls += clean.calls
        return
    except Exception as exc:
        run.outcome, run.resumed = "otherwise", f"resume failed: {type(exc).__name__}: {exc}"
        return
    asked = Counter(s.stage for s in result.trace.steps[seen:] if s.kind == "lm" and s.round == at_round)
    run.stages_lost = sum(asked[stage] > 0 for stage in finished)
    run.stages_kept = len(finished) - run.stages_lost
    run.resumed = _outcome(result.status)
    run.calls += clean.calls


def baseline(trace: dict[str, Any], folder: Path) -> FaultRun:
    """The same design with no faults: what recovery is measured against."""
    return fault_run(trace, -1, FaultPlan(rate=0.0), folder)


def summarize(runs: list[FaultRun], clean: FaultRun) -> dict[str, Any]:
    outcomes = Counter(r.outcome for r in runs)
    injected: Counter[str] = Counter()
    for r in runs:
        injected.update(r.injected)
    typed = [r for r in runs if r.outcome == "typed_error"]
    extra_calls = [r.calls - clean.calls for r in runs]
    return {
        "runs": len(runs),
        "outcomes": {k: outcomes.get(k, 0) for k in ("valid", "reported", "typed_error", "otherwise")},
        "typed_errors_resumed": Counter(r.resumed for r in typed),
        "stages_kept_on_resume": sum(r.stages_kept for r in typed),
        "stages_lost": sum(r.stages_lost for r in runs),
        "broken_files": sum(len(r.broken_files) for r in runs),
        "calls_injected": sum(injected.values()),
        "calls_total": sum(r.calls for r in runs),
        "injected": dict(sorted(injected.items())),
        "baseline_calls": clean.calls,
        "extra_calls_mean": round(sum(extra_calls) / max(1, len(runs)), 2),
        "spoiled_tokens_mean": round(sum(r.spoiled_tokens for r in runs) / max(1, len(runs)), 1),
        "errors": Counter(r.error.split(":")[0] for r in runs if r.error),
    }
