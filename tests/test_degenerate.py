"""The negatives the playable gate is to be calibrated against: degenerate variants of the exemplars that the
structural validator passes, so that only simulation can reject them."""

from __future__ import annotations

import pytest

from genontology.playtest import Tabletop, playtest
from genontology.playtest.degenerate import DAMAGES, Damage, damaged
from genontology.schemas.tabletop.corpus import load_exemplars

EXEMPLARS = {e.id: e.model_dump(mode="json", exclude_none=True) for e in load_exemplars()}


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.name)
def test_each_kind_of_damage_makes_valid_variants_of_many_games(tabletop, damage: Damage) -> None:
    pairs = [(d, damaged(d, damage)) for d in EXEMPLARS.values()]
    variants = [(d, v) for d, v in pairs if v is not None]
    assert len(variants) >= 8, damage.name  # enough negatives of every kind to calibrate on
    for original, variant in variants[:3]:
        assert not [v for v in tabletop.validate(variant) if v.severity.value == "error"]
        changed = {k for k in original if original[k] != variant.get(k)} - {"id"}
        assert changed, f"{damage.name} left {original['id']} as it was"


def test_a_damage_that_does_not_fit_says_so() -> None:
    cooperative = EXEMPLARS["pandemic"]
    luck = next(d for d in DAMAGES if d.name == "luck decides")
    assert damaged(cooperative, luck) is None  # the winner of a cooperative game is not a roll


def test_a_game_ended_in_its_first_round_lasts_one_round_in_play(tabletop) -> None:
    """What the damage does shows in simulation (whether the gate rejects it is the calibration's to say)."""
    damage = next(d for d in DAMAGES if d.name == "ends in the first round")
    variant = damaged(EXEMPLARS["for_sale"], damage)
    assert variant is not None
    game = Tabletop(tabletop.parse(variant))
    report = playtest(game, games=20, bots=("random",))
    assert report.completion == 1.0 and report.duration_turns <= game.players
