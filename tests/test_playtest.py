"""The tabletop engine plays every shipped exemplar; playouts are seeded and reproducible whatever the number
of processes; a design that cannot end is reported as timing out, quickly, never hanging; skill and dominant
actions are measured; the gate finds an endless game and a seat that always wins (tests/test_gate.py tests
its parts and its calibration)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time

import pytest

from genontology import get_domain
from genontology.playtest import PASS, Tabletop, judge, play_one, playtest
from genontology.playtest.bots import InformationSetMCTS, make_bot
from genontology.playtest.evaluate import playtest_design
from genontology.playtest.game import DISCARD_DOWN, action_of, parse_move
from genontology.playtest.gate import MAX_SEAT_EDGE
from genontology.schemas.tabletop import effects as fx

EXEMPLARS = {d.id: d for d in get_domain("tabletop").load_exemplars()}


@pytest.mark.parametrize("exemplar_id", sorted(EXEMPLARS))
def test_every_exemplar_plays_without_error(exemplar_id: str) -> None:
    design = EXEMPLARS[exemplar_id]
    report = playtest(Tabletop(design), games=5, seed=3)
    # Every game ended by one of the design's own end conditions or by the turn cap, never otherwise.
    assert set(report.reasons) <= {c.kind for c in design.end_conditions} | {"timeout"}, report.reasons
    # Every move counted is one of the design's actions (or passing), and the shares are of those moves.
    assert set(report.action_share) <= {a.id for a in design.actions} | {PASS, DISCARD_DOWN}
    assert abs(sum(report.action_share.values()) - 1) < 0.01 or not report.action_share


def test_every_exemplar_finishes_under_random_play() -> None:
    finishing = [i for i, d in EXEMPLARS.items() if playtest(Tabletop(d), games=10, seed=0).completion >= 0.9]
    assert sorted(finishing) == sorted(EXEMPLARS), sorted(set(EXEMPLARS) - set(finishing))


def test_income_pays_for_holdings() -> None:
    """Risk's reinforcements: 1 army for every 3 territories held, at the start of the turn."""
    game = Tabletop(EXEMPLARS["risk"])
    state = game.start(0)
    state.own[0].update(territories=10, reserves=0)
    income = game.phases[0].effects[0]
    assert isinstance(income, fx.Income)
    income.apply(game, state, 0)
    assert state.own[0]["reserves"] == 10 // 3


def test_cards_drawn_by_an_action_can_be_played_by_it() -> None:
    """RoboRally programs from an empty hand: draw nine, then discard four; a legality check that looked only
    at the hand before the draw would never allow it. Programs are chosen in secret and revealed together,
    so the hands change when the round ends."""
    game = Tabletop(EXEMPLARS["robo_rally"])
    state = game.start(0)
    assert not state.hands[state.seat]["program_deck"] and game.moves(state) == ["program"]
    while state.rounds == 0:  # each seat programs; with no cards in hand yet, none can execute
        game.play(state, game.moves(state)[0])
    assert [len(state.hands[s]["program_deck"]) for s in range(game.players)] == [5] * game.players


def test_a_chosen_opponent_is_a_move_argument_and_is_the_one_hit() -> None:
    """Coup's assassination names its victim: one move per living opponent, and the move's target loses."""
    game = Tabletop(EXEMPLARS["coup"])
    state = game.start(0)
    state.own[state.seat]["money"] = 7
    moves = [m for m in game.moves(state) if action_of(m) == "assassinate"]
    assert moves == [f"assassinate(target=seat_{s})" for s in (1, 2, 3)]
    game.play(state, "assassinate(target=seat_2)")
    assert [own["influence"] for own in state.own] == [2, 2, 1, 2]  # the one named, never another
    assert parse_move("assassinate(target=seat_2)") == ("assassinate", {"target": "seat_2"})


def test_a_chosen_card_is_the_one_bought_and_moves_without_choices_stay_plain() -> None:
    """For Sale's offer row: one move per kind of property on offer, and each takes exactly its card."""
    game = Tabletop(EXEMPLARS["for_sale"])
    offers = [m for m in game.moves(game.start(0)) if m.startswith("bid_property(")]
    assert len(offers) >= 2
    for offer in offers:  # the same seed each time: a random pick would take the same card every time
        state = game.start(0)
        game.play(state, offer)
        assert state.hands[0]["property_deck"] == [parse_move(offer)[1]["card"]]
    catan = Tabletop(EXEMPLARS["catan"])
    assert all("(" not in m for m in catan.moves(catan.start(0)))  # nothing to choose: plain action ids


