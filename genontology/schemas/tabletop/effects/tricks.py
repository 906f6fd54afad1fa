"""Trick taking and passing cards: one card each to a trick, following the led suit, the highest of the led
suit (or of trumps) taking it and its points and leading the next; and cards given to a neighbour, revealed
when the round ends (everyone chooses before anyone receives)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import Field

from genontology.schemas.tabletop.effects.base import (
    DECK,
    PRODUCES,
    SHEDS,
    Id,
    Ludeme,
    Name,
    Node,
    Table,
    component_slot,
    resource_slot,
)


class CardPoints(Node):
    """What a card is worth to whoever takes it: every card of a suit, every card of a rank, or one card."""

    suit: Id | None = Field(None, description="The suit counted (none: any suit).")
    rank: int | None = Field(None, ge=0, le=40, description="The rank counted (none: any rank).")
    points: int = Field(ge=-99, le=99)

    def counts(self, suit: str | None, rank: int | None) -> bool:
        return (self.suit is None or self.suit == suit) and (self.rank is None or self.rank == rank)

    def phrase(self) -> str:
        if self.rank is not None and self.suit:
            return f"{self.points} for the {self.rank} of {self.suit}"
        if self.rank is not None:
            return f"{self.points} for each {self.rank}"
        return f"{self.points} for each card of {self.suit}" if self.suit else f"{self.points} for each card"


class PlayToTrick(Ludeme):
    """Play one card from hand to the current trick. The leader may lead any card (a suit in `unbroken` only
    once that suit has been played, or when nothing else is held); the others follow the led suit if they
    can. When every player has played, the highest card of the led suit, or the highest trump, takes the
    trick: its taker gains the points its cards are worth and leads the next trick."""

    REFERENCES = (component_slot("deck", DECK, SHEDS), resource_slot("resource", PRODUCES))
    kind: Literal["play_to_trick"]
    deck: Id = Field(description="Id of a suited deck.")
    trump: Id | None = Field(None, description="The trump suit, if any.")
    unbroken: list[Id] = Field(
        default_factory=list, max_length=2, description="Suits that may not be led until one has been played."
    )
    resource: Id | None = Field(None, description="Id of the resource a trick's points go to, if any.")
    points: Annotated[list[CardPoints], Field(max_length=4)] = Field(
        default_factory=list, description="What the cards of a trick are worth to its taker."
    )
    per_trick: int = Field(0, ge=-9, le=9, description="What taking a trick is worth, whatever its cards.")

    def sentence(self, name: Name) -> str:
        text = f"play a {name(self.deck)} card to the trick, following the led suit if you can"
        if self.unbroken:
            text += f" ({' and '.join(self.unbroken)} may not be led until played)"
        if self.trump:
            text += f"; {self.trump} are trumps"
        worth = [f"{self.per_trick} for the trick"] if self.per_trick else []
        worth += [p.phrase() for p in self.points]
        if self.resource and worth:
            text += f"; the taker of a trick scores {name(self.resource)}: {', '.join(worth)}"
        return text + "; the taker leads next"

    def playable(self, table: Table, state: Any, seat: int) -> list[str]:
        hand = list(dict.fromkeys(table.hand_choices(state, seat, self.deck)))
        trick = table.trick(state, self.deck)
        if trick:
            led = table.suit_of(trick[0][1])
            following = [c for c in hand if table.suit_of(c) == led]
            return following or hand
        broken = table.broken(state, self.deck)
        open_ = [c for c in hand if table.suit_of(c) not in self.unbroken or table.suit_of(c) in broken]
        return open_ or hand

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": self.playable(table, state, seat)}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return bool(self.playable(table, state, seat))

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.play_to_trick(state, seat, self.deck, self.playable(table, state, seat))
        trick = table.trick(state, self.deck)
        if len(trick) < sum(table.alive(state, s) for s in table.seats(state)):
            return
        led = table.suit_of(trick[0][1])

        def strength(card: str) -> tuple[int, int]:
            suit, rank = table.suit_of(card), table.rank_of(card) or 0
            return (2 if suit == self.trump else 1 if suit == led else 0, rank)

        taker = max(trick, key=lambda played: strength(played[1]))[0]
        worth = self.per_trick + sum(
            p.points
            for _, card in trick
            for p in self.points
            if p.counts(table.suit_of(card), table.rank_of(card))
        )
        if self.resource and worth:
            table.gain(state, taker, self.resource, worth)
        table.close_trick(state, self.deck, taker)


class Give(Ludeme):
    """Give a card from hand to a neighbour. Gifts are set aside and handed over when the round ends, so
    everyone chooses before anyone receives (passing cards, drafting)."""

    REFERENCES = (component_slot("deck", DECK, SHEDS),)
    kind: Literal["give"]
    deck: Id = Field(description="Id of the deck whose card is given.")
    to: Literal["left", "right", "across"] = Field(
        "left", description="Who receives it: the next player, the previous one, or the one opposite."
    )

    def sentence(self, name: Name) -> str:
        whom = {"left": "on your left", "right": "on your right", "across": "opposite you"}[self.to]
        return f"choose a {name(self.deck)} card to give to the player {whom} (handed over at round end)"

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": table.hand_choices(state, seat, self.deck)}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return table.hand_size(state, seat, self.deck) + drawn[self.deck] > 0

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.give(state, seat, self.deck, self.to)


class PassHand(Ludeme):
    """Pass the rest of your hand of a deck to a neighbour, set aside until the round ends, so that everyone
    picks from a hand before anyone receives the next (drafting: pick one, pass the rest)."""

    REFERENCES = (component_slot("deck", DECK, SHEDS),)
    kind: Literal["pass_hand"]
    deck: Id = Field(description="Id of the deck whose hand is passed.")
    to: Literal["left", "right"] = Field(
        "left", description="Who receives it: the next player or the previous."
    )

    def sentence(self, name: Name) -> str:
        return f"pass the rest of your {name(self.deck)} hand to the player on your {self.to} (at round end)"

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.pass_hand(state, seat, self.deck, self.to)


__all__ = ["CardPoints", "Give", "PassHand", "PlayToTrick"]
