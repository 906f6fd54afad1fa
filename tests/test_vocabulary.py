"""The composed vocabulary as the engine plays it: choosing between effect lists, repeating effects, aiming at
neighbours, secret simultaneous choices, passing hands, maps with adjacency, and scoring at the end."""

from __future__ import annotations

import random
from typing import Any

import pytest
from pydantic import TypeAdapter

from genontology import get_domain
from genontology.playtest import Tabletop
from genontology.playtest.bots import greedy_bot
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.model import GameDesign

EXEMPLARS = {d.id: d for d in get_domain("tabletop").load_exemplars()}


def game_with(design_of, base: str, mutate, players: int | None = None) -> Tabletop:
    data = design_of(base)
    mutate(data)
    return Tabletop.compile(GameDesign.model_validate(data), players)


def fresh(game: Tabletop, seed: int = 0, **own: int):
    state = game.start(seed)
    state.own[state.seat].update(own)
    state.legal = None
    return state


def catan_action(effects: list[dict[str, Any]]):
    """Catan's trade-with-bank action (allowed in its main phase) given other effects."""

    def mutate(d: dict[str, Any]) -> None:
        d["actions"][1]["effects"] = effects

    return mutate


def gain(resource: str, amount: int = 1, **more: Any) -> dict[str, Any]:
    return {"kind": "gain", "resource": resource, "amount": amount, **more}


def test_a_choice_is_a_move_argument_and_only_the_chosen_list_happens(design_of) -> None:
    choose = {"kind": "choose", "options": [[gain("brick")], [gain("ore", 2)]]}
    game = game_with(design_of, "catan", catan_action([choose]))
    state = fresh(game)
    while not any(m.startswith("trade_with_bank") for m in game.moves(state)):
        game.play(state, game.moves(state)[0])
    seat = state.seat
    offered = [m for m in game.moves(state) if m.startswith("trade_with_bank")]
    assert offered == ["trade_with_bank(option=1)", "trade_with_bank(option=2)"]
    brick, ore = state.own[seat]["brick"], state.own[seat]["ore"]
    game.play(state, "trade_with_bank(option=2)")
    assert (state.own[seat]["brick"], state.own[seat]["ore"]) == (brick, ore + 2)


def test_an_option_that_cannot_happen_is_not_offered(design_of) -> None:
    spend = {"kind": "spend", "resource": "ore", "amount": 50}
    choose = {"kind": "choose", "options": [[gain("brick")], [spend]]}
    game = game_with(design_of, "catan", catan_action([choose]))
    state = fresh(game)
    effect = game.actions["trade_with_bank"].effects[0]
    assert effect.choices(game, state, state.seat)["option"] == ["1"]


def test_for_each_repeats_once_per_unit_counted_up_to_its_cap(design_of) -> None:
    repeat = {"kind": "for_each", "resource": "ore", "effects": [gain("grain")], "at_most": 4}
    game = game_with(design_of, "catan", catan_action([repeat]))
    for ore, grain in ((3, 3), (9, 4), (0, 0)):
        state = fresh(game, ore=ore, grain=0)
        game.actions["trade_with_bank"].effects[0].apply(game, state, state.seat)
        assert state.own[state.seat]["grain"] == grain
    both = fx.ForEach.model_validate(
        {"kind": "for_each", "resource": "ore", "areas": True, "effects": [gain("x")]}
    )
    assert (
        both.counts() == 2
    )  # the schema admits it (a grammar cannot say "one of"); count.one-thing flags it


@pytest.mark.parametrize(("who", "step"), [("left_neighbour", 1), ("right_neighbour", -1)])
def test_neighbours_are_the_next_seats_still_in(design_of, who: str, step: int) -> None:
    game = game_with(design_of, "catan", catan_action([gain("wool", 5, target=who)]), players=4)
    state = fresh(game)
    state.seat = 1
    game.actions["trade_with_bank"].effects[0].apply(game, state, 1)
    assert state.own[(1 + step) % 4]["wool"] == 5
    state.alive[(1 + step) % 4] = False  # an eliminated neighbour is skipped
    game.actions["trade_with_bank"].effects[0].apply(game, state, 1)
    assert state.own[(1 + 2 * step) % 4]["wool"] == 5


