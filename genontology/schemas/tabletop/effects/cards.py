"""Effects on cards: drawing, discarding and playing them (onto a face-up pile, following suit or rank),
naming a suit, and taking cards from a market."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from genontology.ontology.intervals import repeat
from genontology.ontology.narrowing import choice, narrow
from genontology.schemas.tabletop.effects.base import (
    CONSUMES,
    DECK,
    MARKET,
    PRODUCES,
    SHEDS,
    TRIGGERS,
    USES,
    Alike,
    Count,
    Delta,
    Drafting,
    Id,
    Ludeme,
    Name,
    Reach,
    Table,
    Tag,
    alike,
    cards,
    component_slot,
    held,
    untagged,
)
from genontology.schemas.tabletop.taxonomy import ComponentKind


class Draw(Ludeme):
    """Draw cards from a deck into hand."""

    REFERENCES = (component_slot("deck", DECK, CONSUMES),)
    kind: Literal["draw"]
    deck: Id = Field(description="Id of a deck component.")
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"draw {self.count} from {name(self.deck)}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        decks = d.ids(DECK)
        return [narrow(cls, deck=choice(decks))] if decks else []

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        drawn[self.deck] += min(
            self.count, table.pile_size(state, seat, self.deck)
        )  # always possible: it counts
        return True

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.draw(state, seat, self.deck, self.count)


class FromHand(Ludeme):
    """Effects on cards of a deck held in hand: they need `count` of them (those drawn earlier in the action
    count) and let the player choose which one goes first. Declares no fields: each kind keeps its own."""

    if TYPE_CHECKING:  # not fields here: declaring them would put them before `kind` in the schema
        deck: str
        count: int

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        decks = d.ids(DECK)
        return [narrow(cls, deck=choice(decks), **untagged(cls))] if decks else []

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": table.hand_choices(state, seat, self.deck)}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        if table.hand_size(state, seat, self.deck) + drawn[self.deck] < self.count:
            return False
        drawn[self.deck] -= self.count
        return True


class Discard(FromHand):
    """Discard cards from a hand to the deck's discard pile: any, those with a tag, or a set sharing one tag
    (the move's `tag` says which set)."""

    REFERENCES = (component_slot("deck", DECK, SHEDS),)
    kind: Literal["discard"]
    deck: Id = Field(description="Id of the deck whose cards are discarded.")
    count: Count = 1
    tag: Tag = None
    alike: Alike = False

    def sentence(self, name: Name) -> str:
        return f"discard {self.count} {cards(self, name)}"

    def sets(self) -> bool:
        return self.alike and not self.tag

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        if self.sets():
            return {"tag": alike(table, state, seat, self.deck, self.count)}
        return {"card": held(table, state, seat, self.deck, self.tag)}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        if self.sets():  # what a card drawn in the same action will show is not known: the hand must hold it
            return bool(alike(table, state, seat, self.deck, self.count))
        if self.tag:
            return len(held(table, state, seat, self.deck, self.tag)) >= self.count
        return super().feasible(table, state, seat, drawn)

    def apply(self, table: Table, state: Any, seat: int) -> None:
        tag = self.tag
        if self.sets():
            options = alike(table, state, seat, self.deck, self.count)
            if not options:
                return
            tag = table.chosen(state, "tag", options)
        table.discard(state, seat, self.deck, self.count, tag)


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

    def transfer(self, at: Reach) -> Delta:
        return repeat(at.card(self.deck), self.count)


class TakeFromMarket(Ludeme):
    """Take or buy items from a face-up market; bought cards join the player's cards."""

    REFERENCES = (
        component_slot("market", MARKET, CONSUMES, TRIGGERS),
        component_slot("into", DECK, PRODUCES),
    )
    kind: Literal["take_from_market"]
    market: Id = Field(description="Id of a market component.")
    count: Count = 1
    into: Id | None = Field(None, description="Id of the personal deck whose discard pile the card joins.")
    resolve: bool = Field(False, description="Whether the card's own effects happen as it is taken.")

    def sentence(self, name: Name) -> str:
        into = f" into your {name(self.into)} discard pile" if self.into else ""
        now = " and resolve it at once" if self.resolve else ""
        return f"take {self.count} from {name(self.market)}{into}{now}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        markets = d.ids(MARKET)
        return [narrow(cls, market=choice(markets))] if markets else []

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        """Some card on offer can be paid for; a card taken into hand can be played later in the action."""
        if not table.market_choices(state, seat, self.market):
            return False
        if not self.into:
            drawn[table.market_hand(self.market)] += self.count
        return True

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": table.market_choices(state, seat, self.market)}

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.take(state, seat, self.market, self.count, self.into, self.resolve)

    def transfer(self, at: Reach) -> Delta:
        return repeat(at.card(self.market, resolve=self.resolve, pay=True), self.count)


Rank = Annotated[int, Field(ge=0, le=40)]
CARD_TYPES = frozenset({ComponentKind.card, ComponentKind.tile})


class PlayToPile(Ludeme):
    """Play one card from hand face up onto the deck's discard pile, as shedding games do: it may have to
    follow the top card's suit or rank (or the suit named after a wild card), and may be limited to some ranks
    or barred for others (the wild ranks, played by their own action). The player chooses the card."""

    REFERENCES = (component_slot("deck", DECK, SHEDS, TRIGGERS),)
    kind: Literal["play_to_pile"]
    deck: Id = Field(description="Id of a suited deck.")
    follow: list[Literal["suit", "rank"]] = Field(
        default_factory=list, max_length=2, description="What the card must share with the pile's top card."
    )
    ranks: list[Rank] = Field(default_factory=list, max_length=13, description="Only cards of these ranks.")
    not_ranks: list[Rank] = Field(
        default_factory=list, max_length=13, description="Never cards of these ranks."
    )

    def sentence(self, name: Name) -> str:
        text = f"play a {name(self.deck)} card face up"
        if self.ranks:
            text = f"play a {name(self.deck)} card of rank {' or '.join(map(str, self.ranks))} face up"
        if self.follow:
            text += " matching the top card's " + " or ".join(self.follow)
        if self.not_ranks:
            text += f" (never rank {' or '.join(map(str, self.not_ranks))})"
        return text

    def playable(self, table: Table, state: Any, seat: int) -> list[str]:
        top = table.pile_top(state, self.deck)
        suit = table.named_suit(state, self.deck) or (table.suit_of(top) if top else None)
        cards = []
        for card in dict.fromkeys(table.hand_choices(state, seat, self.deck)):
            rank = table.rank_of(card)
            if (self.ranks and rank not in self.ranks) or rank in self.not_ranks:
                continue
            if (
                top
                and self.follow
                and not (
                    ("suit" in self.follow and table.suit_of(card) == suit)
                    or ("rank" in self.follow and rank == table.rank_of(top))
                )
            ):
                continue
            cards.append(card)
        return cards

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"card": self.playable(table, state, seat)}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return bool(self.playable(table, state, seat))

    def apply(self, table: Table, state: Any, seat: int) -> None:
        card = table.play_to_pile(state, seat, self.deck, self.playable(table, state, seat))
        if card:
            table.resolve_card(state, seat, card)

    def transfer(self, at: Reach) -> Delta:
        return at.card(self.deck)


class NameSuit(Ludeme):
    """Name the suit the next card played onto the deck's pile must follow (after a wild card)."""

    REFERENCES = (component_slot("deck", DECK, USES),)
    kind: Literal["name_suit"]
    deck: Id = Field(description="Id of a suited deck.")

    def sentence(self, name: Name) -> str:
        return f"name the suit to follow on {name(self.deck)}"

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"suit": table.suits(self.deck)}

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.name_suit(state, self.deck, table.suits(self.deck))


class GainCard(Ludeme):
    """Gain a card of a given type from the supply into your own deck's discard pile (buying a Province,
    gaining a Curse): the card comes back in a later hand."""

    REFERENCES = (component_slot("card", CARD_TYPES, USES), component_slot("into", DECK, PRODUCES))
    kind: Literal["gain_card"]
    card: Id = Field(description="Id of the card type gained.")
    into: Id = Field(description="Id of the personal deck it joins.")
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"gain {self.count} {name(self.card)} into your {name(self.into)} discard pile"

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.gain_card(state, seat, self.card, self.into, self.count)
