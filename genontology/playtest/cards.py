"""The card side of the tabletop table: decks with draw and discard piles (one per player for a personal
deck), hands, face-up markets, suited cards played onto a pile or to a trick, gifts between neighbours, and
what a search bot may not see of other players' cards. `Tabletop` inherits these operations of the `Table`
protocol; the ludemes call them."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from genontology.playtest.table_state import State

if TYPE_CHECKING:
    from genontology.schemas.tabletop import effects as fx
    from genontology.schemas.tabletop.model import Component

MARKET_SLOTS = 4  # face-up slots when a market does not say


class CardTable:
    """Card operations over the state; the game supplies the design's index below."""

    players: int
    components: dict[str, Component]
    personal: set[str]  # decks of which each player has a copy
    piles: set[str]  # decks played onto a face-up pile
    suited: dict[str, tuple[str, int]]  # card id -> (suit, rank)
    limits: dict[str, int]  # deck -> its hand limit, for decks that have one
    enlargers: dict[str, list[str]]  # deck -> the resources whose holdings raise its hand limit

    if TYPE_CHECKING:  # provided by the game

        def pay(self, state: State, seat: int, resource: str, amount: int, to_bank: bool = True) -> int: ...
        def price(self, state: State, seat: int, cost: fx.ResourceAmount) -> int: ...
        def _affordable(self, state: State, seat: int, card: str) -> bool: ...

    def _pile(self, deck: str, seat: int) -> str:
        """The key of a deck's draw and discard piles: one per player for a personal deck."""
        return f"{deck}@{seat}" if deck in self.personal else deck

    def _redeal_unseen(self, state: State, viewer: int, deck: str, others: list[int]) -> None:
        """Redeal the hidden cards of `others`' hands (and gifts) from what `viewer` cannot see."""
        if not others:  # a one-player game hides only the draw order
            return
        shown: dict[int, list[str]] = {}
        unseen: dict[int, int] = {}
        pool = state.draw.setdefault(self._pile(deck, others[0]), [])
        for s in others:
            known = Counter(state.known[s].get(deck, {}))
            shown[s] = []
            for card in state.hands[s].get(deck, []):
                if known[card] > 0:
                    known[card] -= 1
                    shown[s].append(card)
                else:
                    pool.append(card)
            unseen[s] = len(state.hands[s].get(deck, [])) - len(shown[s])
        hidden_gifts = [i for i, gift in enumerate(state.gifts) if gift[0] != viewer and gift[2] == deck]
        pool += [state.gifts[i][3] for i in hidden_gifts]  # what others chose to give is not seen either
        if any(unseen.values()) or hidden_gifts:
            state.rng.shuffle(pool)
            for s, count in unseen.items():
                state.hands[s][deck] = shown[s] + [pool.pop() for _ in range(count)]
            for i in hidden_gifts:
                giver, taker, _, _ = state.gifts[i]
                state.gifts[i] = (giver, taker, deck, pool.pop())

    def _hand_over_gifts(self, state: State) -> None:
        for _, taker, deck, card in state.gifts:
            state.hands[taker][deck].append(card)
        state.gifts = []

    def draw(self, state: State, seat: int, deck: str, count: int) -> None:
        key = self._pile(deck, seat)
        for _ in range(count):
            if not state.draw.get(key) and self.components[deck].reshuffle:
                pile = state.discard.get(key, [])
                top = [pile.pop()] if deck in self.piles and pile else []  # a face-up pile keeps its top
                state.rng.shuffle(pile)
                state.draw[key], state.discard[key] = pile, top
            if not state.draw.get(key):
                return
            state.hands[seat][deck].append(state.draw[key].pop())

    def tags_of(self, card: str) -> tuple[str, ...]:
        if card in self.suited:
            return (self.suited[card][0],)
        component = self.components.get(card)
        return tuple(component.tags) if component else ()

    def discard(self, state: State, seat: int, deck: str, count: int, tag: str | None = None) -> list[str]:
        hand = state.hands[seat].get(deck, [])
        gone = []
        chosen = state.args.pop("card", None)  # the move's card goes first; any further ones at random
        if chosen in hand and count > 0 and (tag is None or tag in self.tags_of(chosen)):
            gone.append(hand.pop(hand.index(chosen)))
        while len(gone) < count:
            eligible = [i for i, card in enumerate(hand) if tag is None or tag in self.tags_of(card)]
            if not eligible:
                break
            gone.append(hand.pop(state.rng.choice(eligible)))
        state.discard.setdefault(self._pile(deck, seat), []).extend(gone)
        known = state.known[seat].get(deck)
        for card in gone if known else []:  # a card all had seen leaves first: what is played is shown
            if known[card] > 0:  # type: ignore[index]
                known[card] -= 1  # type: ignore[index]
        return gone

    def take(
        self, state: State, seat: int, market: str, count: int, into: str | None = None, resolve: bool = False
    ) -> None:
        source = self.components[market].source
        for _ in range(count):
            row = state.market.get(market, [])
            affordable = [c for c in row if self._affordable(state, seat, c)]
            if not affordable:
                break
            chosen = state.args.pop("card", None)  # the move's card first; any further ones at random
            card = chosen if chosen in affordable else state.rng.choice(affordable)
            row.remove(card)
            card_type = self.components.get(card)
            for cost in card_type.cost if card_type else []:
                self.pay(state, seat, cost.resource, self.price(state, seat, cost))
            if resolve:  # a purchase that pays out at once (a permanent bonus, an order's points)
                self.resolve_card(state, seat, card)
            if into:  # a deck-builder's purchase joins the buyer's own discard pile
                state.discard.setdefault(self._pile(into, seat), []).append(card)
                continue
            state.hands[seat].setdefault(source or market, []).append(card)
            state.known[seat].setdefault(source or market, Counter())[card] += 1
        self._refill(state, market)

    def gain_card(self, state: State, seat: int, card: str, into: str, count: int) -> None:
        state.discard.setdefault(self._pile(into, seat), []).extend([card] * count)

    def market_choices(self, state: State, seat: int, market: str) -> list[str]:
        """The kinds of card on offer that the seat can pay for (each kind once, in the row's order)."""
        return [c for c in dict.fromkeys(state.market.get(market, [])) if self._affordable(state, seat, c)]

    def hand_choices(self, state: State, seat: int, deck: str) -> list[str]:
        return list(state.hands[seat].get(deck, []))

    def hand_size(self, state: State, seat: int, deck: str) -> int:
        return len(state.hands[seat].get(deck, []))

    def over_limit(self, state: State, seat: int) -> str | None:
        """The first deck of which the seat holds more cards than its hand limit (raised by its bonuses)."""
        for deck, limit in self.limits.items():
            raised = limit + sum(state.own[seat].get(r, 0) for r in self.enlargers.get(deck, ()))
            if self.hand_size(state, seat, deck) > raised:
                return deck
        return None

    def pile_size(self, state: State, seat: int, deck: str) -> int:
        """Cards a draw can still reach: the draw pile and the discards reshuffled into it."""
        key, component = self._pile(deck, seat), self.components[deck]
        if not component.reshuffle:
            return len(state.draw.get(key, []))
        kept = 1 if deck in self.piles and state.discard.get(key) else 0  # a face-up pile keeps its top
        return len(state.draw.get(key, [])) + len(state.discard.get(key, [])) - kept

    def resolve_card(self, state: State, seat: int, card: str) -> None:
        card_type = self.components.get(card)
        for card_effect in card_type.effects if card_type else []:
            card_effect.apply(self, state, seat)

    def suit_of(self, card: str) -> str | None:
        return self.suited[card][0] if card in self.suited else None

    def rank_of(self, card: str) -> int | None:
        return self.suited[card][1] if card in self.suited else None

    def suits(self, deck: str) -> list[str]:
        return list(self.components[deck].suits)

    def pile_top(self, state: State, deck: str) -> str | None:
        pile = state.discard.get(self._pile(deck, state.seat))
        return pile[-1] if pile else None

    def named_suit(self, state: State, deck: str) -> str | None:
        return state.named.get(deck)

    def name_suit(self, state: State, deck: str, suits: list[str]) -> None:
        chosen = state.args.pop("suit", None)
        state.named[deck] = chosen if chosen in suits else state.rng.choice(suits)

    def play_to_pile(self, state: State, seat: int, deck: str, cards: list[str]) -> str | None:
        """The move's card (any of `cards` when it names none) from hand onto the deck's face-up pile."""
        card = self._from_hand(state, seat, deck, cards)
        if card:
            state.discard[self._pile(deck, seat)].append(card)
            state.named.pop(deck, None)
        return card

    def trick(self, state: State, deck: str) -> list[tuple[int, str]]:
        return state.trick.get(deck, [])

    def broken(self, state: State, deck: str) -> set[str]:
        return state.broken.get(deck, set())

    def play_to_trick(self, state: State, seat: int, deck: str, cards: list[str]) -> str | None:
        card = self._from_hand(state, seat, deck, cards)
        if card:
            state.trick.setdefault(deck, []).append((seat, card))
            state.broken.setdefault(deck, set()).add(self.suit_of(card) or "")
        return card

    def close_trick(self, state: State, deck: str, taker: int) -> None:
        state.discard[self._pile(deck, taker)].extend(card for _, card in state.trick.pop(deck, []))
        state.lead = taker

    def give(self, state: State, seat: int, deck: str, to: str) -> None:
        card = self._from_hand(state, seat, deck, state.hands[seat].get(deck, []))
        if card:
            step = {"left": 1, "right": -1, "across": self.players // 2}[to]
            state.gifts.append((seat, (seat + step) % self.players, deck, card))

    def pass_hand(self, state: State, seat: int, deck: str, to: str) -> None:
        taker = (seat + (1 if to == "left" else -1)) % self.players
        state.gifts += [(seat, taker, deck, card) for card in state.hands[seat].get(deck, [])]
        state.hands[seat][deck] = []

    def _from_hand(self, state: State, seat: int, deck: str, cards: list[str]) -> str | None:
        """The move's card if it is one of `cards`, else one of them at random, out of the seat's hand."""
        if not cards:
            return None
        chosen = state.args.pop("card", None)
        card = chosen if chosen in cards else state.rng.choice(cards)
        state.hands[seat][deck].remove(card)
        known = state.known[seat].get(deck)
        if known and known[card] > 0:
            known[card] -= 1
        return card

    def market_hand(self, market: str) -> str:
        """The hand a card taken from the market joins: its source deck's, or the market's own."""
        return self.components[market].source or market

    def _refill(self, state: State, market: str) -> None:
        comp = self.components[market]
        slots = comp.size or MARKET_SLOTS
        row = state.market[market]
        if comp.source:
            while len(row) < slots and state.draw.get(comp.source):
                row.append(state.draw[comp.source].pop())
        elif not row:  # a market without a source deck shows its own card types
            row.extend(item.component for item in comp.contents for _ in range(item.count))