def test_simultaneous_choices_resolve_together_at_the_round_end_and_hands_pass_left() -> None:
    """Sushi Go: each seat picks in secret; nothing is revealed until every seat has picked, then each pick
    scores and every hand moves one seat to the left."""
    game = Tabletop(EXEMPLARS["sushi_go"], 4)
    state = game.start(3)
    hands = [list(state.hands[s]["sushi_deck"]) for s in range(4)]
    picks = []
    for seat in range(4):
        assert state.seat == seat
        move = game.moves(state)[-1]
        picks.append(move)
        game.play(state, move)
        if seat < 3:  # nothing resolved yet: the hands are as dealt
            assert [len(state.hands[s]["sushi_deck"]) for s in range(4)] == [8, 8, 8, 8]
    for seat in range(4):  # each hand, less its pick, went to the left
        card = picks[seat].partition("card=")[2].rstrip(")")
        passed = sorted(hands[seat][: hands[seat].index(card)] + hands[seat][hands[seat].index(card) + 1 :])
        assert sorted(state.hands[(seat + 1) % 4]["sushi_deck"]) == passed


def test_a_searching_seat_does_not_see_secret_choices_but_sees_its_own() -> None:
    game = Tabletop(EXEMPLARS["sushi_go"], 4)
    state = game.start(1)
    game.play(state, game.moves(state)[0])
    real = state.pending[0][1]
    seen = {game.clone(state, random.Random(i), 1).pending[0][1] for i in range(30)}
    assert len(seen) > 1  # seat 1 samples what seat 0 might have picked
    assert {game.clone(state, random.Random(i), 0).pending[0][1] for i in range(5)} == {real}
    after = game.clone(state, random.Random(0), 0)
    game.settle(after, 0)  # the chooser's lookahead resolves its own pick
    assert not after.pending and len(after.hands[0]["sushi_deck"]) == 0  # picked one, passed seven


def test_greedy_sees_its_own_secret_pick_score() -> None:
    """Sushi Go: with wasabi waiting, the greedy picker takes the squid nigiri (9 points) over the egg (3),
    and over a pudding that cannot lift it off the bottom of the pudding count."""
    game = Tabletop(EXEMPLARS["sushi_go"], 2)
    state = game.start(0)
    state.hands[0]["sushi_deck"] = ["pudding_card", "squid_nigiri", "egg_nigiri"]
    state.own[0]["wasabi"] = 1
    state.own[1]["pudding"] = 3
    state.legal = None
    assert greedy_bot(game, state, random.Random(0)) == "pick_dish(card=squid_nigiri)"


class SeatTable:
    """Just enough table for scoring rules: seats and their amounts of one resource."""

    def __init__(self, counts: list[int]) -> None:
        self.counts = counts

    def seats(self, state: object) -> range:
        return range(len(self.counts))

    def amount(self, state: object, seat: int, resource: str) -> int:
        return self.counts[seat]


COUNTING = {"resource": "counted", "into": "points"}
MAJORITY = {"kind": "majority", "first": 6, "second": 3, **COUNTING}
LADDER = {"kind": "ladder", **COUNTING}
PAIRS = {"kind": "sets", "of": [{"resource": "counted", "amount": 2}], "worth": 5, "into": "points"}


@pytest.mark.parametrize(
    ("rule", "counts", "points"),
    [
        (MAJORITY, [5, 3, 3, 0], [6, 1, 1, 0]),  # second place shared, rounded down
        (MAJORITY, [3, 3, 1, 0], [3, 3, 0, 0]),  # a tie for first leaves no second
        (MAJORITY, [0, 0, 0, 0], [0, 0, 0, 0]),  # none held, no places
        ({**MAJORITY, "second": 0, "last": -6}, [2, 1, 1, 4], [0, -3, -3, 6]),  # the fewest share a penalty
        ({**LADDER, "worth": [1, 3, 6]}, [0, 1, 3, 7], [0, 1, 6, 6]),  # the last step for that many or more
        ({"kind": "per_rate", "per": 3, "worth": 1, **COUNTING}, [2, 3, 8], [0, 1, 2]),
        (PAIRS, [1, 2, 5], [0, 5, 10]),
    ],
)  # fmt: skip
def test_final_scoring_rules(rule: dict[str, Any], counts: list[int], points: list[int]) -> None:
    assert TypeAdapter(fx.FinalScoring).validate_python(rule).points(SeatTable(counts), None) == points


def test_final_scoring_is_added_once_at_the_end_and_seen_before_it() -> None:
    game = Tabletop(EXEMPLARS["sushi_go"], 2)
    state = game.start(0)
    state.own[0].update(tempura_eaten=2, maki=3)
    state.own[1].update(maki=1)
    assert game.final_amount(state, 0, "points") == 5 + 6 and game.score(state, 0) == 11
    assert state.own[0]["points"] == 0  # nothing added before the end
    state.rounds = 24
    game._check_end(state, round_over=True)
    assert state.ended == "round_limit" and state.own[0]["points"] == 11 and state.own[1]["points"] == 3
    assert game.final_amount(state, 0, "points") == 11  # counted once


