"""The ontology graph: entities as nodes, typed relations as edges, and graph rules as plain functions.

Domains build the graph (`add_entity`, `relate`); the functions below answer the questions structural
rules ask: what is reachable from where along which relations, what is orphaned, what has no source.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import networkx as nx

# Relations shared by domains; a domain may add its own strings.
USES = "uses"
COSTS = "costs"
PRODUCES = "produces"
CONSUMES = "consumes"
TRIGGERS = "triggers"
ENDS = "ends"
SCORES = "scores"
RELATIONS = (USES, COSTS, PRODUCES, CONSUMES, TRIGGERS, ENDS, SCORES)


def new_graph() -> nx.MultiDiGraph:
    return nx.MultiDiGraph()


def add_entity(graph: nx.MultiDiGraph, node: str, kind: str, path: str, **attrs: object) -> None:
    """Add an entity node; `path` is its JSON path, so findings on the node can point into the design."""
    graph.add_node(node, kind=kind, path=path, **attrs)


def relate(graph: nx.MultiDiGraph, source: str, target: str, relation: str) -> None:
    """Add a typed edge; unknown endpoints are ignored (reference rules report them, not the graph)."""
    if source in graph and target in graph:
        graph.add_edge(source, target, key=relation, relation=relation)


def nodes_of_kind(graph: nx.MultiDiGraph, kind: str) -> list[str]:
    return [n for n, data in graph.nodes(data=True) if data.get("kind") == kind]


def relation_view(graph: nx.MultiDiGraph, relations: Collection[str]) -> nx.MultiDiGraph:
    """A read-only subgraph view keeping only edges of the given relations."""
    wanted = frozenset(relations)
    return nx.subgraph_view(graph, filter_edge=lambda u, v, k: k in wanted)


def reachable(graph: nx.MultiDiGraph, sources: Iterable[str], relations: Collection[str]) -> set[str]:
    """Every node reachable from `sources` along edges of `relations` (sources included)."""
    view = relation_view(graph, relations)
    seen: set[str] = set()
    for source in sources:
        if source in view and source not in seen:
            seen.add(source)
            seen |= nx.descendants(view, source)
    return seen


def predecessors_by(graph: nx.MultiDiGraph, node: str, relation: str) -> set[str]:
    return {u for u, _, k in graph.in_edges(node, keys=True) if k == relation}


def successors_by(graph: nx.MultiDiGraph, node: str, relation: str) -> set[str]:
    return {v for _, v, k in graph.out_edges(node, keys=True) if k == relation}


def orphans(graph: nx.MultiDiGraph, kinds: Collection[str] | None = None) -> list[str]:
    """Nodes with no edge at all (optionally only of the given kinds)."""
    return [n for n in nx.isolates(graph) if kinds is None or graph.nodes[n].get("kind") in kinds]


def without_incoming(graph: nx.MultiDiGraph, kind: str, relations: Collection[str]) -> list[str]:
    """Nodes of `kind` that no edge of `relations` reaches: sources with nothing feeding them."""
    view = relation_view(graph, relations)
    return [n for n in nodes_of_kind(graph, kind) if view.in_degree(n) == 0]


def without_outgoing(graph: nx.MultiDiGraph, kind: str, relations: Collection[str]) -> list[str]:
    """Nodes of `kind` with no edge of `relations` leaving them: sinks that feed nothing."""
    view = relation_view(graph, relations)
    return [n for n in nodes_of_kind(graph, kind) if view.out_degree(n) == 0]
