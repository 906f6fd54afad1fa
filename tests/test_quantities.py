"""The validator's arithmetic: intervals, each effect kind's transfer function, the reachable ranges (checked
for soundness against the engine's own play), and the faults of quantity they catch."""

from __future__ import annotations

import random
from typing import Any

import pytest
from broken_designs import KINDS, Broken, broken
from pydantic import TypeAdapter

from genontology.ontology.intervals import Interval, either, repeat, total
from genontology.playtest.game import PASS, parse_move
from genontology.playtest.tabletop import Tabletop
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.corpus import load_exemplars
from genontology.schemas.tabletop.effects.base import Delta
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.ranges import analyse

I = Interval  # noqa: E741


def test_interval_arithmetic_holds_every_sum_join_and_repetition() -> None:
    assert I(1, 2) + I(3, None) == I(4, None)
    assert -I(1, 3) == I(-3, -1)
    assert I(0, 2).join(I(-1, 1)) == I(-1, 2)
    assert I(2, 3).repeated(4) == I(0, 12) and I(-2, 1).repeated(None) == I(None, None)
    assert I(-5, 20).clamp(0, 10) == I(0, 10)
    assert total({"a": I(1, 1)}, {"a": I(2, 2), "b": I(-1, -1)}) == {"a": I(3, 3), "b": I(-1, -1)}
    assert either({"a": I(1, 1)}, {}) == {"a": I(0, 1)}  # the other choice leaves it alone
    assert repeat({"a": I(1, 2)}, 3) == {"a": I(0, 6)}
    assert str(I(0, None)) == "0..inf" and str(I(4, 4)) == "4"


class FakeReach:
    """What the analysis answers: coins reach 7 at most; a card pays 2 coins and scores 1; dice show 1-6;
    four players at most."""

    players = 4

    def most(self, quantity: str) -> int | None:
        return {"coins": 7}.get(quantity)

    def card(self, source: str, resolve: bool = True, pay: bool = False) -> Delta:
        out: Delta = {("points", "self"): I(1, 1)} if resolve else {}
        return total(out, {("coins", "self"): I(-2, -2)} if pay else {})

    def rolled(self, dice: str, count: int) -> Interval:
        return I(count, 6 * count)


