"""Effects on the table: dice, pieces placed and moved on boards and the areas of a map, markers on tracks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from genontology.ontology.intervals import Interval
from genontology.ontology.narrowing import choice, narrow
from genontology.schemas.tabletop.effects.base import (
    CONSUMES,
    DICE,
    MOVERS,
    PRODUCES,
    TRACK,
    USES,
    WHO,
    Count,
    Delta,
    Drafting,
    Id,
    Ludeme,
    Name,
    Player,
    Reach,
    Table,
    changes,
    component_slot,
    resource_slot,
    target_choice,
)
from genontology.schemas.tabletop.taxonomy import PIECE_KINDS, PLACE_KINDS


class Roll(Ludeme):
    """Roll dice; the total may be gained as a resource or moved along a track."""

    REFERENCES = (
        component_slot("dice", DICE, USES),
        resource_slot("gain", PRODUCES),
        component_slot("advance", TRACK, PRODUCES),
    )
    kind: Literal["roll"]
    dice: Id = Field(description="Id of a die component.")
    count: Count = 1
    gain: Id | None = Field(None, description="Resource gained by the rolled total, if any.")
    advance: Id | None = Field(None, description="Track advanced by the rolled total, if any.")

    def sentence(self, name: Name) -> str:
        then = [f"gain that many {name(self.gain)}"] if self.gain else []
        then += [f"advance that many spaces on {name(self.advance)}"] if self.advance else []
        return f"roll {self.count} {name(self.dice)}" + (", then " + " and ".join(then) if then else "")

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        dice, tracks = d.ids(DICE), d.ids(TRACK)
        if not dice:
            return []
        extra: dict[str, Any] = {"gain": choice(d.resources) | None} if d.resources else {}
        if tracks:
            extra["advance"] = choice(tracks) | None
        return [narrow(cls, dice=choice(dice), **extra)]

    def apply(self, table: Table, state: Any, seat: int) -> None:
        total = table.roll(state, self.dice, self.count)
        if self.gain:
            table.gain(state, seat, self.gain, total)
        if self.advance:
            table.advance(state, seat, self.advance, total)

    def transfer(self, at: Reach) -> Delta:
        rolled = at.rolled(self.dice, self.count)
        return {(q, "self"): rolled for q in (self.gain, self.advance) if q}


class Place(Ludeme):
    """Put pieces (workers, tiles, markers) onto a board, area or action space. On a map (areas with
    adjacency), a placement that names no single area lets the player choose one (`where`), next to an area
    they already hold when `spread` says so."""

    REFERENCES = (component_slot("component", PIECE_KINDS, USES), component_slot("area", PLACE_KINDS, USES))
    kind: Literal["place"]
    component: Id = Field(description="Id of the piece placed.")
    area: Id | None = Field(None, description="Id of the board, area or action space it goes to.")
    count: Count = 1
    spread: bool = Field(
        False, description="On a map: only into or next to an area you hold (anywhere while you hold none)."
    )

    def sentence(self, name: Name) -> str:
        where = f" on {name(self.area)}" if self.area else ""
        near = ", in or next to an area you hold" if self.spread else ""
        return f"place {self.count} {name(self.component)}{where}{near}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        pieces, places = d.ids(PIECE_KINDS), d.ids(PLACE_KINDS)
        if not (pieces and places):
            return []
        return [narrow(cls, component=choice(pieces), area=choice(places) | None)]

    def spots(self, table: Table, state: Any, seat: int) -> list[str]:
        """The map areas the player may choose among (none when the area is fixed or there is no map)."""
        areas = table.map_areas()
        if not areas or self.area in areas:
            return []
        if self.spread and any(table.presence(state, seat, a) for a in areas):
            return table.near(state, seat)
        return areas

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        spots = self.spots(table, state, seat)
        return {"where": spots} if spots else {}

    def apply(self, table: Table, state: Any, seat: int) -> None:
        spots = self.spots(table, state, seat)
        where = table.chosen(state, "where", spots) if spots else self.area or self.component
        table.place(state, seat, where, self.count)


class Move(Ludeme):
    """Move a piece between areas of a board. On a map (areas with adjacency) the player moves one of their
    pieces from an area they hold along up to `spaces` adjacencies (`route=from>to`)."""

    REFERENCES = (component_slot("component", MOVERS, USES), component_slot("area", PLACE_KINDS, USES))
    kind: Literal["move"]
    component: Id = Field(description="Id of the piece moved.")
    area: Id | None = Field(None, description="Id of the board or area it moves within.")
    spaces: Count = 1

    def sentence(self, name: Name) -> str:
        where = f" on {name(self.area)}" if self.area else ""
        return f"move {name(self.component)} up to {self.spaces} space(s){where}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        pieces, places = d.ids(MOVERS), d.ids(PLACE_KINDS)
        if not (pieces and places):
            return []
        return [narrow(cls, component=choice(pieces), area=choice(places) | None)]

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return {"route": table.routes(state, seat, self.spaces)} if table.map_areas() else {}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        return not table.map_areas() or bool(table.routes(state, seat, self.spaces))

    def apply(self, table: Table, state: Any, seat: int) -> None:
        if not table.map_areas():  # presence on an unmapped board stays; where is not modelled
            table.place(state, seat, self.area or self.component, 0)
            return
        routes = table.routes(state, seat, self.spaces)
        if routes:
            table.move_piece(state, seat, table.chosen(state, "route", routes))


class Advance(Ludeme):
    """Move a player's marker along a track (score, progress, turn track)."""

    REFERENCES = (component_slot("track", TRACK),)  # its edge depends on the direction: see edges()
    kind: Literal["advance"]
    track: Id = Field(description="Id of a track component.")
    steps: int = Field(1, ge=-20, le=20, description="Spaces to move; negative moves back.")
    target: Player = "self"

    def edges(self) -> Iterator[tuple[str, str]]:
        yield self.track, PRODUCES if self.steps > 0 else CONSUMES

    def sentence(self, name: Name) -> str:
        who = "" if self.target == "self" else f" ({WHO[self.target]})"
        return f"move {self.steps:+d} on {name(self.track)}{who}"

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        tracks = d.ids(TRACK)
        return [narrow(cls, track=choice(tracks))] if tracks else []

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        return target_choice(table, state, seat, self.target)

    def apply(self, table: Table, state: Any, seat: int) -> None:
        for s in table.targets(state, self.target):
            table.advance(state, s, self.track, self.steps)

    def transfer(self, at: Reach) -> Delta:
        return changes(self.track, self.target, Interval.exactly(self.steps))
