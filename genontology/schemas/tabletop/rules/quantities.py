"""Rules of arithmetic: what a design asks for must be within what play can reach.

The reachable ranges come from one analysis (`ranges.py`, abstract interpretation over every effect's
transfer function); these rules compare each amount the design requires (a cost, a card's price, a
precondition, a threshold, a goal, a track's end) with the range at its point, and say where a condition can
never hold, with the numbers. A range the analysis cannot bound is unbounded, and then they say nothing. The
other quantity rules here need no analysis: a bank too small to hand out the starting amounts, a trade that
gives what it receives, victories that contradict each other or count a pool everyone shares.
"""

from __future__ import annotations

from collections.abc import Iterator

from genontology.ontology import graph as g
from genontology.ontology.rules import Finding
from genontology.ontology.violations import Fix, json_path
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.model import GameDesign, Resource
from genontology.schemas.tabletop.ranges import Ranges, cards_in
from genontology.schemas.tabletop.rules.base import rule


def _why(ranges: Ranges, quantity: str) -> str:
    """What bounds a quantity's range, in words: its cap, the bank, or the rounds of play."""
    q = ranges.quantities[quantity]
    most = ranges.most(quantity)
    if q.maximum is not None and most == q.maximum:
        return f"its cap is {q.maximum}"
    if q.supply is not None and ranges.rounds is None:
        return f"the bank holds {q.supply}"
    if most == q.start:
        return "nothing in play raises it"
    return f"over {ranges.rounds} rounds of at most {ranges.turn} action(s) a turn"


def _other_rule(res: Resource, amount: int, ranges: Ranges) -> bool:
    """Whether another rule already says why `amount` of `res` is out of reach: above its cap
    (`action.cost-exceeds-maximum`), or none at the start and nothing making any (`resource.no-source`)."""
    return (res.maximum is not None and amount > res.maximum) or (res.start == 0 and not ranges.rises(res.id))


def _price(index: TabletopIndex, ranges: Ranges, cost: fx.ResourceAmount) -> int | None:
    """The least a cost can come to after permanent discounts (None: a discount without bound)."""
    least = cost.amount
    for res in index.resources.values():
        if res.discounts == cost.resource:
            bonus = ranges.most(res.id)
            if bonus is None:
                return None
            least -= bonus
    return max(least, 0)


