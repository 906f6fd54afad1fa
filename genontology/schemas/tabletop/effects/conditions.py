"""Conditions as ludemes: what an action requires (preconditions), when the game ends, and who wins.

Each says what it names and how the rulebook says it (`Term`), and its meaning in play: a precondition
whether it `holds` for the acting seat; an end condition whether play has `reached` it; a victory condition
how a seat `stands` by it and whether it `decides` the winners outright.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from genontology.ontology.narrowing import choice, narrow, one_of
from genontology.schemas.tabletop.effects.base import (
    AREAS,
    DECK,
    DICE,
    REQUIRES,
    TRACK,
    Alike,
    Amount,
    Count,
    Drafting,
    Id,
    Name,
    Table,
    Tag,
    Term,
    alike,
    cards,
    component_slot,
    held,
    resource_slot,
)
from genontology.schemas.tabletop.taxonomy import PLACE_KINDS


# Preconditions --------------------------------------------------------------------------------------------
class Requirement(Term):
    """A precondition of an action: the action is legal only while it holds for the acting seat."""

    def holds(self, table: Table, state: Any, seat: int) -> bool:
        raise NotImplementedError


class ResourceAtLeast(Requirement):
    """The acting player holds at least `amount` of a resource."""

    REFERENCES = (resource_slot("resource", REQUIRES),)
    kind: Literal["resource_at_least"]
    resource: Id
    amount: Amount

    def sentence(self, name: Name) -> str:
        return f"you have at least {self.amount} {name(self.resource)}"

    def holds(self, table: Table, state: Any, seat: int) -> bool:
        return table.amount(state, seat, self.resource) >= self.amount


class HandAtLeast(Requirement):
    """The acting player holds at least `count` cards of a deck: any, those with a tag, or that many sharing
    one tag (a set of one colour)."""

    REFERENCES = (component_slot("deck", DECK, REQUIRES),)
    kind: Literal["hand_at_least"]
    deck: Id
    count: Count = 1
    tag: Tag = None
    alike: Alike = False

    def sentence(self, name: Name) -> str:
        return f"you hold at least {self.count} {cards(self, name)}"

    def holds(self, table: Table, state: Any, seat: int) -> bool:
        if self.alike and not self.tag:
            return bool(alike(table, state, seat, self.deck, self.count))
        return len(held(table, state, seat, self.deck, self.tag)) >= self.count


class SpaceFree(Requirement):
    """An area or action space is not occupied (exclusive placement)."""

    REFERENCES = (component_slot("area", PLACE_KINDS, REQUIRES),)
    kind: Literal["space_free"]
    area: Id

    def sentence(self, name: Name) -> str:
        return f"{name(self.area)} is unoccupied"

    def holds(self, table: Table, state: Any, seat: int) -> bool:
        return table.occupancy(state, self.area) == 0


class Rolled(Requirement):
    """The acting player's last roll shows one of `faces` on some die (or on every die): a bust, a double, a
    critical hit, a roll that scores nothing."""

    REFERENCES = (component_slot("dice", DICE, REQUIRES),)
    kind: Literal["rolled"]
    dice: Id = Field(description="Id of the die component rolled.")
    faces: list[Annotated[int, Field(ge=-99, le=999)]] = Field(
        min_length=1, max_length=6, description="Face values, any one of which satisfies the condition."
    )
    every: bool = Field(False, description="Whether every die rolled must show one of them (not just one).")

    def sentence(self, name: Name) -> str:
        shown = " or ".join(str(f) for f in self.faces)
        return (
            f"{'every die' if self.every else 'a die'} of your last roll of {name(self.dice)} shows {shown}"
        )

    def holds(self, table: Table, state: Any, seat: int) -> bool:
        shown = [face in self.faces for face in table.last_roll(state, self.dice)]
        return bool(shown) and (all(shown) if self.every else any(shown))


class PileAtLeast(Requirement):
    """At least `count` cards can still be drawn from a deck: its draw pile, and its discards when they are
    shuffled back in."""

    REFERENCES = (component_slot("deck", DECK, REQUIRES),)
    kind: Literal["pile_at_least"]
    deck: Id
    count: Count = 1

    def sentence(self, name: Name) -> str:
        return f"{name(self.deck)} still has at least {self.count} card(s) to draw"

    def holds(self, table: Table, state: Any, seat: int) -> bool:
        return table.pile_size(state, seat, self.deck) >= self.count


class BankAtLeast(Requirement):
    """The bank (a resource's limited supply) still holds at least `amount` of it."""

    REFERENCES = (resource_slot("resource", REQUIRES),)
    kind: Literal["bank_at_least"]
    resource: Id
    amount: Amount = 1

    def sentence(self, name: Name) -> str:
        return f"the bank still holds at least {self.amount} {name(self.resource)}"

    def holds(self, table: Table, state: Any, seat: int) -> bool:
        left = table.bank_left(state, self.resource)
        return left is None or left >= self.amount


class Controls(Requirement):
    """The acting player controls an area of the map: more pieces there than any other player."""

    REFERENCES = (component_slot("area", AREAS, REQUIRES),)
    kind: Literal["controls"]
    area: Id = Field(description="Id of a map area.")

    def sentence(self, name: Name) -> str:
        return f"you control {name(self.area)} (more pieces there than anyone else)"

    def holds(self, table: Table, state: Any, seat: int) -> bool:
        return table.controls(state, seat, self.area)


PRECONDITIONS: tuple[type[Requirement], ...] = (
    ResourceAtLeast,
    HandAtLeast,
    SpaceFree,
    Rolled,
    PileAtLeast,
    BankAtLeast,
    Controls,
)
Precondition = one_of(PRECONDITIONS)


class Watched(Term):
    """A condition about one thing (a resource, deck or track), or about the turn itself when it names none:
    the ontology graph links that thing to the condition (ends, scores)."""

    @property
    def subject(self) -> str | None:
        return next((getattr(self, slot.attr) for slot in self.REFERENCES), None)


# End conditions -------------------------------------------------------------------------------------------
class Ending(Watched):
    """An end condition: play stops once it is reached (checked after every turn, in the order listed)."""

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        raise NotImplementedError


class ScoreThreshold(Ending):
    """The game ends when any player's amount of `resource` (or the shared amount) reaches `threshold`."""

    REFERENCES = (resource_slot("resource"),)
    kind: Literal["score_threshold"]
    resource: Id
    threshold: int = Field(ge=1, le=9999)

    def sentence(self, name: Name) -> str:
        return f"a player (or the shared pool) reaches {self.threshold} {name(self.resource)}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        raised = d.reached("produces", d.resources)
        return [narrow(cls, resource=choice(raised))] if raised else []

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        return any(table.amount(state, s, self.resource) >= self.threshold for s in table.seats(state))


class RoundLimit(Ending):
    """The game ends after a fixed number of rounds."""

    kind: Literal["round_limit"]
    rounds: int = Field(ge=1, le=200)

    def sentence(self, name: Name) -> str:
        return f"{self.rounds} rounds have been played"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        return [cls]

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        return round_over and table.rounds(state) >= self.rounds


class DeckExhausted(Ending):
    """The game ends when a deck's draw pile runs out."""

    REFERENCES = (component_slot("deck", DECK),)
    kind: Literal["deck_exhausted"]
    deck: Id

    def sentence(self, name: Name) -> str:
        return f"{name(self.deck)} runs out"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        decks = d.reached("consumes", d.ids(DECK))
        return [narrow(cls, deck=choice(decks))] if decks else []

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        return table.draw_pile(state, self.deck) == 0


class SupplyDepleted(Ending):
    """The game ends when a resource runs out: a limited bank, a shared pool, or a player's own stock."""

    REFERENCES = (resource_slot("resource"),)
    kind: Literal["supply_depleted"]
    resource: Id

    def sentence(self, name: Name) -> str:
        return f"the supply of {name(self.resource)} runs out"

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        return table.depleted(state, self.resource)


class TrackEnd(Ending):
    """The game ends when a player's marker reaches the last space of a track."""

    REFERENCES = (component_slot("track", TRACK),)
    kind: Literal["track_end"]
    track: Id

    def sentence(self, name: Name) -> str:
        return f"a player reaches the end of {name(self.track)}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        tracks = d.reached("produces", d.ids(TRACK))
        return [narrow(cls, track=choice(tracks))] if tracks else []

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        return table.finished_first(state) is not None


class Elimination(Ending):
    """A player with none of `resource` is out; the game ends when one player (or team) remains."""

    REFERENCES = (resource_slot("resource"),)
    kind: Literal["elimination"]
    resource: Id

    def sentence(self, name: Name) -> str:
        return f"only one player has {name(self.resource)} left (players at 0 are out)"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        """What play takes away and players start with some of: at none, all would be out at once."""
        held = [r for r in d.resources if d.resources[r].get("start", 0) > 0]
        lost = d.reached("consumes", held)
        return [narrow(cls, resource=choice(lost))] if lost and not d.cooperative else []

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        for s in table.seats(state):  # whoever has run out is out, whether or not the game ends now
            if table.alive(state, s) and table.amount(state, s, self.resource) <= 0:
                table.eliminate(state, s)
        return sum(table.alive(state, s) for s in table.seats(state)) <= 1


class HandEmpty(Ending):
    """The game ends when a player (or every player) has played or discarded every card of a deck from
    hand."""

    REFERENCES = (component_slot("deck", DECK),)
    kind: Literal["hand_empty"]
    deck: Id
    who: Literal["any", "every"] = Field("any", description="any: the first empty hand ends it; every: all.")

    def sentence(self, name: Name) -> str:
        who = "a player has" if self.who == "any" else "every player has"
        return f"{who} no {name(self.deck)} cards left in hand"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        decks = d.reached("sheds", d.ids(DECK))
        return [narrow(cls, deck=choice(decks))] if decks else []

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        empty = (table.hand_size(state, s, self.deck) == 0 for s in table.seats(state))
        return table.turns(state) > 0 and (any(empty) if self.who == "any" else all(empty))


class Stalemate(Ending):
    """The game ends when no player can act for a whole round: every player in turn had to pass."""

    kind: Literal["stalemate"]

    def sentence(self, name: Name) -> str:
        return "no player can act for a whole round"

    def reached(self, table: Table, state: Any, round_over: bool) -> bool:
        return table.stalled(state)


ENDINGS: tuple[type[Ending], ...] = (
    ScoreThreshold,
    RoundLimit,
    DeckExhausted,
    SupplyDepleted,
    TrackEnd,
    Elimination,
    HandEmpty,
    Stalemate,
)
EndCondition = one_of(ENDINGS)


# Victory conditions ---------------------------------------------------------------------------------------
class Goal(Watched):
    """A victory condition: how each seat stands by it (what bots that look ahead maximize, and what breaks
    the end), and whether it names the winners outright when the game ends."""

    def standing(self, table: Table, state: Any, seat: int) -> float:
        raise NotImplementedError

    def decides(self, table: Table, state: Any, seats: list[int]) -> tuple[int, ...] | None:
        """The winners, when this condition alone names them; None to compare standings."""
        return None


class HighestScore(Goal):
    """The player with the most of `resource` wins."""

    REFERENCES = (resource_slot("resource"),)
    kind: Literal["highest_score"]
    resource: Id

    def sentence(self, name: Name) -> str:
        return f"the player with the most {name(self.resource)} wins"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        """What play raises and each player holds: a shared pool ties everyone (`victory.shared-score`)."""
        own = [r for r in d.resources if d.resources[r].get("scope") != "shared"]
        raised = d.reached("produces", own)
        return [narrow(cls, resource=choice(raised))] if raised and not d.cooperative else []

    def standing(self, table: Table, state: Any, seat: int) -> float:
        return table.final_amount(state, seat, self.resource)


class LowestScore(Goal):
    """The player with the least of `resource` wins (penalty points)."""

    REFERENCES = (resource_slot("resource"),)
    kind: Literal["lowest_score"]
    resource: Id

    def sentence(self, name: Name) -> str:
        return f"the player with the fewest {name(self.resource)} wins"

    def standing(self, table: Table, state: Any, seat: int) -> float:
        return -table.final_amount(state, seat, self.resource)


class LastStanding(Goal):
    """The last player (or team) not eliminated wins."""

    kind: Literal["last_standing"]

    def sentence(self, name: Name) -> str:
        return "the last player standing wins"

    def standing(self, table: Table, state: Any, seat: int) -> float:
        return table.holdings(state, seat)

    def decides(self, table: Table, state: Any, seats: list[int]) -> tuple[int, ...] | None:
        return tuple(seats)


class FirstToFinish(Goal):
    """The first player to reach the end of a track wins."""

    REFERENCES = (component_slot("track", TRACK),)
    kind: Literal["first_to_finish"]
    track: Id

    def sentence(self, name: Name) -> str:
        return f"the first player to reach the end of {name(self.track)} wins"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        tracks = d.reached("produces", d.ids(TRACK))
        return [narrow(cls, track=choice(tracks))] if tracks and not d.cooperative else []

    def standing(self, table: Table, state: Any, seat: int) -> float:
        return table.position(state, seat, self.track)

    def decides(self, table: Table, state: Any, seats: list[int]) -> tuple[int, ...] | None:
        first = table.finished_first(state)
        return None if first is None else (first,)


class FirstToEmptyHand(Goal):
    """The first player with no cards of a deck left in hand wins."""

    REFERENCES = (component_slot("deck", DECK),)
    kind: Literal["first_to_empty_hand"]
    deck: Id

    def sentence(self, name: Name) -> str:
        return f"the first player to empty their hand of {name(self.deck)} wins"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        decks = d.reached("sheds", d.ids(DECK))
        return [narrow(cls, deck=choice(decks))] if decks and not d.cooperative else []

    def standing(self, table: Table, state: Any, seat: int) -> float:
        return -table.hand_size(state, seat, self.deck)


class CooperativeGoal(Goal):
    """Cooperative win/loss: everyone wins if the shared `resource` has reached `threshold` when the game
    ends, and everyone loses otherwise."""

    REFERENCES = (resource_slot("resource"),)
    kind: Literal["cooperative_goal"]
    resource: Id
    threshold: int = Field(ge=1, le=9999)

    def sentence(self, name: Name) -> str:
        return (
            f"everyone wins if {name(self.resource)} has reached {self.threshold}; otherwise everyone loses"
        )

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        if not d.cooperative:
            return []
        shared = [r for r in d.reached("produces", d.resources) if d.resources[r]["scope"] == "shared"]
        return [narrow(cls, resource=choice(shared))]  # a cooperative design always declares its pool

    def standing(self, table: Table, state: Any, seat: int) -> float:
        return table.final_amount(state, seat, self.resource)

    def decides(self, table: Table, state: Any, seats: list[int]) -> tuple[int, ...] | None:
        reached = table.shared_amount(state, self.resource) >= self.threshold
        return tuple(table.seats(state)) if reached else ()


class RankPoints(Term):
    """What one rank of card is worth at the end."""

    rank: int = Field(ge=0, le=40)
    points: int = Field(ge=-999, le=999)

    def sentence(self, name: Name) -> str:
        return f"rank {self.rank}: {self.points}"


class FewestCardPoints(Goal):
    """At the end, the cards left in hand count against their holder (by rank, each worth its rank unless
    listed); the player with the fewest points in hand wins."""

    REFERENCES = (component_slot("deck", DECK),)
    kind: Literal["fewest_card_points"]
    deck: Id
    points: list[RankPoints] = Field(
        default_factory=list, max_length=13, description="Ranks not worth their own number."
    )

    def sentence(self, name: Name) -> str:
        listed = f" ({', '.join(p.sentence(name) for p in self.points)})" if self.points else ""
        return f"the player with the fewest points in {name(self.deck)} cards left in hand wins{listed}"

    def standing(self, table: Table, state: Any, seat: int) -> float:
        worth = {p.rank: p.points for p in self.points}
        held = table.hand_choices(state, seat, self.deck)
        return -sum(worth.get(rank, rank) for rank in map(table.rank_of, held) if rank is not None)


GOALS: tuple[type[Goal], ...] = (
    HighestScore,
    LowestScore,
    LastStanding,
    FirstToFinish,
    FirstToEmptyHand,
    CooperativeGoal,
    FewestCardPoints,
)
VictoryCondition = one_of(GOALS)
COMPETITIVE_VICTORIES = (
    HighestScore,
    LowestScore,
    LastStanding,
    FirstToFinish,
    FirstToEmptyHand,
    FewestCardPoints,
)
