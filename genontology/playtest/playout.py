"""Playouts and what they measure, with Ludii's metric names where they fit.

`playtest(game, games=N, seed=S)` plays N seeded games with random agents (uniform over legal moves) and
reports completion, timeouts, duration, seat advantage and balance, drawishness, decision moves, branching,
and each action's share of play. Any Game (see game.py) can be played; nothing here knows a domain.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from genontology.playtest.game import PASS, Game, Outcome


@dataclass
class Playout:
    outcome: Outcome
    turns: int
    moves: int
    decisions: int  # moves with more than one legal option
    branching: float
    chosen: Counter[str] = field(default_factory=Counter)


def random_agent(game: Game, state: Any, rng: random.Random) -> str:
    return rng.choice(game.moves(state))


def play_one(game: Game, seed: int, max_moves: int = 5000) -> Playout:
    state = game.start(seed)
    rng = random.Random(seed + 1)
    moves = decisions = options = 0
    chosen: Counter[str] = Counter()
    while not game.over(state) and moves < max_moves:
        legal = game.moves(state)
        options += len(legal)
        decisions += len(legal) > 1
        move = rng.choice(legal)
        if move != PASS:
            chosen[move] += 1
        game.play(state, move)
        moves += 1
    outcome = game.outcome(state) if game.over(state) else Outcome((), False, "timeout")
    return Playout(outcome, getattr(state, "turns", 0), moves, decisions, options / max(moves, 1), chosen)


@dataclass
class Report:
    """Metrics over playouts (Ludii's names where they fit)."""

    games: int
    completion: float
    timeouts: float
    duration_turns: float
    duration_turns_sd: float
    duration_moves: float
    seat_wins: list[float]
    balance: float
    drawishness: float
    decision_moves: float
    branching: float
    action_share: dict[str, float]
    reasons: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def playtest(game: Game, games: int = 100, seed: int = 0) -> Report:
    runs = [play_one(game, seed + i) for i in range(games)]
    done = [r for r in runs if r.outcome.finished]
    wins = [0.0] * game.players
    draws = sum(r.outcome.draw for r in done)
    for r in done:
        for seat in r.outcome.winners:
            wins[seat] += 1 / len(r.outcome.winners)
    shares = [w / len(done) for w in wins] if done else [0.0] * game.players
    fair = 1 / game.players
    chosen = sum((r.chosen for r in runs), Counter())
    total = sum(chosen.values()) or 1
    turns = [r.turns for r in done] or [0]
    return Report(
        games=games,
        completion=len(done) / games,
        timeouts=1 - len(done) / games,
        duration_turns=statistics.fmean(turns),
        duration_turns_sd=statistics.pstdev(turns),
        duration_moves=statistics.fmean(r.moves for r in runs),
        seat_wins=[round(s, 3) for s in shares],
        balance=round(1 - max(abs(s - fair) for s in shares) / (1 - fair), 3) if game.players > 1 else 1.0,
        drawishness=draws / len(done) if done else 0.0,
        decision_moves=sum(r.decisions for r in runs) / max(sum(r.moves for r in runs), 1),
        branching=statistics.fmean(r.branching for r in runs),
        action_share={a: round(n / total, 3) for a, n in chosen.most_common()},
        reasons=dict(Counter(r.outcome.reason for r in runs)),
    )
