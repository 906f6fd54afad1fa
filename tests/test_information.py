"""Hidden information: a search bot's copy of the game is what its seat can know. Its own hand and everything
face up stay; the other seats' hidden cards and the draw order are redrawn from what the seat cannot see."""

from __future__ import annotations

import random
from collections import Counter

from genontology import get_domain
from genontology.playtest import Tabletop
from genontology.playtest.bots import MonteCarloBot, greedy_bot

EXEMPLARS = {d.id: d for d in get_domain("tabletop").load_exemplars()}


def unseen(state, viewer: int, deck: str) -> Counter[str]:
    others = [card for s, hand in enumerate(state.hands) if s != viewer for card in hand.get(deck, [])]
    return Counter(state.draw[deck]) + Counter(others)


def test_a_seat_sees_its_own_hand_and_samples_the_others() -> None:
    """Crazy eights, four seats dealt five cards each from one shared deck."""
    game, deck = Tabletop(EXEMPLARS["crazy_eights"], 4), "deck"
    state = game.start(0)
    truth = [list(hand[deck]) for hand in state.hands]
    resampled = 0
    for i in range(20):
        view = game.clone(state, random.Random(i), seat=0)
        assert view.hands[0][deck] == truth[0]
        assert [len(h[deck]) for h in view.hands] == [len(t) for t in truth]
        assert unseen(view, 0, deck) == unseen(state, 0, deck)  # the same cards, dealt otherwise
        resampled += any(Counter(view.hands[s][deck]) != Counter(truth[s]) for s in (1, 2, 3))
    assert resampled == 20
    assert [h[deck] for h in state.hands] == truth  # the real game is untouched


def test_another_players_hand_is_redrawn_from_their_own_deck() -> None:
    """Dominion: each player draws from a deck of their own, so what a seat cannot see of another's hand
    comes from that player's deck, never from a third player's."""
    game, deck = Tabletop(EXEMPLARS["dominion"], 3), "player_deck"
    state = game.start(0)
    state.draw["player_deck@1"] += ["gold"] * 5  # seat 1 alone has golds to draw
    for i in range(10):
        view = game.clone(state, random.Random(i), seat=0)
        assert view.hands[0][deck] == state.hands[0][deck]
        for s in (1, 2):
            mine = Counter(view.hands[s][deck]) + Counter(view.draw[f"player_deck@{s}"])
            assert mine == Counter(state.hands[s][deck]) + Counter(state.draw[f"player_deck@{s}"])
        assert "gold" not in view.hands[2][deck]


def test_cards_taken_from_a_face_up_market_stay_known() -> None:
    """Century: an order claimed from the face-up row is in the claimer's hand for everyone to see."""
    game = Tabletop(EXEMPLARS["century_spice_road"], 2)
    state = game.start(1)
    state.market["order_row"] = ["small_order"]
    state.own[0].update(turmeric=2, saffron=1)
    state.legal = None
    game.play(state, "claim_order")
    claimed = state.hands[0]["order_deck"]
    assert claimed == ["small_order"]
    for i in range(10):
        view = game.clone(state, random.Random(i), seat=1)
        assert view.hands[0]["order_deck"] == claimed


def test_without_a_seat_only_the_order_is_redrawn() -> None:
    game = Tabletop(EXEMPLARS["hearts"])
    state = game.start(0)
    copy = game.clone(state, random.Random(0))
    assert copy.hands == state.hands and Counter(copy.draw["deck"]) == Counter(state.draw["deck"])


def test_search_bots_look_from_the_seat_to_move() -> None:
    game = Tabletop(EXEMPLARS["dominion"], 3)
    state = game.start(2)
    seats: list[int | None] = []
    real_clone = game.clone

    def recording_clone(state, rng, seat=None):  # type: ignore[no-untyped-def]
        seats.append(seat)
        return real_clone(state, rng, seat)

    game.clone = recording_clone  # type: ignore[method-assign]
    for bot in (greedy_bot, MonteCarloBot(rollouts=4, horizon=5)):
        bot(game, state, random.Random(0))
    assert seats and set(seats) == {game.to_move(state)}
