"""Effects that shape the flow of a turn: ending it, doing one thing or another on a condition, choosing
between lists of effects, and repeating effects once per thing counted.

These carry plain effects, never another carrier, so the schema a model fills
stays finite and flat enough for a small model's grammar.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from genontology.ontology.intervals import Interval, either, repeat, total
from genontology.ontology.narrowing import narrow, one_of
from genontology.ontology.violations import PathPart
from genontology.schemas.tabletop.effects.base import (
    CONSUMES,
    DECK,
    REQUIRES,
    Count,
    Delta,
    Drafting,
    Id,
    Ludeme,
    Name,
    Reach,
    Ref,
    Table,
    Tag,
    changes,
    component_slot,
    held,
    resource_slot,
)
from genontology.schemas.tabletop.effects.board import Advance, Move, Place, Roll
from genontology.schemas.tabletop.effects.cards import (
    Discard,
    Draw,
    GainCard,
    NameSuit,
    Play,
    PlayToPile,
    TakeFromMarket,
)
from genontology.schemas.tabletop.effects.conditions import PRECONDITIONS, Precondition
from genontology.schemas.tabletop.effects.economy import (
    ConvertAll,
    Gain,
    Income,
    Lose,
    Score,
    Spend,
    Trade,
    Transfer,
)
from genontology.schemas.tabletop.effects.tricks import Give, PassHand, PlayToTrick


class EndTurn(Ludeme):
    """The acting player's turn ends now: the rest of the action still resolves, no further phase or action
    of this turn is played."""

    kind: Literal["end_turn"]

    def edges(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def sentence(self, name: Name) -> str:
        return "your turn ends"

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.end_turn(state)


class ExtraActions(Ludeme):
    """The acting player may take more actions in the current phase (a bonus action, a free move)."""

    kind: Literal["extra_actions"]
    count: Count = Field(1, description="How many more actions.")

    def edges(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def sentence(self, name: Name) -> str:
        return f"take {self.count} more action(s) this phase"

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.extra_actions(state, self.count)


# Every effect but the carriers, in the order the union lists them.
PLAIN_EFFECTS: tuple[type[Ludeme], ...] = (
    Gain,
    Spend,
    Lose,
    Transfer,
    Income,
    Draw,
    Discard,
    Play,
    Roll,
    Place,
    Move,
    Advance,
    TakeFromMarket,
    Score,
    Trade,
    ConvertAll,
    EndTurn,
    PlayToPile,
    NameSuit,
    PlayToTrick,
    Give,
    GainCard,
    PassHand,
    ExtraActions,
)
PlainEffect = one_of(PLAIN_EFFECTS)
BRANCH_LENGTH = 3
Branch = Annotated[list[PlainEffect], Field(max_length=BRANCH_LENGTH)]


class Carrier(Ludeme):
    """An effect that carries lists of plain effects (its `_carried`): their references, edges and choices
    are its own, so rules, the graph and the engine see every effect inside it."""

    def _carried(self) -> Iterator[tuple[tuple[PathPart, ...], Ludeme]]:
        raise NotImplementedError

    def parts(self) -> Iterator[Ludeme]:
        yield self
        for _, effect in self._carried():
            yield from effect.parts()

    def refs(self, base: tuple[PathPart, ...]) -> Iterator[Ref]:
        yield from super().refs(base)
        for where, effect in self._carried():
            yield from effect.refs((*base, *where))

    def edges(self) -> Iterator[tuple[str, str]]:
        yield from super().edges()
        for _, effect in self._carried():
            yield from effect.edges()

    BRANCHES: ClassVar[tuple[tuple[str, int], ...]] = ()  # (field carrying effects, the fewest it holds)

    @staticmethod
    def branch(d: Drafting, least: int) -> Any | None:
        """A list of effects narrowed for generation: of the plain kinds `d` lets a carrier carry
        (`Drafting.carried`; all when unset), each narrowed to the declared names; None if none can be."""
        plain = [option for kind in d.carried or PLAIN_EFFECTS for option in kind.drafts(d)]
        if not plain:
            return None
        return Annotated[list[one_of(plain)], Field(min_length=least, max_length=BRANCH_LENGTH)]  # type: ignore[misc]

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        """Its own names narrowed like any kind's, and each list of effects it carries narrowed too."""
        branches = {attr: cls.branch(d, least) for attr, least in cls.BRANCHES}
        if None in branches.values():
            return []
        return [narrow(own, **branches) for own in super().drafts(d)]

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        options: dict[str, list[str]] = {}
        for _, effect in self._carried():
            for name, values in effect.choices(table, state, seat).items():
                options.setdefault(name, values)
        return options


