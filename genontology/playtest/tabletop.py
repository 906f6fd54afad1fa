"""A validated tabletop design as an executable game, by interpreting its typed data.

Resources (per player, shared, with a limited bank), decks (draw pile, hands, discard, reshuffle, market
rows refilled from their source), tracks, areas with presence and dice; phases in turn order with automatic
effects and a number of actions each; actions with per-turn limits, preconditions, costs and effects; end
conditions; victory with tie-breakers. Only the ontology's data is interpreted: no text is ever executed.
Choices the vocabulary leaves open (which opponent, which card) are made by the state's seeded generator.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from genontology.ontology import errors_among, get_domain
from genontology.playtest.game import PASS, Outcome, UnplayableDesign
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.taxonomy import ComponentKind, Interaction

DIE_FACES = 6
MARKET_SLOTS = 4  # face-up slots when a market does not say


@dataclass
class State:
    rng: random.Random
    own: list[dict[str, int]]
    shared: dict[str, int]
    bank: dict[str, int | None]
    hands: list[dict[str, list[str]]]
    draw: dict[str, list[str]]
    discard: dict[str, list[str]]
    market: dict[str, list[str]]
    track: list[dict[str, int]]
    presence: dict[str, Counter[int]]
    alive: list[bool]
    seat: int = 0
    phase: int = 0
    left: int = 0
    used: Counter[str] = field(default_factory=Counter)
    turns: int = 0
    rounds: int = 0
    actions: int = 0
    finished_first: int | None = None
    ended: str | None = None

    def copy(self, rng: random.Random) -> State:
        """An independent copy for search, drawing from `rng`, every draw pile reshuffled (order unknown)."""
        draw = {deck: list(pile) for deck, pile in self.draw.items()}
        for pile in draw.values():
            rng.shuffle(pile)
        return State(
            rng=rng,
            own=[dict(o) for o in self.own],
            shared=dict(self.shared),
            bank=dict(self.bank),
            hands=[{d: list(cards) for d, cards in h.items()} for h in self.hands],
            draw=draw,
            discard={d: list(p) for d, p in self.discard.items()},
            market={m: list(row) for m, row in self.market.items()},
            track=[dict(t) for t in self.track],
            presence={a: Counter(c) for a, c in self.presence.items()},
            alive=list(self.alive),
            seat=self.seat,
            phase=self.phase,
            left=self.left,
            used=Counter(self.used),
            turns=self.turns,
            rounds=self.rounds,
            actions=self.actions,
            finished_first=self.finished_first,
            ended=self.ended,
        )


class Tabletop:
    """A GameDesign as a game for `players` seats (default: the smaller of 4 and the design's maximum)."""

    def __init__(self, design: GameDesign, players: int | None = None, max_turns: int = 400) -> None:
        """Cheap: indexes the design and trusts every reference in it. A design that has not been validated
        goes through `Tabletop.compile`, which checks it first."""
        self.design = design
        self.players = players or max(design.players.min, min(4, design.players.max))
        self.max_turns = max_turns
        self.components = {c.id: c for c in design.components}
        self.resources = {r.id: r for r in design.resources}
        self.actions = {a.id: a for a in design.actions}
        self.phases = [p for p in design.turn_structure.phases]
        self.cooperative = design.players.interaction in (Interaction.cooperative, Interaction.solo)

    @classmethod
    def compile(cls, design: GameDesign, players: int | None = None, max_turns: int = 400) -> Tabletop:
        """Validate `design`, then build its game: a design with structural errors is refused here, typed,
        rather than failing mid-game on a dangling reference."""
        errors = errors_among(get_domain("tabletop").validate(design.model_dump(mode="json")))
        if errors:
            raise UnplayableDesign(
                f"{design.id}: {len(errors)} structural error(s), first {errors[0]}; only valid designs play"
            )
        return cls(design, players, max_turns)

    # Setting up -----------------------------------------------------------------------------------------
    def start(self, seed: int) -> State:
        rng = random.Random(seed)
        n = self.players
        own = [{r.id: r.start for r in self.resources.values() if r.scope == "per_player"} for _ in range(n)]
        shared = {r.id: r.start for r in self.resources.values() if r.scope == "shared"}
        bank: dict[str, int | None] = {}
        for r in self.resources.values():
            handed = r.start * (n if r.scope == "per_player" else 1)
            bank[r.id] = None if r.supply is None else max(0, r.supply - handed)
        draw = {}
        for c in self.components.values():
            if c.kind is ComponentKind.deck:
                cards = [item.component for item in c.contents for _ in range(item.count)] or [
                    "card"
                ] * c.count
                rng.shuffle(cards)
                draw[c.id] = cards
        state = State(
            rng=rng,
            own=own,
            shared=shared,
            bank=bank,
            hands=[{d: [] for d in draw} for _ in range(n)],
            draw=draw,
            discard={d: [] for d in draw},
            market={c.id: [] for c in self.components.values() if c.kind is ComponentKind.market},
            track=[
                {c.id: 0 for c in self.components.values() if c.kind is ComponentKind.track} for _ in range(n)
            ],
            presence={},
            alive=[True] * n,
        )
        for market in state.market:
            self._refill(state, market)
        for step in self.design.setup:
            for deal in step.deal:
                for seat in range(n):
                    self._draw(state, seat, deal.deck, deal.count)
        self._enter_phase(state)
        return state

    # The protocol ---------------------------------------------------------------------------------------
    def to_move(self, state: State) -> int:
        return state.seat

    def turns(self, state: State) -> int:
        return state.turns

    def clone(self, state: State, rng: random.Random) -> State:
        return state.copy(random.Random(rng.getrandbits(64)))

    def over(self, state: State) -> bool:
        return state.ended is not None

    def moves(self, state: State) -> list[str]:
        phase = self.phases[state.phase]
        legal = [a for a in phase.actions if a in self.actions and self._legal(state, self.actions[a])]
        return legal or [PASS]

    def play(self, state: State, move: str) -> None:
        if move != PASS:
            action = self.actions[move]
            for cost in action.cost:
                self._pay(state, state.seat, cost.resource, cost.amount)
            for effect in action.effects:
                self._apply(state, effect)
                if state.ended:
                    return
            state.used[move] += 1
            state.actions += 1
            state.left -= 1
        if move == PASS or state.left <= 0:
            self._next_phase(state)
        self._check_end(state, round_over=False)

    def outcome(self, state: State) -> Outcome:
        if state.ended == "timeout":
            return Outcome((), False, "timeout")
        winners = self._winners(state)
        draw = len(winners) > 1 and not self.cooperative
        return Outcome(winners, True, state.ended or "", draw)

    def score(self, state: State, seat: int) -> float:
        """What victory counts for a seat, for bots that look ahead."""
        total = 0.0
        for v in self.design.victory:
            match v:
                case fx.HighestScore(resource=r) | fx.CooperativeGoal(resource=r):
                    total += self._amount(state, seat, r)
                case fx.LowestScore(resource=r):
                    total -= self._amount(state, seat, r)
                case fx.FirstToFinish(track=t):
                    total += state.track[seat].get(t, 0)
                case fx.FirstToEmptyHand(deck=d):
                    total -= len(state.hands[seat].get(d, []))
                case fx.LastStanding():
                    total += sum(state.own[seat].values())
        return total

    # Turn flow ------------------------------------------------------------------------------------------
    def _enter_phase(self, state: State) -> None:
        """Run the current phase's automatic effects, skipping phases with nothing to choose."""
        while True:
            phase = self.phases[state.phase]
            for effect in phase.effects:
                self._apply(state, effect)
            state.left = phase.actions_per_turn
            if (phase.actions and phase.actions_per_turn > 0) or state.ended:
                return
            self._advance_phase(state)
            if state.ended:
                return

    def _next_phase(self, state: State) -> None:
        self._advance_phase(state)
        if not state.ended:
            self._enter_phase(state)

    def _advance_phase(self, state: State) -> None:
        state.phase += 1
        if state.phase < len(self.phases):
            return
        state.phase = 0
        state.turns += 1
        state.used.clear()
        start = state.seat
        while True:
            state.seat = (state.seat + 1) % self.players
            if state.seat == 0:
                state.rounds += 1
                self._check_end(state, round_over=True)
            if state.alive[state.seat] or state.seat == start:
                break
        if state.turns >= self.max_turns and not state.ended:
            state.ended = "timeout"

    # Legality and effects -------------------------------------------------------------------------------
    def _legal(self, state: State, action: object) -> bool:
        seat = state.seat
        if action.limit_per_turn is not None and state.used[action.id] >= action.limit_per_turn:  # type: ignore[attr-defined]
            return False
        for cost in action.cost:  # type: ignore[attr-defined]
            if self._amount(state, seat, cost.resource) < cost.amount:
                return False
        for pre in action.preconditions:  # type: ignore[attr-defined]
            match pre:
                case fx.ResourceAtLeast(resource=r, amount=a) if self._amount(state, seat, r) < a:
                    return False
                case fx.HandAtLeast(deck=d, count=c) if len(state.hands[seat].get(d, [])) < c:
                    return False
                case fx.SpaceFree(area=a) if sum(state.presence.get(a, Counter()).values()) > 0:
                    return False
        # Effects run in order, so cards drawn earlier in the action can be played later in it.
        drawn: Counter[str] = Counter()
        for effect in action.effects:  # type: ignore[attr-defined]
            match effect:  # playing or discarding needs the cards; spending needs the amount
                case fx.Draw(deck=d, count=c):
                    drawn[d] += min(c, len(state.draw.get(d, [])) + len(state.discard.get(d, [])))
                case fx.Play(deck=d, count=c) | fx.Discard(deck=d, count=c):
                    if len(state.hands[seat].get(d, [])) + drawn[d] < c:
                        return False
                    drawn[d] -= c
                case fx.Spend(resource=r, amount=a) if self._amount(state, seat, r) < a:
                    return False
                case fx.Trade(give=g) if self._amount(state, seat, g.resource) < g.amount:
                    return False
                case fx.TakeFromMarket(market=m) if not state.market.get(m):
                    return False
        return True

    def _apply(self, state: State, effect: object) -> None:
        seat = state.seat
        match effect:
            case fx.Gain(resource=r, amount=a, target=t):
                for s in self._targets(state, t):
                    self._gain(state, s, r, a)
            case fx.Score(resource=r, amount=a):
                self._gain(state, seat, r, a)
            case fx.Spend(resource=r, amount=a):
                self._pay(state, seat, r, a)
            case fx.Lose(resource=r, amount=a, target=t):
                for s in self._targets(state, t):
                    self._pay(state, s, r, a)
            case fx.Transfer(resource=r, amount=a, source=src, recipient=dst):
                for giver in self._parties(state, src):
                    moved = a if giver is None else self._pay(state, giver, r, a, to_bank=False)
                    for taker in self._parties(state, dst):
                        if taker is not None:
                            self._gain(state, taker, r, moved, from_bank=giver is None)
            case fx.Income(resource=r, per=p, amount=a, every=e):
                payout = self._amount(state, seat, p) // e * a
                if payout:
                    self._gain(state, seat, r, payout)
            case fx.Draw(deck=d, count=c):
                self._draw(state, seat, d, c)
            case fx.Discard(deck=d, count=c):
                self._discard(state, seat, d, c)
            case fx.Play(deck=d, count=c):
                for card in self._discard(state, seat, d, c):
                    card_type = self.components.get(card)
                    for card_effect in card_type.effects if card_type else []:
                        self._apply(state, card_effect)
            case fx.Roll(count=c, gain=r, advance=t):
                total = sum(state.rng.randint(1, DIE_FACES) for _ in range(c))
                if r:
                    self._gain(state, seat, r, total)
                if t:
                    self._advance(state, seat, t, total)
            case fx.Place(component=p, area=a, count=c) | fx.Move(component=p, area=a, spaces=c):
                state.presence.setdefault(a or p, Counter())[seat] += c if isinstance(effect, fx.Place) else 0
            case fx.Advance(track=t, steps=n, target=who):
                for s in self._targets(state, who):
                    self._advance(state, s, t, n)
            case fx.TakeFromMarket(market=m, count=c):
                self._take(state, seat, m, c)
            case fx.Trade(give=g, receive=r):
                self._pay(state, seat, g.resource, g.amount)
                self._gain(state, seat, r.resource, r.amount)

    def _targets(self, state: State, who: str) -> list[int]:
        others = [s for s in range(self.players) if s != state.seat and state.alive[s]]
        match who:
            case "self":
                return [state.seat]
            case "chosen_opponent":
                return [state.rng.choice(others)] if others else []
            case "each_opponent":
                return others
            case _:
                return [s for s in range(self.players) if state.alive[s]]

    def _parties(self, state: State, party: str) -> list[int | None]:
        return [None] if party == "supply" else list(self._targets(state, party))

    def _amount(self, state: State, seat: int, resource: str) -> int:
        if resource in state.shared:
            return state.shared[resource]
        return state.own[seat].get(resource, 0)

    def _gain(self, state: State, seat: int, resource: str, amount: int, from_bank: bool = True) -> None:
        cap = self.resources[resource].maximum if resource in self.resources else None
        if from_bank and state.bank.get(resource) is not None:
            amount = min(amount, state.bank[resource] or 0)
            state.bank[resource] = (state.bank[resource] or 0) - amount
        pool = state.shared if resource in state.shared else state.own[seat]
        pool[resource] = pool.get(resource, 0) + amount
        if cap is not None and pool[resource] > cap:
            pool[resource] = cap

    def _pay(self, state: State, seat: int, resource: str, amount: int, to_bank: bool = True) -> int:
        pool = state.shared if resource in state.shared else state.own[seat]
        paid = min(amount, pool.get(resource, 0))
        pool[resource] = pool.get(resource, 0) - paid
        if to_bank and state.bank.get(resource) is not None:
            state.bank[resource] = (state.bank[resource] or 0) + paid
        return paid

    def _draw(self, state: State, seat: int, deck: str, count: int) -> None:
        for _ in range(count):
            if not state.draw.get(deck):
                pile = state.discard.get(deck, [])
                state.rng.shuffle(pile)
                state.draw[deck], state.discard[deck] = pile, []
            if not state.draw.get(deck):
                return
            state.hands[seat][deck].append(state.draw[deck].pop())

    def _discard(self, state: State, seat: int, deck: str, count: int) -> list[str]:
        hand = state.hands[seat].get(deck, [])
        gone = [hand.pop(state.rng.randrange(len(hand))) for _ in range(min(count, len(hand)))]
        state.discard.setdefault(deck, []).extend(gone)
        return gone

    def _take(self, state: State, seat: int, market: str, count: int) -> None:
        source = self.components[market].source
        for _ in range(count):
            row = state.market.get(market, [])
            affordable = [c for c in row if self._affordable(state, seat, c)]
            if not affordable:
                break
            card = state.rng.choice(affordable)
            row.remove(card)
            card_type = self.components.get(card)
            for cost in card_type.cost if card_type else []:
                self._pay(state, seat, cost.resource, cost.amount)
            state.hands[seat].setdefault(source or market, []).append(card)
        self._refill(state, market)

    def _affordable(self, state: State, seat: int, card: str) -> bool:
        card_type = self.components.get(card)
        return all(
            self._amount(state, seat, c.resource) >= c.amount for c in (card_type.cost if card_type else [])
        )

    def _refill(self, state: State, market: str) -> None:
        comp = self.components[market]
        slots = comp.size or MARKET_SLOTS
        row = state.market[market]
        if comp.source:
            while len(row) < slots and state.draw.get(comp.source):
                row.append(state.draw[comp.source].pop())
        elif not row:  # a market without a source deck shows its own card types
            row.extend(item.component for item in comp.contents for _ in range(item.count))

    def _advance(self, state: State, seat: int, track: str, steps: int) -> None:
        size = self.components[track].size
        position = max(0, state.track[seat].get(track, 0) + steps)
        state.track[seat][track] = min(position, size) if size else position
        if size and position >= size and state.finished_first is None:
            state.finished_first = seat

    # Ending and winning ---------------------------------------------------------------------------------
    def _check_end(self, state: State, round_over: bool) -> None:
        if state.ended:
            return
        seats = range(self.players)
        for end in self.design.end_conditions:
            match end:
                case fx.ScoreThreshold(resource=r, threshold=t) if any(
                    self._amount(state, s, r) >= t for s in seats
                ):
                    state.ended = "score_threshold"
                case fx.RoundLimit(rounds=n) if round_over and state.rounds >= n:
                    state.ended = "round_limit"
                case fx.DeckExhausted(deck=d) if not state.draw.get(d):
                    state.ended = "deck_exhausted"
                case fx.SupplyDepleted(resource=r) if self._depleted(state, r):
                    state.ended = "supply_depleted"
                case fx.TrackEnd(track=t) if state.finished_first is not None:
                    state.ended = "track_end"
                case fx.Elimination(resource=r):
                    for s in seats:
                        if state.alive[s] and self._amount(state, s, r) <= 0:
                            state.alive[s] = False
                    if sum(state.alive) <= 1:
                        state.ended = "elimination"
                case fx.HandEmpty(deck=d) if state.turns > 0 and any(
                    not state.hands[s].get(d) for s in seats
                ):
                    state.ended = "hand_empty"
            if state.ended:
                return

    def _depleted(self, state: State, resource: str) -> bool:
        if state.bank.get(resource) is not None:
            return state.bank[resource] == 0
        if resource in state.shared:
            return state.shared[resource] <= 0
        return state.turns > 0 and any(own.get(resource, 0) <= 0 for own in state.own)

    def _winners(self, state: State) -> tuple[int, ...]:
        seats = [s for s in range(self.players) if state.alive[s]] or list(range(self.players))
        for v in self.design.victory:
            match v:
                case fx.CooperativeGoal(resource=r, threshold=t):
                    return tuple(range(self.players)) if state.shared.get(r, 0) >= t else ()
                case fx.LastStanding():
                    return tuple(seats)
                case fx.FirstToFinish() if state.finished_first is not None:
                    return (state.finished_first,)
        best = max(self.score(state, s) for s in seats)
        tied = [s for s in seats if self.score(state, s) == best]
        for breaker in self.design.tie_breakers:
            if len(tied) <= 1:
                break
            sign = 1 if breaker.prefer == "most" else -1
            top = max(sign * self._amount(state, s, breaker.resource) for s in tied)
            tied = [s for s in tied if sign * self._amount(state, s, breaker.resource) == top]
        return tuple(tied)