def test_pieces_move_along_the_map_and_control_pays() -> None:
    """Risk: an army moves only across a border, up to its spaces; holding a continent pays its bonus."""
    game = Tabletop(EXEMPLARS["risk"], 2)
    state = game.start(0)
    state.presence = {"australia": {0: 2}}  # type: ignore[dict-item]
    assert game.routes(state, 0, 1) == ["australia>asia"]
    assert set(game.routes(state, 0, 2)) == {
        "australia>asia", "australia>north_america", "australia>europe", "australia>africa",
    }  # fmt: skip
    game.move_piece(state, 0, "australia>asia")
    assert game.presence(state, 0, "asia") == 1 and game.presence(state, 0, "australia") == 1
    assert game.controls(state, 0, "asia") and game.controlled(state, 0) == 2
    state.presence["asia"][1] = 1
    assert not game.controls(state, 0, "asia")  # a tie holds nothing
    place = game.actions["reinforce"].effects[0]
    assert set(place.choices(game, state, 0)["where"]) == {
        "asia",
        "australia",
        "north_america",
        "europe",
        "africa",
    }
    bonus = game.phases[1].effects[2]  # Australia's bonus
    before = state.own[0]["reserves"]
    bonus.apply(game, state, 0)
    assert state.own[0]["reserves"] == before + 2


def test_workers_are_the_actions_of_a_turn_and_come_home_at_the_round_end() -> None:
    """Agricola: a family of two takes two actions, a family of three three; an action space taken this
    round is free again next round; the start player passes to the left each round."""
    game = Tabletop(EXEMPLARS["agricola"], 2)
    state = game.start(0)
    assert state.left == 2
    game.play(state, "take_wood")
    assert "take_wood" not in game.moves(state)  # the forest is taken
    game.play(state, "take_grain")
    assert state.seat == 1 and "take_wood" not in game.moves(state)
    while state.rounds == 0:
        game.play(state, game.moves(state)[0])
    assert state.seat == state.first == 1  # the next round starts one seat on
    assert "take_wood" in game.moves(state)  # the family members came home
    state.own[1]["family"] = 3
    state.phase, state.legal = 0, None
    game._enter_phase(state)
    assert state.left == 3


def test_extra_actions_lengthen_the_phase(design_of) -> None:
    bonus = [gain("wool"), {"kind": "extra_actions", "count": 2}]
    game = game_with(design_of, "catan", catan_action(bonus))
    state = fresh(game)
    while not any(m.startswith("trade_with_bank") for m in game.moves(state)):
        game.play(state, game.moves(state)[0])
    left = state.left
    game.play(state, "trade_with_bank")
    assert state.left == left - 1 + 2


def test_a_hand_over_its_limit_is_discarded_down_by_choice_before_the_turn_passes(design_of) -> None:
    data = design_of("pandemic")
    data["components"][3]["hand_limit"] = 3  # the player deck; two dealt, two drawn each turn
    game = Tabletop.compile(GameDesign.model_validate(data), 2)
    state = game.start(0)
    state.hands[0]["player_deck"] = ["red_city", "blue_city"]
    while state.seat == 0 and not state.trim:
        game.play(state, next(m for m in game.moves(state) if m.startswith("treat_disease")))
    assert (state.seat, state.trim) == (0, "player_deck")  # all phases done, the seat still to move
    hand = list(state.hands[0]["player_deck"])
    assert len(hand) == 4 and {"red_city", "blue_city"} <= set(hand)
    assert game.moves(state) == [f"discard_down(card={card})" for card in sorted(set(hand))]
    game.play(state, "discard_down(card=red_city)")
    assert (state.seat, state.trim) == (1, None)
    hand.remove("red_city")
    assert sorted(state.hands[0]["player_deck"]) == sorted(hand)
    assert state.discard["player_deck"][-1] == "red_city"


def test_a_bonus_raises_the_hand_limit(design_of) -> None:
    data = design_of("pandemic")
    data["resources"].append(
        {"id": "storehouse", "name": "Storehouse", "kind": "good", "enlarges": "player_deck"}
    )
    game = Tabletop(GameDesign.model_validate(data), 2)  # the bonus has no source: not compiled, not played
    state = game.start(0)
    state.hands[0]["player_deck"] = ["red_city"] * 8
    assert game.over_limit(state, 0) == "player_deck"
    state.own[0]["storehouse"] = 1
    assert game.over_limit(state, 0) is None