SELF, OTHERS = "self", "others"
TRANSFERS: list[tuple[dict[str, Any], Delta]] = [
    ({"kind": "gain", "resource": "coins", "amount": 2}, {("coins", SELF): I(2, 2)}),
    (
        {"kind": "gain", "resource": "coins", "amount": 2, "target": "all_players"},
        {("coins", SELF): I(2, 2), ("coins", OTHERS): I(2, 2)},
    ),
    ({"kind": "spend", "resource": "coins", "amount": 3}, {("coins", SELF): I(-3, -3)}),
    ({"kind": "lose", "resource": "coins", "amount": 3}, {("coins", OTHERS): I(-3, 0)}),
    (
        {"kind": "transfer", "resource": "coins", "amount": 2},
        {("coins", OTHERS): I(-2, 0), ("coins", SELF): I(0, 2)},
    ),
    (
        {"kind": "transfer", "resource": "coins", "amount": 2, "source": "each_opponent"},
        {("coins", OTHERS): I(-2, 0), ("coins", SELF): I(0, 6)},  # from each of three opponents
    ),
    ({"kind": "income", "resource": "points", "per": "coins", "every": 2}, {("points", SELF): I(0, 3)}),
    ({"kind": "income", "resource": "coins", "per": "wood"}, {("coins", SELF): I(0, None)}),  # wood unbounded
    ({"kind": "score", "resource": "points", "amount": 4}, {("points", SELF): I(4, 4)}),
    (
        {
            "kind": "trade",
            "give": {"resource": "coins", "amount": 3},
            "receive": {"resource": "wood", "amount": 1},
        },
        {("coins", SELF): I(-3, -3), ("wood", SELF): I(1, 1)},
    ),
    (
        {
            "kind": "trade",
            "give": {"resource": "coins", "amount": 3},
            "receive": {"resource": "wood", "amount": 1},
            "partner": "player",
        },
        {
            ("coins", SELF): I(-3, -3),
            ("wood", SELF): I(1, 1),
            ("coins", OTHERS): I(3, 3),
            ("wood", OTHERS): I(-1, -1),
        },
    ),
    (
        {"kind": "convert_all", "resource": "coins", "into": "points"},
        {("coins", SELF): I(-7, 0), ("points", SELF): I(0, 7)},
    ),
    (
        {"kind": "roll", "dice": "dice", "count": 2, "gain": "coins", "advance": "road"},
        {("coins", SELF): I(2, 12), ("road", SELF): I(2, 12)},
    ),
    ({"kind": "advance", "track": "road", "steps": -2}, {("road", SELF): I(-2, -2)}),
    ({"kind": "play", "deck": "deck", "count": 2}, {("points", SELF): I(0, 2)}),
    ({"kind": "play_to_pile", "deck": "deck"}, {("points", SELF): I(1, 1)}),
    (
        {"kind": "take_from_market", "market": "row", "resolve": True},
        {("points", SELF): I(0, 1), ("coins", SELF): I(-2, 0)},
    ),
    (
        {
            "kind": "if",
            "condition": {"kind": "resource_at_least", "resource": "coins", "amount": 1},
            "then": [{"kind": "gain", "resource": "wood", "amount": 2}],
            "otherwise": [{"kind": "spend", "resource": "coins", "amount": 1}],
        },
        {("wood", SELF): I(0, 2), ("coins", SELF): I(-1, 0)},
    ),
    (
        {
            "kind": "choose",
            "options": [
                [{"kind": "gain", "resource": "wood", "amount": 2}],
                [
                    {"kind": "gain", "resource": "wood", "amount": 1},
                    {"kind": "score", "resource": "points", "amount": 1},
                ],
            ],
        },
        {("wood", SELF): I(0, 2), ("points", SELF): I(0, 1)},
    ),
    (
        {
            "kind": "bid",
            "resource": "coins",
            "most": 4,
            "prize": [{"kind": "score", "resource": "points", "amount": 3}],
        },
        {("coins", SELF): I(-4, 0), ("points", SELF): I(0, 3), ("points", OTHERS): I(0, 3)},
    ),
    (
        {
            "kind": "for_each",
            "resource": "coins",
            "at_most": 5,
            "effects": [{"kind": "score", "resource": "points", "amount": 2}],
        },
        {("points", SELF): I(0, 10)},
    ),
    # A kind with no transfer of its own falls back on its graph relations: unbounded, so nothing is decided.
    ({"kind": "draw", "deck": "deck", "count": 2}, {}),
]


@pytest.mark.parametrize(
    ("effect", "expected"), TRANSFERS, ids=lambda x: x.get("kind") if "kind" in x else ""
)
def test_each_effect_kind_transfers_what_it_does(effect: dict[str, Any], expected: Delta) -> None:
    assert _effect(effect).transfer(FakeReach()) == expected


def _effect(data: dict[str, Any]) -> fx.Ludeme:
    return TypeAdapter(fx.Effect).validate_python(data)


def test_the_default_transfer_is_unbounded_where_the_kind_does_not_say() -> None:
    class Unknown(fx.Gain):
        def transfer(self, at: Any) -> Delta:
            return fx.Ludeme.transfer(self, at)

    out = Unknown(kind="gain", resource="coins", amount=1).transfer(FakeReach())
    assert out == {("coins", SELF): I(0, None), ("coins", OTHERS): I(0, None)}


EXEMPLARS = {d.id: d for d in load_exemplars()}


def test_ranges_follow_costs_rounds_and_caps() -> None:
    ranges = analyse(EXEMPLARS["for_sale"])  # 7 rounds, 2 actions a turn; coins only ever spent
    assert ranges.rounds == 7 and ranges.turn == 2
    assert ranges.values["money"] == I(0, 14)  # nothing raises it: its start, down to none
    assert ranges.values["cheques"] == I(0, 7 * 2 * 13)  # the best card scores 13, one per action
    catan = analyse(EXEMPLARS["catan"])  # no round limit: what rises is bounded only by the bank
    assert catan.values["brick"].hi == 19 * 1 + 0 * 4 and catan.values["victory_points"].hi is None


