"""Ludii's game metrics over playouts (Browne's definitions, as Ludii's `metrics` package computes them), with
a state's evaluation taken to be each seat's score, since that is what a design's victory counts.

Where ours differ from Ludii's: Ludii evaluates a state with its AI's heuristics, we with the score; our
decisiveness and drama are measured per turn (a turn's end), not per move; clarity evaluates each legal
move by the score lead one move later (what the greedy bot sees), not by an MCTS search. Interaction is ours:
Ludii has no measure of it.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from genontology.playtest.bots import standing
from genontology.playtest.game import Game, action_of

if TYPE_CHECKING:
    from genontology.playtest.playout import Playout

CLEAR = 0.75  # Ludii's narrowness counts the moves evaluated in the top quarter of the range


def _decided(runs: Sequence[Playout]) -> list[tuple[int, list[tuple[float, ...]]]]:
    """(the winner, the score history) of every finished game with a single winner, among several seats."""
    return [
        (r.outcome.winners[0], r.history)
        for r in runs
        if r.outcome.finished and len(r.outcome.winners) == 1 and r.history and len(r.history[0]) > 1
    ]


def drama(runs: Sequence[Playout]) -> float:
    """How far behind the eventual winner was, on average over the turns it trailed: the leader's score less
    the winner's, over the largest score of the game (0: the winner led all the way)."""
    per_game = []
    for winner, history in _decided(runs):
        top = max(max(abs(x) for x in scores) for scores in history) or 1.0
        behind = [(max(s) - s[winner]) / top for s in history if max(s) > s[winner]]
        per_game.append(statistics.fmean(behind) if behind else 0.0)
    return round(statistics.fmean(per_game), 3) if per_game else 0.0


def _lead(scores: tuple[float, ...], seat: int, top: float) -> float:
    return (scores[seat] - max(x for i, x in enumerate(scores) if i != seat)) / top


def decisiveness(runs: Sequence[Playout]) -> tuple[float, float]:
    """(threshold, moves): the largest lead a player who went on to lose ever held, over the game's largest
    score; and the share of the game's turns after the winner's lead first exceeded that threshold (small:
    the result stays open until the end)."""
    thresholds, shares = [], []
    for winner, history in _decided(runs):
        top = max(max(abs(x) for x in scores) for scores in history) or 1.0
        losers = [_lead(s, seat, top) for s in history for seat in range(len(s)) if seat != winner]
        threshold = max(losers)
        after = next((i for i, s in enumerate(history) if _lead(s, winner, top) > threshold), len(history))
        thresholds.append(threshold)
        shares.append((len(history) - after) / len(history))
    if not thresholds:
        return 0.0, 0.0
    return round(statistics.fmean(thresholds), 3), round(statistics.fmean(shares), 3)


@dataclass(frozen=True)
class Survey:
    """What a few random games show move by move (metrics that need more than the playouts' records)."""

    clarity: float  # Ludii's narrowness: see `survey`
    interaction: float  # the share of moves that change another seat's score or holdings
    contested: frozenset[str]  # actions that were legal beside another action at some choice


def survey(game: Game, seed: int, games: int = 5, max_moves: int = 2000) -> Survey:
    """Random games watched move by move.

    Clarity (Ludii's narrowness): at each real choice, the share of legal moves whose evaluation (the mover's
    score lead after the move) lies in the top quarter of the range of the moves' evaluations; averaged over
    the choices where the moves differ at all. Near 1/k for k moves: one move stands out; near 1: no move
    is clearly better. Interaction: how often a move changes what another seat scores or holds (direct
    interaction; racing for a shared supply or market is not counted). Contested actions: the actions a
    player ever had to choose between, the only ones whose restriction ("always X") is a strategy at all."""
    worth = getattr(game, "holdings", None)

    def others(state: Any, seat: int) -> list[tuple[float, float]]:
        return [
            (game.score(state, s), worth(state, s) if worth else 0.0)
            for s in range(game.players)
            if s != seat
        ]

    shares: list[float] = []
    touched = moves = 0
    contested: set[str] = set()
    for g in range(games):
        state, rng = game.start(seed + g), random.Random(seed + g + 1)
        for _ in range(max_moves):
            if game.over(state):
                break
            legal, seat = game.moves(state), game.to_move(state)
            if len(legal) > 1:
                shares += _narrowness(game, state, legal, seat, rng)
                kinds = {action_of(m) for m in legal}
                contested |= kinds if len(kinds) > 1 else set()
            before = others(state, seat)
            game.play(state, rng.choice(legal))
            touched += others(state, seat) != before
            moves += 1
    return Survey(
        round(statistics.fmean(shares), 3) if shares else 1.0,
        round(touched / max(moves, 1), 3),
        frozenset(contested),
    )


def _narrowness(game: Game, state: Any, legal: list[str], seat: int, rng: random.Random) -> list[float]:
    values = []
    for move in legal:
        after = game.clone(state, rng, seat)
        game.play(after, move)
        values.append(standing(game, after, seat))
    low, high = min(values), max(values)
    if high == low:
        return []
    cut = low + CLEAR * (high - low)
    return [sum(v >= cut for v in values) / len(values)]
