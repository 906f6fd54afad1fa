"""The shipped gate verdicts on the exemplars (playtest/verdicts.py): current, and the gate's own."""

from __future__ import annotations

import json

import pytest

from genontology.playtest.verdicts import VERDICTS, fingerprint, playable, stale, verdict


def test_every_exemplar_has_a_current_verdict() -> None:
    assert stale() == [], (
        "an exemplar or the gate changed: run `python -m genontology.playtest.verdicts --write`"
    )
    assert 0 < len(playable()) < len(json.loads(VERDICTS.read_text()))


# The exemplars the gate judges fastest, passing and failing: a shipped verdict is what the gate says now.
@pytest.mark.parametrize("exemplar", ["backgammon", "candy_land", "battleship", "carcassonne"])
def test_a_shipped_verdict_is_the_gates(tabletop, exemplar: str) -> None:
    design = next(d for d in tabletop.load_exemplars() if d.id == exemplar)
    assert verdict(design) == json.loads(VERDICTS.read_text())[exemplar]


def test_a_verdict_reached_by_another_gate_is_stale(tabletop, monkeypatch: pytest.MonkeyPatch) -> None:
    from genontology.playtest import gate, ladder

    design = tabletop.load_exemplars()[0]
    before = fingerprint(design)
    monkeypatch.setattr(gate, "SKILL_FLOOR", gate.SKILL_FLOOR + 0.01)
    assert fingerprint(design) != before
    monkeypatch.undo()
    monkeypatch.setattr(ladder, "RUNGS", ladder.RUNGS[:2])
    assert fingerprint(design) != before and stale()  # every verdict stale, none served