def test_income_grows_to_a_fixpoint_and_widens_when_it_does_not_settle() -> None:
    design = EXEMPLARS["for_sale"].model_copy(deep=True)
    sell = next(a for a in design.actions if a.id == "sell_property")
    sell.effects.append(_effect({"kind": "income", "resource": "money", "per": "cheques", "every": 10}))
    ranges = analyse(design)  # money pays out per cheques, which cards raise: a few passes to settle
    assert ranges.values["money"].hi is not None and ranges.values["money"].hi > 14
    loop = EXEMPLARS["for_sale"].model_copy(deep=True)
    loop.actions[1].effects = [_effect({"kind": "income", "resource": "money", "per": "money"})]
    assert analyse(loop).values["money"].hi is None  # money paying out on money: no bound but none


@pytest.mark.parametrize("name", sorted(EXEMPLARS))
def test_ranges_are_sound_against_play(name: str) -> None:
    """Whatever the engine reaches in random play at the most players lies within the ranges, and no action
    the analysis calls dead is ever offered."""
    design = EXEMPLARS[name]
    ranges = analyse(design)
    game = Tabletop(design, players=design.players.max, max_turns=150)
    for seed in range(2):
        rng, state = random.Random(seed), game.start(seed)
        while not game.over(state):
            for q, value in ranges.values.items():
                quantity = ranges.quantities[q]
                seen = (
                    [t.get(q, 0) for t in state.track]
                    if quantity.track
                    else [state.shared.get(q, 0)]
                    if quantity.shared
                    else [own.get(q, 0) for own in state.own]
                )
                for amount in seen:
                    assert (value.lo is None or amount >= value.lo) and (
                        value.hi is None or amount <= value.hi
                    ), (
                        q,
                        amount,
                        str(value),
                    )
            moves = game.moves(state)
            assert not {parse_move(m)[0] for m in moves} & ranges.dead
            if not moves:
                break
            game.play(state, rng.choice(moves))


def test_a_circular_economy_is_dead_until_players_start_with_enough(tabletop, design_of) -> None:
    """Every action costing what only actions produce: nothing is live, the rule says the game cannot begin,
    and its fix (a starting amount) makes the first move possible, in the engine too."""
    data = design_of("pig")
    data["actions"][0]["cost"] = [{"resource": "turn_total", "amount": 2}]
    data["actions"][1]["cost"] = [{"resource": "turn_total", "amount": 1}]
    design = GameDesign.model_validate(data)
    assert analyse(design).dead == {"roll", "hold"}
    stuck = Tabletop(design, players=2)
    assert stuck.moves(stuck.start(0)) == [PASS]
    (finding,) = tabletop.validate(data)
    assert finding.code == "reach.circular" and "cannot begin" in finding.message
    fixed, left, _ = tabletop.autofix(data)
    assert left == [] and fixed["resources"][0]["start"] == 1
    game = Tabletop(GameDesign.model_validate(fixed), players=2)
    assert "hold" in {parse_move(m)[0] for m in game.moves(game.start(0))}


@pytest.mark.parametrize(
    "end",
    [{"kind": "hand_empty", "deck": "property_deck"}, {"kind": "elimination", "resource": "money"}],
    ids=["hand-never-dealt", "none-to-start"],
)
def test_an_end_met_after_the_first_turn_is_met_at_start(tabletop, design_of, end: dict[str, Any]) -> None:
    data = design_of("for_sale")
    data["end_conditions"].append(end)
    data["resources"][0]["start"] = 0 if end["kind"] == "elimination" else 14
    if end["kind"] == "elimination":
        data["actions"][0]["effects"].append({"kind": "gain", "resource": "money", "amount": 1})
    assert {v.code for v in tabletop.validate(data) if v.severity.value == "error"} == {"end.met-at-start"}


BROKEN = broken()


def test_the_broken_set_covers_every_kind_many_times() -> None:
    assert len(BROKEN) >= 40 and {b.kind for b in BROKEN} == set(KINDS)


@pytest.mark.parametrize("case", BROKEN, ids=lambda b: b.name)
def test_every_broken_design_is_caught_as_an_error_of_its_kind(tabletop, case: Broken) -> None:
    errors = {v.code for v in tabletop.validate(case.data) if v.severity.value == "error"}
    assert errors & case.caught_by, (case.name, sorted(errors))
