"""Draw an ontology graph to an image: nodes coloured by kind, edges labelled by relation."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from genontology.ontology.io import write_figure

KIND_COLOURS = {
    "turn": "#444444",
    "phase": "#8c564b",
    "action": "#1f77b4",
    "mechanism": "#9467bd",
    "component": "#2ca02c",
    "resource": "#ff7f0e",
    "setup": "#7f7f7f",
    "end": "#d62728",
    "victory": "#e377c2",
    "scoring": "#bcbd22",
}


def draw_graph(graph: nx.MultiDiGraph, out: str | Path, title: str = "") -> Path:
    """Write the graph as an image (format from the suffix: png, svg, pdf)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and CI
    import matplotlib.pyplot as plt

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    size = max(8.0, len(graph) ** 0.5 * 2.4)
    fig, ax = plt.subplots(figsize=(size, size * 0.75))
    try:
        pos = nx.spring_layout(nx.Graph(graph), seed=7, k=1.6 / max(1, len(graph)) ** 0.5)
        kinds = [graph.nodes[n].get("kind", "") for n in graph]
        nx.draw_networkx_nodes(
            graph, pos, ax=ax, node_size=260, node_color=[KIND_COLOURS.get(k, "#bcbd22") for k in kinds]
        )
        nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7)
        nx.draw_networkx_edges(graph, pos, ax=ax, arrows=True, alpha=0.4, node_size=260)
        labels = {(u, v): k for u, v, k in graph.edges(keys=True)}
        nx.draw_networkx_edge_labels(graph, pos, edge_labels=labels, ax=ax, font_size=5)
        for kind, colour in KIND_COLOURS.items():
            ax.scatter([], [], c=colour, label=kind)
        ax.legend(loc="lower left", fontsize=7, frameon=False)
        ax.set_title(title)
        ax.axis("off")
        fig.tight_layout()
        write_figure(fig, out, dpi=150)
    finally:
        plt.close(fig)
    return out
