"""The melody writer: a line that moves over held chords, within the rules of passing and neighbour notes."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from genontology.generators.music import realize
from genontology.generators.music.grid import build_grid
from genontology.generators.music.melody import candidates, write_melody
from genontology.schemas.music.model import CompositionPlan

PLAN = json.loads((Path(__file__).parent / "data" / "music_plan.json").read_text())


def held_chords() -> CompositionPlan:
    """The test plan with each phrase's chords cut to its first and last two: a chord held for bars."""
    data = json.loads(json.dumps(PLAN))
    for section in data["sections"]:
        for phrase in section["phrases"]:
            phrase["harmony"] = [phrase["harmony"][0], *phrase["harmony"][-2:]]
    return CompositionPlan.model_validate(data)


def _shares(line: list[int]) -> tuple[float, float]:
    moves = [abs(b - a) for a, b in itertools.pairwise(line)]
    return sum(m in (1, 2) for m in moves) / len(moves), sum(m == 0 for m in moves) / len(moves)


def test_the_melody_moves_over_a_held_chord_by_steps_more_than_the_realizer_alone() -> None:
    # Over five seeds (a line is drawn, so one seed may hold longer than another): the written melody steps
    # about three times as often as the realizer's own soprano and repeats less.
    plan = held_chords()
    grid = build_grid(plan)
    written = [_shares(write_melody(grid, plan.melody.contour, seed)) for seed in range(5)]
    alone = [_shares(realize(plan, "model", seed=seed, soprano="model")[1][0]) for seed in range(2)]
    assert all(len(write_melody(grid, plan.melody.contour, seed)) == len(grid.beats) for seed in range(2))
    steps, repeats = (sum(x) / len(x) for x in zip(*written, strict=True))
    steps_alone, repeats_alone = (sum(x) / len(x) for x in zip(*alone, strict=True))
    assert steps > 0.4 and steps > 2 * steps_alone
    assert repeats < repeats_alone


def test_notes_outside_the_chord_pass_or_neighbour_by_step_on_weak_beats() -> None:
    plan = held_chords()
    grid = build_grid(plan)
    line = write_melody(grid, plan.melody.contour, seed=3)
    low, high = grid.ranges[0]
    assert all(low <= p <= high for p in line)
    for t, p in enumerate(line):
        beat = grid.beats[t]
        if p % 12 not in beat.chord:
            assert not beat.bar_start and beat.phrase_end is None
            assert abs(p - line[t - 1]) <= 2 and 0 < abs(line[t + 1] - p) <= 2
        if beat.phrase_end is not None:
            assert p % 12 in beat.chord
    assert line[-1] % 12 == grid.tonic


def test_a_seed_gives_the_same_melody_and_the_realizer_harmonizes_it() -> None:
    plan = CompositionPlan.model_validate(PLAN)
    grid = build_grid(plan)
    line = write_melody(grid, plan.melody.contour, seed=1)
    assert write_melody(grid, plan.melody.contour, seed=1) == line
    assert realize(plan, "model", seed=1)[1][0] == line  # the soprano is the written melody
    assert all(candidates(grid, t) for t in range(len(grid.beats)))
