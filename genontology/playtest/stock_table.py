"""The stock side of the tabletop table: who an effect reaches (opponents, neighbours, everyone), resources
with their banks, caps and permanent discounts, dice, tracks, presence on boards, and the seats still in.
`Tabletop` inherits these operations of the `Table` protocol; the ludemes call them."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from genontology.playtest.table_state import State

if TYPE_CHECKING:
    from genontology.schemas.tabletop import effects as fx
    from genontology.schemas.tabletop.model import Component, Resource

DIE_SIDES = 6  # a die that does not say


def seat_name(seat: int) -> str:
    return f"seat_{seat}"


def seat_of(name: str | None) -> int | None:
    return int(name.removeprefix("seat_")) if name and name.startswith("seat_") else None


class StockTable:
    """Resource, dice, track and seat operations over the state; the game supplies the design's index."""

    players: int
    components: dict[str, Component]
    resources: dict[str, Resource]
    faces: dict[str, list[int]]  # each die's faces
    bonuses: dict[str, list[str]]  # resource -> the resources whose holdings lower every cost paid in it

    # ------------------------------------------------------------
    def targets(self, state: State, who: str) -> list[int]:
        others = [s for s in range(self.players) if s != state.seat and state.alive[s]]
        match who:
            case "self":
                return [state.seat]
            case "chosen_opponent":
                chosen = seat_of(state.args.get("target"))
                if chosen in others:
                    return [chosen]
                return [state.rng.choice(others)] if others else []
            case "each_opponent":
                return others
            case "left_neighbour" | "right_neighbour":
                return self._neighbour(state, 1 if who == "left_neighbour" else -1)
            case _:
                return [s for s in range(self.players) if state.alive[s]]

    def _neighbour(self, state: State, step: int) -> list[int]:
        """The next seat still in, one way round the table (none in a game for one)."""
        seat = state.seat
        for _ in range(self.players - 1):
            seat = (seat + step) % self.players
            if state.alive[seat]:
                return [seat]
        return []

    def chosen(self, state: State, key: str, options: list[str]) -> str:
        value = state.args.pop(key, None)
        return value if value in options else state.rng.choice(options)

    def parties(self, state: State, party: str) -> list[int | None]:
        return [None] if party == "supply" else list(self.targets(state, party))

    def amount(self, state: State, seat: int, resource: str) -> int:
        if resource in state.shared:
            return state.shared[resource]
        return state.own[seat].get(resource, 0)

    def gain(self, state: State, seat: int, resource: str, amount: int, from_bank: bool = True) -> None:
        cap = self.resources[resource].maximum if resource in self.resources else None
        if from_bank and state.bank.get(resource) is not None:
            amount = min(amount, state.bank[resource] or 0)
            state.bank[resource] = (state.bank[resource] or 0) - amount
        pool = state.shared if resource in state.shared else state.own[seat]
        pool[resource] = pool.get(resource, 0) + amount
        if cap is not None and pool[resource] > cap:
            pool[resource] = cap

    def pay(self, state: State, seat: int, resource: str, amount: int, to_bank: bool = True) -> int:
        pool = state.shared if resource in state.shared else state.own[seat]
        paid = min(amount, pool.get(resource, 0))
        pool[resource] = pool.get(resource, 0) - paid
        if to_bank and state.bank.get(resource) is not None:
            state.bank[resource] = (state.bank[resource] or 0) + paid
        return paid

    def opponents(self, state: State, seat: int) -> list[str]:
        return [seat_name(s) for s in range(self.players) if s != seat and state.alive[s]]

    def stalled(self, state: State) -> bool:
        return state.passes >= sum(state.alive)

    def roll(self, state: State, dice: str, count: int) -> int:
        faces = self.faces.get(dice) or list(range(1, DIE_SIDES + 1))
        state.rolled[dice] = [state.rng.choice(faces) for _ in range(count)]
        return sum(state.rolled[dice])

    def last_roll(self, state: State, dice: str) -> list[int]:
        return state.rolled.get(dice, [])

    def end_turn(self, state: State) -> None:
        state.turn_over = True

    def extra_actions(self, state: State, count: int) -> None:
        state.left += count

    def place(self, state: State, seat: int, where: str, count: int) -> None:
        state.presence.setdefault(where, Counter())[seat] += count

    def seats(self, state: State) -> range:
        return range(self.players)

    def rounds(self, state: State) -> int:
        return state.rounds

    def shared_amount(self, state: State, resource: str) -> int:
        return state.shared.get(resource, 0)

    def holdings(self, state: State, seat: int) -> int:
        return sum(state.own[seat].values())

    def draw_pile(self, state: State, deck: str) -> int:
        return len(state.draw.get(self._pile(deck, state.seat), []))

    def bank_left(self, state: State, resource: str) -> int | None:
        """What a limited bank still holds; None for an unlimited one."""
        return state.bank.get(resource)

    def depleted(self, state: State, resource: str) -> bool:
        if state.bank.get(resource) is not None:
            return state.bank[resource] == 0
        if resource in state.shared:
            return state.shared[resource] <= 0
        return state.turns > 0 and any(own.get(resource, 0) <= 0 for own in state.own)

    def occupancy(self, state: State, area: str) -> int:
        return sum(state.presence.get(area, Counter()).values())

    def position(self, state: State, seat: int, track: str) -> int:
        return state.track[seat].get(track, 0)

    def finished_first(self, state: State) -> int | None:
        return state.finished_first

    def alive(self, state: State, seat: int) -> bool:
        return state.alive[seat]

    def eliminate(self, state: State, seat: int) -> None:
        state.alive[seat] = False

    def price(self, state: State, seat: int, cost: fx.ResourceAmount) -> int:
        """What a cost comes to for the seat: its amount less the seat's permanent bonuses for it."""
        bonuses = self.bonuses.get(cost.resource)
        if not bonuses:  # the common case, asked for every cost of every legal-move check
            return cost.amount
        return max(0, cost.amount - sum(state.own[seat].get(b, 0) for b in bonuses))

    def _affordable(self, state: State, seat: int, card: str) -> bool:
        card_type = self.components.get(card)
        return all(
            self.amount(state, seat, c.resource) >= self.price(state, seat, c)
            for c in (card_type.cost if card_type else [])
        )

    def advance(self, state: State, seat: int, track: str, steps: int) -> None:
        size = self.components[track].size
        position = max(0, state.track[seat].get(track, 0) + steps)
        state.track[seat][track] = min(position, size) if size else position
        if size and position >= size and state.finished_first is None:
            state.finished_first = seat
