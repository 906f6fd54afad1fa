"""Tuning a design's numbers by simulation until it passes the playable gate.

The search is over groups of knobs (knobs.py) that move together, each by one scale factor: every action's
costs, every threshold an ending counts to, every starting amount. A designer rebalances that way ("costs
up by half, the game to 15 points"), and it keeps the search to a handful of dimensions a few dozen
evaluations can cover, where one dimension per number would need thousands. Only the groups of the parts
that answer for the failing checks are searched (`PARTS`).

Optuna's TPE sampler proposes the factors (a noisy black-box search over discrete levels); the evaluation of
a proposal is the calibrated gate itself, played on the design the factors give, scored by how far each
failed check misses its threshold (`shortfall`). Several short independent runs, rather than one long one,
each starting from the design as it is. A setting that passes is played again on two sets of fresh seeds
before it is accepted: an evaluation is a sample, and the best of many samples is biased towards luck. A
setting whose design has structural errors (the validator's reachable ranges: a threshold no one can reach,
a cost above a cap) is refused before any game is played.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import optuna

from genontology.execution import Executor
from genontology.ontology import errors_among, get_domain
from genontology.ontology.critique import CriticFinding
from genontology.playtest.evaluate import Playtest, playtest_design
from genontology.playtest.game import UnplayableDesign
from genontology.playtest.gate import MAX_SEAT_EDGE, MIN_COMPLETION, SKILL_FLOOR, Gate, turn_bounds
from genontology.playtest.knobs import STEPS, Knob, Path, apply, knobs
from genontology.schemas.tabletop.model import GameDesign

# The parts whose numbers can cure each check, most likely first; a design that passes is tuned for nothing.
PARTS = {
    "completes": ("end_conditions", "victory", "turn_structure", "actions"),
    "length": ("end_conditions", "victory", "turn_structure", "actions", "resources"),
    "balance": ("resources", "turn_structure", "setup", "actions"),
    "skill": ("actions", "resources", "components", "turn_structure"),
}
MAX_GROUPS = 12
# The re-checks' seeds lie far from the search's. Two of them: the search tries dozens of settings, and a
# game of pure luck passes the skill check about one time in five, so the best of many tries passed by
# chance more often than not; twice more on fresh seeds, about one time in twenty-five.
FRESH_SEEDS = (10_000, 20_000)
REFUSED = 100.0  # the loss of a setting whose design the validator or the engine refuses
CHANGE_COST = 0.02  # per group changed: of two settings that fare alike, the smaller change wins
STARTUP = 4  # random proposals before TPE models the results


@dataclass(frozen=True)
class Group:
    """Knobs that move together: the same field in the same kind of place (`actions.effects:gain.amount`)."""

    key: str
    knobs: tuple[Knob, ...]

    @property
    def part(self) -> str:
        return self.knobs[0].part

    def setting(self, factor: float) -> dict[Path, int]:
        return {k.path: k.scaled(factor) for k in self.knobs}


def _owner(knob: Knob) -> str:
    """One action's costs, or one action's effects (`actions[forage].effects`): a group that moves one
    action against the others, where a group by field moves them all alike."""
    match = re.match(r"actions\[[^\]]+\]\.(cost|effects)", knob.label)
    return match.group(0) if match else knob.family


def groups(design: GameDesign, parts: tuple[str, ...] | None = None, by_action: bool = False) -> list[Group]:
    """The design's knobs grouped by field (`by_action`: an action's costs, and its effects, apart from the
    other actions'); only those of `parts` (in that order) when given, and only the groups a factor can
    move."""
    found: dict[str, list[Knob]] = {}
    for knob in knobs(design):
        found.setdefault(_owner(knob) if by_action else knob.family, []).append(knob)
    movable = [
        Group(key, tuple(ks))
        for key, ks in found.items()
        if any(k.scaled(f) != k.value for k in ks for f in STEPS)
    ]
    if parts is None:
        return movable
    return sorted((g for g in movable if g.part in parts), key=lambda g: parts.index(g.part))


def shortfall(gate: Gate, minutes: int, players: int) -> float:
    """How far the design is from passing: for each failed check, one plus how far its value misses the
    threshold, in the check's own scale (a share, or the log of a length ratio). 0 when the gate passes."""
    low, high = turn_bounds(minutes, players)
    total = 0.0
    for check in gate.failed:
        value = check.value or 0.0
        miss = {
            "completes": MIN_COMPLETION - value,
            "length": math.log(max(low / max(value, 1e-3), max(value, 1e-3) / high, 1.0)),
            "balance": value - MAX_SEAT_EDGE,
            "skill": SKILL_FLOOR - value,
        }.get(check.name, 0.0)
        total += 1.0 + max(0.0, miss)
    if not any(c.name == "skill" for c in gate.checks):
        total += 1.0  # not probed: random play failed first, so the ladder was not played
    return round(total, 4)


