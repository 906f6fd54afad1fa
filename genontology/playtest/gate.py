"""The playable gate: the checks a design must pass in simulation, each with what was measured.

Thresholds, and why:
- completes: at least 90% of random playouts end within the caps (Ludii's Completion).
- length: mean turns between `minutes / 5` and `minutes * 6`: a turn takes 10 s (a quick card game) to
  5 min at the table. Random play runs long, so this is generous on purpose.
- balance: among equal (random) bots no seat wins more than 65% (competitive games only).
- skill: the best skilled bot beats the random seat's win rate on the same seeds by at least 0.05; a gap
  inside the noise of a few dozen games is not evidence that skill matters.
- no dominant action: no player who always plays one action (whenever legal) beats the skilled bot in the
  same games by more than the noise (one standard error of the difference of win rates). Counting the
  winner's most played action instead, as first proposed, failed every design whose main move is one
  action (a draft, a word, a card) without finding any dominance.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from genontology.playtest.playout import Report

MIN_COMPLETION = 0.9
MAX_SEAT_WINS = 0.65
MIN_SKILL_GAP = 0.05
TURN_SECONDS = (10, 300)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    measured: str
    required: str


@dataclass(frozen=True)
class Gate:
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "checks": [asdict(c) for c in self.checks]}


def playable(report: Report, minutes: int, cooperative: bool = False) -> Gate:
    """Check a report against the gate; `minutes` is the design's stated play time."""
    low, high = minutes * 60 / TURN_SECONDS[1], minutes * 60 / TURN_SECONDS[0]
    checks = [
        Check(
            "completes",
            report.completion >= MIN_COMPLETION,
            f"{report.completion:.0%}",
            f">= {MIN_COMPLETION:.0%}",
        ),
        Check(
            "length",
            report.completion > 0 and low <= report.duration_turns <= high,
            f"{report.duration_turns:.1f} turns",
            f"{low:g}-{high:g} turns for {minutes} min",
        ),
    ]
    if not cooperative and report.players > 1:
        top = max(report.seat_wins)
        checks.append(
            Check("balance", top <= MAX_SEAT_WINS, f"best seat wins {top:.0%}", f"<= {MAX_SEAT_WINS:.0%}")
        )
    best = report.best_skill
    checks.append(
        Check(
            "skill",
            best is not None and best.gap >= MIN_SKILL_GAP,
            f"{best.bot} {best.gap:+.2f}" if best else "no skilled bot played",
            f">= +{MIN_SKILL_GAP}",
        )
    )
    dominant = [d for d in report.duels.values() if d.dominant]
    checks.append(
        Check(
            "no dominant action",
            best is not None and not dominant,
            ", ".join(
                f"always {d.action} {d.always_wins:.0%} vs skilled {d.skilled_wins:.0%}" for d in dominant
            )
            or ("none" if best else "not probed"),
            "always-one-action not above skilled",
        )
    )
    return Gate(tuple(checks))
