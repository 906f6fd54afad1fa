"""Players for simulated games: random, greedy (one-step lookahead), flat Monte Carlo search and
information-set Monte Carlo tree search.

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

from genontology.playtest.game import Game, action_of, parse_move

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


def play_out(game: Game, state: Any, rng: random.Random, horizon: int) -> None:
    """Random moves until the game ends or `horizon` moves are played."""
    for _ in range(horizon):
        if game.over(state):
            return
        game.play(state, rng.choice(game.moves(state)))


def rollout_value(game: Game, state: Any, seat: int) -> float:
    """What a rollout's end is worth to `seat`: a win share (1 for a win, 1/k for a k-way tie, 0 for a loss)
    or, unfinished, its rank among the players by what victory counts, between 0.25 and 0.75."""
    if game.over(state):
        winners = game.outcome(state).winners
        if seat not in winners:
            return 0.0
        return 1.0 if game.cooperative else 1 / len(winners)
    if game.cooperative or game.players == 1:
        return 0.5
    mine = game.score(state, seat)
    others = [game.score(state, s) for s in range(game.players) if s != seat]
    return sum(1.0 if mine > o else 0.5 if mine == o else 0.0 for o in others) / len(others) * 0.5 + 0.25


class MonteCarloBot:
    """Flat Monte Carlo search with UCB1 over the root moves (no tree: `flat-mc`).

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
        play_out(game, sim, rng, self.horizon)
        return rollout_value(game, sim, seat)


class _Node:
    """A move in the search tree: who made it, how often it was tried and available, and what it earned its
    mover."""

    __slots__ = ("available", "children", "move", "mover", "total", "visits")

    def __init__(self, move: str | None = None, mover: int = -1) -> None:
        self.move, self.mover = move, mover
        self.children: dict[str, _Node] = {}
        self.visits, self.available, self.total = 0, 0, 0.0


class InformationSetMCTS:
    """Single-observer information-set MCTS (Cowling, Powley and Whitehouse, 2012): a real tree over the moves
    of every seat, searched from what the seat to move can know.

    Each of `iterations` (a budget in iterations, not seconds, so that a seeded game is reproducible)
    determinizes: it samples what the seat cannot see (`game.clone(state, rng, seat)`: draw order, other
    hands, secret choices), never peeking. It then descends the tree by UCT among the moves legal in that
    sample (a child's exploration term counts how often it was available, not its parent's visits), adds one
    new node, plays randomly for at most `horizon` moves, and credits each node on the path with what the end
    is worth to the seat that moved into it (`rollout_value`: a win share, or standing when unfinished). The
    most visited root move is played."""

    def __init__(self, iterations: int = 200, horizon: int = 60, exploration: float = 0.7) -> None:
        self.iterations, self.horizon, self.exploration = iterations, horizon, exploration

    def __call__(self, game: Game, state: Any, rng: random.Random) -> str:
        legal = game.moves(state)
        if len(legal) == 1:
            return legal[0]
        seat = game.to_move(state)
        root = _Node()
        for _ in range(self.iterations):
            sim = game.clone(state, rng, seat)
            path = self._descend(game, sim, root, rng)
            play_out(game, sim, rng, self.horizon)
            values = {s: rollout_value(game, sim, s) for s in {n.mover for n in path}}
            for node in path:
                node.visits += 1
                node.total += values[node.mover]
        tried = [root.children[m] for m in legal if m in root.children]
        return max(tried, key=lambda n: (n.visits, n.total)).move or legal[0]

    def _descend(self, game: Game, sim: Any, root: _Node, rng: random.Random) -> list[_Node]:
        """Selection and expansion on one determinization; the nodes passed, root excluded."""
        node, path = root, []
        while not game.over(sim):
            moves, mover = game.moves(sim), game.to_move(sim)
            for move in moves:
                if move in node.children:
                    node.children[move].available += 1
            untried = [m for m in moves if m not in node.children]
            if untried:
                move = rng.choice(untried)
                child = node.children[move] = _Node(move, mover)
                child.available = 1
                game.play(sim, move)
                path.append(child)
                return path
            node = max((node.children[m] for m in moves), key=self._uct)
            game.play(sim, node.move or "")
            path.append(node)
        return path

    def _uct(self, node: _Node) -> float:
        return node.total / node.visits + self.exploration * math.sqrt(math.log(node.available) / node.visits)


