"""Effects that shape the flow of a turn: ending it, and doing one thing or another on a condition.

A conditional carries plain effects in its branches, never another conditional, so the schema a model fills
stays finite and flat enough for a small model's grammar.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import reduce
from operator import or_
from typing import Annotated, Any, Literal

from pydantic import Field

from genontology.ontology.violations import PathPart
from genontology.schemas.tabletop.effects.base import Ludeme, Name, Ref, Table
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
from genontology.schemas.tabletop.effects.conditions import Precondition
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
from genontology.schemas.tabletop.effects.tricks import Give, PlayToTrick


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


# Every effect but the conditional, in the order the union lists them.
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
)
PlainEffect = Annotated[reduce(or_, PLAIN_EFFECTS), Field(discriminator="kind")]  # type: ignore[valid-type]
Branch = Annotated[list[PlainEffect], Field(max_length=3)]


class If(Ludeme):
    """If a condition holds for the acting player, these effects; otherwise those (possibly none)."""

    kind: Literal["if"]
    condition: Precondition = Field(description="What is checked when this effect resolves.")
    then: Branch = Field(min_length=1, description="Effects when the condition holds, in order.")
    otherwise: Branch = Field(default_factory=list, description="Effects when it does not, in order.")

    def _branches(self) -> Iterator[tuple[str, int, Ludeme]]:
        for branch in ("then", "otherwise"):
            for i, effect in enumerate(getattr(self, branch)):
                yield branch, i, effect

    def parts(self) -> Iterator[Ludeme]:
        yield self
        for _, _, effect in self._branches():
            yield from effect.parts()

    def refs(self, base: tuple[PathPart, ...]) -> Iterator[Ref]:
        yield from self.condition.refs((*base, "condition"))
        for branch, i, effect in self._branches():
            yield from effect.refs((*base, branch, i))

    def edges(self) -> Iterator[tuple[str, str]]:
        yield from self.condition.edges()
        for _, _, effect in self._branches():
            yield from effect.edges()

    def sentence(self, name: Name) -> str:
        then = ", ".join(e.sentence(name) for e in self.then)
        text = f"if {self.condition.sentence(name)}, {then}"
        if self.otherwise:
            text += "; otherwise " + ", ".join(e.sentence(name) for e in self.otherwise)
        return text

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        options: dict[str, list[str]] = {}
        for _, _, effect in self._branches():
            for name, values in effect.choices(table, state, seat).items():
                options.setdefault(name, values)
        return options

    def apply(self, table: Table, state: Any, seat: int) -> None:
        branch = self.then if self.condition.holds(table, state, seat) else self.otherwise
        for effect in branch:
            effect.apply(table, state, seat)
