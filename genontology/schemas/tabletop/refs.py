"""Every id reference in a tabletop design, with its JSON path and what it must point to.

One table serves the reference rules, so a new field that refers to something is checked by adding one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from genontology.ontology.violations import PathPart, json_path
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.taxonomy import CARD_KINDS, PIECE_KINDS, PLACE_KINDS, ComponentKind

Target = Literal["component", "action", "resource", "mechanism"]
K = ComponentKind
DECK = frozenset({K.deck})
MOVERS = frozenset({K.pawn, K.worker, K.marker, K.token})
CONTAINED = frozenset({K.card, K.tile, K.token, K.coin, K.marker, K.worker, K.pawn, K.die})


@dataclass(frozen=True)
class Ref:
    """A reference at `path` to the id `target_id`, which must name a `target` of one of `kinds`."""

    parts: tuple[PathPart, ...]
    target_id: str
    target: Target
    kinds: frozenset[ComponentKind] | None = None

    @property
    def path(self) -> str:
        return json_path(*self.parts)


def _effect_refs(effect: fx.Effect, base: tuple[PathPart, ...]) -> Iterator[Ref]:
    def ref(attr: str, target: Target, kinds: frozenset[ComponentKind] | None = None) -> Iterator[Ref]:
        value = getattr(effect, attr)
        if value:
            yield Ref((*base, attr), value, target, kinds)

    match effect:
        case fx.Gain() | fx.Spend() | fx.Lose() | fx.Transfer() | fx.Score():
            yield from ref("resource", "resource")
        case fx.Income():
            yield from ref("resource", "resource")
            yield from ref("per", "resource")
        case fx.Trade():
            yield Ref((*base, "give", "resource"), effect.give.resource, "resource")
            yield Ref((*base, "receive", "resource"), effect.receive.resource, "resource")
        case fx.Draw() | fx.Discard() | fx.Play():
            yield from ref("deck", "component", DECK)
        case fx.Roll():
            yield from ref("dice", "component", frozenset({K.die}))
            yield from ref("gain", "resource")
            yield from ref("advance", "component", frozenset({K.track}))
        case fx.Place():
            yield from ref("component", "component", PIECE_KINDS)
            yield from ref("area", "component", PLACE_KINDS)
        case fx.Move():
            yield from ref("component", "component", MOVERS)
            yield from ref("area", "component", PLACE_KINDS)
        case fx.Advance():
            yield from ref("track", "component", frozenset({K.track}))
        case fx.TakeFromMarket():
            yield from ref("market", "component", frozenset({K.market}))


def _condition_refs(condition: object, base: tuple[PathPart, ...]) -> Iterator[Ref]:
    for attr, target, kinds in (
        ("resource", "resource", None),
        ("deck", "component", DECK),
        ("track", "component", frozenset({K.track})),
        ("area", "component", PLACE_KINDS),
    ):
        value = getattr(condition, attr, None)
        if value:
            yield Ref((*base, attr), value, target, kinds)  # type: ignore[arg-type]


def iter_refs(design: GameDesign) -> Iterator[Ref]:
    """Every reference in the design, in document order."""
    for i, mech in enumerate(design.mechanisms):
        for j, cid in enumerate(mech.components):
            yield Ref(("mechanisms", i, "components", j), cid, "component")
        for j, aid in enumerate(mech.actions):
            yield Ref(("mechanisms", i, "actions", j), aid, "action")
    for key in design.theming:
        yield Ref(("theming", key), key, "mechanism")
    for i, comp in enumerate(design.components):
        if comp.source:
            yield Ref(("components", i, "source"), comp.source, "component", DECK)
        for j, item in enumerate(comp.contents):
            yield Ref(("components", i, "contents", j, "component"), item.component, "component", CONTAINED)
        for j, cost in enumerate(comp.cost):
            yield Ref(("components", i, "cost", j, "resource"), cost.resource, "resource")
        for j, effect in enumerate(comp.effects):
            yield from _effect_refs(effect, ("components", i, "effects", j))
    for i, res in enumerate(design.resources):
        if res.component:
            yield Ref(("resources", i, "component"), res.component, "component")
    for i, action in enumerate(design.actions):
        for j, cost in enumerate(action.cost):
            yield Ref(("actions", i, "cost", j, "resource"), cost.resource, "resource")
        for j, pre in enumerate(action.preconditions):
            yield from _condition_refs(pre, ("actions", i, "preconditions", j))
        for j, effect in enumerate(action.effects):
            yield from _effect_refs(effect, ("actions", i, "effects", j))
    for i, phase in enumerate(design.turn_structure.phases):
        base = ("turn_structure", "phases", i)
        for j, aid in enumerate(phase.actions):
            yield Ref((*base, "actions", j), aid, "action")
        for j, effect in enumerate(phase.effects):
            yield from _effect_refs(effect, (*base, "effects", j))
    for i, step in enumerate(design.setup):
        for j, cid in enumerate(step.components):
            yield Ref(("setup", i, "components", j), cid, "component")
        for j, rid in enumerate(step.resources):
            yield Ref(("setup", i, "resources", j), rid, "resource")
        for j, deal in enumerate(step.deal):
            yield Ref(("setup", i, "deal", j, "deck"), deal.deck, "component", DECK)
    for i, end in enumerate(design.end_conditions):
        yield from _condition_refs(end, ("end_conditions", i))
    for i, victory in enumerate(design.victory):
        yield from _condition_refs(victory, ("victory", i))
    for i, breaker in enumerate(design.tie_breakers):
        yield Ref(("tie_breakers", i, "resource"), breaker.resource, "resource")


# Lists of ids that should not repeat an id, by JSON path, for the duplicate-reference rule.
def iter_id_lists(design: GameDesign) -> Iterator[tuple[str, list[str]]]:
    for i, mech in enumerate(design.mechanisms):
        yield json_path("mechanisms", i, "components"), mech.components
        yield json_path("mechanisms", i, "actions"), mech.actions
    for i, phase in enumerate(design.turn_structure.phases):
        yield json_path("turn_structure", "phases", i, "actions"), phase.actions
    for i, step in enumerate(design.setup):
        yield json_path("setup", i, "components"), step.components
        yield json_path("setup", i, "resources"), step.resources


__all__ = ["CARD_KINDS", "Ref", "iter_id_lists", "iter_refs"]
