"""Playtesting one tabletop design: the report, the gate, and the gate's failures as critic findings.

This is what the CLI prints and what the Designer feeds its Balance Critic: `evidence()` is the report in
plain sentences, `findings()` turns each failed gate check into a high-severity finding aimed at the part of
the design that can cure it, quoting the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from genontology.execution import Executor
from genontology.ontology.critique import CriticFinding
from genontology.playtest.gate import Gate, judge
from genontology.playtest.metrics import survey
from genontology.playtest.playout import Report, playtest
from genontology.playtest.tabletop import Tabletop
from genontology.schemas.tabletop.model import GameDesign

# Which part of a design answers for each gate check, and the usual cure.
CURES = {
    "completes": (
        "end_conditions",
        "Add an end condition every game reaches: a round limit, or a threshold that actions raise.",
    ),
    "length": (
        "end_conditions",
        "Move the end condition (round limit or threshold) so the game fits its stated play time.",
    ),
    "balance": (
        "turn_structure",
        "Compensate later seats (more starting resources) or end only when a round is complete.",
    ),
    "skill": (
        "actions",
        "Give actions distinct costs and payoffs so that choosing well pays off.",
    ),
    "no dominant action": (
        "actions",
        "Raise that action's cost, limit it per turn, or make the alternatives pay better.",
    ),
}


@dataclass
class Playtest:
    design: str
    title: str
    players: int
    seed: int
    report: Report
    gate: Gate | None = None  # None: measured only, not judged

    @property
    def passed(self) -> bool:
        """Whether the design passes the gate (a report that was not judged fails nothing)."""
        return self.gate is None or self.gate.passed

    def as_dict(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "players": self.players,
            "seed": self.seed,
            "gate": self.gate.as_dict() if self.gate else None,
            **self.report.as_dict(),
        }

    def evidence(self) -> str:
        if self.gate is None:
            return self.report.evidence()
        failed = "; ".join(f"{c.name}: {c.measured} (needs {c.required})" for c in self.gate.failed)
        verdict = "passes the playable gate" if self.passed else f"fails the playable gate: {failed}"
        warned = "".join(f"\nWarning, {c.name}: {c.measured}." for c in self.gate.warnings)
        return f"{self.report.evidence()}\nThe design {verdict}.{warned}"

    def findings(self) -> list[CriticFinding]:
        """Each failed gate check as a critic finding: severity, target, evidence (the numbers), cure."""
        found = []
        for check in self.gate.failed if self.gate else []:
            target, cure = CURES[check.name]
            found.append(
                CriticFinding(
                    severity="high",
                    target=target,
                    evidence=f"playtest {check.name}: {check.measured}, needs {check.required}."[:200],
                    recommendation=cure,
                    source="playtest",
                    check=check.name,
                    value=check.value,
                    low=check.low,
                    high=check.high,
                    games=check.games,
                    concerns=self._concerns(check.name),
                )
            )
        return found

    def _concerns(self, check: str) -> str | None:
        """What in random play shows a failed check, for the stage told to cure it."""
        r = self.report
        if check in ("skill", "no dominant action") and r.action_share:
            action, share = max(r.action_share.items(), key=lambda item: item[1])
            return f"{action} is {share:.0%} of all moves; {r.decision_moves:.0%} of moves were real choices"
        if check == "balance" and r.seat_wins:
            return "seat wins " + ", ".join(f"{w:.0%}" for w in r.seat_wins)
        if check in ("length", "completes"):
            ends = ", ".join(f"{reason} {count}" for reason, count in r.reasons.items())
            return f"{r.duration_turns:.1f} turns a game on average; games ended by {ends}"
        return None

    def text(self) -> str:
        r = self.report
        lines = [
            f"{self.title} ({self.players} players, {r.games} random playouts, first seed {self.seed})",
            f"  completion {r.completion:.0%}  timeouts {r.timeouts:.0%}  ends: {r.reasons}",
            f"  turns {r.duration_turns:.1f} ± {r.duration_turns_sd:.1f}  moves {r.duration_moves:.1f}",
            f"  seat wins {r.seat_wins}  balance {r.balance:.2f}  drawishness {r.drawishness:.2f}",
            f"  decision moves {r.decision_moves:.0%}  branching {r.branching:.2f}"
            f"  lead changes {r.lead_changes:.1f}",
            "  most played: " + ", ".join(f"{a} {s:.0%}" for a, s in list(r.action_share.items())[:5]),
        ]
        for action, choices in list(r.argument_share.items())[:5]:  # what players chose when they had choices
            top = ", ".join(f"{c} {s:.0%}" for c, s in list(choices.items())[:4])
            lines.append(f"  {action} chose: {top}" + (" ..." if len(choices) > 4 else ""))
        if r.clarity is not None:
            lines.append(
                f"  drama {r.drama:.2f}  decisiveness {r.decisiveness_threshold:.2f} threshold,"
                f" {r.decisiveness_moves:.0%} of turns after it  clarity {r.clarity:.2f}"
                f"  interaction {r.interaction or 0:.0%} of moves"
                f"  seat 0 advantage {r.seat0_advantage:+.2f}"
            )
        for s in r.skill.values():
            lines.append(
                f"  skill: {s.bot} wins {s.win_rate:.0%} vs random {s.baseline:.0%} (gap {s.gap:+.2f},"
                f" {s.games} games)"
            )
        return "\n".join(lines + (self._gate_text() if self.gate else []))

    def _gate_text(self) -> list[str]:
        assert self.gate is not None
        lines = []
        for rung in self.gate.ladder:
            e = rung.estimate
            lines.append(
                f"  skill ladder: {rung.strong} over {rung.weak} {e.value:+.2f}"
                f" [{e.low:+.2f}, {e.high:+.2f}], {e.games} games"
            )
        if self.gate.skill_trace is not None:
            lines.append(f"  skill trace {self.gate.skill_trace:+.2f} (the mean of the rungs)")
        for action, e in self.gate.duels.items():
            lines.append(f"  duel: always {action} against the skilled agent {e.value:+.2f}, {e.games} games")
        lines.append(f"  playable gate: {'PASS' if self.passed else 'FAIL'}")
        for c in self.gate.checks:
            verdict = "ok  " if c.passed else "warn" if c.advisory else "FAIL"
            lines.append(f"    {verdict} {c.name}: {c.measured} (needs {c.required}; {c.games} games)")
        return lines


def measure_design(
    design: GameDesign,
    *,
    games: int = 200,
    seed: int = 0,
    bots: Sequence[str] = ("random", "greedy"),
    skill_games: int = 40,
    players: int | None = None,
    max_turns: int = 400,
    processes: int = 1,
    executor: Executor | None = None,
) -> Playtest:
    """Play a validated design and measure it, without judging: `games` random playouts, Ludii's metrics,
    and each named bot's skill gap against random."""
    game = Tabletop.compile(design, players=players, max_turns=max_turns)
    report = playtest(game, games, seed, tuple(bots), skill_games, processes, executor)
    watched = survey(game, seed)
    report.clarity, report.interaction = watched.clarity, watched.interaction
    return Playtest(design.id, design.title, game.players, seed, report)


def playtest_design(
    design: GameDesign,
    *,
    games: int = 200,
    seed: int = 0,
    players: int | None = None,
    max_turns: int = 400,
    processes: int = 1,
    early: bool = False,
    executor: Executor | None = None,
) -> Playtest:
    """Play a validated design and judge it by the playable gate (gate.py): random playouts until its
    checks are decided (at most `games`), the skill ladder, dominance duels, interaction. `early`: the
    verdict alone (gate.judge), for a tuner's search, which needs the verdict, not every number."""
    game = Tabletop.compile(design, players=players, max_turns=max_turns)
    report, gate = judge(game, design.play_time_minutes, seed, games, processes, early, executor)
    return Playtest(design.id, design.title, game.players, seed, report, gate)
