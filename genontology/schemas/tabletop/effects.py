"""The typed vocabulary of what happens in play: effects, preconditions, end and victory conditions.

Each is a member of a discriminated union on `kind`, and refers to resources, components and decks by id,
so that a validator can check every reference and a simulator can interpret every effect as data.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
    Field(
        description="A stable id: lower-case slug of letters, digits and underscores, starting with a letter."
    ),
]
Amount = Annotated[int, Field(ge=1, le=999, description="A positive quantity.")]
Count = Annotated[int, Field(ge=1, le=20, description="How many items.")]
Player = Literal["self", "chosen_opponent", "each_opponent", "all_players"]
Party = Literal["self", "chosen_opponent", "each_opponent", "supply"]


class Node(BaseModel):
    """Base of every schema object: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class ResourceAmount(Node):
    resource: Id = Field(description="Id of a declared resource.")
    amount: Amount


class Gain(Node):
    """A player gains some of a resource from the supply."""

    kind: Literal["gain"]
    resource: Id
    amount: Amount
    target: Player = Field("self", description="Who gains it.")


class Spend(Node):
    """The acting player pays some of a resource back to the supply (beyond the action's cost)."""

    kind: Literal["spend"]
    resource: Id
    amount: Amount


class Lose(Node):
    """A player loses some of a resource: damage, theft to the supply, penalties."""

    kind: Literal["lose"]
    resource: Id
    amount: Amount
    target: Player = Field("chosen_opponent", description="Who loses it.")


class Transfer(Node):
    """Some of a resource moves from one party to another (stealing, paying a player, taxes)."""

    kind: Literal["transfer"]
    resource: Id
    amount: Amount
    source: Party = "chosen_opponent"
    recipient: Party = "self"


class Income(Node):
    """A player gains `amount` of a resource for every `every` units they hold of another: production,
    income from holdings, reinforcements by territory. It is how an economy grows with a player's position."""

    kind: Literal["income"]
    resource: Id = Field(description="Id of the resource gained.")
    per: Id = Field(description="Id of the resource whose holdings pay out (cities, territories, plants).")
    amount: Amount = 1
    every: Count = Field(1, description="Units of `per` needed for each payment of `amount`.")


class Draw(Node):
    """Draw cards from a deck into hand."""

    kind: Literal["draw"]
    deck: Id = Field(description="Id of a deck component.")
    count: Count = 1


class Discard(Node):
    """Discard cards from a hand to the deck's discard pile."""

    kind: Literal["discard"]
    deck: Id = Field(description="Id of the deck whose cards are discarded.")
    count: Count = 1


class Play(Node):
    """Play cards from hand; each card's own effects (if its card type lists any) then happen."""

    kind: Literal["play"]
    deck: Id = Field(description="Id of the deck the played cards belong to.")
    count: Count = 1


class Roll(Node):
    """Roll dice; the total may be gained as a resource or moved along a track."""

    kind: Literal["roll"]
    dice: Id = Field(description="Id of a die component.")
    count: Count = 1
    gain: Id | None = Field(None, description="Resource gained by the rolled total, if any.")
    advance: Id | None = Field(None, description="Track advanced by the rolled total, if any.")


class Place(Node):
    """Put pieces (workers, tiles, markers) onto a board, area or action space."""

    kind: Literal["place"]
    component: Id = Field(description="Id of the piece placed.")
    area: Id | None = Field(None, description="Id of the board, area or action space it goes to.")
    count: Count = 1


class Move(Node):
    """Move a piece between areas of a board."""

    kind: Literal["move"]
    component: Id = Field(description="Id of the piece moved.")
    area: Id | None = Field(None, description="Id of the board or area it moves within.")
    spaces: Count = 1


class Advance(Node):
    """Move a player's marker along a track (score, progress, turn track)."""

    kind: Literal["advance"]
    track: Id = Field(description="Id of a track component.")
    steps: int = Field(1, ge=-20, le=20, description="Spaces to move; negative moves back.")
    target: Player = "self"


class TakeFromMarket(Node):
    """Take or buy items from a face-up market; bought cards join the player's cards."""

    kind: Literal["take_from_market"]
    market: Id = Field(description="Id of a market component.")
    count: Count = 1


