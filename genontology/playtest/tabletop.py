"""A validated tabletop design as an executable game, by interpreting its typed data.

Resources (per player, shared, with a limited bank), decks (draw pile, hands, discard, reshuffle, market
rows refilled from their source), tracks, areas with presence and dice; phases in turn order with automatic
effects and a number of actions each; actions with per-turn limits, preconditions, costs and effects; end
conditions; victory with tie-breakers. Only the ontology's data is interpreted: no text is ever executed.
A move is an action with the choices its effects leave to the player as arguments (which opponent, which card
from a market row or from hand: `buy(card=ruby_mine)`); what the design leaves to chance (shuffles, dice, a
card drawn unseen) is drawn from the state's seeded generator.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import product

from genontology.ontology import errors_among, get_domain
from genontology.playtest.cards import CardTable
from genontology.playtest.game import DISCARD_DOWN, PASS, Outcome, UnplayableDesign, move_text, parse_move
from genontology.playtest.map_table import MapTable, map_of
from genontology.playtest.stock_table import DIE_SIDES, StockTable
from genontology.playtest.table_state import State
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.effects.scoring import counted_by_victory
from genontology.schemas.tabletop.model import Action, GameDesign
from genontology.schemas.tabletop.taxonomy import ComponentKind, Interaction, TurnOrder

MAX_MOVES_PER_ACTION = 64  # combinations of choices offered for one action (a bound, rarely reached)


class Tabletop(CardTable, MapTable, StockTable):
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
        # Simultaneous play: each seat's moves of a round are chosen in secret and resolved at its end.
        self.simultaneous = design.turn_structure.order is TurnOrder.simultaneous
        self.victory_points = counted_by_victory(design.victory) or ""
        self.board = map_of((c.id, c.adjacent) for c in design.components if c.kind is ComponentKind.area)
        self.areas = [c.id for c in design.components if c.id in self.board]
        self.returning = [c.id for c in design.components if c.returns]
        self.rotating = design.turn_structure.first_player == "rotating"
        # Suited decks: each card's suit and rank, by its id (`hearts_12`); decks played onto a face-up pile.
        self.suited = {
            f"{suit}_{rank}": (suit, rank)
            for c in design.components
            for suit in c.suits
            for rank in range(c.first_rank, c.first_rank + (c.ranks or 0))
        }
        self.piles = {
            e.deck
            for a in design.actions
            for effect in a.effects
            for e in effect.parts()
            if isinstance(e, fx.PlayToPile)
        }
        self.decks = [c.id for c in design.components if c.kind is ComponentKind.deck]
        self.personal = {c.id for c in design.components if c.personal and c.kind is ComponentKind.deck}
        self.limits = {
            c: self.components[c].hand_limit or 0 for c in self.decks if self.components[c].hand_limit
        }
        self.enlargers: dict[str, list[str]] = {}
        for r in design.resources:
            if r.enlarges:
                self.enlargers.setdefault(r.enlarges, []).append(r.id)
        # Permanent bonuses: for each resource, the resources whose holdings lower every cost paid in it.
        self.bonuses: dict[str, list[str]] = {}
        for r in design.resources:
            if r.discounts:
                self.bonuses.setdefault(r.discounts, []).append(r.id)
        self.faces = {
            c.id: c.faces or list(range(1, (c.sides or DIE_SIDES) + 1))
            for c in design.components
            if c.kind is ComponentKind.die
        }
        # Actions with an effect that can leave a choice to the player; the others are always plain moves.
        self.choosing = {
            a.id for a in design.actions if any(type(e).choices is not fx.Ludeme.choices for e in a.effects)
        }

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
        draw: dict[str, list[str]] = {}
        decks = [c for c in self.components.values() if c.kind is ComponentKind.deck]
        for c in decks:
            cards = [item.component for item in c.contents for _ in range(item.count)]
            cards = cards or [card for card in self.suited if self.suited[card][0] in c.suits]
            cards = cards or ["card"] * c.count
            for seat in range(n) if c.id in self.personal else [0]:  # a personal deck: one copy per player
                draw[self._pile(c.id, seat)] = pile = list(cards)
                rng.shuffle(pile)
        state = State(
            rng=rng,
            own=own,
            shared=shared,
            bank=bank,
            hands=[{c.id: [] for c in decks} for _ in range(n)],
            draw=draw,
            discard={d: [] for d in draw},
            market={c.id: [] for c in self.components.values() if c.kind is ComponentKind.market},
            track=[
                {c.id: 0 for c in self.components.values() if c.kind is ComponentKind.track} for _ in range(n)
            ],
            presence={},
            alive=[True] * n,
            known=[{} for _ in range(n)],
        )
        for market in state.market:
            self._refill(state, market)
        for step in self.design.setup:
            for deal in step.deal:
                for seat in range(n):
                    self.draw(state, seat, deal.deck, deal.count)
            for deck in step.flip:
                pile = self._pile(deck, 0)
                if state.draw.get(pile):
                    state.discard[pile].append(state.draw[pile].pop())
        if self.design.turn_structure.first_player == "random":
            state.seat = state.first = rng.randrange(n)
        self._enter_phase(state)
        return state

    # The protocol ---------------------------------------------------------------------------------------
    def to_move(self, state: State) -> int:
        return state.seat

    def turns(self, state: State) -> int:
        return state.turns

    def clone(self, state: State, rng: random.Random, seat: int | None = None) -> State:
        """A copy to search on. Draw order is always redrawn; as `seat` sees the game, so are the other seats'
        hands: each keeps its size and the cards all have seen go in, the rest come from what `seat` cannot
        see (the draw pile and those hidden cards), so search samples the seat's information set."""
        copy = state.copy(random.Random(rng.getrandbits(64)))
        if seat is not None:  # what the others chose in secret this round is not known either
            copy.pending = [
                (s, move if s == seat else copy.rng.choice(offered), offered)
                for s, move, offered in copy.pending
            ]
            for deck in self.decks:
                if deck not in self.personal:
                    self._redeal_unseen(copy, seat, deck, [s for s in range(self.players) if s != seat])
                    continue
                for other in range(self.players):  # each player's own deck hides only their own hand
                    if other != seat:
                        self._redeal_unseen(copy, seat, deck, [other])
        return copy

    def over(self, state: State) -> bool:
        return state.ended is not None

    def moves(self, state: State) -> list[str]:
        if state.trim:  # the turn is over but for discarding down to the hand limit: which card goes
            hand = state.hands[state.seat][state.trim]
            return [move_text(DISCARD_DOWN, {"card": card}) for card in sorted(set(hand))]
        if state.legal is None:  # a playout and its bot both ask: enumerate the choices once per state
            phase = self.phases[state.phase]
            legal = [a for a in phase.actions if a in self.actions and self._legal(state, self.actions[a])]
            state.legal = [move for a in legal for move in self._with_arguments(state, self.actions[a])]
        return list(state.legal) or [PASS]

    def _with_arguments(self, state: State, action: Action) -> list[str]:
        """The action once for each combination of the choices its effects leave open (an argument's first
        effect names its options; one option is no choice), each as its readable move."""
        if action.id not in self.choosing:
            return [action.id]
        options: dict[str, list[str]] = {}
        for effect in action.effects:
            for name, values in effect.choices(self, state, state.seat).items():
                if name not in options:
                    options[name] = values
        open_ = {name: sorted(set(values)) for name, values in options.items() if len(set(values)) > 1}
        if not open_:
            return [action.id]
        combos = [dict(zip(open_, picked, strict=True)) for picked in product(*open_.values())]
        return [move_text(action.id, combo) for combo in combos[:MAX_MOVES_PER_ACTION]]

    def play(self, state: State, move: str) -> None:
        offered, state.legal = state.legal, None
        if state.trim:
            self._discard_down(state, move)
            return
        if move != PASS:
            action_id = parse_move(move)[0]
            if self.simultaneous:  # chosen now, in secret; resolved when the round ends
                state.pending.append((state.seat, move, tuple(offered or [move])))
            else:
                self._resolve(state, move)
                if state.ended:
                    return
            state.used[action_id] += 1
            state.actions += 1
            state.left -= 1
        if move == PASS or state.left <= 0 or state.turn_over:
            self._next_phase(state)
        self._check_end(state, round_over=False)

    def _resolve(self, state: State, move: str) -> None:
        """Pay for the move's action and apply its effects, with the move's choices, for the seat to move."""
        action_id, state.args = parse_move(move)
        action = self.actions[action_id]
        for cost in action.cost:
            self.pay(state, state.seat, cost.resource, self.price(state, state.seat, cost))
        for effect in action.effects:
            self._apply(state, effect)
            if state.ended:
                break
        state.args = {}

    def _discard_down(self, state: State, move: str) -> None:
        """Discard the move's card; once the seat is within every hand limit, its turn ends."""
        state.args = parse_move(move)[1]
        self.discard(state, state.seat, state.trim or "", 1)
        state.args = {}
        state.trim = self.over_limit(state, state.seat)
        if state.trim is None:
            self._next_phase(state)
            self._check_end(state, round_over=False)

    def settle(self, state: State, seat: int) -> None:
        self._reveal(state, seat)

    def _reveal(self, state: State, only: int | None = None) -> None:
        """Resolve the round's secret choices (or only one seat's), in seat order, each for its chooser."""
        now = [p for p in state.pending if only is None or p[0] == only]
        state.pending = [p for p in state.pending if only is not None and p[0] != only]
        for seat, move, _ in now:
            if state.alive[seat] and not state.ended:
                with self._acting(state, seat):
                    self._resolve(state, move)

    def bid(self, state: State, seat: int, auction: object, amount: int) -> None:
        state.bids.append((seat, auction, amount))

    def _settle_bids(self, state: State) -> None:
        """Award each auction of the round to its highest bid, in the order the auctions were first bid on."""
        bids, state.bids = state.bids, []
        auctions = list({id(auction): auction for _, auction, _ in bids}.values())
        for auction in auctions:
            if state.ended:
                break
            winner = auction.settle(self, state, [(s, amount) for s, a, amount in bids if a is auction])  # type: ignore[attr-defined]
            if winner is not None:
                with self._acting(state, winner):
                    for effect in auction.prize:  # type: ignore[attr-defined]
                        self._apply(state, effect)

    @staticmethod
    @contextmanager
    def _acting(state: State, seat: int) -> Iterator[None]:
        """Effects act for `seat` out of turn (a secret choice revealed, an auction won); the turn in progress
        then resumes as it was."""
        current, state.seat = state.seat, seat
        try:
            yield
        finally:
            state.seat, state.turn_over = current, False

    def outcome(self, state: State) -> Outcome:
        if state.ended == "timeout":
            return Outcome((), False, "timeout")
        winners = self._winners(state)
        draw = len(winners) > 1 and not self.cooperative
        return Outcome(winners, True, state.ended or "", draw)

    def score(self, state: State, seat: int) -> float:
        """What victory counts for a seat, for bots that look ahead."""
        return sum(v.standing(self, state, seat) for v in self.design.victory)

    def holdings(self, state: State, seat: int) -> float:
        """Everything a seat holds, summed over its resources: what a move that spends least keeps most of."""
        return float(sum(state.own[seat].values()))

    # Turn flow ------------------------------------------------------------------------------------------
    def _enter_phase(self, state: State) -> None:
        """Run the current phase's automatic effects, skipping phases with nothing to choose."""
        while True:
            phase = self.phases[state.phase]
            if not self._in_round(phase, state):
                self._advance_phase(state)
                if state.ended or state.trim:
                    return
                continue
            for effect in phase.effects:
                self._apply(state, effect)
            workers = phase.actions_from
            state.left = (
                max(0, self.amount(state, state.seat, workers)) if workers else phase.actions_per_turn
            )
            if state.ended:
                return
            if phase.actions and state.left > 0 and not state.turn_over:
                return
            self._advance_phase(state)
            if state.ended or state.trim:
                return

    def _next_phase(self, state: State) -> None:
        self._advance_phase(state)
        if not state.ended and not state.trim:
            self._enter_phase(state)

    def _advance_phase(self, state: State) -> None:
        state.phase += 1
        if state.phase < len(self.phases) and not state.turn_over:
            return
        state.trim = self.over_limit(state, state.seat) if self.limits else None
        if state.trim:  # the turn ends once the seat has discarded down to its hand limit
            state.phase = len(self.phases) - 1
            return
        state.turn_over = False
        state.phase = 0
        state.turns += 1
        state.passes = 0 if state.used else state.passes + 1
        state.used.clear()
        start = state.seat
        while True:
            state.seat = (state.seat + 1) % self.players
            if state.seat == state.first:
                self._reveal(state)
                self._settle_bids(state)
                for space in self.returning:  # workers come home: the spaces are free next round
                    state.presence.pop(space, None)
                state.rounds += 1
                self._hand_over_gifts(state)
                self._check_end(state, round_over=True)
                if self.rotating:  # the next round starts one seat further round the table
                    state.first = state.seat = (state.first + 1) % self.players
            if state.alive[state.seat] or state.seat == start:
                break
        if state.lead is not None and not state.ended:
            state.seat, state.lead = state.lead, None
        if state.turns >= self.max_turns and not state.ended:
            state.ended = "timeout"

    @staticmethod
    def _in_round(phase: object, state: State) -> bool:
        """Whether the phase is played in the current round (a passing phase only in the first, say)."""
        current = state.rounds + 1
        last = phase.last_round  # type: ignore[attr-defined]
        return phase.first_round <= current and (last is None or current <= last)  # type: ignore[attr-defined]

    # Legality and effects -------------------------------------------------------------------------------
    def _legal(self, state: State, action: object) -> bool:
        seat = state.seat
        if action.limit_per_turn is not None and state.used[action.id] >= action.limit_per_turn:  # type: ignore[attr-defined]
            return False
        for cost in action.cost:  # type: ignore[attr-defined]
            if self.amount(state, seat, cost.resource) < self.price(state, seat, cost):
                return False
        if not all(pre.holds(self, state, seat) for pre in action.preconditions):  # type: ignore[attr-defined]
            return False
        # Effects run in order, so cards drawn earlier in the action can be played later in it.
        drawn: Counter[str] = Counter()
        return all(effect.feasible(self, state, seat, drawn) for effect in action.effects)  # type: ignore[attr-defined]

    def _apply(self, state: State, effect: fx.Effect) -> None:
        effect.apply(self, state, state.seat)

    # Ending and winning ---------------------------------------------------------------------------------
    def _check_end(self, state: State, round_over: bool) -> None:
        if state.ended:
            return
        for end in self.design.end_conditions:
            if end.reached(self, state, round_over):
                state.ended = end.kind
                self._score_final(state)
                return

    def _score_final(self, state: State) -> None:
        """Add every final scoring rule's points at once (each counts the table as the game ended)."""
        awards = [(self._into(rule), rule.points(self, state)) for rule in self.design.final_scoring]
        for into, points in awards:
            for seat, worth in enumerate(points):
                if worth:
                    self._add_points(state, seat, into, worth)
        state.scored = True

    def _add_points(self, state: State, seat: int, resource: str, worth: int) -> None:
        if worth > 0:
            self.gain(state, seat, resource, worth, from_bank=False)
        else:
            self.pay(state, seat, resource, -worth, to_bank=False)

    def final_amount(self, state: State, seat: int, resource: str) -> int:
        """A seat's amount of a resource with the final scoring it would get if the game ended now."""
        held = self.amount(state, seat, resource)
        if state.scored or not self.design.final_scoring:
            return held
        rules = [rule for rule in self.design.final_scoring if self._into(rule) == resource]
        return held + sum(rule.points(self, state)[seat] for rule in rules)

    def _into(self, rule: fx.Scoring) -> str:
        return rule.into or self.victory_points  # validation makes sure one of them names a resource

    def _winners(self, state: State) -> tuple[int, ...]:
        seats = [s for s in range(self.players) if state.alive[s]] or list(range(self.players))
        for v in self.design.victory:
            decided = v.decides(self, state, seats)
            if decided is not None:
                return decided
        best = max(self.score(state, s) for s in seats)
        tied = [s for s in seats if self.score(state, s) == best]
        for breaker in self.design.tie_breakers:
            if len(tied) <= 1:
                break
            sign = 1 if breaker.prefer == "most" else -1
            top = max(sign * self.amount(state, s, breaker.resource) for s in tied)
            tied = [s for s in tied if sign * self.amount(state, s, breaker.resource) == top]
        return tuple(tied)