@dataclass
class Trial:
    run: int
    factors: dict[str, float]
    loss: float
    passed: bool
    seconds: float
    failed: list[str] = field(default_factory=list)
    refused: str = ""  # why the validator or the engine refused the setting's design
    repeat: bool = False  # a setting played before: its result again, at no cost
    stage: str = "search"  # search, simplify (a change undone) or recheck (fresh seeds)


@dataclass(frozen=True)
class Change:
    knob: str
    before: int
    after: int


@dataclass
class Tuning:
    """What tuning did: the design as it ends (tuned, or as it was), each number changed, the gate before and
    after, every evaluation spent, and why it stopped."""

    design: GameDesign
    before: Playtest
    after: Playtest
    accepted: bool
    reason: str
    changes: list[Change] = field(default_factory=list)
    setting: dict[Path, int] = field(default_factory=dict)
    trials: list[Trial] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)  # the groups searched
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.after.passed

    @property
    def evaluations(self) -> int:
        """Gate evaluations played (a setting proposed again is not played again)."""
        return sum(not t.repeat for t in self.trials)

    def as_record(self) -> dict[str, Any]:
        """Everything tuning did, for tuning.json and the Designer's checkpoint."""
        return {
            "accepted": self.accepted,
            "passed": self.passed,
            "reason": self.reason,
            "changes": [asdict(c) for c in self.changes],
            "setting": self.setting_json(),
            "searched": self.searched,
            "evaluations": self.evaluations,
            "seconds": round(self.seconds, 2),
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "trials": [asdict(t) for t in self.trials],
        }

    def summary(self) -> str:
        """What tuning did, in one line: the numbers changed, or why none was."""
        spent = f"Tuning ({self.evaluations} evaluations, {self.seconds:.0f} s)"
        if not self.changes:
            return f"{spent} changed nothing: {self.reason}"
        changed = "; ".join(f"{c.knob} {c.before} -> {c.after}" for c in self.changes[:12])
        more = f" (and {len(self.changes) - 12} more)" if len(self.changes) > 12 else ""
        return f"{spent}: {self.reason} Changed: {changed}{more}."

    # As a Simulation (agents/design_plan.py): the playtest of the design as tuning left it.
    def as_dict(self) -> dict[str, Any]:
        return self.after.as_dict()

    def evidence(self) -> str:
        """The playtest's evidence and what tuning did, in words that depend on the design alone (no counts
        or seconds): the critic reads them, and a recorded run is replayed by its prompts."""
        if self.changes:
            did = "Tuning changed " + "; ".join(
                f"{c.knob} {c.before} -> {c.after}" for c in self.changes[:12]
            )
        else:
            did = f"Tuning the numbers ({self._searched()}) did not make it pass: the fault is structural"
        return f"{self.after.evidence()}\n{did}."

    def findings(self) -> list[CriticFinding]:
        """Each failed check of the design as it stands, saying that tuning its numbers did not cure it."""
        tried = f"Tuning tried {self._searched()}: not cured."
        return [f.model_copy(update={"tried": tried}) for f in self.after.findings()]

    def _searched(self) -> str:
        more = f" and {len(self.searched) - 3} more" if len(self.searched) > 3 else ""
        return (", ".join(self.searched[:3]) + more) or "no number"

    def setting_json(self) -> list[list[Any]]:
        return [[list(p), v] for p, v in self.setting.items()]


def _changes(design: GameDesign, setting: dict[Path, int]) -> list[Change]:
    labels = {k.path: k for k in knobs(design)}
    return [Change(labels[p].label, labels[p].value, v) for p, v in setting.items() if labels[p].value != v]


