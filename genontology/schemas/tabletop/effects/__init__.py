"""The typed vocabulary of what happens in play: effects, preconditions, end and victory conditions.

Each is a member of a discriminated union on `kind`, and refers to resources, components and decks by id, so
that a validator can check every reference and a simulator can interpret every effect as data. Each effect is
a ludeme (base.py): its class carries its fields, references, graph edges, rulebook sentence, feasibility and
application, so that one kind's meaning lives in one place (economy.py, cards.py, tricks.py, board.py,
control.py).
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Annotated

from pydantic import Field

from genontology.schemas.tabletop.effects.base import (
    WHO,
    Amount,
    Count,
    Drafting,
    Id,
    Ludeme,
    Node,
    Party,
    Player,
    Ref,
    ResourceAmount,
    Table,
    Term,
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
from genontology.schemas.tabletop.effects.conditions import (
    COMPETITIVE_VICTORIES,
    ENDINGS,
    GOALS,
    PRECONDITIONS,
    BankAtLeast,
    CooperativeGoal,
    DeckExhausted,
    Elimination,
    EndCondition,
    Ending,
    FewestCardPoints,
    FirstToEmptyHand,
    FirstToFinish,
    Goal,
    HandAtLeast,
    HandEmpty,
    HighestScore,
    LastStanding,
    LowestScore,
    PileAtLeast,
    Precondition,
    Requirement,
    ResourceAtLeast,
    Rolled,
    RoundLimit,
    ScoreThreshold,
    SpaceFree,
    Stalemate,
    SupplyDepleted,
    TrackEnd,
    VictoryCondition,
)
from genontology.schemas.tabletop.effects.control import PLAIN_EFFECTS, EndTurn, If, PlainEffect
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
from genontology.schemas.tabletop.effects.tricks import CardPoints, Give, PlayToTrick

EFFECTS: tuple[type[Ludeme], ...] = (*PLAIN_EFFECTS, If)
# The union every effect field accepts, discriminated by `kind`: the registry above, in its order.
Effect = Annotated[reduce(or_, EFFECTS), Field(discriminator="kind")]  # type: ignore[valid-type]

__all__ = [
    "COMPETITIVE_VICTORIES",
    "EFFECTS",
    "ENDINGS",
    "GOALS",
    "PLAIN_EFFECTS",
    "PRECONDITIONS",
    "WHO",
    "Advance",
    "Amount",
    "BankAtLeast",
    "CardPoints",
    "ConvertAll",
    "CooperativeGoal",
    "Count",
    "DeckExhausted",
    "Discard",
    "Drafting",
    "Draw",
    "Effect",
    "Elimination",
    "EndCondition",
    "EndTurn",
    "Ending",
    "FewestCardPoints",
    "FirstToEmptyHand",
    "FirstToFinish",
    "Gain",
    "GainCard",
    "Give",
    "Goal",
    "HandAtLeast",
    "HandEmpty",
    "HighestScore",
    "Id",
    "If",
    "Income",
    "LastStanding",
    "Lose",
    "LowestScore",
    "Ludeme",
    "Move",
    "NameSuit",
    "Node",
    "Party",
    "PileAtLeast",
    "Place",
    "PlainEffect",
    "Play",
    "PlayToPile",
    "PlayToTrick",
    "Player",
    "Precondition",
    "Ref",
    "Requirement",
    "ResourceAmount",
    "ResourceAtLeast",
    "Roll",
    "Rolled",
    "RoundLimit",
    "Score",
    "ScoreThreshold",
    "SpaceFree",
    "Spend",
    "Stalemate",
    "SupplyDepleted",
    "Table",
    "TakeFromMarket",
    "Term",
    "TrackEnd",
    "Trade",
    "Transfer",
    "VictoryCondition",
]