def sequence(effects: list[Ludeme], at: Reach) -> Delta:
    """The change of effects resolved one after another."""
    return total(*(effect.transfer(at) for effect in effects))


def _feasible_all(effects: list[Ludeme], table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
    trial = Counter(drawn)
    return all(e.feasible(table, state, seat, trial) for e in effects)


class If(Carrier):
    """If a condition holds for the acting player, these effects; otherwise those (possibly none)."""

    BRANCHES = (("then", 1), ("otherwise", 0))
    kind: Literal["if"]
    condition: Precondition = Field(description="What is checked when this effect resolves.")
    then: Branch = Field(min_length=1, description="Effects when the condition holds, in order.")
    otherwise: Branch = Field(default_factory=list, description="Effects when it does not, in order.")

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        conditions = [option for kind in PRECONDITIONS for option in kind.drafts(d)]
        return [narrow(own, condition=one_of(conditions)) for own in super().drafts(d)] if conditions else []

    def _carried(self) -> Iterator[tuple[tuple[PathPart, ...], Ludeme]]:
        for branch in ("then", "otherwise"):
            for i, effect in enumerate(getattr(self, branch)):
                yield (branch, i), effect

    def refs(self, base: tuple[PathPart, ...]) -> Iterator[Ref]:
        yield from self.condition.refs((*base, "condition"))
        yield from super().refs(base)

    def edges(self) -> Iterator[tuple[str, str]]:
        yield from self.condition.edges()
        yield from super().edges()

    def sentence(self, name: Name) -> str:
        then = ", ".join(e.sentence(name) for e in self.then)
        text = f"if {self.condition.sentence(name)}, {then}"
        if self.otherwise:
            text += "; otherwise " + ", ".join(e.sentence(name) for e in self.otherwise)
        return text

    def apply(self, table: Table, state: Any, seat: int) -> None:
        branch = self.then if self.condition.holds(table, state, seat) else self.otherwise
        for effect in branch:
            effect.apply(table, state, seat)

    def transfer(self, at: Reach) -> Delta:
        return either(sequence(self.then, at), sequence(self.otherwise, at))


class Choose(Carrier):
    """Choose one of several lists of effects: a card's either/or, an action with modes. The choice is the
    move's `option` argument (1, 2 or 3), offered only for options that can happen now."""

    kind: Literal["choose"]
    options: list[Branch] = Field(
        min_length=2, max_length=3, description="The lists of effects to choose among, each in order."
    )

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        branch = cls.branch(d, 1)
        if branch is None:
            return []
        return [narrow(cls, options=Annotated[list[branch], Field(min_length=2, max_length=3)])]  # type: ignore[valid-type]

    def _carried(self) -> Iterator[tuple[tuple[PathPart, ...], Ludeme]]:
        for i, option in enumerate(self.options):
            for j, effect in enumerate(option):
                yield ("options", i, j), effect

    def sentence(self, name: Name) -> str:
        said = [", ".join(e.sentence(name) for e in option) for option in self.options]
        return "choose one: " + "; or ".join(f"({i + 1}) {text}" for i, text in enumerate(said))

    def open_options(self, table: Table, state: Any, seat: int) -> list[str]:
        return [
            str(i + 1)
            for i, option in enumerate(self.options)
            if _feasible_all(option, table, state, seat, Counter())
        ]

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"option": self.open_options(table, state, seat), **super().choices(table, state, seat)}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return any(_feasible_all(option, table, state, seat, drawn) for option in self.options)

    def apply(self, table: Table, state: Any, seat: int) -> None:
        open_ = self.open_options(table, state, seat)
        if open_:
            for effect in self.options[int(table.chosen(state, "option", open_)) - 1]:
                effect.apply(table, state, seat)

    def transfer(self, at: Reach) -> Delta:
        return either(*(sequence(option, at) for option in self.options), {})  # or none open