class _Evaluator:
    """Plays the design a setting gives, once per distinct setting (TPE proposes the same levels again)."""

    def __init__(
        self, design: GameDesign, games: int, processes: int, players: int | None, executor: Executor | None
    ) -> None:
        self.design, self.games, self.processes, self.players = design, games, processes, players
        self.executor = executor
        self.seen: dict[tuple[tuple[tuple[Path, int], ...], int], tuple[float, Playtest | None, str]] = {}

    def design_for(self, setting: dict[Path, int]) -> tuple[GameDesign | None, str]:
        try:
            tuned = apply(self.design, setting)
        except ValueError as exc:  # pydantic's ValidationError: a value out of the schema's bounds
            return None, str(exc).splitlines()[0]
        errors = errors_among(get_domain("tabletop").validate(tuned, prose=False))
        return (None, f"{errors[0].code} at {errors[0].path}") if errors else (tuned, "")

    def key(self, setting: dict[Path, int], seed: int) -> tuple[tuple[tuple[Path, int], ...], int]:
        """A setting by what it changes: the design as it is has the empty key."""
        return tuple(sorted((p, v) for p, v in setting.items() if v != _value(self.design, p))), seed

    def played(self, setting: dict[Path, int], seed: int) -> bool:
        return self.key(setting, seed) in self.seen

    def __call__(self, setting: dict[Path, int], seed: int) -> tuple[float, Playtest | None, str]:
        key = self.key(setting, seed)
        if key not in self.seen:
            tuned, refused = self.design_for(setting)
            if tuned is None:
                self.seen[key] = (REFUSED, None, refused)
            else:
                try:
                    test = self.play(tuned, seed)
                except (
                    UnplayableDesign
                ) as exc:  # the engine's own refusal (it validates with the prose rules)
                    self.seen[key] = (REFUSED, None, str(exc)[:200])
                    return self.seen[key]
                assert test.gate is not None
                self.seen[key] = (shortfall(test.gate, tuned.play_time_minutes, test.players), test, "")
        return self.seen[key]

    def play(self, design: GameDesign, seed: int, early: bool = True) -> Playtest:
        return playtest_design(
            design,
            games=self.games,
            seed=seed,
            players=self.players,
            processes=self.processes,
            early=early,
            executor=self.executor,
        )


def tune(
    design: GameDesign,
    *,
    budget_s: float = 40.0,
    evaluations: int = 48,
    runs: int = 3,
    seed: int = 0,
    games: int = 120,
    processes: int = 1,
    players: int | None = None,
    before: Playtest | None = None,
    progress: Callable[[Trial], None] | None = None,
    executor: Executor | None = None,
) -> Tuning:
    """Search `design`'s numbers for a setting that passes the playable gate, within `budget_s` seconds and
    `evaluations` gate evaluations over `runs` independent runs; accept it only if it passes again on two
    sets of fresh seeds. `before` is the design's own playtest when the caller has it already. Playouts run
    over `processes` local processes or on `executor` (a Ray cluster's workers)."""
    evaluate = _Evaluator(design, games, processes, players, executor)
    before = before or evaluate.play(design, seed, early=False)
    began = time.perf_counter()  # the budget is the search's: the design's own playtest is not part of it
    evaluate.seen[((), seed)] = (shortfall(before.gate, design.play_time_minutes, before.players), before, "")
    if before.passed:
        return Tuning(design, before, before, True, "the design passes the gate as it is.")
    failing = [c.name for c in before.gate.failed] if before.gate else []
    parts = tuple(dict.fromkeys(p for name in failing for p in PARTS.get(name, ())))
    # Skill fails where actions pay alike: scaling every action's numbers together keeps them alike, so each
    # action's costs and effects move on their own.
    searched = groups(design, parts, by_action="skill" in failing)[:MAX_GROUPS]
    tuning = Tuning(design, before, before, False, "", searched=[g.key for g in searched])
    if not searched:
        tuning.reason = f"no number of the parts that answer for {', '.join(failing)} can change."
        return _finish(tuning, began)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    search = _Search(searched, evaluate, seed, tuning, progress)
    for run in range(runs):
        deadline = began + budget_s * (run + 1) / runs
        found = search.run(run, deadline, round(evaluations * (run + 1) / runs))
        if found is None:
            continue
        factors = search.simplify(found, run, began + budget_s)
        setting = search.setting(factors)
        fresh = None
        for offset in FRESH_SEEDS:  # every re-check must pass; the first failure ends them
            fresh = search.evaluate(factors, run, "recheck", seed + offset)
            if fresh is None or not fresh.passed:
                break
        if fresh is not None and fresh.passed:
            tuning.design, tuning.after, tuning.accepted = apply(design, setting), fresh, True
            tuning.setting = {p: v for p, v in setting.items() if v != _value(design, p)}
            tuning.changes = _changes(design, tuning.setting)
            tuning.reason = f"passes the gate, and again on {len(FRESH_SEEDS)} sets of fresh seeds."
            return _finish(tuning, began)
    if not tuning.trials:
        tuning.reason = f"the budget ({budget_s:g} s) was spent before any setting was tried."
        return _finish(tuning, began)
    best = min(tuning.trials, key=lambda t: t.loss)
    still = sorted({c for t in tuning.trials if t.loss == best.loss for c in t.failed}) or failing
    tuning.reason = (
        f"no setting of {', '.join(g.key for g in searched)} passed the gate (and again on fresh seeds);"
        f" still failing at best: {', '.join(still)}. Numbers cannot fix this: it is structural."
    )
    return _finish(tuning, began)


