"""Dice with their faces, conditionals, ending a turn and converting a whole holding, in play; and fidelity:
pig, crazy eights and hearts, encoded with the vocabulary for them, play like OpenSpiel's under uniform random
play (the card games' own rules are tested in test_card_games.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from genontology import get_domain
from genontology.playtest import Tabletop
from genontology.playtest.fidelity import BENCHMARKS, profile_openspiel, profile_ours, within
from genontology.schemas.tabletop.model import GameDesign

EXEMPLARS = {d.id: d for d in get_domain("tabletop").load_exemplars()}
ROOT = Path(__file__).parent.parent


def with_die(design: GameDesign, **die: object) -> Tabletop:
    data = design.model_dump(mode="json")
    next(c for c in data["components"] if c["kind"] == "die").update(die)
    return Tabletop(GameDesign.model_validate(data), 2)


@pytest.mark.parametrize(
    ("die", "faces"), [({"sides": 20}, set(range(1, 21))), ({"faces": [0, 0, 5]}, {0, 5})]
)
def test_a_die_rolls_its_own_faces(die: dict[str, object], faces: set[int]) -> None:
    game = with_die(EXEMPLARS["pig"], **die)
    state = game.start(0)
    seen = Counter(v for _ in range(400) for v in (game.roll(state, "die", 1), *game.last_roll(state, "die")))
    assert set(seen) == faces


def test_a_one_wipes_the_turn_total_and_passes_the_die() -> None:
    """Pig's bust: a roll, then a conditional on the face shown that converts the total away and ends the
    turn; any other face leaves the total and the turn with the player."""
    game = Tabletop(EXEMPLARS["pig"], 2)
    for seed in range(40):
        state = game.start(seed)
        game.play(state, "roll")
        (face,) = game.last_roll(state, "die")
        if face == 1:
            assert state.own[0]["turn_total"] == 0 and state.seat == 1
        else:
            assert state.own[0]["turn_total"] == face and state.seat == 0


def test_holding_banks_the_whole_total_and_ends_the_turn() -> None:
    game = Tabletop(EXEMPLARS["pig"], 2)
    state = game.start(0)
    state.own[0].update(turn_total=17, banked=40)
    game.play(state, "hold")
    assert state.own[0] == {"turn_total": 0, "banked": 57} and state.seat == 1 and state.phase == 0


def test_pig_plays_like_openspiel_pig() -> None:
    """The issue's target on one game: mean turns within 15%, seat 0's win rate within 0.05."""
    ours = profile_ours(Tabletop(EXEMPLARS["pig"], 2), games=300)
    theirs = profile_openspiel("pig", games=300)
    assert within(ours, theirs), (ours, theirs)
    assert ours.decisions == pytest.approx(theirs.decisions, rel=0.15)


def test_every_benchmark_names_a_shipped_exemplar_and_an_openspiel_game() -> None:
    import pyspiel

    for bench in BENCHMARKS:
        design = EXEMPLARS[bench.exemplar]
        assert design.players.min <= bench.players <= design.players.max
        assert pyspiel.load_game(bench.openspiel).num_players() == bench.players
        # A game off target says why in its own data: what the encoding leaves out.
        assert design.provenance and design.provenance.simplifications, bench.exemplar


def test_the_benchmark_script_reports_both_engines() -> None:
    script = str(ROOT / "benchmarks" / "fidelity.py")
    run = subprocess.run(
        [sys.executable, script, "--only", "pig,battleship", "--games", "40", "--json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    rows = {r["game"]: r for r in json.loads(run.stdout)["rows"]}
    assert rows["battleship"]["ours"]["seat0_wins"] == 1.0  # every shot hits: the note says so
    assert rows["pig"]["openspiel"]["games"] == 40 and rows["pig"]["turns_ratio"] > 0
    bad = subprocess.run([sys.executable, script, "--only", "chess"], capture_output=True, text=True)
    assert bad.returncode == 2 and "chess" in bad.stderr


def test_crazy_eights_plays_like_openspiel_crazy_eights() -> None:
    ours = profile_ours(Tabletop(EXEMPLARS["crazy_eights"], 4), games=300)
    theirs = profile_openspiel("crazy_eights(players=4)", games=300)
    assert within(ours, theirs), (ours, theirs)


def test_hearts_plays_like_openspiel_hearts() -> None:
    ours = profile_ours(Tabletop(EXEMPLARS["hearts"], 4), games=300)
    theirs = profile_openspiel("hearts", games=300)
    assert within(ours, theirs), (ours, theirs)
