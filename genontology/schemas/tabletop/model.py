"""The tabletop ontology: a game design as typed, referential data.

Every entity has a stable `id`; every relation names ids, never free text, so coherence is a matter of
identity that rules can check and a simulator can execute. Field descriptions are written for two readers:
a person, and the language model that fills the fields in. Every string and list is bounded, because a
small model loops forever on an unbounded schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from genontology.schemas.tabletop.effects import (
    Count,
    Effect,
    EndCondition,
    FinalScoring,
    Id,
    Node,
    Precondition,
    ResourceAmount,
    VictoryCondition,
)
from genontology.schemas.tabletop.taxonomy import (
    Complexity,
    ComponentKind,
    Genre,
    Interaction,
    MechanismType,
    ResourceKind,
    TurnOrder,
    Uncertainty,
)


def text(limit: int, description: str, min_length: int = 1) -> object:
    """A bounded text field; optional (default "") when it may be empty."""
    if min_length == 0:
        return Field("", max_length=limit, description=description)
    return Field(min_length=min_length, max_length=limit, description=description)


Name = Annotated[str, Field(min_length=1, max_length=60, description="A short display name.")]
Ids = Annotated[list[Id], Field(max_length=10)]


class ComponentCount(Node):
    component: Id = Field(description="Id of a card, tile or piece type.")
    count: Annotated[int, Field(ge=1, le=200)]


class Deal(Node):
    deck: Id = Field(description="Id of the deck dealt from.")
    count: Count = Field(description="Cards dealt to each player.")


class Mechanism(Node):
    """One game mechanism: a typed building block, with the components and actions that realize it."""

    id: Id
    type: MechanismType
    name: Name
    description: str = text(300, "How this mechanism works in this game, in one or two sentences.")
    components: Ids = Field(default_factory=list, description="Ids of the components this mechanism uses.")
    actions: Ids = Field(default_factory=list, description="Ids of the actions through which players use it.")


class Component(Node):
    """A physical component. Decks, bags and markets may list the card or tile types they hold."""

    id: Id
    name: Name
    kind: ComponentKind
    count: int = Field(
        ge=1, le=500, description="How many are in the box (cards in a deck, dice, tokens...)."
    )
    per_player: int | None = Field(
        None,
        ge=1,
        le=100,
        description="How many each player gets, if the component is handed out per player.",
    )
    description: str = text(200, "What it is and what it is for.", min_length=0)
    size: int | None = Field(
        None,
        ge=1,
        le=200,
        description="Spaces on a track, face-up slots in a market, or capacity of an area.",
    )
    source: Id | None = Field(None, description="For a market: id of the deck that refills it.")
    sides: int | None = Field(
        None, ge=2, le=100, description="For a die: its sides (4, 6, 8, 10, 12, 20); a d6 when unset."
    )
    faces: list[Annotated[int, Field(ge=-99, le=999)]] = Field(
        default_factory=list, max_length=20, description="For a die with custom faces: each face's value."
    )
    suits: Ids = Field(
        default_factory=list,
        description="For a deck of suited cards: its suits (a card per suit and rank).",
    )
    ranks: int | None = Field(None, ge=1, le=40, description="For a suited deck: how many ranks per suit.")
    first_rank: int = Field(
        1, ge=0, le=20, description="For a suited deck: the lowest rank's number (2 when aces rank high)."
    )
    personal: bool = Field(
        False, description="For a deck: each player has their own copy (their own draw and discard piles)."
    )
    reshuffle: bool = Field(
        True,
        description="For a deck: whether its discard pile is shuffled back in once the draw pile is empty.",
    )
    hand_limit: int | None = Field(
        None,
        ge=1,
        le=30,
        description="For a deck: most of its cards a player may keep in hand; a player over it at the end of "
        "their turn discards down to it, choosing what to keep.",
    )
    returns: bool = Field(
        False,
        description="For an action space or area: pieces placed here go back to their owners when the round "
        "ends (worker placement), so it is free again next round.",
    )
    adjacent: Ids = Field(
        default_factory=list, description="For an area of a map: ids of the areas next to it."
    )
    contents: list[ComponentCount] = Field(
        default_factory=list,
        max_length=12,
        description="For a deck, bag or market: the card or tile types in it.",
    )
    cost: list[ResourceAmount] = Field(
        default_factory=list, max_length=4, description="For a card or tile type: its price when bought."
    )
    effects: list[Effect] = Field(
        default_factory=list, max_length=4, description="For a card or tile type: what it does when played."
    )
    tags: list[Id] = Field(
        default_factory=list,
        max_length=4,
        description="For a card or tile type: what it is (a colour, a set, a symbol), for conditions and "
        "effects on cards with a tag or sets of one tag.",
    )


class Resource(Node):
    """Something players accumulate and spend: money, goods, points, health, threat."""

    id: Id
    name: Name
    kind: ResourceKind
    scope: Literal["per_player", "shared"] = Field(
        "per_player", description="per_player: each player has their own amount; shared: one common pool."
    )
    start: int = Field(0, ge=0, le=9999, description="Amount each player (or the shared pool) starts with.")
    maximum: int | None = Field(
        None, ge=1, le=9999, description="Most a player (or the pool) can hold, if capped."
    )
    supply: int | None = Field(
        None, ge=1, le=9999, description="Total available in the bank; none means unlimited."
    )
    component: Id | None = Field(None, description="Id of the component that represents it (coins, a track).")
    discounts: Id | None = Field(
        None,
        description="For a permanent bonus: id of the resource whose every cost each unit of this one lowers "
        "by one (engine building: a mine that makes rubies cheaper for good).",
    )
    enlarges: Id | None = Field(
        None,
        description="For a permanent bonus: id of a deck whose hand limit each unit of this one raises by "
        "one (a storehouse that lets its owner keep more cards).",
    )


class Action(Node):
    """Something a player can do on a turn: what it costs, when it is allowed, and what it does."""

    id: Id
    name: Name
    description: str = text(240, "What the player does, in the game's own words.")
    cost: list[ResourceAmount] = Field(
        default_factory=list, max_length=4, description="Resources paid to act."
    )
    preconditions: list[Precondition] = Field(
        default_factory=list, max_length=3, description="What must hold before the action is allowed."
    )
    effects: list[Effect] = Field(max_length=6, description="What happens, in order.")
    limit_per_turn: int | None = Field(
        None, ge=1, le=10, description="How often a player may take it per turn."
    )


class Phase(Node):
    """A step of a turn or round, with the actions it allows and any automatic effects."""

    id: Id
    name: Name
    description: str = text(240, "What happens in this phase.")
    actions: Ids = Field(default_factory=list, description="Ids of the actions allowed in this phase.")
    actions_per_turn: int = Field(1, ge=0, le=10, description="How many of those actions a player takes.")
    actions_from: Id | None = Field(
        None,
        description="Id of a resource: each player takes as many actions as they hold of it (their workers), "
        "instead of actions_per_turn.",
    )
    effects: list[Effect] = Field(
        default_factory=list,
        max_length=4,
        description="Automatic effects for each player at the phase start.",
    )
    first_round: int = Field(1, ge=1, le=50, description="The first round in which this phase is played.")
    last_round: int | None = Field(
        None, ge=1, le=50, description="The last round in which it is played (none: to the end)."
    )


class TurnStructure(Node):
    order: TurnOrder
    first_player: Literal["first_seat", "random", "rotating"] = Field(
        "first_seat",
        description="Who takes the first turn: the first seat, a player chosen at random, or the first seat "
        "and then the next one each round (the start player passes to the left).",
    )
    phases: list[Phase] = Field(min_length=1, max_length=6, description="Phases of a turn, in order.")


class SetupStep(Node):
    """One step of setting up, naming the components and resources it puts in play."""

    description: str = text(240, "What to do.")
    components: Ids = Field(default_factory=list, description="Ids of the components placed or handed out.")
    resources: Ids = Field(
        default_factory=list, description="Ids of the resources handed out (start amounts)."
    )
    deal: list[Deal] = Field(default_factory=list, max_length=3, description="Cards dealt to each player.")
    flip: Ids = Field(
        default_factory=list,
        description="Ids of decks whose top card is turned face up to start a discard pile.",
    )


class Role(Node):
    id: Id
    name: Name
    description: str = text(200, "What this role does differently.")


class Players(Node):
    """Who plays and how they relate."""

    min: int = Field(ge=1, le=12, description="Fewest players.")
    max: int = Field(ge=1, le=20, description="Most players.")
    recommended: list[int] = Field(default_factory=list, max_length=8, description="Best player counts.")
    interaction: Interaction
    roles: list[Role] = Field(default_factory=list, max_length=8, description="Distinct roles or factions.")
    team_size: int | None = Field(None, ge=2, le=6, description="Players per team, for team games.")


class TieBreaker(Node):
    resource: Id
    prefer: Literal["most", "fewest"] = "most"


class Provenance(Node):
    """Where a design comes from: a traditional game, a published one, a generated or a user's design."""

    origin: Literal["traditional", "published", "generated", "user"]
    designer: str | None = Field(None, max_length=120)
    year: int | None = Field(None, ge=-3000, le=2100)
    publisher: str | None = Field(None, max_length=120)
    simplifications: str = Field(
        "", max_length=500, description="What this encoding leaves out of the original game, said plainly."
    )
    parents: list[Id] = Field(
        default_factory=list,
        max_length=4,
        description="For a design made by recombining games: ids of the exemplars it descends from.",
    )


