"""Build the ontology graph of a tabletop design, and the per-validation index every rule reads.

Nodes: the turn (root), phases, actions, mechanisms, components, resources, setup steps, end conditions,
final scoring rules and victory conditions. Edges carry a relation: the core's uses, costs, produces,
consumes, triggers, ends, scores, plus `requires` (preconditions, what a scoring rule counts), `sheds` (cards
leaving a hand) and `represents` (component for a resource).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import networkx as nx

from genontology.ontology import graph as g
from genontology.ontology.violations import json_path
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.effects.base import REQUIRES, SHEDS
from genontology.schemas.tabletop.effects.scoring import counted_by_victory
from genontology.schemas.tabletop.model import Action, Component, GameDesign, Mechanism, Phase, Resource
from genontology.schemas.tabletop.refs import Ref, iter_refs

if TYPE_CHECKING:
    from genontology.schemas.tabletop.ranges import Ranges

REPRESENTS = "represents"
ROOT = "turn"


def effect_edges(graph: nx.MultiDiGraph, actor: str, term: fx.Term) -> None:
    """Edges from an actor (action, phase or card type) for one effect or precondition: those it declares."""
    for target, relation in term.edges():
        g.relate(graph, actor, target, relation)


def build_graph(design: GameDesign) -> nx.MultiDiGraph:
    """The design as a typed multigraph (see module docstring for nodes and relations)."""
    graph = g.new_graph()
    g.add_entity(graph, ROOT, "turn", json_path("turn_structure"))
    # Entity nodes first, so every edge below can find both ends.
    for kind, items in (
        ("resource", design.resources),
        ("component", design.components),
        ("action", design.actions),
        ("mechanism", design.mechanisms),
        ("phase", design.turn_structure.phases),
    ):
        section = "turn_structure.phases" if kind == "phase" else f"{kind}s"
        for i, item in enumerate(items):
            if item.id not in graph:
                g.add_entity(graph, item.id, kind, f"$.{section}[{i}]")
    for i, _ in enumerate(design.setup):
        g.add_entity(graph, f"setup:{i}", "setup", json_path("setup", i))
    for i, _ in enumerate(design.end_conditions):
        g.add_entity(graph, f"end:{i}", "end", json_path("end_conditions", i))
    for i, _ in enumerate(design.final_scoring):
        g.add_entity(graph, f"scoring:{i}", "scoring", json_path("final_scoring", i))
    for i, _ in enumerate(design.victory):
        g.add_entity(graph, f"victory:{i}", "victory", json_path("victory", i))

    for phase in design.turn_structure.phases:
        g.relate(graph, ROOT, phase.id, g.TRIGGERS)
        for action_id in phase.actions:
            g.relate(graph, phase.id, action_id, g.TRIGGERS)
        for effect in phase.effects:
            effect_edges(graph, phase.id, effect)
        if phase.actions_from:  # the number of actions reads the workers held
            g.relate(graph, phase.id, phase.actions_from, REQUIRES)
    for action in design.actions:
        for cost in action.cost:
            g.relate(graph, action.id, cost.resource, g.COSTS)
        for term in (*action.preconditions, *action.effects):
            effect_edges(graph, action.id, term)
    for mechanism in design.mechanisms:
        for ref in (*mechanism.components, *mechanism.actions):
            g.relate(graph, mechanism.id, ref, g.USES)
    for component in design.components:
        for item in component.contents:
            g.relate(graph, component.id, item.component, g.TRIGGERS)
        if component.source:
            g.relate(graph, component.id, component.source, g.CONSUMES)  # refilling draws the source deck
            g.relate(graph, component.id, component.source, g.TRIGGERS)  # its cards reach players
        for cost in component.cost:
            g.relate(graph, component.id, cost.resource, g.COSTS)
        for effect in component.effects:
            effect_edges(graph, component.id, effect)
    for resource in design.resources:
        if resource.component:
            g.relate(graph, resource.component, resource.id, REPRESENTS)
        if resource.discounts:  # paying the discounted resource reads the bonus
            g.relate(graph, resource.discounts, resource.id, REQUIRES)
        if resource.enlarges:  # the deck's hand limit reads the bonus
            g.relate(graph, resource.enlarges, resource.id, REQUIRES)
    for i, step in enumerate(design.setup):
        node = f"setup:{i}"
        for ref in (*step.components, *(d.deck for d in step.deal), *step.flip):
            g.relate(graph, node, ref, g.USES)
        for ref in step.resources:
            g.relate(graph, node, ref, g.USES)
    for i, end in enumerate(design.end_conditions):
        target = end.subject
        if target:
            g.relate(graph, target, f"end:{i}", g.ENDS)
        else:  # a round limit is ended by turns passing
            g.relate(graph, ROOT, f"end:{i}", g.ENDS)
    points = counted_by_victory(design.victory)
    for i, rule in enumerate(design.final_scoring):  # at the end: reads what it counts, raises points
        g.relate(graph, ROOT, f"scoring:{i}", g.TRIGGERS)
        effect_edges(graph, f"scoring:{i}", rule)
        if not rule.into and points in graph:
            g.relate(graph, f"scoring:{i}", points, g.PRODUCES)
    for i, victory in enumerate(design.victory):
        target = victory.subject
        if target:
            g.relate(graph, target, f"victory:{i}", g.SCORES)
    for breaker in design.tie_breakers:
        for i, _ in enumerate(design.victory):
            g.relate(graph, breaker.resource, f"victory:{i}", g.SCORES)
    return graph


@dataclass
class TabletopIndex:
    """Everything rules look up, computed once per validation."""

    design: GameDesign
    graph: nx.MultiDiGraph = field(init=False)

    def __post_init__(self) -> None:
        self.graph = build_graph(self.design)

    @cached_property
    def components(self) -> dict[str, Component]:
        return {c.id: c for c in self.design.components}

    @cached_property
    def resources(self) -> dict[str, Resource]:
        return {r.id: r for r in self.design.resources}

    @cached_property
    def actions(self) -> dict[str, Action]:
        return {a.id: a for a in self.design.actions}

    @cached_property
    def mechanisms(self) -> dict[str, Mechanism]:
        return {m.id: m for m in self.design.mechanisms}

    @cached_property
    def phases(self) -> dict[str, Phase]:
        return {p.id: p for p in self.design.turn_structure.phases}

    @cached_property
    def refs(self) -> list[Ref]:
        """Every id reference in the design (see refs.py), collected once."""
        return list(iter_refs(self.design))

    @cached_property
    def effects(self) -> list[tuple[str, fx.Ludeme]]:
        """(path, effect) for every effect of the actions, phases and card types, those a carrier holds
        included (at the carrier's path)."""
        found = []
        for section, items in (
            ("actions", self.design.actions),
            ("turn_structure.phases", self.design.turn_structure.phases),
            ("components", self.design.components),
        ):
            for i, item in enumerate(items):
                for j, effect in enumerate(item.effects):
                    found += [(f"$.{section}[{i}].effects[{j}]", part) for part in effect.parts()]
        return found

    @cached_property
    def ranges(self) -> Ranges:
        """What each quantity can reach in play (ranges.py), computed once per validation."""
        from genontology.schemas.tabletop.ranges import analyse

        return analyse(self.design)

    @cached_property
    def live(self) -> set[str]:
        """What play can reach: phases, the actions they allow, and cards those actions play or buy."""
        return g.reachable(self.graph, [ROOT], [g.TRIGGERS])

    def effect_targets(self, relation: str) -> set[str]:
        """Nodes that live actors reach in one edge of `relation` (what play produces, consumes, ...)."""
        return {v for u in self.live for v in g.successors_by(self.graph, u, relation)}

    @cached_property
    def produced(self) -> set[str]:
        return self.effect_targets(g.PRODUCES)

    @cached_property
    def consumed(self) -> set[str]:
        return self.effect_targets(g.CONSUMES) | self.effect_targets(g.COSTS)

    @cached_property
    def shed(self) -> set[str]:
        return self.effect_targets(SHEDS)

    def path_of(self, node: str) -> str:
        return self.graph.nodes[node]["path"] if node in self.graph else "$"

    def name_of(self, node: str) -> str:
        for table in (self.actions, self.components, self.resources, self.mechanisms, self.phases):
            if node in table:
                return f"'{table[node].name}' ({node})"
        return node