def test_a_set_of_one_tag_is_laid_down_by_choice(design_of) -> None:
    game = Tabletop.compile(GameDesign.model_validate(design_of("pandemic")), 2)
    state = game.start(0)  # curing: five city cards of one colour
    state.hands[0]["player_deck"] = ["blue_city"] * 5 + ["red_city"] * 6 + ["black_city"] * 4
    assert [m for m in game.moves(state) if m.startswith("discover_cure")] == [
        "discover_cure(tag=blue)",
        "discover_cure(tag=red)",
    ]
    game.play(state, "discover_cure(tag=red)")
    assert sorted(state.hands[0]["player_deck"]) == ["black_city"] * 4 + ["blue_city"] * 5 + ["red_city"]
    assert state.shared["cures"] == 1
    state.hands[0]["player_deck"] = ["black_city"] * 4 + ["blue_city"]
    state.legal = None
    assert not any(m.startswith("discover_cure") for m in game.moves(state))
    blue = fx.ForEach.model_validate(
        {"kind": "for_each", "deck": "player_deck", "tag": "blue", "effects": [gain("cures")]}
    )
    assert blue.counted(game, state, 0) == 1


@pytest.mark.parametrize(("distinct", "sets"), [(2, 3), (3, 1), (4, 0)])
def test_sets_of_different_tags_are_counted_without_sharing_a_card(
    design_of, distinct: int, sets: int
) -> None:
    game = Tabletop.compile(GameDesign.model_validate(design_of("pandemic")), 2)
    state = game.start(0)
    state.hands[0]["player_deck"] = ["red_city"] * 3 + ["blue_city"] * 2 + ["black_city"]
    rule = fx.TagSets.model_validate(
        {"kind": "tag_sets", "deck": "player_deck", "distinct": distinct, "worth": 5}
    )
    assert rule.count(game, state, 0) == sets and rule.points(game, state)[0] == 5 * sets


def auction(**more: Any) -> dict[str, Any]:
    return {"kind": "bid", "resource": "ore", "most": 4, "prize": [gain("victory_points", 2)], **more}


@pytest.mark.parametrize(
    ("rule", "bids", "ore_after", "points_to"),
    [
        ({}, [1, 3, 2], [5, 2, 5], 1),  # the highest bid wins and only it pays
        ({"pays": "everyone"}, [1, 3, 2], [4, 2, 3], 1),  # an all-pay auction
        ({}, [2, 2, 0], [3, 5, 5], 0),  # a tie goes to the earliest bidder
        ({"ties": "none"}, [2, 2, 0], [5, 5, 5], None),  # or to nobody
    ],
)
def test_bids_are_settled_when_the_round_ends(design_of, rule, bids, ore_after, points_to) -> None:
    game = game_with(design_of, "catan", catan_action([auction(**rule)]), players=3)
    state = game.start(0)
    for seat in range(3):
        state.own[seat].update(ore=5, victory_points=0)
    effect = game.actions["trade_with_bank"].effects[0]
    for seat, amount in enumerate(bids):
        assert effect.choices(game, state, seat)["bid"] == ["0", "1", "2", "3", "4"]
        state.seat, state.args = seat, {"bid": str(amount)}
        effect.apply(game, state, seat)
    assert [state.own[s]["ore"] for s in range(3)] == [5, 5, 5]  # nothing is paid before the round ends
    game._settle_bids(state)
    assert [state.own[s]["ore"] for s in range(3)] == ore_after
    assert [state.own[s]["victory_points"] for s in range(3)] == [
        2 if s == points_to else 0 for s in range(3)
    ]


def test_under_simultaneous_order_bids_are_sealed(design_of) -> None:
    """Bids made in secret are resolved at the reveal, so a later bidder cannot see an earlier one."""

    def sealed(d: dict[str, Any]) -> None:
        catan_action([auction()])(d)
        d["turn_structure"]["order"] = "simultaneous"

    game = game_with(design_of, "catan", sealed, players=2)
    state = fresh(game, ore=5)
    while not any(m.startswith("trade_with_bank") for m in game.moves(state)):
        game.play(state, game.moves(state)[0])
    game.play(state, "trade_with_bank(bid=3)")
    assert not state.bids and state.pending  # chosen, not yet made


def test_the_rulebook_says_the_new_words_in_the_designs_names() -> None:
    from genontology.schemas.tabletop.render import render_markdown

    sushi = render_markdown(EXEMPLARS["sushi_go"])
    assert "Everyone chooses in secret" in sushi
    assert "- Points by majority (most Maki rolls: 6; second most: 3)." in sushi  # into what victory counts
    assert "pass the rest of your Sushi cards hand to the player on your left" in sushi
    risk = render_markdown(EXEMPLARS["risk"])
    assert "**South America** (area, next to North America, Africa)" in risk  # adjacency holds both ways
    assert "if you control Asia" in risk
    agricola = render_markdown(EXEMPLARS["agricola"])
    assert (
        "for each Family members you have" in agricola
        and "pieces return at the end of each round" in agricola
    )
