"""What a simulator needs from a domain: a game it can play. Plain protocol, no inheritance required.

A game is a state machine: `start(seed)` gives a state, `moves(state)` the legal moves of the player to act,
`play(state, move)` advances it, and `outcome(state)` says who won once `over(state)`. A move is a readable
string: an action, and the choices it makes as arguments (`buy(card=ruby_mine)`, `attack(target=seat_2)`;
`move_text` and `parse_move`); everything random draws from the state's own seeded generator.
`score(state, seat)` is what victory counts (for bots that look ahead and for lead changes);
`clone(state, rng, seat)` is a copy to search on as `seat` sees it: what that seat cannot know (hidden order,
other seats' hidden cards, their secret choices) redrawn from `rng`; `settle(state, seat)` resolves the seat's
own secret choice on such a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from genontology.ontology.errors import GenontologyError

PASS = "__pass__"  # the move when nothing else is legal: the turn goes on without an action
DISCARD_DOWN = "discard_down"  # the engine's own move: a card chosen to discard down to a hand limit


def move_text(action: str, arguments: dict[str, str] | None = None) -> str:
    """The stable, readable form of a move: `action`, or `action(key=value, ...)` with keys in order."""
    if not arguments:
        return action
    return f"{action}({', '.join(f'{k}={arguments[k]}' for k in sorted(arguments))})"


def parse_move(move: str) -> tuple[str, dict[str, str]]:
    """The action and the arguments of a move written by `move_text`."""
    action, _, rest = move.partition("(")
    if not rest:
        return action, {}
    pairs = (item.split("=", 1) for item in rest.rstrip(")").split(", "))
    return action, {key: value for key, value in pairs}


def action_of(move: str) -> str:
    return move.partition("(")[0]


def arguments_text(move: str) -> str:
    """The arguments of a move as written (`card=ruby_mine`), or "" for a move without choices."""
    return move.partition("(")[2].rstrip(")")


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

    def clone(self, state: Any, rng: Any, seat: int | None = None) -> Any: ...

    def settle(self, state: Any, seat: int) -> None:
        """Resolve now what `seat` has chosen in secret (simultaneous play), so that a one-step lookahead on a
        copy sees its own choice's effect; nothing in a game without secret choices."""


class UnplayableDesign(GenontologyError, ValueError):
    """A design the simulator must not interpret: it has structural errors (a dangling reference, say)."""
