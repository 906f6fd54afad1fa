"""What a simulator needs from a domain: a game it can play. Plain protocol, no inheritance required.

A game is a state machine: `start(seed)` gives a state, `moves(state)` the legal moves of the player to act,
`play(state, move)` advances it, and `outcome(state)` says who won once `over(state)`. Moves are small
hashable values (action ids here); everything random draws from the state's own seeded generator.
`score(state, seat)` is what victory counts (for bots that look ahead and for lead changes);
`clone(state, rng)` is a copy to search on, with hidden order reshuffled from `rng`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from genontology.ontology.errors import GenontologyError

PASS = "__pass__"  # the move when nothing else is legal: the turn goes on without an action


@dataclass(frozen=True)
class Outcome:
    """How a playout ended: winner seats (all seats for a cooperative win, none for a loss or timeout)."""

    winners: tuple[int, ...]
    finished: bool
    reason: str
    draw: bool = False  # several players tied for the win in a competitive game


class Game(Protocol):
    players: int
    cooperative: bool  # all seats win or lose together

    def start(self, seed: int) -> Any: ...

    def to_move(self, state: Any) -> int: ...

    def moves(self, state: Any) -> list[str]: ...

    def play(self, state: Any, move: str) -> None: ...

    def over(self, state: Any) -> bool: ...

    def outcome(self, state: Any) -> Outcome: ...

    def score(self, state: Any, seat: int) -> float: ...

    def turns(self, state: Any) -> int: ...

    def clone(self, state: Any, rng: Any) -> Any: ...


class UnplayableDesign(GenontologyError, ValueError):
    """A design the simulator must not interpret: it has structural errors (a dangling reference, say)."""
