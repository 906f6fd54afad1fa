"""Mechanism rules: each mechanism type has what it needs to work, and every mechanism is anchored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from genontology.ontology import graph as g
from genontology.ontology.rules import Finding
from genontology.ontology.violations import Severity, json_path
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.rules.base import rule
from genontology.schemas.tabletop.taxonomy import CARD_KINDS, ComponentKind, MechanismType, ResourceKind

K = ComponentKind
MT = MechanismType


@dataclass(frozen=True)
class Needs:
    kinds: frozenset[ComponentKind]
    what: str


CARDS = Needs(CARD_KINDS, "cards (a deck, card or market)")
DICE = Needs(frozenset({K.die}), "dice")
AREAS = Needs(frozenset({K.area, K.board}), "areas (a board or areas)")
# What each mechanism type needs among the components the mechanism itself lists.
REQUIREMENTS: dict[MechanismType, tuple[Needs, ...]] = {
    MT.deck_building: (CARDS,),
    MT.hand_management: (CARDS,),
    MT.card_driven: (CARDS,),
    MT.trick_taking: (CARDS,),
    MT.tableau_building: (CARDS,),
    MT.dice_driven: (DICE,),
    MT.roll_and_move: (DICE, Needs(frozenset({K.pawn, K.marker}), "a piece to move")),
    MT.worker_placement: (
        Needs(frozenset({K.worker}), "workers"),
        Needs(frozenset({K.action_space, K.board, K.area}), "places to put them (action spaces or a board)"),
    ),
    MT.area_control: (AREAS,),
    MT.area_movement: (AREAS,),
    MT.route_building: (AREAS,),
    MT.tile_placement: (Needs(frozenset({K.tile}), "tiles"),),
    MT.market: (Needs(frozenset({K.market}), "a market display"),),
    MT.race: (Needs(frozenset({K.track, K.board}), "a track or board to race along"),),
}
TRADABLE = frozenset({ResourceKind.good, ResourceKind.currency})


@rule("mechanism.missing-component")
def mechanism_missing_component(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A mechanism lists the components it cannot work without: deck building, hand management, card-driven,
    trick taking and tableaus need cards; dice-driven needs dice; worker placement needs workers and places
    to put them; area control and movement need areas; tile placement needs tiles; a market needs a
    display."""
    for i, mech in enumerate(design.mechanisms):
        kinds = {index.components[c].kind for c in mech.components if c in index.components}
        for needs in REQUIREMENTS.get(mech.type, ()):
            if not kinds & needs.kinds:
                yield Finding(
                    json_path("mechanisms", i, "components"),
                    f"mechanism '{mech.name}' ({mech.type.value}) lists no {needs.what}",
                    f"declare a component of kind {' or '.join(sorted(k.value for k in needs.kinds))} "
                    "and list its id in this mechanism's components",
                )


@rule("mechanism.missing-currency")
def mechanism_missing_currency(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Auctions and markets need a currency to bid or pay with."""
    has_currency = any(r.kind is ResourceKind.currency for r in design.resources)
    for i, mech in enumerate(design.mechanisms):
        if mech.type in (MT.auction, MT.market) and not has_currency:
            yield Finding(
                json_path("mechanisms", i, "type"),
                f"mechanism '{mech.name}' ({mech.type.value}) has no currency to pay with",
                "declare a resource of kind 'currency' (coins, credits) and use it in costs",
            )


@rule("mechanism.trading-needs-two-resources")
def trading_needs_two_resources(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Trading needs at least two tradable per-player resources, or there is nothing to exchange."""
    tradable = [r for r in design.resources if r.kind in TRADABLE and r.scope == "per_player"]
    for i, mech in enumerate(design.mechanisms):
        if mech.type is MT.trading and len(tradable) < 2:
            names = ", ".join(r.id for r in tradable) or "none"
            yield Finding(
                json_path("mechanisms", i, "type"),
                f"mechanism '{mech.name}' trades but the design has {len(tradable)} "
                f"tradable resource(s): {names}",
                "declare at least two per-player resources of kind 'good' or 'currency'",
            )


@rule("mechanism.orphan")
def orphan_mechanism(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A mechanism is anchored in play: it uses at least one component or action, or it is only a word."""
    for i, mech in enumerate(design.mechanisms):
        if not g.successors_by(index.graph, mech.id, g.USES):
            yield Finding(
                json_path("mechanisms", i),
                f"mechanism '{mech.name}' uses no declared component or action",
                "list the ids of the components and actions through which players use it",
            )


@rule("mechanism.theming-missing", Severity.warning)
def theming_missing(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """The theme lives in every mechanism: each mechanism has a line saying how the theme shows in it."""
    for i, mech in enumerate(design.mechanisms):
        if not design.theming.get(mech.id, "").strip():
            yield Finding(
                json_path("mechanisms", i),
                f"mechanism '{mech.name}' has no theming",
                f"add theming['{mech.id}']: how the setting shows when players use this mechanism",
            )
