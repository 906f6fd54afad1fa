"""Players for simulated games: random, greedy (one-step lookahead) and flat Monte Carlo search.

A bot is any callable `(game, state, rng) -> move`. Bots that look ahead play on
`game.clone(state, rng, seat)`, a copy of what the seat to move can know: draw order and the other seats'
hidden cards are redrawn, so search never peeks at cards it could not know. Every choice draws from the rng it
is given: a seeded playout is reproducible whatever bots sit at it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from genontology.playtest.game import Game, action_of

Bot = Callable[[Game, Any, random.Random], str]
WIN = 1e6  # a move that wins outranks any score difference


def random_bot(game: Game, state: Any, rng: random.Random) -> str:
    """Uniform over the legal moves: the baseline every metric is measured against."""
    return rng.choice(game.moves(state))


def standing(game: Game, state: Any, seat: int) -> float:
    """How well `seat` is doing: its score, less the best opponent's in a competitive game."""
    own = game.score(state, seat)
    if game.cooperative or game.players == 1:
        return own
    return own - max(game.score(state, s) for s in range(game.players) if s != seat)


def greedy_bot(game: Game, state: Any, rng: random.Random) -> str:
    """One-step lookahead: the move after which `standing` is best; a win first, a loss last."""
    legal = game.moves(state)
    if len(legal) == 1:
        return legal[0]
    seat = game.to_move(state)
    values = []
    for move in legal:
        after = game.clone(state, rng, seat)
        game.play(after, move)
        game.settle(after, seat)  # a secret choice counts at once, as its chooser knows it
        if game.over(after):
            won = seat in game.outcome(after).winners
            values.append(WIN if won else -WIN)
        else:
            values.append(standing(game, after, seat))
    best = max(values)
    return rng.choice([m for m, v in zip(legal, values, strict=True) if v == best])


class MonteCarloBot:
    """Flat Monte Carlo search with UCB1 over the root moves.

    `rollouts` random continuations per decision are shared out among the legal moves by UCB1; each runs to
    the end or to `horizon` moves, then counts as a win share (1 for a win, 1/k for a k-way tie) or, when
    unfinished, as the seat's rank among the players. The move with the best mean is played.
    """

    def __init__(self, rollouts: int = 24, horizon: int = 60, exploration: float = 1.4) -> None:
        self.rollouts, self.horizon, self.exploration = rollouts, horizon, exploration

    def __call__(self, game: Game, state: Any, rng: random.Random) -> str:
        legal = game.moves(state)
        if len(legal) == 1:
            return legal[0]
        seat = game.to_move(state)
        visits, total = [0] * len(legal), [0.0] * len(legal)
        for n in range(self.rollouts):
            if n < len(legal):
                i = n
            else:
                log_n = math.log(n)
                i = max(
                    range(len(legal)),
                    key=lambda j: total[j] / visits[j] + self.exploration * math.sqrt(log_n / visits[j]),
                )
            visits[i] += 1
            total[i] += self._rollout(game, state, legal[i], seat, rng)
        best = max(range(len(legal)), key=lambda j: (total[j] / max(visits[j], 1), visits[j]))
        return legal[best]

    def _rollout(self, game: Game, state: Any, move: str, seat: int, rng: random.Random) -> float:
        sim = game.clone(state, rng, seat)
        game.play(sim, move)
        for _ in range(self.horizon):
            if game.over(sim):
                break
            game.play(sim, rng.choice(game.moves(sim)))
        if game.over(sim):
            winners = game.outcome(sim).winners
            if seat not in winners:
                return 0.0
            return 1.0 if game.cooperative else 1 / len(winners)
        if game.cooperative or game.players == 1:
            return 0.5
        mine = game.score(sim, seat)
        others = [game.score(sim, s) for s in range(game.players) if s != seat]
        return sum(1.0 if mine > o else 0.5 if mine == o else 0.0 for o in others) / len(others) * 0.5 + 0.25


BOTS: dict[str, Callable[[], Bot]] = {
    "random": lambda: random_bot,
    "greedy": lambda: greedy_bot,
    "mcts": MonteCarloBot,
}


def always(action: str) -> Bot:
    """Plays `action` whenever it is legal (with its choices at random), otherwise at random: the probe for a
    dominant action."""

    def bot(game: Game, state: Any, rng: random.Random) -> str:
        legal = game.moves(state)
        mine = [m for m in legal if action_of(m) == action]  # with any of its arguments
        return mine[0] if len(mine) == 1 else rng.choice(mine or legal)

    return bot


def make_bot(name: str) -> Bot:
    """A bot by name: random, greedy, mcts, or always:ACTION; a ValueError names the ones that exist."""
    if name.startswith("always:"):
        return always(name.removeprefix("always:"))
    if name not in BOTS:
        raise ValueError(f"unknown bot {name!r}; choose from {', '.join(BOTS)} or always:ACTION")
    return BOTS[name]()
