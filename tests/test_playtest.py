"""The tabletop engine plays every shipped exemplar; playouts are seeded and reproducible; a design that
cannot end is reported as timing out, quickly, never hanging."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from genontology import get_domain
from genontology.playtest import Tabletop, play_one, playtest
from genontology.schemas.tabletop import effects as fx

EXEMPLARS = {d.id: d for d in get_domain("tabletop").load_exemplars()}


@pytest.mark.parametrize("exemplar_id", sorted(EXEMPLARS))
def test_every_exemplar_plays_without_error(exemplar_id: str) -> None:
    report = playtest(Tabletop(EXEMPLARS[exemplar_id]), games=5, seed=3)
    assert report.games == 5 and sum(report.reasons.values()) == 5
    assert abs(sum(report.action_share.values()) - 1) < 0.01 or not report.action_share


def test_most_exemplars_finish_under_random_play() -> None:
    finishing = [i for i, d in EXEMPLARS.items() if playtest(Tabletop(d), games=10, seed=0).completion >= 0.9]
    assert len(finishing) >= 55, sorted(set(EXEMPLARS) - set(finishing))  # 58 of 65 at the time of writing


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
    missing = subprocess.run([*cli, "no_such_game"], capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stderr.startswith("error: no_such_game: no such file")