def test_a_card_chosen_from_hand_is_the_one_played() -> None:
    game = Tabletop(EXEMPLARS["dominion"])
    state = game.start(0)
    plays = [m for m in game.moves(state) if m.startswith("play_action(")]
    assert len(plays) >= 2
    for play in plays:
        state = game.start(0)
        game.play(state, play)
        assert state.seat == 0 and game.pile_top(state, "player_deck") == parse_move(play)[1]["card"]


def test_playtest_reports_shares_by_action_and_by_argument() -> None:
    report = playtest(Tabletop(EXEMPLARS["coup"]), games=20, seed=0)
    assert "assassinate" in report.action_share and all("(" not in a for a in report.action_share)
    targets = report.argument_share["assassinate"]
    assert set(targets) <= {"target=seat_0", "target=seat_1", "target=seat_2", "target=seat_3"}
    assert len(targets) >= 2 and sum(targets.values()) == pytest.approx(1, abs=0.01)


@pytest.mark.parametrize(
    "exemplar_id", ["catan", "dominion", "pandemic", "ticket_to_ride", "splendor", "coup"]
)
def test_well_known_games_end_the_way_their_rules_say(exemplar_id: str) -> None:
    design = EXEMPLARS[exemplar_id]
    report = playtest(Tabletop(design), games=20, seed=1)
    assert report.completion == 1.0
    assert set(report.reasons) <= {e.kind for e in design.end_conditions}


def test_playouts_are_reproducible_with_a_seed() -> None:
    game = Tabletop(EXEMPLARS["catan"])
    assert playtest(game, games=20, seed=7) == playtest(game, games=20, seed=7)
    first, again = play_one(game, 11), play_one(game, 11)
    assert (first.outcome, first.moves, first.chosen) == (again.outcome, again.moves, again.chosen)


def test_a_design_that_cannot_end_times_out_quickly() -> None:
    catan = EXEMPLARS["catan"]
    endless = catan.model_copy(update={"end_conditions": [fx.RoundLimit(kind="round_limit", rounds=200)]})
    began = time.perf_counter()
    report = playtest(Tabletop(endless, max_turns=60), games=10, seed=0)
    assert report.completion == 0.0 and report.reasons == {"timeout": 10}
    assert time.perf_counter() - began < 10


def test_cooperative_games_are_won_or_lost_together() -> None:
    game = Tabletop(EXEMPLARS["pandemic"])
    for seed in range(10):
        outcome = play_one(game, seed).outcome
        assert outcome.winners in ((), tuple(range(game.players))) and not outcome.draw


