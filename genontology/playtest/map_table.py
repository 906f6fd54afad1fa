"""The map side of the tabletop table: areas joined by adjacency (a graph board), the pieces each seat has
in each area, moving them along adjacencies, and who controls an area. `Tabletop` inherits these operations
of the `Table` protocol; the place, move and for-each ludemes and the majority scoring call them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from genontology.playtest.table_state import State


def map_of(adjacency: Iterable[tuple[str, Iterable[str]]]) -> nx.Graph:
    """The map as an undirected graph: an adjacency listed on either side joins both areas."""
    graph = nx.Graph()
    for area, neighbours in adjacency:
        for other in neighbours:
            graph.add_edge(area, other)
    return graph


class MapTable:
    """Map operations over the state; the game supplies `board`, its map (empty when the design has none)."""

    board: nx.Graph
    areas: list[str]  # the map's areas, in the design's order

    def map_areas(self) -> list[str]:
        return self.areas

    def presence(self, state: State, seat: int, area: str) -> int:
        return state.presence.get(area, Counter())[seat]

    def held(self, state: State, seat: int) -> list[str]:
        return [a for a in self.areas if self.presence(state, seat, a) > 0]

    def near(self, state: State, seat: int) -> list[str]:
        held = set(self.held(state, seat))
        return [a for a in self.areas if a in held or any(n in held for n in self.board.neighbors(a))]

    def routes(self, state: State, seat: int, steps: int) -> list[str]:
        """Every `from>to` a piece of the seat can make, along up to `steps` adjacencies."""
        routes = []
        for start in self.held(state, seat):
            reach = nx.single_source_shortest_path_length(self.board, start, cutoff=steps)
            routes += [f"{start}>{end}" for end in self.areas if end != start and end in reach]
        return routes

    def move_piece(self, state: State, seat: int, route: str | None) -> None:
        start, _, end = (route or "").partition(">")
        if self.presence(state, seat, start) > 0 and end in self.board:
            state.presence[start][seat] -= 1
            state.presence.setdefault(end, Counter())[seat] += 1

    def controls(self, state: State, seat: int, area: str) -> bool:
        """Whether the seat has more pieces in the area than any other seat (and some)."""
        here = state.presence.get(area, Counter())
        mine = here[seat]
        return mine > 0 and all(mine > n for s, n in here.items() if s != seat)

    def controlled(self, state: State, seat: int) -> int:
        return sum(self.controls(state, seat, area) for area in self.areas)