BOTS: dict[str, Callable[[], Bot]] = {
    "random": lambda: random_bot,
    "greedy": lambda: greedy_bot,
    "flat-mc": MonteCarloBot,
    "ismcts": InformationSetMCTS,
}


def _leader(game: Game, state: Any, moves: list[str], rng: random.Random) -> str:
    """The move aimed at the seat with the highest score (`target=seat_k`), ties at random."""

    def aimed(move: str) -> float:
        target = parse_move(move)[1].get("target", "")
        seat = int(target.removeprefix("seat_")) if target.startswith("seat_") else -1
        return game.score(state, seat) if 0 <= seat < game.players else -math.inf

    best = max(map(aimed, moves))
    return rng.choice([m for m in moves if aimed(m) == best])


def _cheapest(game: Game, state: Any, moves: list[str], rng: random.Random) -> str:
    """The move after which the mover holds the most (`game.holdings`, else its score): it spent least."""
    seat = game.to_move(state)
    worth = getattr(game, "holdings", game.score)
    values = []
    for move in moves:
        after = game.clone(state, rng, seat)
        game.play(after, move)
        values.append(worth(after, seat))
    best = max(values)
    return rng.choice([m for m, v in zip(moves, values, strict=True) if v == best])


def _any(game: Game, state: Any, moves: list[str], rng: random.Random) -> str:
    return rng.choice(moves)


# How a restricted agent picks among the moves of its action: `always:ACTION[:PATTERN]`.
PATTERNS: dict[str, Callable[[Game, Any, list[str], random.Random], str]] = {
    "any": _any,
    "leader": _leader,
    "cheapest": _cheapest,
}


def always(action: str, pattern: str = "any") -> Bot:
    """Plays `action` whenever it is legal, choosing among its arguments by `pattern` (any: at random;
    leader: aimed at the leading seat; cheapest: the one that spends least), otherwise at random: the
    restricted agents that probe for a dominant strategy."""
    pick = PATTERNS[pattern]

    def bot(game: Game, state: Any, rng: random.Random) -> str:
        legal = game.moves(state)
        mine = [m for m in legal if action_of(m) == action]  # with any of its arguments
        if len(mine) == 1:
            return mine[0]
        return pick(game, state, mine, rng) if mine else rng.choice(legal)

    return bot


SEARCHERS: dict[str, Callable[[int], Bot]] = {
    "ismcts": lambda n: InformationSetMCTS(iterations=n),
    "flat-mc": lambda n: MonteCarloBot(rollouts=n),
}


def make_bot(name: str) -> Bot:
    """A bot by name: random, greedy, flat-mc, ismcts (`ismcts:N`, `flat-mc:N`: a budget of N iterations or
    rollouts a move) or always:ACTION[:PATTERN] (PATTERN: any, leader, cheapest); a ValueError names the
    others."""
    if name.startswith("always:"):
        action, _, pattern = name.removeprefix("always:").partition(":")
        if pattern and pattern not in PATTERNS:
            raise ValueError(f"unknown pattern {pattern!r} in {name!r}; choose from {', '.join(PATTERNS)}")
        return always(action, pattern or "any")
    searcher, _, budget = name.partition(":")
    if searcher in SEARCHERS and budget.isdigit() and int(budget) > 0:
        return SEARCHERS[searcher](int(budget))
    if name not in BOTS:
        raise ValueError(
            f"unknown bot {name!r}; choose from {', '.join(BOTS)}, ismcts:N, flat-mc:N or always:ACTION"
        )
    return BOTS[name]()