def test_cli_playtests_an_exemplar_by_id() -> None:
    cli = [sys.executable, "-m", "genontology", "playtest"]
    done = subprocess.run([*cli, "catan", "--games", "20", "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["design"] == "catan" and report["completion"] == 1.0 and len(report["seat_wins"]) == 4
    assert report["gate"] is None and report["skill"]["greedy"]["gap"] > 0.05  # measured, not judged
    assert 0 < report["clarity"] <= 1 and report["drama"] >= 0
    coup = json.loads(
        subprocess.run([*cli, "coup", "--games", "10", "--json"], capture_output=True, text=True).stdout
    )
    assert all(choice.startswith("target=seat_") for choice in coup["argument_share"]["assassinate"])
    missing = subprocess.run([*cli, "no_such_game"], capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stderr.startswith("error: no_such_game: no such file")


def test_processes_do_not_change_the_numbers() -> None:
    game = Tabletop(EXEMPLARS["stone_age"])
    one = playtest(game, games=40, seed=2, bots=("random", "greedy"), skill_games=20)
    assert one == playtest(game, games=40, seed=2, bots=("random", "greedy"), skill_games=20, processes=2)


def test_skill_matters_where_there_are_choices_and_not_where_there_are_none() -> None:
    chess_like = playtest(Tabletop(EXEMPLARS["stratego"]), games=40, bots=("random", "greedy"))
    assert chess_like.skill["greedy"].gap > 0.2
    pure_luck = playtest(Tabletop(EXEMPLARS["snakes_and_ladders"]), games=40, bots=("random", "greedy"))
    assert pure_luck.skill["greedy"].gap == 0 and pure_luck.decision_moves == 0


def test_monte_carlo_search_beats_random_play() -> None:
    # Four seats: a random seat wins about a quarter of the games; search doubles that (seeded: 0.25 -> 0.5).
    report = playtest(Tabletop(EXEMPLARS["crazy_eights"]), games=12, bots=("random", "flat-mc"))
    assert report.skill["flat-mc"].gap >= 0.2


def test_information_set_search_beats_random_play_reproducibly() -> None:
    # Two seats: random wins half the games; a small search wins them all (seeded: 0.5 -> 1.0).
    game = Tabletop(EXEMPLARS["lost_cities"])
    report = playtest(game, games=12, bots=("random", "ismcts:20"))
    assert report.skill["ismcts:20"].gap >= 0.25
    again = playtest(game, games=12, bots=("random", "ismcts:20"))
    assert again.skill["ismcts:20"].win_rate == report.skill["ismcts:20"].win_rate  # a budget, not a clock


def test_information_set_search_never_reads_hidden_cards() -> None:
    """Every iteration searches a copy made for the seat to move, never the true state."""
    game = Tabletop(EXEMPLARS["crazy_eights"])
    state = game.start(3)
    seen: list[int | None] = []
    clone = game.clone

    def watched(state, rng, seat=None):  # type: ignore[no-untyped-def]
        seen.append(seat)
        return clone(state, rng, seat)

    game.clone = watched  # type: ignore[method-assign]
    InformationSetMCTS(iterations=30)(game, state, random.Random(0))
    assert len(seen) == 30 and set(seen) == {game.to_move(state)}


def test_search_budgets_are_named_in_the_bot() -> None:
    assert isinstance(make_bot("ismcts:16"), InformationSetMCTS) and make_bot("ismcts:16").iterations == 16
    with pytest.raises(ValueError, match="ismcts:N"):
        make_bot("mcts")


def test_a_game_that_never_ends_fails_the_gate_with_a_finding_for_its_end() -> None:
    endless = EXEMPLARS["catan"].model_copy(
        update={"end_conditions": [fx.RoundLimit(kind="round_limit", rounds=200)]}
    )
    result = playtest_design(endless, games=20, max_turns=80)
    assert not result.passed and result.report.reasons == {"timeout": 20}
    assert {f.target for f in result.findings()} >= {"end_conditions"}
    ending = next(f for f in result.findings() if f.check == "completes")
    assert ending.concerns and "ended by timeout 20" in ending.concerns and ending.concerns in ending.note()


def test_a_seat_that_always_wins_fails_balance() -> None:
    _, gate = judge(Tabletop(EXEMPLARS["love_letter"]), minutes=20, games=80)
    balance = next(c for c in gate.checks if c.name == "balance")
    assert not balance.passed and balance.low is not None and balance.low > MAX_SEAT_EDGE  # beyond the noise


def test_cli_plots_the_report(tmp_path) -> None:  # type: ignore[no-untyped-def]
    figure = tmp_path / "catan.png"
    cli = [sys.executable, "-m", "genontology", "playtest", "catan", "--games", "30", "--plot", str(figure)]
    done = subprocess.run(cli, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "drama" in done.stdout
    bad = subprocess.run([*cli[:5], "--bots", "random,oracle"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown bot 'oracle'" in bad.stderr
    odd = subprocess.run([*cli[:5], "--plot", str(tmp_path / "catan.xyz")], capture_output=True, text=True)
    assert odd.returncode == 2 and odd.stderr.startswith("error: ") and "must end in .png" in odd.stderr
    assert not odd.stdout and not (tmp_path / "catan.xyz").exists()


def test_cli_gate_prints_each_check_with_its_interval_and_exits_by_the_verdict(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli = [sys.executable, "-m", "genontology", "playtest", "love_letter", "--gate", "--games", "80"]
    done = subprocess.run([*cli, "--json"], capture_output=True, text=True)
    report = json.loads(done.stdout)
    checks = {c["name"]: c for c in report["gate"]["checks"]}
    assert done.returncode == (0 if report["gate"]["passed"] else 1), done.stderr
    assert not checks["balance"]["passed"] and checks["balance"]["low"] <= checks["balance"]["value"]
    assert report["gate"]["ladder"] and all(r["estimate"]["games"] > 0 for r in report["gate"]["ladder"])
    figure = tmp_path / "love_letter.png"
    text = subprocess.run([*cli, "--plot", str(figure)], capture_output=True, text=True).stdout
    assert "FAIL balance: best seat" in text and "skill ladder:" in text and figure.stat().st_size > 0
