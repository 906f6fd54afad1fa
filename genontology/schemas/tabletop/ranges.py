"""What a design's quantities can reach, by abstract interpretation: the validator's arithmetic.

Every resource a player holds (or the shared pool holds) and every track position gets an interval of the
amounts it can ever take, at the largest player count. Each effect kind says what one resolution does to
these quantities (its `transfer`, beside its `apply`); an action's change is its cost and its effects in
order, a card's its effects and its price. Per round a quantity can rise by at most what the best action
gives times the actions of a turn, plus what the phases give, plus what the other players' actions give
it; over the round limit (if the game has one) that bounds it, and its cap and the bank bound it further.
Income grows with what it is paid on, so the ranges are recomputed until they stop changing (a fixpoint),
and a range still growing after a few passes is given up as unbounded (widening).

Only actions a player can ever afford count: an action whose cost (or a precondition on an amount) is
beyond the ranges reached without it is dead, and what it gives is never given. The live actions are found
by a second, outer fixpoint from none: those affordable from the starting amounts and the phases' income,
then those affordable with what these give, until no more come alive. This catches a circular economy
(every action costs what only these actions produce) that a per-quantity range would call reachable.

The result is sound: a range may be wider than play ever reaches, never narrower. So a condition outside
it can never hold, and the rules in `rules/quantities.py` say so with the numbers; where a transfer is
unknown the range is unbounded and they say nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

from genontology.ontology.intervals import Interval, either, total
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.effects.base import Delta, Key
from genontology.schemas.tabletop.model import Action, Component, GameDesign
from genontology.schemas.tabletop.taxonomy import ComponentKind

PASSES = 6  # recomputations before a still-growing range is given up as unbounded
DIE_SIDES = 6  # a die with neither faces nor sides is a six-sided one, as the engine rolls it


@dataclass(frozen=True)
class Quantity:
    """A resource or a track position: where it starts and what bounds it regardless of play."""

    id: str
    track: bool
    shared: bool
    start: int
    maximum: int | None
    supply: int | None


@dataclass
class Ranges:
    """The analysis's result: per quantity, the amounts it can reach (at `players`, the most players), and
    what bounds them: the rounds of a round limit and the actions of a turn (None: no bound)."""

    players: int
    rounds: int | None
    turn: int | None
    values: dict[str, Interval] = field(default_factory=dict)
    quantities: dict[str, Quantity] = field(default_factory=dict)
    hands: set[str] = field(default_factory=set)  # decks whose cards can reach a hand
    dead: set[str] = field(default_factory=set)  # actions no player can ever afford

    def most(self, quantity: str) -> int | None:
        value = self.values.get(quantity)
        return None if value is None else value.hi

    def rises(self, quantity: str) -> bool:
        q = self.quantities.get(quantity)
        return q is not None and self.most(quantity) != q.start

    def table(self) -> list[tuple[str, str, str]]:
        """(quantity, holder, range) rows, for `genontology show --ranges`."""

        def holder(q: Quantity) -> str:
            return "track" if q.track else "shared" if q.shared else "each player"

        return [(q, holder(self.quantities[q]), str(v)) for q, v in self.values.items()]


class _Reach:
    """The analysis as transfer functions see it (`effects.base.Reach`), at one pass of the fixpoint."""

    def __init__(self, design: GameDesign, components: dict[str, Component], values: dict[str, Interval]):
        self.design, self.components, self.values = design, components, values
        self.players = design.players.max

    def most(self, quantity: str) -> int | None:
        value = self.values.get(quantity)
        return None if value is None else value.hi

    def card(self, source: str, resolve: bool = True, pay: bool = False) -> Delta:
        """One card of a deck or market: any of its card types, resolved and paid for as asked."""
        holder = self.components.get(source)
        if holder is None:
            return {}
        deck = self.components.get(holder.source or "") if holder.kind == ComponentKind.market else None
        kinds = [c.component for c in chain(holder.contents, deck.contents if deck else [])]
        cards = [self.components[k] for k in kinds if k in self.components]
        if not cards:
            return {}
        changes = []
        for card in cards:
            price = _paid(card.cost) if pay else {}
            effects = [e.transfer(self) for e in card.effects] if resolve else []
            changes.append(total(price, *effects))
        return either(*changes)

    def rolled(self, dice: str, count: int) -> Interval:
        die = self.components.get(dice)
        faces = (die.faces or list(range(1, (die.sides or DIE_SIDES) + 1))) if die else []
        faces = faces or list(range(1, DIE_SIDES + 1))
        return Interval(min(faces) * count, max(faces) * count)


def cards_in(comp: Component) -> int:
    """How many cards a deck holds as the engine builds it: its listed contents, else a card per suit and
    rank, else its count."""
    if comp.contents:
        return sum(c.count for c in comp.contents)
    if comp.suits and comp.ranks:
        return len(comp.suits) * comp.ranks
    return comp.count


def _paid(cost: list[fx.ResourceAmount]) -> Delta:
    return total(*({(c.resource, "self"): Interval.exactly(-c.amount)} for c in cost))


def quantities(design: GameDesign) -> dict[str, Quantity]:
    out = {
        r.id: Quantity(r.id, False, r.scope == "shared", r.start, r.maximum, r.supply)
        for r in design.resources
    }
    for c in design.components:
        if c.kind == ComponentKind.track:
            out[c.id] = Quantity(c.id, True, False, 0, c.size, None)
    return out


def _extra_actions(design: GameDesign) -> bool:
    carriers = chain(
        (e for a in design.actions for e in a.effects),
        (e for p in design.turn_structure.phases for e in p.effects),
        (e for c in design.components for e in c.effects),
    )
    return any(isinstance(part, fx.ExtraActions) for e in carriers for part in e.parts())


def _turn(design: GameDesign, values: dict[str, Interval], extra: bool) -> int | None:
    """The most actions a player takes in a turn (None: no bound, with extra actions or workers unbounded)."""
    if extra:
        return None
    count = 0
    for phase in design.turn_structure.phases:
        if not phase.actions:
            continue
        if phase.actions_from:
            workers = values.get(phase.actions_from)
            if workers is None or workers.hi is None:
                return None
            count += workers.hi
        else:
            count += phase.actions_per_turn
    return count


def _best(changes: list[Delta], key: Key) -> int | None:
    """The most that one of `changes` raises `key` by (None: no bound), never below 0."""
    best = 0
    for change in changes:
        by = change.get(key)
        if by is not None:
            if by.hi is None:
                return None
            best = max(best, by.hi)
    return best


def _times(n: int | None, by: int | None) -> int | None:
    if by == 0 or n == 0:
        return 0
    return None if n is None or by is None else n * by


def _plus(*terms: int | None) -> int | None:
    return None if any(t is None for t in terms) else sum(t for t in terms if t is not None)


def analyse(design: GameDesign) -> Ranges:
    players = design.players.max
    rounds = min((e.rounds for e in design.end_conditions if isinstance(e, fx.RoundLimit)), default=None)
    found = quantities(design)
    ranges = Ranges(players, rounds, None, quantities=found, hands=_hands(design))
    discounted = {r.discounts for r in design.resources if r.discounts}
    live: list[Action] = []
    while True:  # the outer fixpoint: each turn only adds live actions, so it ends
        values = _reach(design, found, live, rounds, players)
        now = [a for a in design.actions if _affordable(a, values, discounted)]
        if len(now) == len(live):
            break
        live = now
    ranges.values, ranges.turn = values, _turn(design, values, _extra_actions(design))
    ranges.dead = {a.id for a in design.actions} - {a.id for a in live}
    return ranges


def _affordable(action: Action, values: dict[str, Interval], discounted: set[str]) -> bool:
    """Whether a player may ever pay for `action` and meet its amount preconditions, given the ranges (True
    where the analysis cannot tell: a cost a bonus discounts, an unbounded range, a quantity it lacks)."""
    needs = [(c.resource, c.amount) for c in action.cost if c.resource not in discounted]
    needs += [(p.resource, p.amount) for p in action.preconditions if isinstance(p, fx.ResourceAtLeast)]
    for quantity, amount in needs:
        most = values.get(quantity)
        if most is not None and most.hi is not None and amount > most.hi:
            return False
    return True


def _reach(
    design: GameDesign, found: dict[str, Quantity], live: list[Action], rounds: int | None, players: int
) -> dict[str, Interval]:
    """The inner fixpoint: every quantity's range when only the `live` actions are ever taken."""
    components = {c.id: c for c in design.components}
    values = {q.id: Interval.exactly(q.start) for q in found.values()}
    extra = _extra_actions(design)
    for _ in range(PASSES):
        new = _pass(design, components, found, values, live, extra, rounds, players)
        if new == values:
            return values
        values = new
    # still growing: what grows has no bound but its cap, and what depends on it is recomputed
    for _ in range(len(found)):
        new = _pass(design, components, found, values, live, extra, rounds, players)
        grown = {q for q, v in new.items() if v != values[q]}
        if not grown:
            break
        values = {q: Interval(v.lo, found[q].maximum) if q in grown else v for q, v in new.items()}
    return values


