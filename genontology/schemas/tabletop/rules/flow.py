"""Flow rules over the ontology graph: every part of the design is reachable in play, every resource has
a source and a use, and every end and victory condition can actually happen."""

from __future__ import annotations

from collections.abc import Iterator

from genontology.ontology import graph as g
from genontology.ontology.rules import Finding
from genontology.ontology.violations import Fix, Severity, json_path
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.effects.base import REQUIRES
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.rules.base import rule
from genontology.schemas.tabletop.taxonomy import ComponentKind


@rule("component.unused", Severity.warning)
def unused_component(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Every component earns its place in the box: some mechanism, action, setup step or resource uses it."""
    for node in g.orphans(index.graph, {"component"}):
        yield Finding(
            index.path_of(node),
            f"component {index.name_of(node)} is not used by any mechanism, action, setup step or resource",
            "list it where it is used (a mechanism's components, an effect, a setup step) or remove it",
        )


@rule("component.per-player-shortfall")
def per_player_shortfall(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A per-player component comes in enough copies to equip the largest player count."""
    for i, comp in enumerate(design.components):
        if comp.per_player and comp.per_player * design.players.max > comp.count:
            need = comp.per_player * design.players.max
            yield Finding(
                json_path("components", i, "count"),
                f"'{comp.name}' gives {comp.per_player} per player, so {design.players.max} players "
                f"need {need}, "
                f"but there are {comp.count}",
                f"raise count to at least {need}, lower per_player, or lower players.max",
                fix=Fix(
                    op="set",
                    path=json_path("components", i, "count"),
                    value=need,
                    description=f"raise the count of '{comp.name}' to {need}",
                ),
            )


@rule("component.market-without-source", Severity.warning)
def market_without_source(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A market that players take from is refilled from a deck (or shows a fixed set of types that it
    restocks), or it empties after a few turns."""
    for i, comp in enumerate(design.components):
        taken = comp.id in index.consumed
        if comp.kind is ComponentKind.market and taken and not comp.source and not comp.contents:
            yield Finding(
                json_path("components", i, "source"),
                f"market '{comp.name}' has no deck to refill it",
                "set source to the id of the deck it is refilled from",
            )


@rule("component.die-faces")
def die_faces(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Sides and faces describe a die, and a die with listed faces lists one value for each of its sides."""
    for i, comp in enumerate(design.components):
        field = "faces" if comp.faces else "sides" if comp.sides else None
        if field and comp.kind is not ComponentKind.die:
            yield Finding(
                json_path("components", i, field),
                f"component '{comp.name}' is a {comp.kind.value}, but {field} describe a die",
                f"remove {field}, or make '{comp.id}' a die",
            )
        elif comp.faces and comp.sides and len(comp.faces) != comp.sides:
            yield Finding(
                json_path("components", i, "faces"),
                f"die '{comp.name}' has {comp.sides} sides but lists {len(comp.faces)} faces",
                f"list one value per side, or set sides to {len(comp.faces)}",
            )


@rule("phase.no-rounds")
def phase_without_rounds(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A phase limited to some rounds is played in at least one: its last round is not before its first."""
    for i, phase in enumerate(design.turn_structure.phases):
        if phase.last_round is not None and phase.last_round < phase.first_round:
            yield Finding(
                json_path("turn_structure", "phases", i, "last_round"),
                f"phase '{phase.name}' starts in round {phase.first_round} "
                f"but ends in round {phase.last_round}",
                "set last_round to first_round or later, or remove it",
            )


@rule("resource.discount")
def useless_discount(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A permanent bonus lowers the price of another resource that something actually costs."""
    paid = {c.resource for a in design.actions for c in a.cost}
    paid |= {c.resource for comp in design.components for c in comp.cost}
    for i, res in enumerate(design.resources):
        target = res.discounts
        if target and (target == res.id or target not in paid):
            why = "itself" if target == res.id else f"'{target}', which nothing costs"
            yield Finding(
                json_path("resources", i, "discounts"),
                f"resource '{res.name}' is a bonus on {why}",
                "name a resource that actions or cards cost, or remove discounts",
            )


@rule("action.unreachable")
def unreachable_action(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Every action is allowed in at least one phase of the turn; otherwise no player can ever take it."""
    stranded = [a.id for a in design.actions if not g.predecessors_by(index.graph, a.id, g.TRIGGERS)]
    phases = design.turn_structure.phases
    fix = None
    if len(phases) == 1 and stranded:
        allowed = list(dict.fromkeys([*phases[0].actions, *stranded]))
        fix = Fix(
            op="set",
            path=json_path("turn_structure", "phases", 0, "actions"),
            value=allowed,
            description="allow the stranded actions in the only phase",
        )
    for action_id in stranded:
        yield Finding(
            index.path_of(action_id),
            f"action {index.name_of(action_id)} is not allowed in any phase",
            "add its id to the actions of the phase in which players take it",
            fix=fix,
        )


@rule("action.no-effect")
def action_without_effect(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """An action changes the game state; one with no effects is a wasted turn."""
    for i, action in enumerate(design.actions):
        if not action.effects:
            yield Finding(
                json_path("actions", i, "effects"),
                f"action '{action.name}' has no effects",
                "add at least one effect (gain, draw, place, score, ...) saying what the action does",
            )


@rule("action.cost-exceeds-maximum")
def cost_exceeds_maximum(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """An action never costs more of a resource than a player can hold, or it can never be taken."""
    for i, action in enumerate(design.actions):
        for j, cost in enumerate(action.cost):
            res = index.resources.get(cost.resource)
            if res and res.maximum is not None and cost.amount > res.maximum:
                yield Finding(
                    json_path("actions", i, "cost", j, "amount"),
                    f"action '{action.name}' costs {cost.amount} {res.name}, "
                    f"but a player holds at most {res.maximum}",
                    f"lower the cost to at most {res.maximum} or raise the maximum of '{res.id}'",
                )


@rule("phase.empty")
def empty_phase(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A phase either lets players act or does something automatic; an empty phase is dead time."""
    for i, phase in enumerate(design.turn_structure.phases):
        if not phase.actions and not phase.effects:
            yield Finding(
                json_path("turn_structure", "phases", i),
                f"phase '{phase.name}' allows no action and has no automatic effect",
                "list the actions allowed in it, give it automatic effects, or remove it",
            )


@rule("resource.no-source")
def resource_without_source(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A resource that starts at zero needs something that produces it, or nobody will ever have any."""
    unproduced = set(g.without_incoming(index.graph, "resource", [g.PRODUCES]))
    for i, res in enumerate(design.resources):
        if res.id in unproduced and res.start == 0:
            yield Finding(
                json_path("resources", i),
                f"resource '{res.name}' starts at 0 and nothing produces it",
                "give it a start amount, or add a gain/score/trade effect that produces it",
            )


@rule("resource.no-use", Severity.warning)
def resource_without_use(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A resource matters: something costs it, consumes it, requires it, ends the game on it or scores it."""
    graph = index.graph
    for i, res in enumerate(design.resources):
        used_by = {k for _, _, k in graph.in_edges(res.id, keys=True)} & {g.COSTS, g.CONSUMES, REQUIRES}
        feeds = {k for _, _, k in graph.out_edges(res.id, keys=True)} & {g.ENDS, g.SCORES}
        if not used_by and not feeds:
            yield Finding(
                json_path("resources", i),
                f"resource '{res.name}' is never spent, required, scored or checked",
                "use it in a cost, a precondition, a victory or end condition, or remove it",
            )


@rule("resource.start-out-of-range")
def start_out_of_range(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A resource starts within its own limits."""
    for i, res in enumerate(design.resources):
        if res.maximum is not None and res.start > res.maximum:
            path = json_path("resources", i, "start")
            yield Finding(
                path,
                f"resource '{res.name}' starts at {res.start}, above its maximum {res.maximum}",
                f"start at most at {res.maximum}",
                fix=Fix(op="set", path=path, value=res.maximum, description="clamp start to the maximum"),
            )


@rule("victory.unreachable")
def unreachable_victory(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """What victory counts can change in play: some reachable action raises the scored resource or track,
    empties the hand, or eliminates players."""
    eliminates = any(isinstance(e, fx.Elimination) for e in design.end_conditions)
    for i, victory in enumerate(design.victory):
        path = json_path("victory", i)
        match victory:
            case fx.HighestScore(resource=t) | fx.CooperativeGoal(resource=t) | fx.FirstToFinish(track=t):
                if t not in index.produced:
                    yield Finding(
                        path,
                        f"victory counts {index.name_of(t)}, but no action in play raises it",
                        f"add a gain, score or advance effect on '{t}' to an action a phase allows",
                    )
            case fx.LowestScore(resource=t):
                if t not in index.produced | index.consumed:
                    yield Finding(
                        path,
                        f"victory compares {index.name_of(t)}, but nothing in play changes it",
                        f"add effects that change '{t}' during play",
                    )
            case fx.FirstToEmptyHand(deck=t):
                if t not in index.shed:
                    yield Finding(
                        path,
                        f"victory needs an empty hand of {index.name_of(t)}, but nothing plays or "
                        "discards those cards",
                        f"add a play or discard effect on '{t}'",
                    )
            case fx.LastStanding():
                if not eliminates:
                    yield Finding(
                        path,
                        "victory goes to the last player standing, but nothing eliminates players",
                        "add an elimination end condition on the resource players lose",
                    )


@rule("victory.goal-not-shared")
def cooperative_goal_not_shared(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A cooperative goal is measured on a shared pool, since everyone wins or loses together."""
    for i, victory in enumerate(design.victory):
        res = index.resources.get(getattr(victory, "resource", ""))
        if isinstance(victory, fx.CooperativeGoal) and res and res.scope != "shared":
            yield Finding(
                json_path("victory", i, "resource"),
                f"cooperative goal counts '{res.name}', which each player holds separately",
                f"make '{res.id}' a shared resource or count a shared one",
            )


def _never_triggers(end: fx.EndCondition, index: TabletopIndex) -> str | None:
    """Why an end condition can never happen, or None."""
    match end:
        case fx.ScoreThreshold(resource=r, threshold=t):
            res = index.resources.get(r)
            if r not in index.produced:
                return f"nothing in play raises {index.name_of(r)}"
            if res and res.maximum is not None and res.maximum < t:
                return f"{index.name_of(r)} is capped at {res.maximum}, below the threshold {t}"
        case fx.DeckExhausted(deck=d) if d not in index.consumed:
            return f"nothing draws from {index.name_of(d)}"
        case fx.SupplyDepleted(resource=r):
            res = index.resources.get(r)
            if res and res.scope == "shared" and r not in index.consumed:
                return f"nothing in play takes from the shared {index.name_of(r)}"
            own_stock_runs_out = r in index.consumed
            bank_runs_out = res is not None and res.supply is not None and r in index.produced
            if res and res.scope == "per_player" and not (own_stock_runs_out or bank_runs_out):
                return f"players never spend {index.name_of(r)}, and its bank is unlimited or never drawn on"
        case fx.TrackEnd(track=t) if t not in index.produced:
            return f"nothing advances on {index.name_of(t)}"
        case fx.Elimination(resource=r) if r not in index.consumed:
            return f"nothing in play makes players lose {index.name_of(r)}"
        case fx.HandEmpty(deck=d) if d not in index.shed:
            return f"nothing plays or discards {index.name_of(d)}"
    return None


@rule("end.never-triggers")
def end_never_triggers(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Every end condition can be met by play: something draws the deck, raises the threshold resource,
    depletes the supply, advances the track, or makes players lose the elimination resource."""
    for i, end in enumerate(design.end_conditions):
        why = _never_triggers(end, index)
        if why:
            yield Finding(
                json_path("end_conditions", i),
                f"the {end.kind.replace('_', ' ')} end can never trigger: {why}",
                "add an effect to an allowed action that drives it, or change the end condition",
            )


@rule("track.missing-size")
def track_missing_size(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A track whose end matters (an end or victory condition) says how many spaces it has."""
    for section, items in (("end_conditions", design.end_conditions), ("victory", design.victory)):
        for i, cond in enumerate(items):
            track = index.components.get(getattr(cond, "track", None) or "")
            if track and track.size is None:
                yield Finding(
                    json_path(section, i, "track"),
                    f"track '{track.name}' has no size, so its end is undefined",
                    f"set size on component '{track.id}' to its number of spaces",
                )


@rule("setup.unplaced")
def unplaced_components(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Setup puts in play every component the actions touch; nothing in play appears from nowhere."""
    placed: set[str] = set()
    for step in design.setup:
        placed.update(step.components, (d.deck for d in step.deal), step.flip)
        placed.update(index.resources[r].component or "" for r in step.resources if r in index.resources)
    for cid in list(placed):  # what a placed deck, bag or market holds comes with it
        comp = index.components.get(cid)
        if comp:
            placed.update(item.component for item in comp.contents)
    actors = [n for n in index.live if index.graph.nodes[n]["kind"] in ("action", "phase")]
    in_play = {v for u in actors for v in index.graph.successors(u) if v in index.components}
    for cid in sorted(in_play - placed, key=lambda c: index.path_of(c)):
        yield Finding(
            index.path_of(cid),
            f"component {index.name_of(cid)} is used in play but no setup step places it",
            f"add '{cid}' to the components of the setup step that puts it in play",
        )


def _met_at_start(end: fx.EndCondition, i: int, design: GameDesign, index: TabletopIndex) -> Finding | None:
    """The finding when an end condition already holds after setup, with the mechanical fix when one exists:
    a threshold counts from the starting amount; a deal leaves at least one card in the deck."""
    path = json_path("end_conditions", i)
    hint = "raise the threshold, lower the starting amount, or deal fewer cards"
    met = "end is met before the first turn"
    match end:
        case fx.ScoreThreshold(resource=r, threshold=t) if r in index.resources:
            start = index.resources[r].start
            if start >= t:
                raised = min(9999, start + t)
                fix = Fix(op="set", path=f"{path}.threshold", value=raised, description="count from start")
                why = f"{index.name_of(r)} starts at {start}, already the threshold {t}"
                return Finding(path, f"the score threshold {met}: {why}", hint, fix)
        case fx.DeckExhausted(deck=d) if d in index.components:
            deals = [
                (j, k, deal.count)
                for j, step in enumerate(design.setup)
                for k, deal in enumerate(step.deal)
                if deal.deck == d
            ]
            dealt, held = sum(c for *_, c in deals), index.components[d].count
            if dealt * design.players.min >= held:
                fits = (held - 1) // design.players.min
                fix = None
                if len(deals) == 1 and fits >= 1:
                    j, k, _ = deals[0]
                    deal_path = json_path("setup", j, "deal", k, "count")
                    fix = Fix(op="set", path=deal_path, value=fits, description="deal what the deck spares")
                why = f"setup deals {dealt} per player from {index.name_of(d)}, which holds {held}"
                return Finding(path, f"the deck exhausted {met}: {why}", hint, fix)
        case fx.HandEmpty(deck=d, who="any") if design.players.min >= 2:
            if not any(deal.deck == d for step in design.setup for deal in step.deal):
                why = f"no {index.name_of(d)} card is dealt, so the players after the first hold none"
                return Finding(
                    path, f"the empty hand end is met after the first turn: {why}", "deal the deck at setup"
                )
        case fx.Elimination(resource=r) if r in index.resources and design.players.min >= 2:
            if index.resources[r].start == 0:
                why = f"every player starts with no {index.name_of(r)}, so all but the first are out at once"
                said = f"the elimination end is met after the first turn: {why}"
                start = f"{index.path_of(r)}.start"
                fix = Fix(op="set", path=start, value=1, description="give players a starting amount")
                return Finding(path, said, "give players a starting amount", fix)
    return None


@rule("end.met-at-start")
def end_met_at_start(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A game must not be over before its first turn: no threshold resource starts at its threshold, setup
    does not deal out the deck whose exhaustion ends the game, the hands whose emptiness ends it are dealt
    cards, and players start with some of the resource whose loss eliminates them."""
    for i, end in enumerate(design.end_conditions):
        finding = _met_at_start(end, i, design, index)
        if finding:
            yield finding
