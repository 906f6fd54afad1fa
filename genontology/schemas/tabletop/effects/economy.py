"""Effects on resources: gaining, paying, losing, moving, producing, scoring and trading them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from genontology.ontology.intervals import Interval, total
from genontology.ontology.narrowing import choice, narrow
from genontology.ontology.violations import PathPart
from genontology.schemas.tabletop.effects.base import (
    CONSUMES,
    PRODUCES,
    REQUIRES,
    WHO,
    Amount,
    Count,
    Delta,
    Drafting,
    Id,
    Ludeme,
    Name,
    Party,
    Player,
    Reach,
    Ref,
    ResourceAmount,
    Table,
    changes,
    resource_slot,
    target_choice,
)


class Gain(Ludeme):
    """A player gains some of a resource from the supply."""

    REFERENCES = (resource_slot("resource", PRODUCES),)
    kind: Literal["gain"]
    resource: Id
    amount: Amount
    target: Player = Field("self", description="Who gains it.")

    def sentence(self, name: Name) -> str:
        return f"{WHO[self.target]} gain {self.amount} {name(self.resource)}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        return [narrow(cls, resource=choice(d.resources))] if d.resources else []

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return target_choice(table, state, seat, self.target)

    def apply(self, table: Table, state: Any, seat: int) -> None:
        for s in table.targets(state, self.target):
            table.gain(state, s, self.resource, self.amount)

    def transfer(self, at: Reach) -> Delta:
        return changes(self.resource, self.target, Interval.exactly(self.amount))


class Spend(Ludeme):
    """The acting player pays some of a resource back to the supply (beyond the action's cost)."""

    REFERENCES = (resource_slot("resource", CONSUMES),)
    kind: Literal["spend"]
    resource: Id
    amount: Amount

    def sentence(self, name: Name) -> str:
        return f"pay {self.amount} {name(self.resource)}"

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return table.amount(state, seat, self.resource) >= self.amount

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.pay(state, seat, self.resource, self.amount)

    def transfer(self, at: Reach) -> Delta:
        return changes(self.resource, "self", Interval.exactly(-self.amount))


class Lose(Ludeme):
    """A player loses some of a resource: damage, theft to the supply, penalties."""

    REFERENCES = (resource_slot("resource", CONSUMES),)
    kind: Literal["lose"]
    resource: Id
    amount: Amount
    target: Player = Field("chosen_opponent", description="Who loses it.")

    def sentence(self, name: Name) -> str:
        return f"{WHO[self.target]} lose {self.amount} {name(self.resource)}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        if not d.resources:
            return []
        if d.cooperative:  # players face the game, not each other
            return [narrow(cls, resource=choice(d.resources), target=Literal["self", "all_players"])]
        return [narrow(cls, resource=choice(d.resources))]

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return target_choice(table, state, seat, self.target)

    def apply(self, table: Table, state: Any, seat: int) -> None:
        for s in table.targets(state, self.target):
            table.pay(state, s, self.resource, self.amount)

    def transfer(self, at: Reach) -> Delta:
        return changes(self.resource, self.target, Interval(-self.amount, 0))  # no one goes below none


class Transfer(Ludeme):
    """Some of a resource moves from one party to another (stealing, paying a player, taxes)."""

    REFERENCES = (resource_slot("resource", CONSUMES, PRODUCES),)
    kind: Literal["transfer"]
    resource: Id
    amount: Amount
    source: Party = "chosen_opponent"
    recipient: Party = "self"

    def sentence(self, name: Name) -> str:
        route = f"from {WHO[self.source]} to {WHO[self.recipient]}"
        return f"move {self.amount} {name(self.resource)} {route}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        return [narrow(cls, resource=choice(d.resources))] if d.resources and not d.cooperative else []

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return target_choice(table, state, seat, self.source, self.recipient)

    def apply(self, table: Table, state: Any, seat: int) -> None:
        for giver in table.parties(state, self.source):
            if giver is None:  # from the supply
                moved = self.amount
            else:
                moved = table.pay(state, giver, self.resource, self.amount, to_bank=False)
            for taker in table.parties(state, self.recipient):
                if taker is not None:
                    table.gain(state, taker, self.resource, moved, from_bank=giver is None)

    def transfer(self, at: Reach) -> Delta:
        """Each giver pays up to `amount` (all of it from the supply); each taker gets it from every giver."""
        moved = Interval.exactly(self.amount) if self.source == "supply" else Interval(0, self.amount)
        givers = {"each_opponent": at.players - 1, "all_players": at.players}.get(self.source, 1)
        taken = changes(self.resource, self.source, -moved)
        return total(taken, changes(self.resource, self.recipient, moved.repeated(givers)))


class Income(Ludeme):
    """A player gains `amount` of a resource for every `every` units they hold of another: production,
    income from holdings, reinforcements by territory. It is how an economy grows with a player's position."""

    REFERENCES = (resource_slot("resource", PRODUCES), resource_slot("per", REQUIRES))
    kind: Literal["income"]
    resource: Id = Field(description="Id of the resource gained.")
    per: Id = Field(description="Id of the resource whose holdings pay out (cities, territories, plants).")
    amount: Amount = 1
    every: Count = Field(1, description="Units of `per` needed for each payment of `amount`.")

    def edges(self) -> Iterator[tuple[str, str]]:
        yield self.per, REQUIRES  # what pays out, then what it pays
        yield self.resource, PRODUCES

    def sentence(self, name: Name) -> str:
        every = f"{self.every} " if self.every > 1 else ""
        return f"gain {self.amount} {name(self.resource)} for every {every}{name(self.per)} you hold"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        if len(d.resources) < 2:
            return []
        return [narrow(cls, resource=choice(d.resources), per=choice(d.resources))]

    def apply(self, table: Table, state: Any, seat: int) -> None:
        payout = table.amount(state, seat, self.per) // self.every * self.amount
        if payout:
            table.gain(state, seat, self.resource, payout)

    def transfer(self, at: Reach) -> Delta:
        held = at.most(self.per)
        payout = None if held is None else held // self.every * self.amount
        return changes(self.resource, "self", Interval(0, payout))


class Score(Ludeme):
    """Score points: gain the points resource that victory counts."""

    REFERENCES = (resource_slot("resource", PRODUCES),)
    kind: Literal["score"]
    resource: Id = Field(description="Id of a points resource.")
    amount: Amount

    def sentence(self, name: Name) -> str:
        return f"score {self.amount} {name(self.resource)}"

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.gain(state, seat, self.resource, self.amount)

    def transfer(self, at: Reach) -> Delta:
        return changes(self.resource, "self", Interval.exactly(self.amount))


class Trade(Ludeme):
    """Exchange resources with the supply (at a fixed rate) or with another player."""

    kind: Literal["trade"]
    give: ResourceAmount
    receive: ResourceAmount
    partner: Literal["supply", "player"] = "supply"

    def refs(self, base: tuple[PathPart, ...]) -> Iterator[Ref]:
        yield Ref((*base, "give", "resource"), self.give.resource, "resource")
        yield Ref((*base, "receive", "resource"), self.receive.resource, "resource")

    def edges(self) -> Iterator[tuple[str, str]]:
        yield self.give.resource, CONSUMES
        yield self.receive.resource, PRODUCES

    def sentence(self, name: Name) -> str:
        partner = "the supply" if self.partner == "supply" else "another player"
        return (
            f"trade {self.give.amount} {name(self.give.resource)} with {partner} for "
            f"{self.receive.amount} {name(self.receive.resource)}"
        )

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        if len(d.resources) < 2:
            return []
        amount = narrow(ResourceAmount, resource=choice(d.resources))
        return [narrow(cls, give=amount, receive=amount)]

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return table.amount(state, seat, self.give.resource) >= self.give.amount

    def apply(self, table: Table, state: Any, seat: int) -> None:
        table.pay(state, seat, self.give.resource, self.give.amount)
        table.gain(state, seat, self.receive.resource, self.receive.amount)

    def transfer(self, at: Reach) -> Delta:
        give, receive = Interval.exactly(self.give.amount), Interval.exactly(self.receive.amount)
        mine = total(
            changes(self.give.resource, "self", -give), changes(self.receive.resource, "self", receive)
        )
        if self.partner == "supply":
            return mine
        theirs = total(changes(self.give.resource, "chosen_opponent", give))
        return total(mine, theirs, changes(self.receive.resource, "chosen_opponent", -receive))


class ConvertAll(Ludeme):
    """All the acting player holds of one resource becomes another, one for one, or is lost: banking a turn's
    total, cashing in, a bust that wipes what was at risk."""

    REFERENCES = (resource_slot("resource", CONSUMES), resource_slot("into", PRODUCES))
    kind: Literal["convert_all"]
    resource: Id = Field(description="Id of the resource emptied.")
    into: Id | None = Field(None, description="Id of the resource it becomes; none: it is lost.")

    def sentence(self, name: Name) -> str:
        if self.into:
            return f"turn all your {name(self.resource)} into {name(self.into)}"
        return f"lose all your {name(self.resource)}"

    def apply(self, table: Table, state: Any, seat: int) -> None:
        held = table.pay(state, seat, self.resource, table.amount(state, seat, self.resource))
        if self.into and held:
            table.gain(state, seat, self.into, held)

    def transfer(self, at: Reach) -> Delta:
        held = at.most(self.resource)
        emptied = changes(self.resource, "self", Interval(None if held is None else -held, 0))
        return total(emptied, changes(self.into, "self", Interval(0, held)) if self.into else {})
