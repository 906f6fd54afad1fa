"""Each structural rule is triggered, alone, by one mutation of a valid exemplar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from genontology.ontology import Severity, apply_fixes

Data = dict[str, Any]


def _by_id(items: list[Data], item_id: str) -> Data:
    return next(i for i in items if i["id"] == item_id)


def add_role(d: Data) -> None:
    d["players"]["roles"] = [
        {"id": "brick", "name": "Brickmaker", "description": "Clashes with the resource id."}
    ]


def wrong_kind(d: Data) -> None:
    _by_id(d["actions"], "roll_for_production")["effects"][0]["dice"] = "island_board"


def add_auction(d: Data) -> None:
    d["mechanisms"].append(
        {
            "id": "bidding",
            "type": "auction",
            "name": "Bidding",
            "description": "Bid for ore.",
            "actions": ["trade_with_bank"],
        }
    )
    d["theming"]["bidding"] = "Merchants bid for ore."


def goods_to_influence(d: Data) -> None:
    for r in d["resources"]:
        if r["id"] in ("brick", "lumber", "wool", "grain"):
            r["kind"] = "influence"


def add_orphan_mechanism(d: Data) -> None:
    d["mechanisms"].append(
        {"id": "luck", "type": "push_your_luck", "name": "Luck", "description": "Press on."}
    )
    d["theming"]["luck"] = "Fortune favours the bold."


def add_unsourced_market(d: Data) -> None:
    d["components"].append({"id": "offer", "name": "Offer", "kind": "market", "count": 5})
    _by_id(d["mechanisms"], "development")["components"].append("offer")
    _by_id(d["actions"], "buy_development")["effects"].append({"kind": "take_from_market", "market": "offer"})
    d["setup"][0]["components"].append("offer")


def add_resource(start: int, cost_on: str | None = None) -> Callable[[Data], None]:
    def mutate(d: Data) -> None:
        d["resources"].append({"id": "fame", "name": "Fame", "kind": "influence", "start": start})
        if cost_on:
            _by_id(d["actions"], cost_on)["cost"].append({"resource": "fame", "amount": 1})

    return mutate


def unreachable_victory(d: Data) -> None:
    d["resources"].append({"id": "glory", "name": "Glory", "kind": "points", "start": 1})
    d["victory"] = [{"kind": "highest_score", "resource": "glory"}]


def coop_goal_on_personal_points(d: Data) -> None:
    d["players"]["interaction"] = "semi_cooperative"
    d["victory"].append({"kind": "cooperative_goal", "resource": "victory_points", "threshold": 5})


def sizeless_track(d: Data) -> None:
    d["components"].append({"id": "score_track", "name": "Score track", "kind": "track", "count": 1})
    d["setup"][0]["components"].append("score_track")
    _by_id(d["actions"], "build_settlement")["effects"].append({"kind": "advance", "track": "score_track"})
    d["end_conditions"].append({"kind": "track_end", "track": "score_track"})


def cooperative_catan(d: Data) -> None:
    d["players"]["interaction"] = "cooperative"
    _by_id(d["components"], "knight_card")["effects"] = [{"kind": "gain", "resource": "wool", "amount": 1}]


def pandemic_attack(d: Data) -> None:
    _by_id(d["actions"], "treat_disease")["effects"].append(
        {"kind": "lose", "resource": "cube_supply", "amount": 1, "target": "chosen_opponent"}
    )


def setter(path: str, value: Any) -> Callable[[Data], None]:
    """Mutation that sets a dotted path (`a.b.0.c`) to value; `value` None deletes the key."""

    def mutate(d: Data) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        node: Any = d
        for p in parents:
            node = node[p]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return mutate


def append(path: str, item: Any) -> Callable[[Data], None]:
    def mutate(d: Data) -> None:
        node: Any = d
        for p in [int(p) if p.isdigit() else p for p in path.split(".")]:
            node = node[p]
        node.append(item)

    return mutate


def needs_suits(d: Data) -> None:
    """Development cards played onto a pile by suit, though the deck has none."""
    play = _by_id(d["actions"], "play_development")
    play["effects"] = [{"kind": "play_to_pile", "deck": "development_deck", "follow": ["suit"]}]


def unmoved_track(d: Data) -> None:
    """Points by the position on a track that nothing advances."""
    d["components"].append({"id": "fame", "name": "Fame", "kind": "track", "count": 1, "size": 10})
    d["setup"][0]["components"].append("fame")
    d["final_scoring"] = [{"kind": "ladder", "track": "fame", "worth": [1, 2, 3], "into": "victory_points"}]


BRICK = {"kind": "gain", "resource": "brick", "amount": 1}


def borrow_name(d: Data) -> None:
    """A generated game whose board is named after a game of the corpus."""
    d["provenance"]["origin"] = "generated"
    d["components"][0]["name"] = "Ticket to Ride Board"


def run_together(d: Data) -> None:
    """A generated game with a resource named as code names things."""
    d["provenance"]["origin"] = "generated"
    d["resources"][0]["name"] = "BrickLayer"


# code -> (base exemplar, mutation). Catan unless the rule needs a cooperative game.
MUTATIONS: dict[str, tuple[str, Callable[[Data], None]]] = {
    "id.duplicate": ("catan", add_role),
    "ref.unknown-component": ("catan", append("mechanisms.0.components", "catapult")),
    "ref.unknown-action": ("catan", append("mechanisms.0.actions", "fly")),
    "ref.unknown-resource": ("catan", setter("actions.3.cost.0.resource", "gold")),
    "ref.unknown-mechanism": ("catan", setter("theming.piracy", "Pirates raid the coast.")),
    "ref.wrong-kind": ("catan", wrong_kind),
    "ref.duplicate": (
        "catan",
        setter("mechanisms.0.actions", ["roll_for_production", "roll_for_production"]),
    ),
    "mechanism.missing-component": ("catan", setter("mechanisms.0.components", ["island_board"])),
    "mechanism.missing-currency": ("catan", add_auction),
    "mechanism.trading-needs-two-resources": ("catan", goods_to_influence),
    "mechanism.orphan": ("catan", add_orphan_mechanism),
    "mechanism.theming-missing": ("catan", setter("theming.trading", None)),
    "component.unused": (
        "catan",
        append("components", {"id": "sand_timer", "name": "Timer", "kind": "timer", "count": 1}),
    ),
    "component.per-player-shortfall": ("catan", setter("components.2.count", 59)),
    "component.market-without-source": ("catan", add_unsourced_market),
    "deck.suited-count": ("catan", lambda d: d["components"][0].update(suits=["red"], ranks=4)),
    "deck.needs-suits": ("catan", needs_suits),
    "deck.personal": ("catan", setter("components.1.personal", True)),
    "resource.discount": ("catan", setter("resources.5.discounts", "victory_points")),
    "deck.hand-limit": ("pandemic", lambda d: d["components"][3].update(hand_limit=1)),
    "deck.tags": ("pandemic", lambda d: d["actions"][3]["preconditions"][0].update(tag="purple")),
    "prose.duplicate-name": ("catan", lambda d: d["components"][1].update(name=d["components"][0]["name"])),
    "prose.code-fragment": ("catan", setter("tagline", 'Settle the island }}, 2, 3 }}  # the "setup": ')),
    "prose.echo": (
        "catan",
        setter("mechanisms.0.description", "How this mechanism works in this game, in one or two sentences."),
    ),
    "prose.title-is-theme": ("catan", setter("title", "Theme: settlers on an island")),
    "prose.borrowed-title": ("catan", setter("provenance.origin", "generated")),  # a generated "Catan"
    "prose.generic-name": ("catan", setter("resources.0.name", "Description")),
    "prose.borrowed-name": ("catan", lambda d: d.update(title="Island Traders") or borrow_name(d)),
    "prose.run-together": ("catan", lambda d: d.update(title="Island Traders") or run_together(d)),
    "prose.repeats": (
        "catan",
        lambda d: [c.update(description="Wooden pieces that mark a claim.") for c in d["components"][:2]],
    ),
    "phase.no-rounds": (
        "catan",
        lambda d: d["turn_structure"]["phases"][0].update(first_round=3, last_round=2),
    ),
    "component.die-faces": ("catan", lambda d: d["components"][1].update(sides=6, faces=[1, 2, 3])),
    "action.unreachable": ("catan", setter("turn_structure.phases.1.actions", ["trade_with_bank"])),
    "action.no-effect": ("catan", setter("actions.1.effects", [])),
    "action.cost-exceeds-maximum": ("catan", setter("resources.4.maximum", 2)),
    "phase.empty": (
        "catan",
        append(
            "turn_structure.phases", {"id": "upkeep", "name": "Upkeep", "description": "Nothing happens."}
        ),
    ),
    "resource.no-source": ("catan", add_resource(0, cost_on="build_road")),
    "resource.no-use": ("catan", add_resource(1)),
    "resource.start-out-of-range": ("catan", lambda d: d["resources"][4].update(start=4, maximum=3)),
    "victory.unreachable": ("catan", unreachable_victory),
    "victory.goal-not-shared": ("catan", coop_goal_on_personal_points),
    "victory.interaction-mismatch": ("catan", cooperative_catan),
    "end.met-at-start": ("catan", setter("resources.5.start", 10)),
    "end.never-triggers": (
        "catan",
        append("end_conditions", {"kind": "supply_depleted", "resource": "victory_points"}),
    ),
    "track.missing-size": ("catan", sizeless_track),
    "setup.unplaced": ("catan", setter("setup.1.components", ["roads", "settlements"])),
    "coop.player-conflict": ("pandemic", pandemic_attack),
    "players.min-exceeds-max": ("catan", setter("players.min", 5)),
    "players.recommended-out-of-range": ("catan", setter("players.recommended", [4, 6])),
    "players.missing-roles": ("catan", setter("players.interaction", "asymmetric")),
    "players.missing-team-size": ("catan", setter("players.interaction", "team")),
    "players.solo-min": ("catan", setter("players.interaction", "solo")),
    "goal.vague": ("catan", setter("goal", "Win the game.")),
    "uncertainty.unbacked": ("catan", append("uncertainty", "blind_draw")),
    "uncertainty.undeclared": ("catan", setter("uncertainty", ["shuffled_cards", "player_choices"])),
    # The vocabulary of final scoring, maps, choices and aims, on games that use it.
    "scoring.uncounted": ("catan", unmoved_track),
    "scoring.unread": ("sushi_go", setter("final_scoring.0.into", "maki")),
    "count.one-thing": (
        "sushi_go",
        append("final_scoring", {"kind": "per_rate", "worth": 1}),
    ),  # counts nothing
    "scoring.majority-order": ("sushi_go", setter("final_scoring.3.second", 8)),
    "map.adjacency": ("risk", append("components.1.adjacent", "north_america")),
    "choice.identical": (
        "catan",
        setter("actions.1.effects", [{"kind": "choose", "options": [[BRICK], [BRICK]]}]),
    ),
    # Quantities (rules/quantities.py and the deck counts): For Sale's coins never rise above their start of
    # 14, and its cheques reach 182 over 7 rounds.
    "reach.cost": ("for_sale", lambda d: _by_id(d["components"], "mansion")["cost"][0].update(amount=15)),
    "reach.precondition": (
        "for_sale",
        lambda d: _by_id(d["actions"], "sell_property")["preconditions"].append(
            {"kind": "resource_at_least", "resource": "money", "amount": 15}
        ),
    ),
    "reach.threshold": (
        "for_sale",
        append("end_conditions", {"kind": "score_threshold", "resource": "cheques", "threshold": 200}),
    ),
    # Pig's roll made to cost the turn total only rolling produces: no roll is ever affordable.
    "reach.circular": ("pig", setter("actions.0.cost", [{"resource": "turn_total", "amount": 1}])),
    "bank.short": ("for_sale", setter("resources.0.supply", 50)),
    "trade.same-resource": ("catan", setter("actions.1.effects.0.receive.resource", "wool")),
    "victory.contradiction": ("for_sale", append("victory", {"kind": "lowest_score", "resource": "cheques"})),
    "victory.shared-score": ("for_sale", setter("resources.1.scope", "shared")),
    "deck.contents": ("for_sale", setter("components.0.count", 31)),
    "deck.short": ("for_sale", setter("setup.0.deal", [{"deck": "property_deck", "count": 5}])),
    "phase.idle-extra-actions": (
        "catan",
        lambda d: d["turn_structure"]["phases"].append(
            {
                "id": "dawn",
                "name": "Dawn",
                "description": "A new day.",
                "effects": [{"kind": "extra_actions"}],
            }
        ),
    ),
    "target.no-other-player": (
        "friday",
        append(
            "actions.1.effects", {"kind": "lose", "resource": "life", "amount": 1, "target": "left_neighbour"}
        ),
    ),
}


def test_at_least_25_rules_each_with_a_principle(tabletop) -> None:
    assert len(tabletop.rules) >= 25
    for rule in tabletop.rules.rules.values():
        assert len(rule.principle.split()) >= 6, rule.code


def test_every_rule_has_a_mutation_test(tabletop) -> None:
    assert set(tabletop.rules.rules) == set(MUTATIONS)


@pytest.mark.parametrize("base", ["catan", "pandemic"])
def test_bases_are_clean(tabletop, design_of, base: str) -> None:
    assert tabletop.validate(design_of(base)) == []


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_mutation_triggers_exactly_its_rule(tabletop, design_of, code: str) -> None:
    base, mutate = MUTATIONS[code]
    data = design_of(base)
    mutate(data)
    violations = tabletop.validate(data)
    assert {v.code for v in violations} == {code}, [str(v) for v in violations]
    for v in violations:
        assert v.path.startswith("$") and v.message and v.hint
        assert v.severity is tabletop.rules.rules[code].severity


def deal_out_then_draw(d: Data) -> None:
    """Hearts deals the whole deck; ending when the deck runs out, with a draw that could exhaust it."""
    d["end_conditions"] = [{"kind": "deck_exhausted", "deck": "deck"}]
    _by_id(d["actions"], "pass_cards")["effects"].append({"kind": "draw", "deck": "deck", "count": 1})


def broke_at_start(d: Data) -> None:
    """For Sale, where a player with no coins is out, but every player starts with none (bids earn some)."""
    d["end_conditions"].append({"kind": "elimination", "resource": "money"})
    d["resources"][0]["start"] = 0
    d["actions"][0]["effects"].append({"kind": "gain", "resource": "money", "amount": 1})


def one_phase_with_stranded_action(d: Data) -> None:
    ids = [a["id"] for a in d["actions"] if a["id"] != "trade_with_players"]
    d["turn_structure"]["phases"] = [
        {
            "id": "whole_turn",
            "name": "Turn",
            "description": "Do it all.",
            "actions": ids,
            "actions_per_turn": 5,
        }
    ]


# Mechanical faults: (base, mutation) whose violations all carry a fix that clears them.
AUTOFIXABLE = {
    **{
        c: MUTATIONS[c]
        for c in (
            "ref.unknown-mechanism",
            "ref.duplicate",
            "resource.start-out-of-range",
            "players.recommended-out-of-range",
            "uncertainty.undeclared",
            "component.per-player-shortfall",
            "end.met-at-start",
            "reach.cost",
            "reach.precondition",
            "reach.threshold",
            "bank.short",
            "deck.contents",
            "trade.same-resource",
        )
    },
    "end.met-at-start(elimination)": ("for_sale", broke_at_start),
    # 36 of For Sale's 30 plain cheque cards dealt at six players: the deck is given what setup takes.
    "deck.short(plain deck)": ("for_sale", setter("setup.0.deal", [{"deck": "cheque_deck", "count": 6}])),
    "action.unreachable": ("catan", one_phase_with_stranded_action),
    "end.met-at-start(deal)": ("hearts", deal_out_then_draw),
    # A race to the end of the board has no points for final scoring to add to: the rule goes.
    "scoring.unread(no points)": (
        "snakes_and_ladders",
        setter("final_scoring", [{"kind": "per_rate", "track": "board", "per": 10, "worth": 1}]),
    ),
}


@pytest.mark.parametrize("code", sorted(AUTOFIXABLE))
def test_autofix_repairs_mechanical_faults(tabletop, design_of, code: str) -> None:
    base, mutate = AUTOFIXABLE[code]
    data = design_of(base)
    mutate(data)
    violations = tabletop.validate(data)
    assert violations and {v.code for v in violations} == {code.split("(")[0]}
    assert all(v.fix is not None for v in violations)
    fixed, applied = apply_fixes(data, violations)
    assert applied
    assert tabletop.validate(fixed) == []
    assert data != fixed  # the input is left untouched


def test_unfixable_faults_carry_no_fix(tabletop, design_of) -> None:
    base, mutate = MUTATIONS["setup.unplaced"]
    data = design_of(base)
    mutate(data)
    assert all(v.fix is None for v in tabletop.validate(data))


def test_warnings_do_not_make_a_design_invalid(tabletop, design_of) -> None:
    data = design_of("catan")
    MUTATIONS["goal.vague"][1](data)
    (violation,) = tabletop.validate(data)
    assert violation.severity is Severity.warning


def test_unplaced_names_the_component_in_the_designs_words(tabletop, design_of) -> None:
    data = design_of("catan")
    MUTATIONS["setup.unplaced"][1](data)
    (violation,) = tabletop.validate(data)
    assert "'Cities' (cities)" in violation.message
    assert violation.path == "$.components[4]"


def test_income_names_both_of_its_resources(tabletop, design_of) -> None:
    """An income effect refers to what is gained and to the holdings that pay it; both must exist."""
    data = design_of("catan")
    income = {"kind": "income", "resource": "ore", "per": "harbours", "amount": 1, "every": 2}
    data["actions"][0]["effects"].append(income)
    (violation,) = tabletop.validate(data)
    assert violation.code == "ref.unknown-resource" and violation.path.endswith(".per")
    income["per"] = "victory_points"
    assert tabletop.validate(data) == []


def test_sets_of_more_tags_than_the_cards_carry_are_refused(tabletop, design_of) -> None:
    data = design_of("pandemic")  # four colours of city card
    data["final_scoring"] = [{"kind": "tag_sets", "deck": "player_deck", "distinct": 5, "worth": 1}]
    found = [v for v in tabletop.validate(data) if v.code == "deck.tags"]
    assert [v.path for v in found] == ["$.final_scoring[0].distinct"]
    data["final_scoring"][0]["distinct"] = 4
    assert not [v for v in tabletop.validate(data) if v.code == "deck.tags"]
