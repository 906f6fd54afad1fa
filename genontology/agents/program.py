"""The Designer's LM side as a DSPy program, so that DSPy's optimizers apply to it.

A `DesignProgram` holds one `dspy.Predict` per stage of a plan (and its critic), named by the stage, each
over a declared signature: the role's instructions with the stage's task, and one output field named by the
stage. The Designer calls a stage through its predictor, passing the signature it builds at run time: the
same instructions (an optimizer's, once compiled), the views the stage reads, and the output type narrowed
to what earlier stages declared. So the predictor's demonstrations and instructions are used, and DSPy's
trace records the call under the predictor an optimizer compiles. An uncompiled program asks exactly what
the Designer asked before it existed.

`compile_program` runs DSPy's BootstrapFewShot over a trainset of briefs with `fitness` (zero structural
errors, the playable gate passed where a playtest ran) as its metric: a run that passes lends its stage
calls as demonstrations. `save` / `load` keep them as JSON with the domain and route they were made for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dspy
from pydantic import BaseModel

from genontology.agents.design_plan import DesignPlan, Stage
from genontology.ontology import GenontologyError
from genontology.ontology.io import write_atomic

if TYPE_CHECKING:
    from genontology.agents.designer import Designer
    from genontology.agents.result import DesignResult

FORMAT = 1  # the saved program's format


class ProgramError(GenontologyError):
    """A saved program cannot be read, or was made for another domain or route."""


def declared(plan: DesignPlan, stage: Stage) -> type[dspy.Signature]:
    """A stage's declared signature: its role's instructions for its task, one output field named by the
    stage (a JSON object; the Designer narrows its type at run time). The views a stage reads are named by
    the plan when it is called, so the declaration leaves them out."""
    instructions = plan.roles[stage.role].instructions(stage.task)
    return dspy.Signature({stage.name: (dict[str, Any], dspy.OutputField(desc=stage.task))}, instructions)


def _stages(plan: DesignPlan) -> list[Stage]:
    return [*plan.stages, *([plan.critic] if plan.critic else [])]


class _Bound:
    """The Designer a program designs with. Copies of a program (an optimizer's student and teacher) design
    with the same one: its LM and store are shared, not copied."""

    def __init__(self, designer: Designer | None) -> None:
        self.designer = designer

    def __deepcopy__(self, memo: dict[int, Any]) -> _Bound:
        return self


class DesignProgram(dspy.Module):
    """One predictor per stage of `plan`, for `route` ("scratch", "recombine", ...). See the module
    docstring. `forward(prompt, **constraints)` designs with the Designer it is bound to, so a program is
    what DSPy's optimizers call."""

    def __init__(self, plan: DesignPlan, route: str = "scratch") -> None:
        super().__init__()
        self.domain, self.route = plan.domain, route
        self.stages = {s.name: dspy.Predict(declared(plan, s)) for s in _stages(plan)}
        self.source = "uncompiled"  # where its demonstrations and instructions came from
        self._bound = _Bound(None)

    def predictor(self, stage: Stage) -> dspy.Predict:
        try:
            return self.stages[stage.name]
        except KeyError:
            raise ProgramError(
                f"the {self.route} program for {self.domain} has no stage {stage.name!r}"
            ) from None

    def instructions(self, stage: Stage) -> str:
        return str(self.predictor(stage).signature.instructions)

    @property
    def demos(self) -> int:
        return sum(len(p.demos) for p in self.stages.values())

    def bind(self, designer: Designer) -> DesignProgram:
        """This program, designing with `designer`'s LM, store and settings when called."""
        self._bound = _Bound(designer)
        return self

    def forward(self, prompt: str, **constraints: Any) -> dspy.Prediction:
        designer = self._bound.designer
        if designer is None:
            raise ProgramError("a DesignProgram designs through a Designer: bind(designer) first")
        result = designer.with_program(self).run(prompt, **constraints)
        return dspy.Prediction(design=result.data, result=result)

    # Saved as JSON -----------------------------------------------------------------------------------------
    def fingerprint(self) -> str:
        state = json.dumps(self.dump_state(), sort_keys=True, default=str)
        return hashlib.sha256(state.encode()).hexdigest()[:12]

    def save_json(self, path: str | Path) -> Path:  # `save` is dspy.Module's, with other arguments
        payload = {
            "format": FORMAT,
            "domain": self.domain,
            "route": self.route,
            "source": self.source,
            "program": self.dump_state(),
        }
        path = Path(path)
        write_atomic(path, json.dumps(payload, indent=1, default=str))
        return path

    @classmethod
    def load_json(cls, path: str | Path, plan_of: Callable[[str], DesignPlan]) -> DesignProgram:
        """The program saved at `path`, onto the stages of the plan `plan_of` gives for the route it was
        made for; ProgramError for a file that is not one, or one whose stages the plan does not have."""
        try:
            payload = json.loads(Path(path).read_text())
        except (OSError, ValueError) as exc:
            raise ProgramError(f"{path} is not a readable program: {str(exc)[:200]}") from None
        keys = ("domain", "route", "program")
        if (
            not isinstance(payload, dict)
            or payload.get("format") != FORMAT
            or not all(k in payload for k in keys)
        ):
            raise ProgramError(f"{path} is not a genontology program (format {FORMAT})")
        try:
            plan = plan_of(payload["route"])
        except GenontologyError as exc:
            raise ProgramError(f"{path} is a program for a route this domain lacks: {exc}") from None
        if payload["domain"] != plan.domain:
            raise ProgramError(f"{path} is a program for {payload['domain']!r}, not {plan.domain!r}")
        program = cls(plan, payload["route"])
        saved = payload["program"]
        unknown = sorted(set(saved) - set(program.dump_state()))
        if unknown:
            raise ProgramError(f"{path} has stages this plan does not: {', '.join(unknown)}")
        program.load_state(saved)
        program.source = f"{Path(path).name} ({payload.get('source', '')})"
        return program


def fitness(example: Any, prediction: dspy.Prediction, trace: Any = None) -> float | bool:
    """The metric compilation optimizes: half for zero structural errors, half for the playable gate passed
    (a plan without a playtest: zero errors is all), a quarter of that lost where the assembly refused a
    name or title the model wrote (`DesignResult.refused`). While bootstrapping (`trace` given) only a design
    with all of the first two lends its calls as demonstrations, and `compile_program` drops a stage's
    demonstration that carries a refused name."""
    result: DesignResult = prediction.result
    errors, unplayable, _ = result.standing()
    score = 0.5 * (errors == 0) + 0.5 * (errors == 0 and not unplayable)
    if trace is not None:
        return score >= 1.0
    return score * (0.75 if result.refused() else 1.0)


def examples(briefs: Sequence[dict[str, Any]]) -> list[dspy.Example]:
    """A trainset: one DSPy example per brief (a prompt and its constraints)."""
    found = []
    for brief in briefs:
        if not isinstance(brief, dict) or not str(brief.get("prompt", "")).strip():
            raise ProgramError(f"a trainset entry needs a prompt: {str(brief)[:120]}")
        found.append(dspy.Example(**brief).with_inputs(*brief))
    return found


def read_trainset(path: str | Path) -> list[dspy.Example]:
    """Briefs from a JSON list or JSON lines: {"prompt": ..., "players": "2-4", "minutes": 45}, or a bare
    theme string per entry."""
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise ProgramError(f"cannot read the trainset {path}: {exc}") from None
    try:
        rows = (
            json.loads(text)
            if text.lstrip().startswith("[")
            else [json.loads(x) for x in text.splitlines() if x.strip()]
        )
    except ValueError as exc:
        raise ProgramError(f"{path} is neither a JSON list nor JSON lines: {exc}") from None
    briefs = [{"prompt": r} if isinstance(r, str) else r for r in rows]
    if not briefs:
        raise ProgramError(f"the trainset {path} holds no briefs")
    return examples(briefs)


def _json_values(values: Any) -> dict[str, Any]:
    """A call's inputs or outputs as JSON values: the stage's answer is an instance of a type narrowed at run
    time, which pickle cannot find by name (and DSPy pickles a trace to hash it)."""
    return {k: v.model_dump(mode="json") if isinstance(v, BaseModel) else v for k, v in values.items()}


def _plain(demo: dspy.Example) -> dspy.Example:
    """A demonstration as JSON values, without the precedents its call was shown: the demonstration is a
    precedent itself, and a small model's context is short."""
    values = _json_values(demo)
    values.pop("precedents", None)
    return dspy.Example(**values)


def compile_program(designer: Designer, trainset: Sequence[dspy.Example], demos: int = 1) -> DesignProgram:
    """The designer's program compiled by DSPy's BootstrapFewShot: each brief of `trainset` is designed
    once; a design that earns full `fitness` lends each stage's calls as demonstrations (at most `demos`
    per stage), less any that carries a name or title the assembly refused in the run: a demonstration
    teaches what it shows (measured: with a concept demonstration titled "Theme", the model's title was
    refused in 5 of 5 held-out briefs, against 3 of 5 uncompiled)."""
    if designer.route in ("auto", "both"):
        raise ProgramError(f"compile a program for one route: scratch or recombine, not {designer.route}")
    student = designer.program.bind(designer)
    refused: set[str] = set()

    def metric(example: Any, prediction: dspy.Prediction, trace: Any = None) -> float | bool:
        refused.update(prediction.result.refused())
        if trace is not None:  # the list DSPy then reads its demonstrations from, and hashes where a stage
            # was asked more than once in the run (a repair round)
            trace[:] = [(p, _json_values(inputs), _json_values(outputs)) for p, inputs, outputs in trace]
        return fitness(example, prediction, trace)

    optimizer = dspy.BootstrapFewShot(
        metric=metric,
        max_bootstrapped_demos=demos,
        max_labeled_demos=0,
        max_rounds=1,
        max_errors=len(trainset),
    )
    compiled: DesignProgram = optimizer.compile(student, trainset=list(trainset))
    quoted = [json.dumps(name) for name in refused]
    for predictor in compiled.stages.values():
        plain = [_plain(demo) for demo in predictor.demos]
        shown = [json.dumps(dict(demo.items()), default=str) for demo in plain]
        keep = [not any(q in text for q in quoted) for text in shown]
        predictor.demos = [demo for demo, kept in zip(plain, keep, strict=True) if kept]
    compiled.source = f"BootstrapFewShot over {len(trainset)} briefs, {compiled.demos} demonstrations"
    return compiled
