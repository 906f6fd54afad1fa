"""Effects on cards: drawing, discarding and playing them, and taking them from a market."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import Field

from genontology.schemas.tabletop.effects.base import (
    CONSUMES,
    DECK,
    MARKET,
    SHEDS,
    TRIGGERS,
    Count,
    Id,
    Ludeme,
    Name,
    Table,
    component_slot,
)


class Draw(Ludeme):
    """Draw cards from a deck into hand."""

    REFERENCES = (component_slot("deck", DECK, CONSUMES),)
    kind: Literal["draw"]
    deck: Id = Field(description="Id of a deck component.")
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"draw {self.count} from {name(self.deck)}"

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        drawn[self.deck] += min(self.count, table.pile_size(state, self.deck))  # always possible: it counts
        return True

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.draw(state, seat, self.deck, self.count)


def _in_hand(deck: str, count: int, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
    """`count` cards of `deck` in hand, those drawn earlier in the action included; they are used up."""
    if table.hand_size(state, seat, deck) + drawn[deck] < count:
        return False
    drawn[deck] -= count
    return True


class Discard(Ludeme):
    """Discard cards from a hand to the deck's discard pile."""

    REFERENCES = (component_slot("deck", DECK, SHEDS),)
    kind: Literal["discard"]
    deck: Id = Field(description="Id of the deck whose cards are discarded.")
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"discard {self.count} {name(self.deck)} card(s)"

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return _in_hand(self.deck, self.count, table, state, seat, drawn)

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": table.hand_choices(state, seat, self.deck)}

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.discard(state, seat, self.deck, self.count)


class Play(Ludeme):
    """Play cards from hand; each card's own effects (if its card type lists any) then happen."""

    REFERENCES = (component_slot("deck", DECK, SHEDS, TRIGGERS),)
    kind: Literal["play"]
    deck: Id = Field(description="Id of the deck the played cards belong to.")
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"play {self.count} {name(self.deck)} card(s) and resolve them"

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return _in_hand(self.deck, self.count, table, state, seat, drawn)

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": table.hand_choices(state, seat, self.deck)}

    def apply(self, table: Table, state: Any, seat: int) -> None:
        for card in table.discard(state, seat, self.deck, self.count):
            table.resolve_card(state, seat, card)


class TakeFromMarket(Ludeme):
    """Take or buy items from a face-up market; bought cards join the player's cards."""

    REFERENCES = (component_slot("market", MARKET, CONSUMES, TRIGGERS),)
    kind: Literal["take_from_market"]
    market: Id = Field(description="Id of a market component.")
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"take {self.count} from {name(self.market)}"

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return table.market_open(state, self.market)

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": table.market_choices(state, seat, self.market)}

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.take(state, seat, self.market, self.count)
