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


def _related(adjacency: dict[str, dict[str, dict[str, object]]], wanted: frozenset[str]) -> list[str]:
    """The neighbours in one adjacency row (`graph.succ[u]` or `graph.pred[u]`) joined by a wanted relation.
    Edge keys are relations, so this reads the adjacency dicts directly: a networkx edge-filtered view does
    the same work through several layers of views, about ten times slower, and validation walks it often."""
    return [v for v, keys in adjacency.items() if not wanted.isdisjoint(keys)]


def reachable(graph: nx.MultiDiGraph, sources: Iterable[str], relations: Collection[str]) -> set[str]:
    """Every node reachable from `sources` along edges of `relations` (sources included)."""
    wanted = frozenset(relations)
    seen = {s for s in sources if s in graph}
    frontier = list(seen)
    while frontier:
        for v in _related(graph.succ[frontier.pop()], wanted):
            if v not in seen:
                seen.add(v)
                frontier.append(v)
    return seen


def predecessors_by(graph: nx.MultiDiGraph, node: str, relation: str) -> set[str]:
    return set(_related(graph.pred[node], frozenset((relation,)))) if node in graph else set()


def successors_by(graph: nx.MultiDiGraph, node: str, relation: str) -> set[str]:
    return set(_related(graph.succ[node], frozenset((relation,)))) if node in graph else set()


def orphans(graph: nx.MultiDiGraph, kinds: Collection[str] | None = None) -> list[str]:
    """Nodes with no edge at all (optionally only of the given kinds)."""
    return [n for n in nx.isolates(graph) if kinds is None or graph.nodes[n].get("kind") in kinds]


def without_incoming(graph: nx.MultiDiGraph, kind: str, relations: Collection[str]) -> list[str]:
    """Nodes of `kind` that no edge of `relations` reaches: sources with nothing feeding them."""
    wanted = frozenset(relations)
    return [n for n in nodes_of_kind(graph, kind) if not _related(graph.pred[n], wanted)]


def without_outgoing(graph: nx.MultiDiGraph, kind: str, relations: Collection[str]) -> list[str]:
    """Nodes of `kind` with no edge of `relations` leaving them: sinks that feed nothing."""
    wanted = frozenset(relations)
    return [n for n in nodes_of_kind(graph, kind) if not _related(graph.succ[n], wanted)]
