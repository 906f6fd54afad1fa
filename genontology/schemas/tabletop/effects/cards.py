"""Effects on cards: drawing, discarding and playing them, and taking them from a market."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Literal

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


class FromHand(Ludeme):
    """Effects on cards of a deck held in hand: they need `count` of them (those drawn earlier in the action
    count) and let the player choose which one goes first. Declares no fields: each kind keeps its own."""

    if TYPE_CHECKING:  # not fields here: declaring them would put them before `kind` in the schema
        deck: str
        count: int

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": table.hand_choices(state, seat, self.deck)}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        if table.hand_size(state, seat, self.deck) + drawn[self.deck] < self.count:
            return False
        drawn[self.deck] -= self.count
        return True


class Discard(FromHand):
    """Discard cards from a hand to the deck's discard pile."""

    REFERENCES = (component_slot("deck", DECK, SHEDS),)
    kind: Literal["discard"]
    deck: Id = Field(description="Id of the deck whose cards are discarded.")
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"discard {self.count} {name(self.deck)} card(s)"

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.discard(state, seat, self.deck, self.count)


class Play(FromHand):
    """Play cards from hand; each card's own effects (if its card type lists any) then happen."""

    REFERENCES = (component_slot("deck", DECK, SHEDS, TRIGGERS),)
    kind: Literal["play"]
    deck: Id = Field(description="Id of the deck the played cards belong to.")
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"play {self.count} {name(self.deck)} card(s) and resolve them"

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
