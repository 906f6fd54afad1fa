"""A design's numeric knobs: every integer a tuner may change, with the levels it may try.

A knob is found by walking the design's Pydantic model, not by a list of paths, so a field added to the
schema is tunable at once. What the brief or the game's identity fixes is never a knob: the player counts,
the stated play time, a card's rank. Levels are a few discretized steps around the designer's own value
(half, three quarters, the value, one and a half, double), rounded and clipped to the field's bounds: a
tuner adjusts a design's numbers, it does not invent a new economy.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from genontology.schemas.tabletop.model import GameDesign

# Numbers the brief or the game's identity fixes: who plays, for how long, what a card is, in which round
# a phase begins.
FIXED = frozenset(
    {
        "min",
        "max",
        "recommended",
        "team_size",
        "year",
        "play_time_minutes",
        "rank",
        "first_rank",
        "ranks",
        "first_round",
    }
)
STEPS = (0.5, 0.75, 1.0, 1.5, 2.0)

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Knob:
    path: Path  # into the design's JSON (`model_dump`)
    label: str  # the same path with each listed thing named by its id: actions[forage].effects[0:gain].amount
    family: str  # the same field in the same kind of place, across the design: actions.effects:gain.amount
    value: int
    low: int
    high: int

    @property
    def part(self) -> str:
        """The top-level part of the design the knob belongs to (actions, end_conditions, resources...)."""
        return str(self.path[0])

    def scaled(self, factor: float) -> int:
        """The value times `factor`, rounded, within the field's bounds; a positive amount stays positive."""
        floor = max(self.low, 1 if self.value >= 1 else self.low)
        return min(self.high, max(floor, round(self.value * factor)))

    def levels(self) -> list[int]:
        """The values a tuner may give it: the value scaled by each of STEPS."""
        return sorted({self.scaled(s) for s in STEPS})


def _bounds(info: FieldInfo) -> tuple[int, int]:
    low, high = -9999, 9999
    for rule in info.metadata:
        if isinstance(rule, Ge):
            low = int(rule.ge)  # type: ignore[call-overload]
        elif isinstance(rule, Gt):
            low = int(rule.gt) + 1  # type: ignore[call-overload]
        elif isinstance(rule, Le):
            high = int(rule.le)  # type: ignore[call-overload]
        elif isinstance(rule, Lt):
            high = int(rule.lt) - 1  # type: ignore[call-overload]
    return low, high


def _named(label: str, item: Any, index: int) -> str:
    """A listed thing by its id (actions[forage]), else by place and kind (effects[1:gain])."""
    if isinstance(getattr(item, "id", None), str):
        return f"{label}[{item.id}]"
    kind = getattr(item, "kind", None)
    return f"{label}[{index}:{kind}]" if isinstance(kind, str) else f"{label}[{index}]"


def _walk(node: BaseModel, path: Path, label: str, family: str) -> Iterator[Knob]:
    for name, info in type(node).model_fields.items():
        if name in FIXED:
            continue
        value = getattr(node, name)
        where = (*path, name)
        called, kin = (f"{label}.{name}", f"{family}.{name}") if label else (name, name)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            yield Knob(where, called, kin, value, *_bounds(info))
        elif isinstance(value, BaseModel):
            yield from _walk(value, where, called, kin)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    kind = getattr(item, "kind", None)
                    sort = f"{kin}:{kind}" if isinstance(kind, str) and not hasattr(item, "id") else kin
                    yield from _walk(item, (*where, i), _named(called, item, i), sort)
                elif isinstance(item, int) and not isinstance(item, bool):
                    yield Knob((*where, i), f"{called}[{i}]", kin, item, -999, 999)  # bounds: validation


def knobs(design: GameDesign) -> list[Knob]:
    """Every integer of `design` a tuner may change, in the order the design lists them."""
    return list(_walk(design, (), "", ""))


def put(data: dict[str, Any], setting: Mapping[Path, int]) -> dict[str, Any]:
    """A copy of a design's JSON data with each path of `setting` set to its value."""
    data = copy.deepcopy(data)
    for path, value in setting.items():
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return data


def apply(design: GameDesign, setting: Mapping[Path, int]) -> GameDesign:
    """`design` with each knob's path set to its value; raises pydantic's ValidationError where a value
    breaks the schema."""
    return GameDesign.model_validate(put(design.model_dump(mode="json"), setting))