class _Search:
    """Optuna's TPE over each group's scale factor; every evaluation is traced as a Trial."""

    def __init__(
        self,
        searched: list[Group],
        evaluate: _Evaluator,
        seed: int,
        tuning: Tuning,
        progress: Callable[[Trial], None] | None,
    ) -> None:
        self.searched, self.evaluator, self.seed = searched, evaluate, seed
        self.tuning, self.progress = tuning, progress

    def setting(self, factors: dict[str, float]) -> dict[Path, int]:
        return {p: v for g in self.searched for p, v in g.setting(factors[g.key]).items()}

    def evaluate(self, factors: dict[str, float], run: int, stage: str, seed: int) -> Playtest | None:
        """Play the design `factors` give, for the gate's verdict only (no advisory duels: they would take
        most of the budget and never change the verdict)."""
        setting = self.setting(factors)
        started, repeat = time.perf_counter(), self.evaluator.played(setting, seed)
        loss, test, refused = self.evaluator(setting, seed)
        changed = sum(f != 1.0 for f in factors.values())
        record = Trial(
            run,
            factors,
            round(loss + CHANGE_COST * changed, 4),
            bool(test and test.passed),
            round(time.perf_counter() - started, 3),
            [c.name for c in test.gate.failed] if test and test.gate else [],
            refused,
            repeat,
            stage,
        )
        self.tuning.trials.append(record)
        if self.progress:
            self.progress(record)
        return test

    def run(self, run: int, deadline: float, cap: int) -> dict[str, float] | None:
        """One short independent run from the design as it is: the first setting that passes, or None."""
        sampler = optuna.samplers.TPESampler(seed=self.seed + run, n_startup_trials=STARTUP)
        study = optuna.create_study(direction="minimize", sampler=sampler)
        study.enqueue_trial({g.key: 1.0 for g in self.searched})
        while time.perf_counter() < deadline and len(self.tuning.trials) < cap:
            trial = study.ask()
            factors = {g.key: trial.suggest_categorical(g.key, STEPS) for g in self.searched}
            test = self.evaluate(factors, run, "search", self.seed)
            study.tell(trial, self.tuning.trials[-1].loss)
            if test is not None and test.passed:
                return factors
        return None

    def simplify(self, factors: dict[str, float], run: int, deadline: float) -> dict[str, float]:
        """Each changed group back to the design's own numbers, one at a time, where the design still passes
        without the change (until the deadline): what tuning reports changed is what the gate needed."""
        kept = dict(factors)
        for key in [k for k, f in factors.items() if f != 1.0]:
            if time.perf_counter() > deadline:
                break
            trial = kept | {key: 1.0}
            test = self.evaluate(trial, run, "simplify", self.seed)
            if test is not None and test.passed:
                kept = trial
        return kept


def _value(design: GameDesign, path: Path) -> int:
    node: Any = design
    for key in path:
        node = node[key] if isinstance(key, int) else getattr(node, key)
    return int(node)


def _finish(tuning: Tuning, began: float) -> Tuning:
    tuning.seconds = time.perf_counter() - began
    return tuning
