"""Suited cards in play: shedding onto a face-up pile (crazy eights) and trick taking with passing (hearts),
each rule checked on the engine's own states."""

from __future__ import annotations

import random
from collections import Counter

from genontology import get_domain
from genontology.playtest import Tabletop
from genontology.playtest.game import parse_move

EXEMPLARS = {d.id: d for d in get_domain("tabletop").load_exemplars()}


def random_states(game: Tabletop, seeds: int, moves: int):  # type: ignore[no-untyped-def]
    """Every state of `seeds` random games, up to `moves` moves each, before its move is played."""
    for seed in range(seeds):
        state, rng = game.start(seed), random.Random(seed)
        for _ in range(moves):
            if game.over(state):
                break
            yield state
            game.play(state, rng.choice(game.moves(state)))


def test_shedding_follows_the_top_card_or_the_named_suit() -> None:
    """Crazy eights: every card offered matches the pile's top by suit or rank, eights only by their own
    action, which names the suit the next player must follow."""
    game = Tabletop(EXEMPLARS["crazy_eights"], 4)
    checked = named = 0
    for seed in range(30):
        state = game.start(seed)
        for _ in range(60):
            if game.over(state):
                break
            top = game.pile_top(state, "deck")
            suit = state.named.get("deck") or game.suit_of(top)
            for move in game.moves(state):
                action, args = parse_move(move)
                card = args.get("card")  # none when only one card can be played: the move needs no argument
                if action == "play_card" and card:
                    assert game.rank_of(card) != 8
                    assert game.suit_of(card) == suit or game.rank_of(card) == game.rank_of(top)
                    checked += 1
                elif action == "play_eight":
                    assert args["suit"] in game.suits("deck") and (card is None or game.rank_of(card) == 8)
            move = random.Random(seed).choice(game.moves(state))
            game.play(state, move)
            if move.startswith("play_eight"):
                assert state.named["deck"] == parse_move(move)[1]["suit"]
                named += 1
    assert checked > 100 and named > 0


def test_a_round_in_which_nobody_can_act_ends_the_game() -> None:
    game = Tabletop(EXEMPLARS["crazy_eights"], 2)
    state = game.start(0)
    state.draw["deck"] = []
    for hand in state.hands:  # nothing follows a club, and nobody holds an eight
        hand["deck"] = ["hearts_2", "hearts_3"]
    state.discard["deck"] = ["clubs_9"]
    state.legal = None
    for _ in range(4):
        if not game.over(state):
            game.play(state, game.moves(state)[0])
    assert state.ended == "stalemate"
    assert game.outcome(state).winners == (0, 1)  # equal hands left: a draw


def test_players_follow_the_led_suit_when_they_can() -> None:
    game = Tabletop(EXEMPLARS["hearts"], 4)
    followed = 0
    for state in random_states(game, 10, 70):
        trick = game.trick(state, "deck")
        hand = state.hands[state.seat]["deck"]
        if not trick or state.phase != 1:
            continue
        led = game.suit_of(trick[0][1])
        offered = [parse_move(m)[1].get("card") for m in game.moves(state)]
        if any(game.suit_of(c) == led for c in hand):
            assert all(c is None or game.suit_of(c) == led for c in offered)
            followed += 1
        else:
            assert len(offered) == len(set(hand)) or offered == [None]
    assert followed > 100


def test_hearts_are_not_led_until_broken() -> None:
    game = Tabletop(EXEMPLARS["hearts"], 4)
    led = 0
    for state in random_states(game, 10, 70):
        if state.phase != 1 or game.trick(state, "deck") or "hearts" in game.broken(state, "deck"):
            continue
        hand = state.hands[state.seat]["deck"]
        cards = [parse_move(m)[1].get("card") for m in game.moves(state)]
        if any(game.suit_of(c) != "hearts" for c in hand):
            assert all(c is None or game.suit_of(c) != "hearts" for c in cards)
            led += 1
    assert led > 10


def test_the_highest_of_the_led_suit_takes_the_trick_its_points_and_the_lead() -> None:
    game = Tabletop(EXEMPLARS["hearts"], 4)
    state = game.start(0)
    state.rounds = 1  # passing is over
    state.phase, state.seat, state.left = 1, 2, 1
    state.hands = [{"deck": cards} for cards in (["hearts_9"], ["spades_12"], ["hearts_5"], ["clubs_14"])]
    state.legal = None
    for _ in range(4):
        game.play(state, game.moves(state)[0])
    # Led: hearts 5 (seat 2); then clubs ace (3), hearts 9 (0), queen of spades (1): seat 0 takes it.
    assert state.own[0]["penalty_points"] == 2 + 13
    assert state.seat == 0 and not game.trick(state, "deck") and game.over(state)
    assert game.outcome(state).winners == (1, 2, 3)


def test_passed_cards_arrive_together_when_the_first_round_ends() -> None:
    game = Tabletop(EXEMPLARS["hearts"], 4)
    state = game.start(3)
    dealt = [Counter(h["deck"]) for h in state.hands]
    given: list[Counter[str]] = []
    for seat in range(4):
        before = Counter(state.hands[seat]["deck"])
        for _ in range(3):
            game.play(state, game.moves(state)[0])
        given.append(before - Counter(state.hands[seat]["deck"]))
        if seat < 3:  # nobody has received anything yet
            assert all(len(h["deck"]) <= 13 for h in state.hands) and state.gifts
    assert all(sum(g.values()) == 3 for g in given)
    for seat in range(4):
        assert Counter(state.hands[seat]["deck"]) == dealt[seat] - given[seat] + given[(seat - 1) % 4]
    assert state.phase == 1 and not state.gifts


def test_what_others_chose_to_give_is_hidden_from_a_searching_seat() -> None:
    game = Tabletop(EXEMPLARS["hearts"], 4)
    state = game.start(1)
    for _ in range(6):  # seats 0 and 1 have chosen their three cards each
        game.play(state, game.moves(state)[0])
    mine = [g for g in state.gifts if g[0] == 0]
    differs = 0
    for i in range(10):
        view = game.clone(state, random.Random(i), seat=0)
        assert [g for g in view.gifts if g[0] == 0] == mine
        differs += [g for g in view.gifts if g[0] == 1] != [g for g in state.gifts if g[0] == 1]
    assert differs >= 8
