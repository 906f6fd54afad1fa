"""Every id reference in a tabletop design, with its JSON path and what it must point to.

One table serves the reference rules, so a new field that refers to something is checked by adding one line.
"""

from __future__ import annotations

from collections.abc import Iterator

from genontology.ontology.violations import json_path
from genontology.schemas.tabletop.effects.base import AREAS, DECK, MOVERS, Ref
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.taxonomy import CARD_KINDS, ComponentKind

K = ComponentKind
CONTAINED = frozenset({K.card, K.tile, K.token, K.coin, K.marker, K.worker, K.pawn, K.die})


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
            yield from effect.refs(("components", i, "effects", j))
        for j, area in enumerate(comp.adjacent):
            yield Ref(("components", i, "adjacent", j), area, "component", AREAS)
    for i, res in enumerate(design.resources):
        if res.component:
            yield Ref(("resources", i, "component"), res.component, "component")
        if res.discounts:
            yield Ref(("resources", i, "discounts"), res.discounts, "resource")
        if res.enlarges:
            yield Ref(("resources", i, "enlarges"), res.enlarges, "component", DECK)
    for i, action in enumerate(design.actions):
        for j, cost in enumerate(action.cost):
            yield Ref(("actions", i, "cost", j, "resource"), cost.resource, "resource")
        for j, pre in enumerate(action.preconditions):
            yield from pre.refs(("actions", i, "preconditions", j))
        for j, effect in enumerate(action.effects):
            yield from effect.refs(("actions", i, "effects", j))
    for i, phase in enumerate(design.turn_structure.phases):
        base = ("turn_structure", "phases", i)
        for j, aid in enumerate(phase.actions):
            yield Ref((*base, "actions", j), aid, "action")
        if phase.actions_from:
            yield Ref((*base, "actions_from"), phase.actions_from, "resource")
        for j, effect in enumerate(phase.effects):
            yield from effect.refs((*base, "effects", j))
    for i, step in enumerate(design.setup):
        for j, cid in enumerate(step.components):
            yield Ref(("setup", i, "components", j), cid, "component")
        for j, rid in enumerate(step.resources):
            yield Ref(("setup", i, "resources", j), rid, "resource")
        for j, deal in enumerate(step.deal):
            yield Ref(("setup", i, "deal", j, "deck"), deal.deck, "component", DECK)
        for j, deck in enumerate(step.flip):
            yield Ref(("setup", i, "flip", j), deck, "component", DECK)
    for i, end in enumerate(design.end_conditions):
        yield from end.refs(("end_conditions", i))
    for i, rule in enumerate(design.final_scoring):
        yield from rule.refs(("final_scoring", i))
    for i, victory in enumerate(design.victory):
        yield from victory.refs(("victory", i))
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
        yield json_path("setup", i, "flip"), step.flip
    for i, comp in enumerate(design.components):
        yield json_path("components", i, "adjacent"), comp.adjacent


__all__ = ["CARD_KINDS", "MOVERS", "Ref", "iter_id_lists", "iter_refs"]
