"""End-of-game scoring as ludemes: points added to a resource once the game ends, before the winner is found.

Each rule counts something per seat (a resource, a track position, pieces in an area) and says what that is
worth: at a rate, per complete set, by a ladder of amounts, or by ranking the seats (majorities). A rule adds
its points to `into`, the resource a victory condition reads; bots that look ahead see the points a rule
would give now (`points`), so that a majority still to win steers play before the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from genontology.ontology.narrowing import choice, narrow, one_of
from genontology.ontology.violations import PathPart
from genontology.schemas.tabletop.effects.base import (
    AREAS,
    DECK,
    NONE,
    PRODUCES,
    REQUIRES,
    TRACK,
    Amount,
    Drafting,
    Id,
    Name,
    Ref,
    ResourceAmount,
    Table,
    Term,
    component_slot,
    held,
    resource_slot,
)

Points = Annotated[int, Field(ge=-99, le=99)]
INTO = "Id of the resource the points are added to; none: the resource the victory condition counts."
SMALL = Annotated[
    int, Field(ge=1, le=10)
]  # what generation may write: a design's scale, not the schema's bound


def counted_by_victory(victory: Iterable[Any]) -> str | None:
    """The resource victory counts (the first condition that counts one): where final scoring goes unless a
    rule says otherwise."""
    return next((v.resource for v in victory if isinstance(getattr(v, "resource", None), str)), None)


class Scoring(Term):
    """A rule of final scoring: what it counts per seat (`count`) and the points each seat gets (`points`)."""

    if TYPE_CHECKING:  # every rule declares `into` itself, so that `kind` leads each schema
        into: str | None

    def points_name(self, name: Name) -> str:
        return name(self.into) if self.into else "points"

    def count(self, table: Table, state: Any, seat: int) -> int:
        raise NotImplementedError

    def points(self, table: Table, state: Any) -> list[int]:
        """The points each seat would score if the game ended now, in seat order."""
        raise NotImplementedError


class Counted(Scoring):
    """A rule counting one thing per seat: a resource held, a track position, or pieces in a map area (the
    first of them that is set)."""

    if TYPE_CHECKING:  # declared by each kind after its `kind` (CountedResource, CountedTrack, CountedArea)
        kind: str
        resource: str | None
        track: str | None
        area: str | None

    def counts(self) -> int:
        """How many things it is told to count (one is right; the rule `count.one-thing` says so)."""
        return sum(bool(x) for x in (self.resource, self.track, self.area))

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        """Counting a resource that play raises, into the points victory counts (what a generated design's
        victory names, so the model never has to say it twice)."""
        counted = d.reached("produces", d.resources)
        if not counted or d.cooperative:
            return []
        small = {f: SMALL for f, info in cls.model_fields.items() if info.annotation is int and f != "last"}
        return [narrow(cls, resource=(choice(counted), ...), track=NONE, area=NONE, into=NONE, **small)]

    def count(self, table: Table, state: Any, seat: int) -> int:
        if self.resource:
            return table.amount(state, seat, self.resource)
        if self.track:
            return table.position(state, seat, self.track)
        return table.presence(state, seat, self.area or "")

    def what(self, name: Name) -> str:
        if self.resource:
            return name(self.resource)
        if self.track:
            return f"spaces along {name(self.track)}"
        return f"pieces in {name(self.area or '')}"


CountedResource = Annotated[Id | None, Field(description="Count this resource held.")]
CountedTrack = Annotated[Id | None, Field(description="Or the position on this track.")]
CountedArea = Annotated[Id | None, Field(description="Or the pieces in this map area.")]
COUNTED_SLOTS = (
    resource_slot("resource", REQUIRES),
    component_slot("track", TRACK, REQUIRES),
    component_slot("area", AREAS, REQUIRES),
    resource_slot("into", PRODUCES),
)


class PerRate(Counted):
    """`points` for every `per` counted: a point per three coins, two per space reached."""

    REFERENCES = COUNTED_SLOTS
    kind: Literal["per_rate"]
    resource: CountedResource = None
    track: CountedTrack = None
    area: CountedArea = None
    per: Amount = Field(1, description="How many counted make one award.")
    worth: Points = Field(1, description="Points per award.")
    into: Id | None = Field(None, description=INTO)

    def sentence(self, name: Name) -> str:
        return f"{self.worth} {self.points_name(name)} for every {self.per} {self.what(name)}"

    def points(self, table: Table, state: Any) -> list[int]:
        return [self.count(table, state, s) // self.per * self.worth for s in table.seats(state)]


class Ladder(Counted):
    """Points by how many are counted: `worth[i]` for i + 1 of them, the last for that many or more (a run
    of dumplings: 1, 3, 6, 10, 15)."""

    REFERENCES = COUNTED_SLOTS
    kind: Literal["ladder"]
    resource: CountedResource = None
    track: CountedTrack = None
    area: CountedArea = None
    worth: list[Points] = Field(min_length=1, max_length=12, description="Points for 1, 2, 3, ... counted.")
    into: Id | None = Field(None, description=INTO)

    def sentence(self, name: Name) -> str:
        return (
            f"{self.points_name(name)} by {self.what(name)}: "
            + ", ".join(map(str, self.worth))
            + " (and more)"
        )

    def points(self, table: Table, state: Any) -> list[int]:
        counts = (self.count(table, state, s) for s in table.seats(state))
        return [self.worth[min(c, len(self.worth)) - 1] if c > 0 else 0 for c in counts]


class Majority(Counted):
    """Seats ranked by what is counted: the most get `first`, the next `second`, the fewest `last` (a
    penalty when negative). Ties share a place's points, rounded toward zero, and a tie for first leaves no
    second place; a seat with none counted takes no place but the last."""

    REFERENCES = COUNTED_SLOTS
    kind: Literal["majority"]
    resource: CountedResource = None
    track: CountedTrack = None
    area: CountedArea = None
    first: Points = Field(description="Points for the most.")
    second: Points = Field(0, description="Points for the second most.")
    last: Points = Field(0, description="Points for the fewest (negative: a penalty).")
    into: Id | None = Field(None, description=INTO)

    def sentence(self, name: Name) -> str:
        places = [f"most {self.what(name)}: {self.first}"]
        places += [f"second most: {self.second}"] if self.second else []
        places += [f"fewest: {self.last}"] if self.last else []
        return f"{self.points_name(name)} by majority ({'; '.join(places)})"

    def points(self, table: Table, state: Any) -> list[int]:
        seats = list(table.seats(state))
        counts = [self.count(table, state, s) for s in seats]
        awarded = [0] * len(seats)

        def share(group: list[int], worth: int) -> None:
            for i in group:
                awarded[i] += int(worth / len(group))  # rounded toward zero, as tied places are split

        held = sorted({c for c in counts if c > 0}, reverse=True)
        if held:
            top = [i for i, c in enumerate(counts) if c == held[0]]
            share(top, self.first)
            if len(top) == 1 and len(held) > 1:
                share([i for i, c in enumerate(counts) if c == held[1]], self.second)
        if self.last and len(set(counts)) > 1:
            share([i for i, c in enumerate(counts) if c == min(counts)], self.last)
        return awarded


class Sets(Scoring):
    """`worth` for every complete set: `of` lists what one set needs (a pair of tempura; one each of three
    science symbols)."""

    REFERENCES = (resource_slot("into", PRODUCES),)
    kind: Literal["sets"]
    of: list[ResourceAmount] = Field(
        min_length=1, max_length=4, description="What one set needs: resources and how many of each."
    )
    worth: Points = Field(description="Points per complete set.")
    into: Id | None = Field(None, description=INTO)

    def refs(self, base: tuple[PathPart, ...]) -> Iterator[Ref]:
        for j, need in enumerate(self.of):
            yield Ref((*base, "of", j, "resource"), need.resource, "resource")
        yield from super().refs(base)

    def edges(self) -> Iterator[tuple[str, str]]:
        for need in self.of:
            yield need.resource, REQUIRES
        yield from super().edges()

    def sentence(self, name: Name) -> str:
        need = " and ".join(f"{n.amount} {name(n.resource)}" for n in self.of)
        return f"{self.worth} {self.points_name(name)} for every set of {need}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        counted = d.reached("produces", d.resources)
        if not counted or d.cooperative:
            return []
        need = narrow(ResourceAmount, resource=choice(counted), amount=SMALL)
        return [narrow(cls, of=list[need], worth=SMALL, into=NONE)]  # type: ignore[valid-type]

    def count(self, table: Table, state: Any, seat: int) -> int:
        return min(table.amount(state, seat, n.resource) // n.amount for n in self.of)

    def points(self, table: Table, state: Any) -> list[int]:
        return [self.count(table, state, s) * self.worth for s in table.seats(state)]


class TagSets(Scoring):
    """`worth` for every set of `distinct` cards of different tags held at the end (a colour of each kind, one
    of every symbol): cards of a deck in hand, each set made of cards no other set uses."""

    REFERENCES = (component_slot("deck", DECK, REQUIRES), resource_slot("into", PRODUCES))
    kind: Literal["tag_sets"]
    deck: Id = Field(description="Id of the deck whose cards in hand are counted.")
    distinct: int = Field(ge=2, le=10, description="How many different tags make one set.")
    worth: Points = Field(description="Points per complete set.")
    into: Id | None = Field(None, description=INTO)

    def sentence(self, name: Name) -> str:
        return (
            f"{self.worth} {self.points_name(name)} for every {self.distinct} {name(self.deck)} cards of "
            "different tags held at the end"
        )

    def count(self, table: Table, state: Any, seat: int) -> int:
        """The most sets of `distinct` different tags the hand makes: s sets need, of each tag, at most s
        cards, and `distinct` * s cards in all."""
        tally = Counter(tag for card in held(table, state, seat, self.deck) for tag in table.tags_of(card))
        sets = 0
        while sum(min(n, sets + 1) for n in tally.values()) >= self.distinct * (sets + 1):
            sets += 1
        return sets

    def points(self, table: Table, state: Any) -> list[int]:
        return [self.count(table, state, s) * self.worth for s in table.seats(state)]


SCORINGS: tuple[type[Scoring], ...] = (PerRate, Sets, TagSets, Ladder, Majority)
FinalScoring = one_of(SCORINGS)
