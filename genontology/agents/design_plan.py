"""A domain's design plan as data: its roles, its stages in dependency order, and how stage outputs assemble.

A role is a persona with a professional anxiety and the parts of the design it owns; a stage is one LM call
by one role whose output schema is built from what earlier stages declared. A domain registers its plan
through the `genontology.plans` entry-point group, so a new domain plugs in without touching the Designer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from genontology.ontology.critique import CriticFinding
from genontology.ontology.echo import tell
from genontology.ontology.errors import GenontologyError

# What a stage sees of the run so far: the brief and the outputs of finished stages, by stage name.
Parts = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class RoleSpec:
    """One specialist agent: a persona with a professional anxiety. What it answers for is what its stages own
    (`Stage.owns`), the one place routing reads."""

    name: str
    title: str
    persona: str
    anxiety: str

    def instructions(self, task: str) -> str:
        return f"You are the {self.title}. {self.persona}\nYour worry: {self.anxiety}\nTask: {task}"


@dataclass(frozen=True)
class Stage:
    """One LM call by `role`. `output(brief, parts)` builds the narrowed output schema; `inputs(brief, parts)`
    the compact views the role reads; `needs` the stages whose ids it narrows against (rerun after them)."""

    name: str
    role: str
    task: str
    # A pydantic model, FreeForm (the raw baseline), or None: nothing to ask, the stage is skipped.
    output: Callable[[BaseModel, Parts], Any]
    inputs: Callable[[BaseModel, Parts], dict[str, str]]
    owns: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    retrieve: Callable[[Any, BaseModel, Parts], list[Any]] | None = None
    max_tokens: int = 700
    # For stages added to a plan after the fact: how their output enters the assembled design.
    apply: Callable[[dict[str, Any], dict[str, Any]], None] | None = None
    # An answer that is not valid JSON is repaired leniently instead of refused (the raw-LM baseline only).
    lenient: bool = False


class Simulation(Protocol):
    """A playtest's verdict as the Designer uses it: evidence for the critic, findings for the loop."""

    @property
    def passed(self) -> bool: ...

    def evidence(self) -> str: ...

    def findings(self) -> list[CriticFinding]: ...

    def as_dict(self) -> dict[str, Any]: ...


class Tuned(Simulation, Protocol):
    """What tuning a design's numbers did, as the Designer uses it: a Simulation of the design as tuning left
    it, and the setting that makes it so (JSON paths to numbers; empty when nothing was accepted)."""

    @property
    def accepted(self) -> bool: ...

    def summary(self) -> str: ...

    def as_record(self) -> dict[str, Any]: ...

    def setting_json(self) -> list[list[Any]]: ...


@dataclass(frozen=True)
class DesignPlan:
    """Everything the Designer needs to know about a domain's generation."""

    domain: str
    brief: type[BaseModel]
    roles: dict[str, RoleSpec]
    stages: tuple[Stage, ...]
    assemble: Callable[[BaseModel, Parts], dict[str, Any]]
    critic: Stage | None = None
    # Violation codes whose cure lies upstream of where they show, by the stage that fixes them.
    routes: dict[str, str] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    # Plays a valid design in simulation: `simulate(design, brief)` returns a Simulation.
    simulate: Callable[[BaseModel, BaseModel], Simulation] | None = None
    # Tunes the numbers of a valid design its simulation failed: `tune(design, brief, simulation, budget_s)`.
    tune: Callable[[BaseModel, BaseModel, Simulation, float], Tuned] | None = None
    # Puts a tuned setting into a built design's data, with the text that states those numbers.
    retune: Callable[[dict[str, Any], list[list[Any]]], dict[str, Any]] | None = None
    # Writes what a valid design becomes into a folder (a score, say); returns the file names written.
    artifacts: Callable[[BaseModel, Path], list[str]] | None = None
    # Reads what the brief's words say that its fields do not (how players relate, say), before any stage:
    # the brief as read, and a note for the trace ("" when nothing was read).
    read: Callable[[BaseModel], tuple[BaseModel, str]] | None = None
    # Builds on the exemplar store before any stage, after `read`: the brief with what was found in it (the
    # recombination route's child, say), and a note for the trace. Raises GroundingError when it finds none.
    ground: Callable[[BaseModel, Any], tuple[BaseModel, str]] | None = None
    # Other routes to a design for the same domain, by name: each makes its plan ("recombine", say).
    routes_to: dict[str, Callable[[], DesignPlan]] = field(default_factory=dict)

    def build(self, brief: BaseModel, parts: Parts) -> dict[str, Any]:
        """The design from the stage outputs: the plan's assembly, then each added stage's `apply`."""
        design = self.assemble(brief, parts)
        for stage in self.stages:
            if stage.apply is not None and stage.name in parts:
                stage.apply(design, parts[stage.name])
        return design

    def stage(self, name: str) -> Stage:
        for stage in (*self.stages, *([self.critic] if self.critic else [])):
            if stage.name == name:
                return stage
        raise KeyError(name)

    def route(self, code: str, path: str) -> Stage | None:
        """The stage that repairs a violation: by its code where the plan says, else by its path."""
        if code in self.routes:
            return self.stage(self.routes[code])
        return self.owner(path)

    def owner(self, path: str) -> Stage | None:
        """The stage owning a JSON path: the longest matching owned prefix, `[*]` matching any index."""
        generic = re.sub(r"\[\d+\]", "[*]", path)
        best: tuple[int, Stage] | None = None
        for stage in self.stages:
            for prefix in stage.owns:
                if _covers(prefix, path, generic) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), stage)
        return best[1] if best else None

    def dependents(self, names: Sequence[str]) -> list[str]:
        """`names` and every stage that narrows against them, transitively, in plan order."""
        wanted = set(names)
        for stage in self.stages:
            if wanted & set(stage.needs):
                wanted.add(stage.name)
        return [s.name for s in self.stages if s.name in wanted]

    def prompts(self) -> list[str]:
        """What the plan says to the model besides the schema: each stage's task and each role's persona and
        worry. A design's text that copies one of them is an echo, not an answer."""
        stages = (*self.stages, *([self.critic] if self.critic else []))
        roles = self.roles.values()
        return [s.task for s in stages] + [r.persona for r in roles] + [r.anxiety for r in roles]

    def with_role(self, role: RoleSpec, *stages: Stage) -> DesignPlan:
        """A copy with a role added (or replaced) and its stages appended: how users add a specialist."""
        return replace(self, roles={**self.roles, role.name: role}, stages=(*self.stages, *stages))