class GameDesign(Node):
    """A complete tabletop game design."""

    id: Id = Field(description="Slug of the title.")
    title: str = text(80, "The game's title.")
    tagline: str = text(160, "One line that sells the game.")
    theme: str = text(400, "The theme: who the players are and what they are doing.")
    setting: str = text(600, "The world the game takes place in.")
    goal: str = text(300, "What players are trying to achieve, concretely enough to act on.")
    core_loop: str = text(400, "What a player does on a typical turn, in one or two sentences.")
    genre: Genre
    complexity: Complexity
    play_time_minutes: int = Field(ge=1, le=600, description="Typical playing time.")
    players: Players
    uncertainty: list[Uncertainty] = Field(default_factory=list, max_length=5)
    mechanisms: list[Mechanism] = Field(min_length=1, max_length=8)
    theming: dict[Id, Annotated[str, Field(max_length=240)]] = Field(
        default_factory=dict,
        max_length=8,
        description="For each mechanism id, how the theme shows in that mechanism.",
    )
    components: list[Component] = Field(min_length=1, max_length=24)
    resources: list[Resource] = Field(default_factory=list, max_length=12)
    actions: list[Action] = Field(min_length=1, max_length=20)
    turn_structure: TurnStructure
    setup: list[SetupStep] = Field(min_length=1, max_length=16)
    end_conditions: list[EndCondition] = Field(min_length=1, max_length=4)
    final_scoring: list[FinalScoring] = Field(
        default_factory=list, max_length=8, description="Points added when the game ends, before the winner."
    )
    victory: list[VictoryCondition] = Field(min_length=1, max_length=3)
    tie_breakers: list[TieBreaker] = Field(default_factory=list, max_length=3)
    provenance: Provenance | None = None
