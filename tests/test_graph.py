from __future__ import annotations

from genontology.ontology import graph as g
from genontology.schemas.tabletop.design_graph import ROOT, TabletopIndex, build_graph


def test_core_graph_functions() -> None:
    graph = g.new_graph()
    for node, kind in [("a", "x"), ("b", "x"), ("c", "y"), ("lonely", "y")]:
        g.add_entity(graph, node, kind, f"$.{node}")
    g.relate(graph, "a", "b", g.TRIGGERS)
    g.relate(graph, "b", "c", g.PRODUCES)
    g.relate(graph, "a", "missing", g.USES)  # ignored: unknown endpoint
    assert g.reachable(graph, ["a"], [g.TRIGGERS]) == {"a", "b"}
    assert g.reachable(graph, ["a"], [g.TRIGGERS, g.PRODUCES]) == {"a", "b", "c"}
    assert g.orphans(graph) == ["lonely"]
    assert g.without_incoming(graph, "y", [g.PRODUCES]) == ["lonely"]
    assert g.without_outgoing(graph, "x", [g.PRODUCES]) == ["a"]
    assert g.predecessors_by(graph, "b", g.TRIGGERS) == {"a"}


def test_catan_graph_has_the_expected_relations(tabletop) -> None:
    catan = next(d for d in tabletop.load_exemplars() if d.id == "catan")
    graph = build_graph(catan)
    kinds = {k for _, _, k in graph.edges(keys=True)}
    assert {g.USES, g.COSTS, g.PRODUCES, g.CONSUMES, g.TRIGGERS, g.ENDS, g.SCORES} <= kinds
    assert graph.has_edge(ROOT, "roll_phase", key=g.TRIGGERS)
    assert graph.has_edge("build_city", "ore", key=g.COSTS)
    assert graph.has_edge("victory_points", "victory:0", key=g.SCORES)
    index = TabletopIndex(catan)
    assert "victory_points" in index.produced
    assert "development_deck" in index.consumed
    assert "knight_card" in index.live  # played from the development deck