GENERALIST = RoleSpec(
    name="designer",
    title="Designer",
    persona="You design the whole thing alone, every part of it.",
    anxiety="Is the design complete and consistent?",
)


def single_agent(plan: DesignPlan) -> DesignPlan:
    """The same stages, every one answered by one generalist with no specialist persona and no critic: the
    ablation's single-agent condition."""
    stages = tuple(replace(stage, role=GENERALIST.name) for stage in plan.stages)
    return replace(plan, roles={GENERALIST.name: GENERALIST}, stages=stages, critic=None)


# The raw-LM baseline's output: any JSON object. DSPy sends JSON mode for an open mapping, not a schema.
FreeForm = dict[str, Any]


def whole(plan: DesignPlan, schema: type[BaseModel] | None, describe: str) -> DesignPlan:
    """One call writes the whole design: constrained by the domain's root `schema` (the ablation's
    schema-only condition), or, with `schema=None`, as free JSON parsed leniently (the raw-LM baseline).
    `describe` says in words what a design contains; the repair loop, when on, sends every fault back here."""
    task = f"Write one complete design for the brief as a single JSON object. A design has: {describe}"
    stage = Stage(
        name="design",
        role=GENERALIST.name,
        task=task,
        output=lambda brief, parts: schema or FreeForm,
        inputs=lambda brief, parts: {"brief": brief.model_dump_json(exclude_none=True)},
        owns=("$",),
        max_tokens=3000,
        lenient=schema is None,
    )
    return replace(
        plan,
        roles={GENERALIST.name: GENERALIST},
        stages=(stage,),
        assemble=lambda brief, parts: dict(parts.get("design", {})),
        critic=None,
        routes={},
    )


def _covers(prefix: str, path: str, generic: str) -> bool:
    for candidate in (path, generic):
        if candidate == prefix or (candidate.startswith(prefix) and candidate[len(prefix)] in ".["):
            return True
    return False


# Control characters (tab, newline and their kin are whitespace and pass), and bidirectional overrides,
# which reorder what a reader sees against what a model reads ("Trojan Source").
_NOT_PLAIN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text(text: Any) -> Any:
    """`text`, unchanged, if a brief may carry it; else a ValueError naming the first offending character:
    a byte that was not UTF-8 (a lone surrogate, as Python decodes such command-line bytes), a control
    character (NUL, escape sequences), a bidirectional override. Anything but a string is returned for the
    field's own type check. Meant as a `mode="before"` validator, so it runs before the length check: it
    is regular-expression fast on a megabyte."""
    if not isinstance(text, str):
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"not valid UTF-8 text (an undecodable byte at character {exc.start})") from None
    control = _NOT_PLAIN.search(text)
    if control:
        raise ValueError(
            f"control character U+{ord(control[0]):04X} at character {control.start()}; write plain text"
        )
    return text


def meaningful_prompt(prompt: str, example: str) -> str:
    """A brief's theme, whitespace collapsed; ValueError (with `example`) for one that says nothing."""
    prompt = " ".join(prompt.split())
    words = re.findall(r"[^\W\d_]{2,}", prompt)
    if len(words) < 1 or sum(map(len, words)) < 3:
        raise ValueError(f"the theme needs at least a word or two, e.g. {example!r}")
    if len(set(prompt.lower())) < 4:
        raise ValueError("the theme is a repeated character, not a theme")
    return prompt


class PlanError(GenontologyError):
    """A domain has no design plan, or its plan is malformed."""


class GroundingError(GenontologyError):
    """A plan's grounding found nothing to build on for this brief (no exemplars that recombine, say)."""


_plans: dict[str, DesignPlan] = {}


def register_plan(plan: DesignPlan) -> None:
    _plans[plan.domain] = plan
    tell(plan.domain, plan.prompts())


def get_plan(domain: str) -> DesignPlan:
    if domain not in _plans:
        found = {ep.name: ep for ep in entry_points(group="genontology.plans")}
        if domain not in found:
            raise PlanError(
                f"domain {domain!r} has no design plan; plans exist for: {sorted(found) or 'none'}"
            )
        loaded = found[domain].load()
        register_plan(loaded() if callable(loaded) else loaded)
    return _plans[domain]