class Bid(Carrier):
    """Bid some of a resource for a prize. Bids are collected over the round and settled when it ends: the
    highest bid wins the prize's effects (ties to the bidder earliest in the round, or to nobody). Under
    simultaneous order the bids are sealed: chosen in secret, revealed together."""

    REFERENCES = (resource_slot("resource", CONSUMES),)
    BRANCHES = (("prize", 1),)
    kind: Literal["bid"]
    resource: Id = Field(description="Id of the resource bid.")
    most: Count = Field(5, description="The largest bid allowed.")
    prize: Branch = Field(min_length=1, description="What the highest bidder receives, in order.")
    pays: Literal["winner", "everyone"] = Field(
        "winner", description="winner: only the winner pays its bid; everyone: every bidder pays."
    )
    ties: Literal["first", "none"] = Field(
        "first", description="first: a tie goes to the bidder earliest in the round; none: nobody wins."
    )

    def _carried(self) -> Iterator[tuple[tuple[PathPart, ...], Ludeme]]:
        for j, effect in enumerate(self.prize):
            yield ("prize", j), effect

    def sentence(self, name: Name) -> str:
        prize = ", ".join(e.sentence(name) for e in self.prize)
        who = "the winner pays" if self.pays == "winner" else "every bidder pays"
        bid = f"bid up to {self.most} {name(self.resource)}"
        return f"{bid}; at the round's end the best bid wins: {prize} ({who})"

    def bids(self, table: Table, state: Any, seat: int) -> list[str]:
        return [str(n) for n in range(min(self.most, table.amount(state, seat, self.resource)) + 1)]

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"bid": self.bids(table, state, seat)}  # the prize's own choices are the winner's, later

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.bid(state, seat, self, int(table.chosen(state, "bid", self.bids(table, state, seat))))

    def settle(self, table: Table, state: Any, bids: list[tuple[int, int]]) -> int | None:
        """Take the payments for the round's bids, (seat, amount) in the order made; the winner, whom the
        engine then gives the prize (its effects act for the seat whose turn it is)."""
        best = max(amount for _, amount in bids)
        top = [seat for seat, amount in bids if amount == best]
        winner = top[0] if len(top) == 1 or self.ties == "first" else None
        for seat, amount in bids:
            if self.pays == "everyone" or seat == winner:
                table.pay(state, seat, self.resource, amount)
        return winner

    def transfer(self, at: Reach) -> Delta:
        """A bid pays up to `most`; the prize goes to one bidder, the one acting or another."""
        prize = sequence(self.prize, at)
        anyone = either(prize, {(q, "others"): by for (q, _), by in prize.items()})
        return total(changes(self.resource, "self", Interval(-self.most, 0)), either(anyone, {}))


class ForEach(Carrier):
    """Repeat effects once for each unit of a resource the acting player holds, each card of a deck in their
    hand, or each map area they control (most pieces there): income from an engine, points per territory.
    It counts one of them (a resource before a deck before areas, if several are set)."""

    REFERENCES = (resource_slot("resource", REQUIRES), component_slot("deck", DECK, REQUIRES))
    BRANCHES = (("effects", 1),)
    kind: Literal["for_each"]
    resource: Id | None = Field(None, description="Count units of this resource held.")
    deck: Id | None = Field(None, description="Or count cards of this deck in hand.")
    tag: Tag = None
    areas: bool = Field(False, description="Or count the map areas the player controls.")
    effects: Branch = Field(min_length=1, description="What happens once per counted item, in order.")
    at_most: Count = Field(10, description="The most repetitions.")

    def counts(self) -> int:
        """How many things it is told to count (one is right; the rule `count.one-thing` says so)."""
        return sum((bool(self.resource), bool(self.deck), self.areas))

    def _carried(self) -> Iterator[tuple[tuple[PathPart, ...], Ludeme]]:
        for j, effect in enumerate(self.effects):
            yield ("effects", j), effect

    def counted(self, table: Table, state: Any, seat: int) -> int:
        if self.resource:
            return table.amount(state, seat, self.resource)
        if self.deck:
            return len(held(table, state, seat, self.deck, self.tag))
        return table.controlled(state, seat)

    def sentence(self, name: Name) -> str:
        what = (
            f"{name(self.resource)} you have"
            if self.resource
            else f"{self.tag.replace('_', ' ') + ' ' if self.tag else ''}{name(self.deck)} card in your hand"
            if self.deck
            else "area you control"
        )
        said = ", ".join(e.sentence(name) for e in self.effects)
        return f"for each {what} (at most {self.at_most}): {said}"

    def apply(self, table: Table, state: Any, seat: int) -> None:
        for _ in range(min(self.counted(table, state, seat), self.at_most)):
            for effect in self.effects:
                effect.apply(table, state, seat)

    def transfer(self, at: Reach) -> Delta:
        return repeat(sequence(self.effects, at), self.at_most)
