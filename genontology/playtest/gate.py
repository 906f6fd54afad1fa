"""The playable gate: a classifier of designs by simulation, each check a measured value with its interval,
compared with a threshold chosen from data (`benchmarks/gate_calibration.py`: the shipped published and
traditional games as positives, their degenerate variants from `degenerate.py` as negatives).

Every check plays only the games it needs (sequential sampling): random playouts in batches until the
completion, length and balance intervals each clear their thresholds, ladder rungs and duels likewise (see
ladder.py). The checks, their thresholds and why (the calibration's numbers are in BENCHMARKS.md):
- completes: the share of random playouts that end by the rules (Ludii's completion) is at least 0.9.
- length: the stated play time over the mean turns of a random game gives the seconds a turn would take;
  between 3 s (a roll in Pig or Farkle) and 600 s (a turn of Twilight Struggle or Spirit Island), and the
  game lasts at least 1.5 rounds (a game over after one turn each is no game). The first calibration, at
  10-300 s a turn, failed twelve published games of quick or long turns (six now) and rejected no more
  negatives.
- balance (competitive games): among equal random agents, the best seat's win share exceeds the fair share by
  at most 0.3 (a 2-player game: at most 80%). At 0.2, two more published games failed (Risk and Cluedo:
  seat advantages under random play) and no more negatives; at 0.4 a race the first player wins at once
  passed.
- skill: somewhere on the ladder the stronger agent wins more than its fair share (a team more than the
  weaker team), the lower end of that rung's 95% interval above -0.03. The best of four noisy point
  estimates would pass a game of pure luck about half the time; the interval does not. Requiring the lower
  end above 0 failed seven more published games (their advantage within the noise of 32 games) and
  rejected no more negatives; above -0.05 a game decided by a die roll passed.
- no dominant action (advisory: reported, never failing the gate): no restricted agent (`always:ACTION`,
  or with a pattern for its arguments: always aimed at the leader, always the cheapest card) comes within
  0.1 of the strongest agent that showed skill, head to head. The calibration showed why it cannot decide
  yet: fixed strategies beat our small searches outright in many published games (always placing tiles in
  Azul beats `ismcts:8` in every game), so the check measured our agents' weakness, not the games'; at any
  threshold it failed about two published games for each degenerate one it caught. It becomes a failing
  check when the skilled agent is strong enough to beat every fixed strategy of the published games.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from genontology.execution import Executor
from genontology.playtest.game import DISCARD_DOWN, Game, action_of, parse_move
from genontology.playtest.ladder import RUNGS, Rung, affordable, duel, iterations, rung
from genontology.playtest.metrics import survey
from genontology.playtest.playout import Playout, Report, Runner, credit, summarize
from genontology.playtest.stats import Estimate, mean, rate, shifted

MIN_COMPLETION = 0.9
TURN_SECONDS = (3, 600)
MIN_ROUNDS = 1.5
MAX_SEAT_EDGE = 0.3
SKILL_FLOOR = -0.03
DOMINANCE_MARGIN = 0.1
BATCH, DUEL_CAP = 40, 16
DUEL_WORK = 600  # search iterations a duel's skilled seat may spend in a game (mean moves x budget)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    measured: str
    required: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    games: int = 0
    advisory: bool = False  # reported, but the gate's verdict does not depend on it


@dataclass(frozen=True)
class Gate:
    checks: tuple[Check, ...]
    ladder: tuple[Rung, ...] = ()
    duels: dict[str, Estimate] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> list[Check]:
        """The failed checks the verdict depends on."""
        return [c for c in self.checks if not c.passed and not c.advisory]

    @property
    def warnings(self) -> list[Check]:
        """The failed advisory checks."""
        return [c for c in self.checks if not c.passed and c.advisory]

    @property
    def skill_trace(self) -> float | None:
        """The ladder as one score: the mean advantage of the stronger agent over its rungs."""
        values = [r.estimate.value for r in self.ladder]
        return round(sum(values) / len(values), 3) if values else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "checks": [asdict(c) for c in self.checks],
            "ladder": [asdict(r) for r in self.ladder],
            "skill_trace": self.skill_trace,
            "duels": {a: asdict(e) for a, e in self.duels.items()},
        }


def _check(
    name: str,
    estimate: Estimate,
    passed: bool,
    measured: str,
    required: str,
    value: float | None = None,
    advisory: bool = False,
) -> Check:
    """A check on `estimate`; its `value` (what the threshold is compared with) is the estimate's own unless
    given (the skill check compares the interval's lower end)."""
    shown = estimate.value if value is None else value
    return Check(
        name, passed, measured, required, shown, estimate.low, estimate.high, estimate.games, advisory
    )


def turn_bounds(minutes: int, players: int) -> tuple[float, float]:
    """The mean turns a game of the stated play time may take: at least MIN_ROUNDS rounds, and a turn
    between TURN_SECONDS long."""
    return max(minutes * 60 / TURN_SECONDS[1], MIN_ROUNDS * players), minutes * 60 / TURN_SECONDS[0]


def _random_checks(runs: list[Playout], game: Game, minutes: int) -> list[tuple[Check, bool]]:
    """The checks random play decides, each with whether its interval has cleared its threshold."""
    finished = rate(sum(r.outcome.finished for r in runs), len(runs))
    low, high = turn_bounds(minutes, game.players)
    turns = mean([r.turns for r in runs if r.outcome.finished])
    found = [
        (
            _check(
                "completes",
                finished,
                finished.value >= MIN_COMPLETION,
                f"{finished.value:.0%} [{finished.low:.0%}, {finished.high:.0%}]",
                f">= {MIN_COMPLETION:.0%}",
            ),
            finished.clears(MIN_COMPLETION),
        ),
        (
            _check(
                "length",
                turns,
                turns.games > 0 and low <= turns.value <= high,
                f"{turns.value:.1f} turns [{turns.low:.1f}, {turns.high:.1f}]",
                f"{low:g}-{high:g} turns for {minutes} min",
            ),
            # decided too when the game clearly fails to end: more games of a game that times out tell nothing
            (turns.clears(low) and turns.clears(high)) or finished.high < MIN_COMPLETION,
        ),
    ]
    if not game.cooperative and game.players > 1:
        seats = [rate(sum(credit(r, s) for r in runs), len(runs)) for s in range(game.players)]
        edge = shifted(max(seats, key=lambda e: e.value), 1 / game.players)
        found.append(
            (
                _check(
                    "balance",
                    edge,
                    edge.value <= MAX_SEAT_EDGE,
                    f"best seat {edge.value:+.2f} over fair [{edge.low:+.2f}, {edge.high:+.2f}]",
                    f"<= +{MAX_SEAT_EDGE}",
                ),
                edge.clears(MAX_SEAT_EDGE),
            )
        )
    return found


def restricted(runs: list[Playout], contested: frozenset[str]) -> list[str]:
    """The restricted agents worth a duel: every action a player ever chose among others (always playing an
    action that is never an alternative to another restricts nothing), and for an action that aims at a
    seat or picks a card, the same action always aimed at the leader or always the cheapest."""
    chosen = {m for r in runs for c in r.chosen for m in c if action_of(m) != DISCARD_DOWN}
    found = {action_of(m) for m in chosen} & contested
    for move in chosen:
        keys = parse_move(move)[1]
        if "target" in keys:
            found.add(f"{action_of(move)}:leader")
        if "card" in keys:
            found.add(f"{action_of(move)}:cheapest")
    return sorted(found)


def _random_play(run: Runner, minutes: int, seed: int, games: int) -> tuple[list[Playout], list[Check]]:
    """Random playouts in batches until every check they decide has cleared its threshold (or `games`)."""
    base: list[Playout] = []
    while len(base) < games:
        count = min(BATCH, games - len(base))
        base += run([(seed + len(base) + i, ("random",) * run.game.players) for i in range(count)])
        decided = _random_checks(base, run.game, minutes)
        if all(clear for _, clear in decided):
            break
    return base, [check for check, _ in decided]


def _skill(ladder: list[Rung]) -> Check:
    best = max(ladder, key=lambda r: r.estimate.low)
    e = best.estimate
    return _check(
        "skill",
        e,
        e.low > SKILL_FLOOR,
        f"{best.strong} over {best.weak} {e.value:+.2f} [{e.low:+.2f}, {e.high:+.2f}]",
        f"some rung's interval above {SKILL_FLOOR:+.2f}",
        value=e.low,
    )


def _dominance(duels: dict[str, Estimate], skilled: str) -> Check:
    dominant = {a: e for a, e in duels.items() if e.value >= -DOMINANCE_MARGIN}
    worst = max(duels.values(), key=lambda e: e.value, default=Estimate(-1.0, -1.0, -1.0, 0))
    return _check(
        "no dominant action",
        worst,
        not dominant,
        ", ".join(f"always {a} {e.value:+.2f} against {skilled}" for a, e in dominant.items())
        or f"none (closest {worst.value:+.2f})",
        f"every always-one-action agent below {skilled} by more than {DOMINANCE_MARGIN}",
        advisory=True,
    )


def judge(
    game: Game,
    minutes: int,
    seed: int = 0,
    games: int = 200,
    processes: int = 1,
    early: bool = False,
    executor: Executor | None = None,
) -> tuple[Report, Gate]:
    """Play `game` as the gate needs and judge it: the report of random play, and the gate's checks.
    `early`: the verdict alone, as cheaply as it can be had: when random play fails a check, stop there; else
    stop at the first rung that shows skill, or after the ladder (the duels are advisory: they never change
    the verdict)."""
    with Runner(game, processes, executor) as run:
        base, checks = _random_play(run, minutes, seed, games)
        report = summarize(base, game.players)
        if early and not all(c.passed for c in checks):
            return report, Gate(tuple(checks))
        watched = survey(game, seed)
        report.clarity, report.interaction = watched.clarity, watched.interaction
        ladder: list[Rung] = []
        for weak, strong, cap, fallback in RUNGS:
            shown = any(r.estimate.low > SKILL_FLOOR for r in ladder)
            if affordable(weak, strong, game.players, report.duration_moves) and not (fallback and shown):
                ladder.append(rung(run, weak, strong, seed, SKILL_FLOOR, cap))
                if early and ladder[-1].estimate.low > SKILL_FLOOR:
                    break  # skill is shown: the rungs left cannot change the verdict
        checks.append(_skill(ladder))
        if early:
            return report, Gate(tuple(checks), tuple(ladder))
        duels: dict[str, Estimate] = {}
        showed = [r.strong for r in ladder if r.estimate.low > SKILL_FLOOR]
        if showed:  # the strongest agent that showed skill, within the duels' budget, is the one to match
            cost = report.duration_moves / game.players  # one seat's moves in a game
            skilled = ([a for a in showed if iterations(a) * cost <= DUEL_WORK] or showed[:1])[-1]
            for agent in restricted(base, watched.contested):
                duels[agent] = duel(run, f"always:{agent}", skilled, seed, -DOMINANCE_MARGIN, DUEL_CAP)
            checks.append(_dominance(duels, skilled))
    return report, Gate(tuple(checks), tuple(ladder), duels)
