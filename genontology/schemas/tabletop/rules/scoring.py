"""Rules for the vocabulary of choice, maps, turns and final scoring: what a scoring rule counts must move in
play and its points must reach a victory condition; a map is made of areas and holds together; a choice
offers different things; effects aimed at other players need other players; extra actions need actions."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from genontology.ontology.rules import Finding
from genontology.ontology.violations import Fix, Severity, json_path
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.effects.scoring import counted_by_victory
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.rules.base import rule
from genontology.schemas.tabletop.taxonomy import ComponentKind

OTHERS = {"chosen_opponent", "each_opponent", "left_neighbour", "right_neighbour"}


@rule("scoring.uncounted")
def uncounted_scoring(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """What a final scoring rule counts must change in play: a track something advances, an area where
    pieces are placed or moved (a resource nothing raises is `resource.no-source`'s); otherwise the rule
    scores the same for everyone."""
    peopled = any(isinstance(e, fx.Place | fx.Move) for _, e in index.effects)
    for i, scoring in enumerate(design.final_scoring):
        track, area = getattr(scoring, "track", None), getattr(scoring, "area", None)
        if (track and track not in index.produced) or (area and not peopled):
            yield Finding(
                json_path("final_scoring", i),
                f"final scoring counts {index.name_of(track or area or '')}, but nothing in play changes it",
                f"add an effect that advances or places pieces on '{track or area}', or remove this rule",
            )


@rule("count.one-thing")
def counts_one_thing(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A repetition or a scoring rule counts exactly one thing (a resource, a hand, areas, a track): with none
    it counts nothing, with several a reader cannot tell which is meant."""
    counted = [(path, e) for path, e in index.effects if isinstance(e, fx.ForEach)]
    counted += [(json_path("final_scoring", i), r) for i, r in enumerate(design.final_scoring)]
    for path, term in counted:
        if hasattr(term, "counts") and term.counts() != 1:
            yield Finding(
                path,
                f"a {term.kind} is told to count {term.counts()} things",
                "set exactly one of what it counts",
            )


@rule("scoring.unread")
def unread_scoring(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Final scoring adds points to a resource that a victory condition or tie-breaker reads (by default,
    the one victory counts); points added anywhere else decide nothing."""
    read = {getattr(v, "resource", None) for v in design.victory} | {t.resource for t in design.tie_breakers}
    default = counted_by_victory(design.victory)
    for i, scoring in enumerate(design.final_scoring):
        if scoring.into and scoring.into not in read:
            yield Finding(
                json_path("final_scoring", i, "into"),
                f"final scoring adds {index.name_of(scoring.into)}, which no victory condition counts",
                "score into the resource that victory counts",
            )
        elif not scoring.into and default is None:
            yield Finding(
                json_path("final_scoring", i),
                "final scoring names no resource, and no victory condition counts one to add it to",
                "name the resource the points go to, or win by a resource",
                fix=Fix(
                    op="remove",
                    path=json_path("final_scoring", i),
                    description="remove a final scoring rule whose points nothing reads",
                ),
            )


@rule("scoring.majority-order", Severity.warning)
def majority_order(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A majority rewards the most more than the second most, and the second more than the fewest."""
    for i, scoring in enumerate(design.final_scoring):
        if isinstance(scoring, fx.Majority) and not scoring.first > scoring.second >= min(scoring.last, 0):
            yield Finding(
                json_path("final_scoring", i),
                f"majority gives {scoring.first} to the most, {scoring.second} to the second and "
                f"{scoring.last} to the fewest: the places are out of order",
                "give the most the largest award and the fewest the smallest",
            )


@rule("map.adjacency")
def map_adjacency(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A map is made of areas: only an area lists adjacent areas, never itself, and the areas form one
    connected map, so that a piece can reach every area."""
    board = nx.Graph()
    for i, comp in enumerate(design.components):
        if comp.adjacent and comp.kind is not ComponentKind.area:
            yield Finding(
                json_path("components", i, "adjacent"),
                f"component '{comp.name}' is a {comp.kind.value}, but only an area has neighbours on a map",
                f"make '{comp.id}' an area, or remove its adjacent list",
            )
            continue
        if comp.id in comp.adjacent:
            yield Finding(
                json_path("components", i, "adjacent"),
                f"area '{comp.name}' is listed as adjacent to itself",
                f"remove '{comp.id}' from its own adjacent list",
            )
        board.add_edges_from((comp.id, other) for other in comp.adjacent if other in index.components)
    if len(board) and not nx.is_connected(board):
        parts = sorted((sorted(part) for part in nx.connected_components(board)), key=len)
        yield Finding(
            json_path("components"),
            f"the map falls into {len(parts)} separate parts; no piece can reach {', '.join(parts[0])}",
            "add an adjacency joining the parts",
        )


@rule("choice.identical", Severity.warning)
def identical_options(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A choice between lists of effects offers different lists; two identical options are no choice."""
    for path, effect in index.effects:
        if isinstance(effect, fx.Choose):
            said = [tuple(e.model_dump_json() for e in option) for option in effect.options]
            if len(set(said)) < len(said):
                yield Finding(path, "a choice offers the same effects twice", "make the options differ")


@rule("target.no-other-player")
def target_without_others(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """An effect aimed at an opponent or a neighbour, or an auction, needs another player at the table: a game
    for one has no one to aim at or to outbid."""
    if design.players.max > 1:
        return
    for path, effect in index.effects:
        aimed = {getattr(effect, f, None) for f in ("target", "source", "recipient")} & OTHERS
        if aimed or isinstance(effect, fx.Bid):
            who = ", ".join(sorted(aimed)) or "other bidders"
            yield Finding(
                path,
                f"an effect needs {who}, but the game is for one player",
                "aim it at yourself or the supply, or allow more players",
            )


@rule("phase.idle-extra-actions")
def idle_extra_actions(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Extra actions are granted where there are actions to take: by an action or card, or at the start of
    a phase that allows actions; a phase with none has nothing to take them on."""
    for i, phase in enumerate(design.turn_structure.phases):
        if phase.actions:
            continue
        for j, effect in enumerate(phase.effects):
            if any(isinstance(part, fx.ExtraActions) for part in effect.parts()):
                yield Finding(
                    json_path("turn_structure", "phases", i, "effects", j),
                    f"phase '{phase.name}' grants extra actions but allows none",
                    "grant them from an action, or in a phase that lists actions",
                )