@rule("reach.cost")
def unaffordable(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """What an action costs, or a card's price, is within what a player can ever hold: otherwise the action
    can never be taken and the card never bought. (A cost above the resource's cap is
    `action.cost-exceeds-maximum`'s.)"""
    ranges = index.ranges
    priced = [(json_path("actions", i), a.name, a.cost) for i, a in enumerate(design.actions)]
    priced += [(json_path("components", i), c.name, c.cost) for i, c in enumerate(design.components)]
    for path, name, costs in priced:
        for j, cost in enumerate(costs):
            res, most, price = index.resources.get(cost.resource), ranges.most(cost.resource), None
            if res is None or most is None or _other_rule(res, cost.amount, ranges):
                continue
            price = _price(index, ranges, cost)
            if price is not None and price > most:
                yield Finding(
                    f"{path}.cost[{j}].amount",
                    f"'{name}' costs {price} {res.name}, but a player can never hold more than {most} "
                    f"({_why(ranges, res.id)})",
                    f"lower the cost to at most {most}, or give more {res.name} in play",
                    fix=Fix(
                        op="set",
                        path=f"{path}.cost[{j}].amount",
                        value=max(most, 1),
                        description="pay what can be held",
                    )
                    if most >= 1 and price == cost.amount
                    else None,
                )


@rule("reach.circular")
def circular(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """An economy can start: a resource that players start without is produced by something a player can
    afford first. When every producer of it costs it (or costs what only such actions make), no player can
    ever pay, and the actions that need it are dead; when that is every action, the game cannot begin."""
    ranges = index.ranges
    needs: dict[str, list[tuple[str, int]]] = {}
    for action in design.actions:
        if action.id in ranges.dead:
            for need in action.cost:  # a precondition beyond reach is `reach.precondition`'s
                needs.setdefault(need.resource, []).append((action.name, need.amount))
    unproduced = _unproduced(index)
    for i, res in enumerate(design.resources):
        if res.id not in needs or res.id in unproduced or res.start != 0 or ranges.most(res.id) != 0:
            continue  # nothing producing it is `resource.no-source`'s fault; a start above 0 `reach.cost`'s
        names = sorted({name for name, _ in needs[res.id]})
        least = min(amount for _, amount in needs[res.id])
        stuck = (
            "no action can ever be taken, so the game cannot begin"
            if len(ranges.dead) == len(design.actions)
            else f"{', '.join(repr(n) for n in names)} can never be taken"
        )
        path = json_path("resources", i, "start")
        yield Finding(
            path,
            f"'{res.name}' starts at 0 and only what a player must first pay for produces it: {stuck}",
            f"start players with {least} {res.name}, or let an action that costs nothing produce it",
            fix=Fix(op="set", path=path, value=least, description="start with enough for a first move")
            if res.maximum is None or least <= res.maximum
            else None,
        )


def _unproduced(index: TabletopIndex) -> set[str]:
    """Resources nothing produces at all (`resource.no-source`'s)."""
    return set(g.without_incoming(index.graph, "resource", [g.PRODUCES]))


def _never(cond: fx.Precondition, design: GameDesign, index: TabletopIndex) -> str | None:
    """Why a precondition can never hold, or None when it can (or the analysis cannot tell)."""
    ranges = index.ranges
    match cond:
        case fx.ResourceAtLeast(resource=r, amount=n):
            most = ranges.most(r)
            res = index.resources.get(r)
            if res and most is not None and n > most and not (res.start == 0 and r in _unproduced(index)):
                return f"{index.name_of(r)} never exceeds {most} ({_why(ranges, r)}), below {n}"
        case fx.HandAtLeast(deck=d, count=n):
            if d in index.components and d not in ranges.hands:
                return f"no {index.name_of(d)} card ever reaches a hand (none is dealt, drawn or taken)"
            size = cards_in(index.components[d]) if d in index.components else None
            if size is not None and n > size:
                return f"{index.name_of(d)} holds only {size} cards, fewer than {n}"
        case fx.PileAtLeast(deck=d, count=n):
            size = cards_in(index.components[d]) if d in index.components else None
            if size is not None and n > size:
                return f"{index.name_of(d)} holds only {size} cards, fewer than {n}"
        case fx.BankAtLeast(resource=r, amount=n):
            res = index.resources.get(r)
            if res is not None and res.supply is not None and n > res.supply:
                return f"the bank of {res.name} holds at most {res.supply}, below {n}"
    return None


@rule("reach.precondition")
def never_met(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A precondition can hold in play: the amount, cards or bank it asks for are within reach. One that
    never holds makes its action dead (or its conditional branch)."""
    checked: list[tuple[str, str, fx.Precondition]] = []
    for i, action in enumerate(design.actions):
        checked += [
            (json_path("actions", i, "preconditions", j), action.name, p)
            for j, p in enumerate(action.preconditions)
        ]
        for j, effect in enumerate(action.effects):
            for part in effect.parts():
                if isinstance(part, fx.If):
                    checked.append((json_path("actions", i, "effects", j), action.name, part.condition))
    for path, name, cond in checked:
        why = _never(cond, design, index)
        if why:
            most = index.ranges.most(cond.resource) if isinstance(cond, fx.ResourceAtLeast) else None
            fix = None
            if most and path.split(".")[-1].startswith("preconditions"):  # an action's own, not an if's
                fix = Fix(op="set", path=f"{path}.amount", value=most, description="ask what can be held")
            yield Finding(
                path,
                f"'{name}' requires that {cond.sentence(index.name_of)}, which can never hold: {why}",
                "ask for what play can reach, or give players a way to reach it",
                fix=fix,
            )


def _short(end: fx.EndCondition | fx.VictoryCondition, index: TabletopIndex) -> str | None:
    """Why a threshold, a goal or a track's end is out of reach, or None. Only where something raises the
    quantity (else `end.never-triggers` or `victory.unreachable` says so)."""
    ranges = index.ranges
    match end:
        case fx.ScoreThreshold(resource=r, threshold=t) | fx.CooperativeGoal(resource=r, threshold=t):
            res, most = index.resources.get(r), ranges.most(r)
            # A threshold above its cap is `end.never-triggers`'s; a goal above its cap is only this rule's.
            capped = isinstance(end, fx.ScoreThreshold) and res is not None and (res.maximum or t) < t
            if res and most is not None and ranges.rises(r) and not capped and most < t:
                return f"{res.name} never exceeds {most} ({_why(ranges, r)}), below {t}"
        case fx.TrackEnd(track=k) | fx.FirstToFinish(track=k):
            track, most = index.components.get(k), ranges.most(k)
            if track and track.size and most is not None and ranges.rises(k) and most < track.size:
                return f"a marker reaches at most space {most} of {track.size} ({_why(ranges, k)})"
    return None


@rule("reach.threshold")
def out_of_reach(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """An end condition or a goal that play moves towards can be reached: its threshold, or its track's last
    space, is within what the resource or the marker reaches in the rounds the game lasts."""
    for section, items in (("end_conditions", design.end_conditions), ("victory", design.victory)):
        for i, cond in enumerate(items):
            why = _short(cond, index)
            if why:
                path = json_path(section, i)
                most = index.ranges.most(getattr(cond, "resource", "") or "")
                fix = (
                    Fix(op="set", path=f"{path}.threshold", value=most, description="ask what play can reach")
                    if hasattr(cond, "threshold") and most
                    else None
                )
                yield Finding(
                    path,
                    f"{cond.sentence(index.name_of)} can never happen: {why}",
                    "lower the threshold, lengthen the game, or give more in play",
                    fix=fix,
                )


@rule("bank.short")
def bank_short(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A limited bank holds at least what setup hands out at the most players: the starting amounts."""
    for i, res in enumerate(design.resources):
        handed = res.start * (1 if res.scope == "shared" else design.players.max)
        if res.supply is not None and res.supply < handed:
            yield Finding(
                json_path("resources", i, "supply"),
                f"the bank of {res.name} holds {res.supply}, but setup hands out {handed} "
                f"({res.start} each to {design.players.max} players)",
                f"raise the supply to at least {handed}, or lower the starting amount",
                fix=Fix(
                    op="set", path=json_path("resources", i, "supply"), value=handed, description="fund setup"
                ),
            )


@rule("trade.same-resource")
def trade_same_resource(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A trade exchanges one resource for another: giving what it receives is no trade (at best nothing
    happens, at worst it makes resources from nothing)."""
    for path, effect in index.effects:
        if isinstance(effect, fx.Trade) and effect.give.resource == effect.receive.resource:
            other = next((r.id for r in design.resources if r.id != effect.give.resource), None)
            fix = None
            if other is not None and path.startswith("$.actions[") and _at(design, path) is effect:
                to = f"{path}.receive.resource"
                fix = Fix(op="set", path=to, value=other, description="trade for another resource")
            yield Finding(
                path,
                f"a trade gives {effect.give.amount} {index.name_of(effect.give.resource)} for "
                f"{effect.receive.amount} of the same",
                "trade it for another resource",
                fix=fix,
            )


def _at(design: GameDesign, path: str) -> object:
    """The action's effect at `$.actions[i].effects[j]` (a carrier's, for an effect it carries)."""
    i, j = (int(n) for n in path.replace("]", "[").split("[")[1::2][:2])
    return design.actions[i].effects[j]


@rule("victory.contradiction")
def contradictory_victory(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Victory conditions agree: the most and the fewest of the same resource cannot both win."""
    most = {v.resource: i for i, v in enumerate(design.victory) if isinstance(v, fx.HighestScore)}
    for i, v in enumerate(design.victory):
        if isinstance(v, fx.LowestScore) and v.resource in most:
            yield Finding(
                json_path("victory", i),
                f"victory goes both to the most and to the fewest {index.name_of(v.resource)}",
                "keep one of the two",
            )


@rule("victory.shared-score")
def shared_score(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A competitive score is something each player holds: a shared pool is the same for everyone, so
    comparing it never decides between players. (Team games are left out: the vocabulary cannot yet say which
    team a pool counts for, and The Resistance's encoding leans on that.)"""
    if design.players.interaction.value != "competitive":
        return
    for i, v in enumerate(design.victory):
        res = index.resources.get(getattr(v, "resource", "") or "")
        if isinstance(v, fx.HighestScore | fx.LowestScore) and res is not None and res.scope == "shared":
            yield Finding(
                json_path("victory", i),
                f"victory compares {res.name}, a pool every player shares, so every player ties",
                f"count a resource each player holds, or make '{res.id}' per player",
            )
