"""The state of a tabletop game in play: amounts, piles, hands, markets, tracks, the turn, and what the move
being resolved has chosen. Plain data; `Tabletop` (tabletop.py) gives it meaning."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class State:
    rng: random.Random
    own: list[dict[str, int]]
    shared: dict[str, int]
    bank: dict[str, int | None]
    hands: list[dict[str, list[str]]]
    draw: dict[str, list[str]]
    discard: dict[str, list[str]]
    market: dict[str, list[str]]
    track: list[dict[str, int]]
    presence: dict[str, Counter[int]]
    alive: list[bool]
    known: list[dict[str, Counter[str]]]  # per seat and deck: cards in hand all have seen (from a market)
    seat: int = 0
    phase: int = 0
    left: int = 0
    used: Counter[str] = field(default_factory=Counter)
    turns: int = 0
    rounds: int = 0
    actions: int = 0
    finished_first: int | None = None
    ended: str | None = None
    args: dict[str, str] = field(default_factory=dict)  # the move's choices while its action resolves
    rolled: dict[str, list[int]] = field(default_factory=dict)  # each die's faces at its last roll
    named: dict[str, str] = field(default_factory=dict)  # per deck: the suit named to follow on its pile
    first: int = 0  # the seat that took the first turn: a round ends when play comes back to it
    passes: int = 0  # consecutive turns in which the player to move could take no action
    trick: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # per deck: (seat, card) played
    broken: dict[str, set[str]] = field(default_factory=dict)  # per deck: suits played to tricks so far
    lead: int | None = None  # who takes the next turn out of order (a trick's taker leads)
    # Cards given but not yet received, as (from, to, deck, card): handed over when the round ends.
    gifts: list[tuple[int, int, str, str]] = field(default_factory=list)
    turn_over: bool = False  # an effect ended the turn: no further phase of it is played
    # Moves chosen in secret this round (simultaneous play), as (seat, move, the moves it chose among).
    pending: list[tuple[int, str, tuple[str, ...]]] = field(default_factory=list)
    scored: bool = False  # the final scoring has been added
    bids: list[tuple[int, object, int]] = field(default_factory=list)  # this round's (seat, auction, amount)
    trim: str | None = None  # the deck the seat to move is discarding down to its hand limit, ending its turn
    legal: list[str] | None = None  # the legal moves, once asked for, until the next move changes the state

    def copy(self, rng: random.Random) -> State:
        """An independent copy for search, drawing from `rng`, every draw pile reshuffled (order unknown)."""
        draw = {deck: list(pile) for deck, pile in self.draw.items()}
        for pile in draw.values():
            rng.shuffle(pile)
        return State(
            rng=rng,
            own=[dict(o) for o in self.own],
            shared=dict(self.shared),
            bank=dict(self.bank),
            hands=[{d: list(cards) for d, cards in h.items()} for h in self.hands],
            draw=draw,
            discard={d: list(p) for d, p in self.discard.items()},
            market={m: list(row) for m, row in self.market.items()},
            track=[dict(t) for t in self.track],
            presence={a: Counter(c) for a, c in self.presence.items()},
            alive=list(self.alive),
            known=[{d: Counter(c) for d, c in k.items()} for k in self.known],
            seat=self.seat,
            phase=self.phase,
            left=self.left,
            used=Counter(self.used),
            turns=self.turns,
            rounds=self.rounds,
            actions=self.actions,
            finished_first=self.finished_first,
            ended=self.ended,
            args=dict(self.args),
            rolled={d: list(faces) for d, faces in self.rolled.items()},
            named=dict(self.named),
            first=self.first,
            passes=self.passes,
            trick={d: list(t) for d, t in self.trick.items()},
            broken={d: set(b) for d, b in self.broken.items()},
            lead=self.lead,
            gifts=list(self.gifts),
            turn_over=self.turn_over,
            pending=list(self.pending),
            scored=self.scored,
            bids=list(self.bids),
            trim=self.trim,
        )