def _pass(
    design: GameDesign,
    components: dict[str, Component],
    found: dict[str, Quantity],
    values: dict[str, Interval],
    live: list[Action],
    extra: bool,
    rounds: int | None,
    players: int,
) -> dict[str, Interval]:
    """One pass of the fixpoint: every quantity's range from what the others reached in the last."""
    reach = _Reach(design, components, values)
    acts = [total(_paid(a.cost), *(e.transfer(reach) for e in a.effects)) for a in live]
    phase = total(*(e.transfer(reach) for p in design.turn_structure.phases for e in p.effects))
    turn = _turn(design, values, extra)
    return {q.id: _range(q, acts, phase, turn, rounds, players) for q in found.values()}


def _range(
    q: Quantity, acts: list[Delta], phase: Delta, turn: int | None, rounds: int | None, players: int
) -> Interval:
    mine, theirs = (q.id, "self"), (q.id, "others")
    from_me = _plus(_times(turn, _best(acts, mine)), _best([phase], mine))
    from_them = _plus(_times(turn, _best(acts, theirs)), _best([phase], theirs))
    if q.shared:  # every player's actions reach the pool
        per_round = _times(players, _plus(from_me, _times(players - 1, from_them)))
    else:
        per_round = _plus(from_me, _times(players - 1, from_them))
    hi = _plus(q.start, _times(rounds, per_round)) if per_round != 0 else q.start
    if q.supply is not None:  # nothing comes from an empty bank: all there is, is what was handed out and it
        everything = q.start * (1 if q.shared else players) + q.supply
        hi = everything if hi is None else min(hi, everything)
    falls = any(c.get(k, Interval()).falls for c in (*acts, phase) for k in (mine, theirs))
    return Interval(0 if falls else q.start, hi).clamp(0, q.maximum)


def _hands(design: GameDesign) -> set[str]:
    """The decks whose cards can ever be in a hand: dealt at setup, drawn, or taken from a market to hand."""
    components = {c.id: c for c in design.components}
    hands = {d.deck for step in design.setup for d in step.deal}
    effects = chain(
        (e for a in design.actions for e in a.effects),
        (e for p in design.turn_structure.phases for e in p.effects),
        (e for c in design.components for e in c.effects),
    )
    for effect in effects:
        for part in effect.parts():
            if isinstance(part, fx.Draw):
                hands.add(part.deck)
            elif isinstance(part, fx.TakeFromMarket) and not part.into:
                market = components.get(part.market)
                hands.add(market.source if market and market.source else part.market)
    return hands
