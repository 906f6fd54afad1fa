"""Engine building as the engine plays it: permanent bonuses that lower prices, purchases that pay out as they
are made, and deck-builders' purchases and gains going into the buyer's own deck."""

from __future__ import annotations

from collections import Counter

from genontology import get_domain
from genontology.playtest import Tabletop
from genontology.playtest.game import parse_move

EXEMPLARS = {d.id: d for d in get_domain("tabletop").load_exemplars()}


def test_bonuses_lower_every_price_in_their_gem() -> None:
    """Splendor: a level-1 ruby mine costs three sapphires; two sapphire bonuses bring it to one."""
    game = Tabletop(EXEMPLARS["splendor"], 2)
    state = game.start(0)
    state.market["level_1_row"] = ["ruby_1"]
    state.own[0].update(sapphire=1, sapphire_mines=2)
    state.legal = None
    assert "buy_level_1" in game.moves(state)
    game.play(state, "buy_level_1")
    assert state.own[0]["sapphire"] == 0 and state.own[0]["ruby_mines"] == 1  # paid 1, gained the bonus
    state = game.start(0)
    state.market["level_1_row"] = ["ruby_1"]
    state.own[0].update(sapphire=1, sapphire_mines=1)  # 3 - 1 = 2 sapphires needed, 1 held
    state.legal = None
    assert "buy_level_1" not in game.moves(state)


def test_a_purchase_that_resolves_pays_out_at_once() -> None:
    """Century: an order card's points are scored as it is claimed, once, by its own value."""
    game = Tabletop(EXEMPLARS["century_spice_road"], 2)
    state = game.start(0)
    state.market["order_row"] = ["small_order", "grand_order"]
    state.own[0].update(turmeric=2, saffron=1)
    state.legal = None
    claims = [m for m in game.moves(state) if m.startswith("claim_order")]
    assert claims == ["claim_order"]  # only the small order is affordable: no argument to choose
    game.play(state, "claim_order")
    assert (
        state.own[0]["points"] == 6 and state.own[0]["turmeric"] == 0 and state.own[0]["orders_claimed"] == 1
    )


def test_purchases_join_the_buyers_own_deck() -> None:
    """Star Realms: a ship bought goes to the buyer's discard pile, never to another player's deck, and is
    drawn again once the buyer's draw pile runs out."""
    game = Tabletop(EXEMPLARS["star_realms"], 2)
    state = game.start(0)
    state.own[0]["trade"] = 10
    state.legal = None
    buy = next(m for m in game.moves(state) if m.startswith("buy_ship"))
    card = parse_move(buy)[1].get("card") or state.market["trade_row"][0]
    game.play(state, buy)
    assert state.discard["personal_deck@0"] == [card] and state.discard["personal_deck@1"] == []
    before = (
        Counter(state.draw["personal_deck@0"]) + Counter(state.hands[0]["personal_deck"]) + Counter([card])
    )
    state.draw["personal_deck@0"] = []
    game.draw(state, 0, "personal_deck", 1)
    assert state.hands[0]["personal_deck"][-1] == card
    owned = Counter(state.draw["personal_deck@0"]) + Counter(state.hands[0]["personal_deck"])
    assert owned <= before


def test_gaining_a_card_puts_it_in_your_own_discard_pile() -> None:
    game = Tabletop(EXEMPLARS["dominion"], 2)
    state = game.start(0)
    state.own[0].update(coins=8, buys_left=1)
    state.phase, state.left = 1, 8
    state.legal = None
    game.play(state, "buy_province")
    assert state.discard["player_deck@0"] == ["province"] and state.own[0]["victory_points"] == 3 + 6
    assert state.shared["provinces_left"] == 7 and "buy_gold" not in game.moves(state)  # no buys left