class Score(Node):
    """Score points: gain the points resource that victory counts."""

    kind: Literal["score"]
    resource: Id = Field(description="Id of a points resource.")
    amount: Amount


class Trade(Node):
    """Exchange resources with the supply (at a fixed rate) or with another player."""

    kind: Literal["trade"]
    give: ResourceAmount
    receive: ResourceAmount
    partner: Literal["supply", "player"] = "supply"


Effect = Annotated[
    Gain
    | Spend
    | Lose
    | Transfer
    | Income
    | Draw
    | Discard
    | Play
    | Roll
    | Place
    | Move
    | Advance
    | TakeFromMarket
    | Score
    | Trade,
    Field(discriminator="kind"),
]


class ResourceAtLeast(Node):
    """The acting player holds at least `amount` of a resource."""

    kind: Literal["resource_at_least"]
    resource: Id
    amount: Amount


class HandAtLeast(Node):
    """The acting player holds at least `count` cards of a deck."""

    kind: Literal["hand_at_least"]
    deck: Id
    count: Count = 1


class SpaceFree(Node):
    """An area or action space is not occupied (exclusive placement)."""

    kind: Literal["space_free"]
    area: Id


Precondition = Annotated[ResourceAtLeast | HandAtLeast | SpaceFree, Field(discriminator="kind")]


class ScoreThreshold(Node):
    """The game ends when any player's amount of `resource` (or the shared amount) reaches `threshold`."""

    kind: Literal["score_threshold"]
    resource: Id
    threshold: int = Field(ge=1, le=9999)


class RoundLimit(Node):
    """The game ends after a fixed number of rounds."""

    kind: Literal["round_limit"]
    rounds: int = Field(ge=1, le=200)


class DeckExhausted(Node):
    """The game ends when a deck's draw pile runs out."""

    kind: Literal["deck_exhausted"]
    deck: Id


class SupplyDepleted(Node):
    """The game ends when a resource runs out: a limited bank, a shared pool, or a player's own stock."""

    kind: Literal["supply_depleted"]
    resource: Id


class TrackEnd(Node):
    """The game ends when a player's marker reaches the last space of a track."""

    kind: Literal["track_end"]
    track: Id


class Elimination(Node):
    """A player with none of `resource` is out; the game ends when one player (or team) remains."""

    kind: Literal["elimination"]
    resource: Id


class HandEmpty(Node):
    """The game ends when a player has played or discarded every card of a deck from hand."""

    kind: Literal["hand_empty"]
    deck: Id


EndCondition = Annotated[
    ScoreThreshold | RoundLimit | DeckExhausted | SupplyDepleted | TrackEnd | Elimination | HandEmpty,
    Field(discriminator="kind"),
]


class HighestScore(Node):
    """The player with the most of `resource` wins."""

    kind: Literal["highest_score"]
    resource: Id


class LowestScore(Node):
    """The player with the least of `resource` wins (penalty points)."""

    kind: Literal["lowest_score"]
    resource: Id


class LastStanding(Node):
    """The last player (or team) not eliminated wins."""

    kind: Literal["last_standing"]


class FirstToFinish(Node):
    """The first player to reach the end of a track wins."""

    kind: Literal["first_to_finish"]
    track: Id


class FirstToEmptyHand(Node):
    """The first player with no cards of a deck left in hand wins."""

    kind: Literal["first_to_empty_hand"]
    deck: Id


class CooperativeGoal(Node):
    """Cooperative win/loss: everyone wins if the shared `resource` has reached `threshold` when the game
    ends, and everyone loses otherwise."""

    kind: Literal["cooperative_goal"]
    resource: Id
    threshold: int = Field(ge=1, le=9999)


VictoryCondition = Annotated[
    HighestScore | LowestScore | LastStanding | FirstToFinish | FirstToEmptyHand | CooperativeGoal,
    Field(discriminator="kind"),
]
COMPETITIVE_VICTORIES = (HighestScore, LowestScore, LastStanding, FirstToFinish, FirstToEmptyHand)
