"""`Designer.run(prompt)`: staged, narrowed, retrieval-grounded generation with a validate-and-repair loop.

Stages run in the plan's order; each finished stage is checkpointed. The assembled design is validated,
mechanical faults are fixed by machine; a design without errors is playtested in simulation when the plan
can, and one that fails has its numbers tuned by simulation first (its checks still failing become findings
that say what tuning tried, and the critic reads the report); every remaining error and
each high-severity finding is routed to the stage that owns it, and that stage and those narrowed against
it run again with the faults as feedback, until the design is clean and playable or the rounds or the
budget are spent. A round that came out worse gives way to the best one.
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import dspy
import json_repair
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from genontology.agents.adapter import CompactJSONAdapter
from genontology.agents.batch import BatchProgress, DesignerRecipe, run_batch
from genontology.agents.design_plan import DesignPlan, GroundingError, Parts, Simulation, Stage, get_plan
from genontology.agents.program import DesignProgram, ProgramError
from genontology.agents.result import DesignResult, status_of
from genontology.agents.trace import Step, Trace
from genontology.execution import Executor
from genontology.generators import LMOutputError, UsageLedger, call_lm, resolve_lm
from genontology.ontology import Domain, GenontologyError, errors_among, get_domain
from genontology.ontology.critique import CriticFinding
from genontology.ontology.echo import tell
from genontology.ontology.io import claim_output_folder, remove_partial_writes, write_atomic
from genontology.redaction import redact_text

CHECKPOINT = "checkpoint.json"
ASK_ATTEMPTS = 3  # a stage's answer that cannot be used is asked for again, this many times in all


class BriefError(GenontologyError):
    """The prompt or constraints cannot be designed for (empty, absurd, contradictory)."""


class CheckpointError(GenontologyError):
    """A checkpoint folder is missing, unreadable or from another domain."""


@dataclass(frozen=True)
class Switches:
    """What the ablation turns off: retrieval, repair, the critic, the playtest, and any role by name."""

    retrieval: bool = True
    repair: bool = True
    critic: bool = True
    playtest: bool = True
    tune: bool = True  # a design whose playtest fails has its numbers tuned by simulation (plan.tune)
    roles_off: frozenset[str] = frozenset()


class Best(BaseModel):
    """The round with the fewest errors so far (then the fewest failed playtest checks), and its outputs."""

    round: int
    errors: int
    unplayable: int = 0  # failed checks of the playable gate
    parts: dict[str, dict[str, Any]]
    playtest: dict[str, Any] | None = None
    tuning: dict[str, Any] | None = None

    def beaten_by(self, errors: int, unplayable: int) -> bool:
        return (errors, unplayable) <= (self.errors, self.unplayable)


class RunState(BaseModel):
    """Everything needed to continue a run: written after every stage."""

    version: int = 1
    domain: str
    brief: dict[str, Any]
    route: str = "scratch"
    max_rounds: int = 3
    max_calls: int | None = None
    max_tokens: int | None = None
    switches: dict[str, Any] = Field(default_factory=lambda: {**asdict(Switches()), "roles_off": []})
    parts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    round: int = 0
    pending: list[str] = Field(default_factory=list)
    feedback: dict[str, str] = Field(default_factory=dict)
    critique: list[CriticFinding] = Field(default_factory=list)
    playtest: dict[str, Any] | None = None
    tuning: dict[str, Any] | None = None  # what tuning did this round (its setting goes into the design)
    tune_s: float = 0.0  # seconds spent tuning, over all rounds: the run's tuning budget bounds it
    faults: list[str] = Field(default_factory=list)
    best: Best | None = None
    finished: bool = False
    trace: Trace = Field(default_factory=Trace)
    usage: list[dict[str, Any]] = Field(default_factory=list)
    wall_s: float = 0.0


def _routed(plan: DesignPlan, route: str) -> DesignPlan:
    """The plan for a route: the plan itself from scratch, else the one its domain makes for that route."""
    if route in ("scratch", "auto", "both"):  # "auto" and "both" choose per brief, at run time
        return plan
    if route not in plan.routes_to:
        known = ", ".join(["scratch", "auto", "both", *plan.routes_to])
        raise BriefError(f"the {plan.domain} domain has no route {route!r}; it has: {known}")
    return plan.routes_to[route]()


def _told(route: str, result: DesignResult) -> str:
    """A route's design: how it stands and what it cost (the kept result's usage counts its route only)."""
    calls, wall = result.usage.get("calls", 0), result.usage.get("wall_s", 0.0)
    return f"{route}: {result.describe_standing()}, {calls} calls, {wall:.0f} s"


class Designer:
    """Designs for a domain with a team of DSPy agents. See the module docstring for the loop. `route`:
    "scratch" (the plan's stages write the structure), another route the plan offers ("recombine"), or
    "auto": the first other route that can ground the brief, else scratch, or "both": every route that can,
    the better design kept (`DesignResult.standing`). By default "auto", or "scratch"
    when a `plan` of one's own is given. `program`: a DesignProgram (or the path of one saved by
    `genontology compile`) whose demonstrations and instructions the stages of its route use; every other
    route runs uncompiled."""

    def __init__(
        self,
        domain: str = "tabletop",
        lm: str | dspy.BaseLM | None = None,
        store: Any = None,
        max_rounds: int = 3,
        seed: int | None = None,
        *,
        cache: bool = False,
        plan: DesignPlan | None = None,
        switches: Switches = Switches(),
        max_calls: int | None = None,
        max_tokens: int | None = None,
        exemplar_tokens: int = 160,
        tune_budget_s: float = 40.0,
        route: str | None = None,
        program: DesignProgram | str | Path | None = None,
        on_event: Callable[[str], None] | None = None,
    ) -> None:
        self.domain: Domain[Any] = get_domain(domain)
        # What builds this Designer again in another process (a Ray worker): see recipe().
        self._arguments: dict[str, Any] = dict(
            domain=domain,
            lm=lm,
            max_rounds=max_rounds,
            seed=seed,
            cache=cache,
            plan=plan,
            switches=switches,
            max_calls=max_calls,
            max_tokens=max_tokens,
            exemplar_tokens=exemplar_tokens,
            tune_budget_s=tune_budget_s,
            route=route,
            program=program,
        )
        # A plan of the user's own (a role added, an ablation's) is what they asked to run: from scratch.
        self.route = route or ("auto" if plan is None else "scratch")
        self._base = plan or get_plan(domain)  # the plan from scratch, which names the other routes
        self.plan = _routed(self._base, self.route)
        tell(domain, self.plan.prompts())  # a plan given here, not registered, is looked for in echoes too
        self.lm = resolve_lm(lm, seed=seed, cache=cache)
        self.max_rounds = max_rounds
        self.switches = switches
        self.max_calls, self.max_tokens = max_calls, max_tokens
        self.exemplar_tokens = exemplar_tokens
        self.tune_budget_s = tune_budget_s
        self.on_event = on_event or (lambda message: None)
        self._store = store
        self._store_lock = threading.Lock()
        self._programs: dict[str, DesignProgram] = {}
        self._programs_lock = threading.Lock()
        if program is not None:
            given = program
            if not isinstance(given, DesignProgram):
                given = DesignProgram.load_json(given, self._plan_of)
            if given.domain != self.domain.name:
                raise ProgramError(f"a program for {given.domain!r} cannot design {self.domain.name!r}")
            self._programs[given.route] = given
        self.program = self._program_for(self.route)
        self._token: str | None = None

    def _plan_of(self, route: str) -> DesignPlan:
        return _routed(self._base, route)

    def _program_for(self, route: str) -> DesignProgram:
        """The program a route's stages call through: the one given for it, else an uncompiled one."""
        route = "scratch" if route in ("auto", "both") else route
        with self._programs_lock:
            if route not in self._programs:
                self._programs[route] = DesignProgram(self._plan_of(route), route)
            return self._programs[route]

    def with_program(self, program: DesignProgram) -> Designer:
        """A copy of this Designer whose stages of `program`'s route call through `program`."""
        other = copy.copy(self)
        other._programs = {**self._programs, program.route: program}
        other.program = other._program_for(self.route)
        other._arguments = {**self._arguments, "program": program}
        other._token = None
        return other

    def recipe(self) -> DesignerRecipe:
        """What builds this Designer in another process (a Ray worker): its arguments and its store's path,
        not its `on_event` (progress is the executor's). The same token each time: a worker builds it once."""
        if self._token is None:
            self._token = uuid.uuid4().hex
        store = getattr(self._store, "path", None)
        return DesignerRecipe(self._arguments, str(store) if store is not None else None, self._token)

    # Public API -------------------------------------------------------------------------------------------
    def brief(self, prompt: str, **constraints: Any) -> BaseModel:
        """The typed brief; a clear BriefError for empty, absurd or contradictory input."""
        given = {k: v for k, v in constraints.items() if v is not None}
        try:
            return self.plan.brief(prompt=prompt, **given)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'brief'}: {e['msg'].removeprefix('Value error, ')}"
                for e in exc.errors()
            )
            raise BriefError(f"cannot design for this request: {problems}") from None

    def run(self, prompt: str, *, out: str | Path | None = None, **constraints: Any) -> DesignResult:
        """Design for `prompt` (constraints such as players="2-4", minutes=60, constraints="..."). With
        `out`, every finished stage is checkpointed there and the result is saved there; a folder holding
        files no earlier run wrote is refused (OutputFolderError) before anything is asked."""
        began = time.perf_counter()
        folder = claim_output_folder(out, CHECKPOINT) if out is not None else None  # before any grounding
        if self.route == "auto":
            return self._auto(prompt, folder, constraints, began)
        if self.route == "both":
            return self._both(prompt, folder, constraints)
        brief, note = self._read(self.brief(prompt, **constraints))
        return self._start(brief, note, folder, began)

    def _auto(self, prompt: str, out: Path | None, constraints: dict[str, Any], began: float) -> DesignResult:
        """Route "auto": every other route the plan offers, in order, where it can ground the brief (the
        recombination route where two exemplars that play recombine for it), else from scratch."""
        base = self.plan  # the plan from scratch: "auto" routes nothing at construction
        said = []
        for route in base.routes_to:
            other = self._on(route)
            try:
                brief, note = other._read(other.brief(prompt, **constraints))
            except GroundingError as exc:
                said.append(f"not the {route} route: {exc}")
                continue
            return other._start(brief, note, out, began)
        scratch = self._on("scratch")
        brief, note = scratch._read(scratch.brief(prompt, **constraints))
        return scratch._start(brief, "; ".join([*said, note] if note else said), out, began)

    def _on(self, route: str) -> Designer:
        """This Designer on `route` (one its plan from scratch offers, or scratch)."""
        other = copy.copy(self)
        other.route, other.plan, other.program = route, _routed(self._base, route), self._program_for(route)
        return other

    def _both(self, prompt: str, out: Path | None, constraints: dict[str, Any]) -> DesignResult:
        """Route "both": every route that can ground the brief run whole, each in its own subfolder of `out`
        (resumable as any run), and the better design kept (fewer errors, then the playable gate passed,
        then fewer warnings; a tie to the earlier route) and saved in `out` too. Recombining exemplars that
        play is cheap and usually plays, but a brief's own structure can serve it better: only the gate
        can say which."""
        results: dict[str, DesignResult] = {}
        said = []
        for route in [*self._base.routes_to, "scratch"]:
            began = time.perf_counter()
            other = self._on(route)
            try:
                brief, note = other._read(other.brief(prompt, **constraints))
            except GroundingError as exc:
                if route == "scratch":  # as under "auto": nothing else to design from
                    raise
                said.append(f"not the {route} route: {exc}")
                continue
            folder = claim_output_folder(out / route, CHECKPOINT) if out is not None else None
            if folder is not None and (folder / CHECKPOINT).is_file():  # a batch resuming an earlier run
                results[route] = other.resume(folder)
            else:
                results[route] = other._start(brief, note, folder, began)
        kept = min(results, key=lambda route: results[route].standing())  # the first of equals
        result = results[kept]
        compared = "; ".join(_told(route, r) for route, r in results.items())
        result.trace.add(Step(kind="route", detail="; ".join([f"kept the {kept} route ({compared})", *said])))
        if out is not None:
            write_atomic(out / CHECKPOINT, (out / kept / CHECKPOINT).read_text())  # `--resume out` works too
            result.save(out)
        return result

    def _start(self, brief: BaseModel, note: str, folder: Path | None, began: float) -> DesignResult:
        """The run from its brief as read and grounded; the time that took counts in its wall time."""
        state = RunState(
            domain=self.domain.name,
            brief=brief.model_dump(mode="json"),
            route=self.route,
            pending=[s.name for s in self._active_stages()],
            max_rounds=self.max_rounds,
            max_calls=self.max_calls,
            max_tokens=self.max_tokens,
            switches={**asdict(self.switches), "roles_off": sorted(self.switches.roles_off)},
        )
        state.wall_s = time.perf_counter() - began
        if note:
            state.trace.add(Step(kind="read", detail=note, latency_s=round(state.wall_s, 3)))
        return self._drive(state, folder)

    def _read(self, brief: BaseModel) -> tuple[BaseModel, str]:
        """The brief with what its words say filled in, where the plan reads them, and grounded on the
        exemplar store, where the plan builds on it (the checkpoint keeps the brief as read and grounded, so
        a resumed run does neither again)."""
        brief, note = self.plan.read(brief) if self.plan.read else (brief, "")
        if self.plan.ground is None:
            return brief, note
        brief, found = self.plan.ground(brief, self._open_store())
        return brief, "; ".join(n for n in (note, found) if n)

    def _open_store(self) -> Any:
        from genontology.retrieval import ExemplarStore

        with self._store_lock:
            if self._store is None:
                self._store = ExemplarStore.open(domain=self.domain)
            return self._store

    def resume(self, folder: str | Path) -> DesignResult:
        """Continue an interrupted run from its checkpoint, without redoing finished stages."""
        state = self._checkpointed(folder)
        remove_partial_writes(folder)  # a process killed mid-write leaves its temp file; the target is intact
        return self._continuing(state)._drive(state, Path(folder))

    def vary(
        self, folder: str | Path, stage: str, note: str, *, out: str | Path | None = None
    ) -> DesignResult:
        """A variant of the finished run in `folder`: `stage` asked again by its agent, shown its answer and
        `note` (what to do differently), the stages narrowed against it asked again after it, then the loop
        as in any run (validation, playtest, tuning, repair). `folder` is left as it is; the variant runs
        in `out` (checkpointed there: a variant interrupted resumes with `resume(out)` or `vary` again)."""
        if out is not None:
            out = claim_output_folder(out, CHECKPOINT)
            if (out / CHECKPOINT).is_file():
                return self.resume(out)
        state = self._checkpointed(folder)
        same = self._continuing(state)
        if stage not in {s.name for s in same._active_stages()} or stage not in state.parts:
            raise CheckpointError(f"the run in {folder} has no stage {stage!r} to vary")
        state = state.model_copy(
            update=dict(
                round=0,
                best=None,
                faults=[],
                critique=[],
                playtest=None,
                tuning=None,
                tune_s=0.0,
                finished=False,
                wall_s=0.0,
                usage=[],
                trace=Trace(),  # the variant's own calls and cost; its first step names the run it varies
                feedback={stage: note},
                pending=same.plan.dependents([stage]),
            ),
            deep=True,
        )
        state.trace.add(Step(kind="route", detail=f"a variation of {folder}: {stage} asked again"))
        return same._drive(state, out)

    def stages_to_vary(self, folder: str | Path) -> list[str]:
        """The stages of the run in `folder` that `vary` can ask again: those its route asked, in order."""
        state = self._checkpointed(folder)
        return [s.name for s in self._continuing(state)._active_stages() if s.name in state.parts]

    def _checkpointed(self, folder: str | Path) -> RunState:
        path = Path(folder) / CHECKPOINT
        try:
            state = RunState.model_validate_json(path.read_text())
        except FileNotFoundError:
            raise CheckpointError(f"no {CHECKPOINT} in {folder}: nothing to resume") from None
        except (ValidationError, ValueError) as exc:
            raise CheckpointError(f"{path} is not a readable checkpoint: {str(exc)[:200]}") from None
        if state.domain != self.domain.name:
            raise CheckpointError(f"{path} is a {state.domain} run; this Designer designs {self.domain.name}")
        return state

    def _continuing(self, state: RunState) -> Designer:
        """This Designer with the settings the checkpointed run started with."""
        same = copy.copy(self)
        if state.route != self.route:
            same.route, same.plan = state.route, self._plan_of(state.route)
            same.program = self._program_for(state.route)
        same.max_rounds, same.max_calls, same.max_tokens = state.max_rounds, state.max_calls, state.max_tokens
        same.switches = Switches(**{**state.switches, "roles_off": frozenset(state.switches["roles_off"])})
        return same

    def with_seed(self, seed: int) -> Designer:
        """This Designer sampling with another seed (several designs for one theme)."""
        other = copy.copy(self)
        other._arguments = {**self._arguments, "seed": seed}
        other.lm = self.lm.copy(seed=seed)  # the backend's sampling seed, as resolve_lm passes it
        other._token = None
        return other

    def run_many(
        self,
        prompts: Sequence[str],
        concurrency: int = 2,
        *,
        out: str | Path | None = None,
        executor: str | Executor | None = None,
        on_progress: Callable[[BatchProgress], None] | None = None,
        **constraints: Any,
    ) -> list[DesignResult]:
        """Design for several prompts, results in input order; a run that raised is a `failed` result saying
        why. `executor`: "local" (default: `concurrency` threads of this process sharing this Designer's
        store and LM), "ray", "ray:ADDRESS" or an Executor (one Ray task a prompt; see agents/batch.py).
        With `out`, run i is checkpointed and saved in `out/<i>-<slug of its prompt>`, and a run whose folder
        holds a checkpoint continues from it, so an interrupted batch resumes run by run. `on_progress` is
        told where the batch stands (BatchProgress) each time a run ends."""
        return run_batch(
            self,
            prompts,
            concurrency=concurrency,
            out=out,
            executor=executor,
            on_progress=on_progress,
            constraints=constraints,
        )

    async def arun_many(
        self,
        prompts: Sequence[str],
        concurrency: int = 2,
        *,
        out: str | Path | None = None,
        executor: str | Executor | None = None,
        **constraints: Any,
    ) -> list[DesignResult]:
        """`run_many` for a caller inside an event loop: the batch runs on a thread, the loop stays free."""
        return await asyncio.to_thread(
            self.run_many, prompts, concurrency, out=out, executor=executor, **constraints
        )

    # The loop -------------------------------------------------------------------------------------------
    def _active_stages(self) -> list[Stage]:
        return [s for s in self.plan.stages if s.role not in self.switches.roles_off]

    def _drive(self, state: RunState, out: Path | None) -> DesignResult:
        began = time.perf_counter() - state.wall_s
        lm = self.lm.copy()  # its own history, so concurrent runs do not mix their traces
        ledger = UsageLedger()
        brief = self.plan.brief.model_validate(state.brief)
        if not state.finished:  # resumable from the start: a run that fails on its first call loses nothing
            self._checkpoint(state, out)
        while not state.finished:
            for name in list(state.pending):
                if self._spent(state):
                    state.pending.clear()
                    break
                self._run_stage(self.plan.stage(name), brief, state, lm, ledger)
                state.pending.remove(name)
                state.feedback.pop(name, None)
                state.wall_s = time.perf_counter() - began
                self._checkpoint(state, out)
            data, violations = self._validate(brief, state)
            errors = errors_among(violations)
            evidence = self._playtest(brief, state, data) if not errors else None
            if evidence is not None and not evidence.passed:
                evidence, data = self._tune(brief, state, data, evidence)
            state.playtest = evidence.as_dict() if evidence else None
            unplayable = evidence.findings() if evidence else []
            findings: list[CriticFinding] = list(unplayable)
            if not errors and self._critic_on() and not self._spent(state):
                findings += self._critique(brief, state, lm, ledger, evidence)
            state.critique = findings
            high = [f for f in findings if f.severity == "high"]
            faults = sorted({f"{v.code}@{v.path}" for v in errors} | {f.model_dump_json() for f in high})
            stuck = state.round > 0 and faults == state.faults  # a repair that changed nothing: stop trying
            state.faults = faults
            if state.best is None or state.best.beaten_by(len(errors), len(unplayable)):
                state.best = Best(
                    round=state.round,
                    errors=len(errors),
                    unplayable=len(unplayable),
                    parts=dict(state.parts),
                    playtest=state.playtest,
                    tuning=state.tuning,
                )
            done = (not errors and not high) or not self.switches.repair or stuck
            if done or state.round >= self.max_rounds or self._spent(state):
                break
            self._route(state, errors, high)
            if not state.pending:
                break
            self._checkpoint(state, out)
        if state.finished:  # resuming a run that had ended: nothing left to ask
            data, violations = self._validate(brief, state)
        elif state.best is not None and state.best.round != state.round:
            # A repair round made things worse (a critic's finding, acted on, broke something): keep the best.
            state.parts, state.playtest = dict(state.best.parts), state.best.playtest
            state.tuning = state.best.tuning
            data, violations = self._validate(brief, state)
            state.trace.add(
                Step(kind="route", round=state.round, detail=f"kept the round-{state.best.round} design")
            )
        state.finished = True
        result = self._result(brief, state, data, violations, lm, began)
        if out is not None:
            result.save(out)
            self._checkpoint(state, out)
        return result

    def _critic_on(self) -> bool:
        critic = self.plan.critic
        return bool(critic and self.switches.critic and critic.role not in self.switches.roles_off)

    def _playtest(self, brief: BaseModel, state: RunState, data: dict[str, Any]) -> Simulation | None:
        """Play the valid design in simulation, when the plan can and the switch is on."""
        if not (self.switches.playtest and self.plan.simulate):
            return None
        began = time.perf_counter()
        simulation = self.plan.simulate(self.domain.parse(data), brief)
        state.trace.add(
            Step(
                kind="playtest",
                round=state.round,
                detail=simulation.evidence(),
                latency_s=round(time.perf_counter() - began, 3),
            )
        )
        return simulation

    def _tune(
        self, brief: BaseModel, state: RunState, data: dict[str, Any], evidence: Simulation
    ) -> tuple[Simulation, dict[str, Any]]:
        """Tune the numbers of a valid design that failed its playtest, when the plan can and the switch is
        on: the simulation as tuning left it (with what tuning tried, for the critic and the findings), and
        the design's data with the tuned numbers when tuning found a setting that passes."""
        left = self.tune_budget_s - state.tune_s  # one budget for the run, whatever the rounds
        if not (self.switches.tune and self.plan.tune and self.plan.retune):
            return evidence, data
        if left < 1:
            spent = f"Not tuned: the run's tuning budget ({self.tune_budget_s:g} s) is spent."
            state.trace.add(Step(kind="tune", round=state.round, detail=spent))
            return evidence, data
        began = time.perf_counter()
        tuned = self.plan.tune(self.domain.parse(data), brief, evidence, left)
        took = time.perf_counter() - began
        state.tune_s += took
        state.tuning = tuned.as_record() | {"round": state.round}
        state.trace.add(
            Step(kind="tune", round=state.round, detail=tuned.summary(), latency_s=round(took, 3))
        )
        if tuned.accepted:
            data = self.plan.retune(data, tuned.setting_json())
        return tuned, data

    def _spent(self, state: RunState) -> bool:
        calls = sum(1 for s in state.trace.steps if s.kind in ("lm", "critique"))
        tokens = sum(s.input_tokens + s.output_tokens for s in state.trace.steps)
        return (self.max_calls is not None and calls >= self.max_calls) or (
            self.max_tokens is not None and tokens >= self.max_tokens
        )

    def _validate(self, brief: BaseModel, state: RunState) -> tuple[dict[str, Any], list[Any]]:
        data = self.plan.build(brief, state.parts)
        violations = self.domain.validate(data)
        step = Step(
            kind="validate", round=state.round, violations=[v.model_dump(mode="json") for v in violations]
        )
        if any(v.fix for v in violations):  # the fix step keeps the violations before, validate those after
            data, violations, applied = self.domain.autofix(data, violations)
            if applied and self.plan.retune:  # a fix may change a number the rules text states
                data = self.plan.retune(data, [])
                violations = self.domain.validate(data)
            detail = "; ".join(f.description for f in applied)
            state.trace.add(Step(kind="fix", round=state.round, violations=step.violations, detail=detail))
            step.violations = [v.model_dump(mode="json") for v in violations]
        if state.tuning and state.tuning["accepted"] and self.plan.retune:  # the numbers tuning chose
            data = self.plan.retune(data, state.tuning["setting"])
            violations = self.domain.validate(data)
            step.violations = [v.model_dump(mode="json") for v in violations]
        step.detail = f"{len(errors_among(violations))} error(s), {len(violations)} in all"
        state.trace.add(step)
        return data, violations

    def _route(self, state: RunState, errors: list[Any], findings: list[CriticFinding]) -> None:
        """Each fault to the stage that owns it; that stage and those narrowed against it run again."""
        notes: dict[str, list[str]] = {}
        for v in errors:
            stage = self.plan.route(v.code, v.path)
            if stage is not None and stage.role not in self.switches.roles_off:
                notes.setdefault(stage.name, []).append(f"{v.path}: {v.message}. Fix: {v.hint}")
        for f in findings:
            stage = self.plan.owner(f"$.{f.target}")
            if stage is not None and stage.role not in self.switches.roles_off:
                notes.setdefault(stage.name, []).append(f.note())
        state.round += 1
        state.tuning = None  # the stages rewrite the design: its numbers are tuned again if it fails
        state.feedback = {name: "\n".join(dict.fromkeys(lines))[:1200] for name, lines in notes.items()}
        state.pending = self.plan.dependents(list(notes))
        state.trace.add(
            Step(kind="route", round=state.round, detail=json.dumps({k: len(v) for k, v in notes.items()}))
        )

    def _run_stage(
        self, stage: Stage, brief: BaseModel, state: RunState, lm: dspy.BaseLM, ledger: UsageLedger
    ) -> None:
        role = self.plan.roles[stage.role]
        self.on_event(f"round {state.round}: {role.title} -> {stage.name}")
        try:
            output_model = stage.output(brief, state.parts)
        except ValueError as exc:  # nothing declared to narrow against (a role switched off upstream)
            state.trace.add(
                Step(kind="lm", stage=stage.name, role=role.name, round=state.round, error=str(exc))
            )
            return
        if output_model is None:  # nothing to ask: the brief or the design already says it all
            state.parts[stage.name] = {}
            return
        inputs = stage.inputs(brief, state.parts)
        exemplars = self._exemplars(stage, brief, state.parts)
        inputs["precedents"] = exemplars[1]
        if stage.name in state.feedback:
            inputs["previous"] = json.dumps(state.parts.get(stage.name, {}), separators=(",", ":"))[:1500]
            inputs["problems"] = state.feedback[stage.name]
        answer, step = self._ask(stage, inputs, output_model, state, lm, ledger)
        step.exemplars = exemplars[0]
        state.trace.add(step)
        state.parts[stage.name] = _dump(answer)

    def _ask(
        self,
        stage: Stage,
        inputs: dict[str, str],
        output_model: Any,
        state: RunState,
        lm: dspy.BaseLM,
        ledger: UsageLedger,
    ) -> tuple[Any, Step]:  # a model instance, or a dict for a free-form stage
        """One stage call; an unusable answer (cut off, unparseable) is recorded and asked again, up to
        ASK_ATTEMPTS times in all (the fault harness: one retry lost 13% of runs at a 20% fault rate)."""
        role = self.plan.roles[stage.role]
        instructions = self.program.instructions(stage)  # the role's, or what compilation made of them
        for attempt in range(1, ASK_ATTEMPTS + 1):
            try:
                signature = _signature(stage, instructions, list(inputs), output_model)
                answer, step = self._call(signature, inputs, stage, lm, ledger, state.round)
                break
            except LMOutputError as exc:
                repaired = _lenient(exc, output_model) if stage.lenient else None
                if repaired is not None:  # the raw-LM baseline: take what a lenient parser can read
                    answer = repaired
                    step = Step(kind="lm", stage=stage.name, round=state.round, detail=f"repaired: {exc}")
                    step.messages, step.raw = list(exc.messages or []), exc.raw_text
                    step.output = _dump(answer)
                    if ledger.records:  # the call itself happened: its tokens and time count
                        call = ledger.records[-1]
                        step.input_tokens, step.output_tokens = call.input_tokens, call.output_tokens
                        step.latency_s, step.attempts = call.latency_s, call.attempts
                    break
                if attempt == ASK_ATTEMPTS:
                    raise
                kind = "critique" if stage is self.plan.critic else "lm"  # a critic's try stays a critique
                failed = Step(kind=kind, stage=stage.name, role=role.name, round=state.round, error=str(exc))
                failed.raw, failed.messages = exc.raw_text or "", list(exc.messages or [])
                state.trace.add(failed)
                problem = f"Your last answer could not be used: {exc}. Answer again, more briefly."
                inputs = {**inputs, "problems": problem}
        step.role = role.name
        return answer, step

    def _critique(
        self,
        brief: BaseModel,
        state: RunState,
        lm: dspy.BaseLM,
        ledger: UsageLedger,
        evidence: Simulation | None = None,
    ) -> list[CriticFinding]:
        critic = self.plan.critic
        assert critic is not None
        role = self.plan.roles[critic.role]
        self.on_event(f"round {state.round}: {role.title} -> {critic.name}")
        inputs = critic.inputs(brief, state.parts)
        if evidence is not None:
            inputs["playtest"] = evidence.evidence()
        exemplars = self._exemplars(critic, brief, state.parts)
        inputs["precedents"] = exemplars[1]
        answer, step = self._ask(critic, inputs, critic.output(brief, state.parts), state, lm, ledger)
        step.kind, step.exemplars = "critique", exemplars[0]
        state.trace.add(step)
        said = answer.model_dump(mode="json").get("findings", [])
        return [CriticFinding.model_validate(f) for f in said]

    def _call(
        self,
        signature: type[dspy.Signature],
        inputs: dict[str, str],
        stage: Stage,
        lm: dspy.BaseLM,
        ledger: UsageLedger,
        round_: int,
    ) -> tuple[Any, Step]:  # a model instance, or a dict for a free-form stage
        start = len(lm.history)
        predict = self.program.predictor(stage)  # its demonstrations, and DSPy's trace names it
        with dspy.context(lm=lm, adapter=CompactJSONAdapter()):
            prediction = call_lm(
                lambda: predict(signature=signature, **inputs, config={"max_tokens": stage.max_tokens}),
                lm=lm,
                label=stage.name,
                ledger=ledger,
            )
        record = ledger.records[-1]
        entry = lm.history[-1] if len(lm.history) > start else {}
        outputs = entry.get("outputs") or [""]
        raw = outputs[0]["text"] if isinstance(outputs[0], dict) else str(outputs[0])
        answer = prediction[stage.name]
        return answer, Step(
            kind="lm",
            stage=stage.name,
            round=round_,
            signature=signature.instructions,
            messages=list(entry.get("messages") or []),
            raw=raw,
            output=_dump(answer),
            input_tokens=record.input_tokens,
            cached_tokens=record.cached_tokens,
            output_tokens=record.output_tokens,
            latency_s=record.latency_s,
            attempts=record.attempts,
            cache_hit=record.cache_hit,
        )

    def _exemplars(self, stage: Stage, brief: BaseModel, parts: Parts) -> tuple[list[str], str]:
        if not (self.switches.retrieval and stage.retrieve):
            return [], ""
        from genontology.retrieval import render_for_prompt

        found = stage.retrieve(self._open_store(), brief, parts)
        describe = self.domain.precedent or self.domain.summarize
        return [e.id for e in found], render_for_prompt(found, self.exemplar_tokens, describe)

    def _checkpoint(self, state: RunState, out: Path | None) -> None:
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            write_atomic(out / CHECKPOINT, redact_text(state.model_dump_json()))

    def _result(
        self,
        brief: BaseModel,
        state: RunState,
        data: dict[str, Any],
        violations: list[Any],
        lm: dspy.BaseLM,
        began: float,
    ) -> DesignResult:
        try:
            design = self.domain.parse(data)
        except ValidationError:
            design = None
        lm_steps = [s for s in state.trace.steps if s.kind in ("lm", "critique")]
        wall = time.perf_counter() - began
        lm_s = sum(s.latency_s for s in lm_steps)
        usage = {
            "calls": len(lm_steps),
            "input_tokens": sum(s.input_tokens for s in lm_steps),
            "output_tokens": sum(s.output_tokens for s in lm_steps),
            "cached_tokens": sum(s.cached_tokens for s in lm_steps),
            "retries": sum(max(0, s.attempts - 1) for s in lm_steps),
            "cache_hits": sum(s.cache_hit for s in lm_steps),
            "wall_s": round(wall, 3),
            "lm_s": round(lm_s, 3),
            "outside_lm_share": round(max(0.0, wall - lm_s) / wall, 4) if wall else 0.0,
            "model": getattr(lm, "model", ""),
            "program": self.program.source,
        }
        prompt = str(state.brief.get("prompt", ""))
        return DesignResult(
            prompt,
            status_of(violations),
            data,
            design,
            violations,
            state.critique,
            state.trace,
            usage,
            state.round,
            self.domain,
            playtest=state.playtest,
            tuning=state.tuning,
            artifacts=self.plan.artifacts,
        )


def _dump(answer: Any) -> dict[str, Any]:
    return answer.model_dump(mode="json") if isinstance(answer, BaseModel) else dict(answer)


def _lenient(exc: LMOutputError, output_model: Any) -> Any:
    """What json_repair reads from an unusable answer, if it is an object the output type accepts."""
    repaired = json_repair.loads(exc.raw_text or "")
    if not isinstance(repaired, dict) or not repaired:
        return None
    (only,) = repaired.values() if len(repaired) == 1 else (None,)
    inner = only if isinstance(only, dict) else repaired  # {"design": {...}} or the design itself
    try:
        return TypeAdapter(output_model).validate_python(inner)
    except ValidationError:
        return None


def _signature(stage: Stage, instructions: str, inputs: list[str], output: Any) -> type[dspy.Signature]:
    fields: dict[str, Any] = {name: (str, dspy.InputField()) for name in inputs}
    fields[stage.name] = (output, dspy.OutputField(desc=stage.task))
    return dspy.Signature(fields, instructions)
