"""Music realizers: a validated composition plan becomes notes (SATB), a score, MIDI and a piano roll.

`realize(plan, "model")` uses the trained transformer shipped with the package (`neural.py`), "rules" the
textbook voice-leading search (`rule_based.py`), "random" random notes in range (the floor of comparison).
The model harmonizes a melody written first (`melody.py`: a line that moves as the chorales' sopranos do);
`soprano="model"` lets it write its own, which holds a chord tone as long as the chord lasts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from genontology.generators.music.grid import Grid, Lines, build_grid
from genontology.generators.music.melody import write_melody
from genontology.generators.music.metrics import measure
from genontology.generators.music.rule_based import realize_random, realize_rules
from genontology.generators.music.score import bar_onsets, draw_roll, melody_rhythm, to_score, write_score
from genontology.ontology.io import write_atomic
from genontology.schemas.music.model import CompositionPlan

Realizer = Literal["model", "rules", "random"]
Soprano = Literal["written", "model"]


def realize(
    plan: CompositionPlan,
    realizer: Realizer = "model",
    seed: int = 0,
    weights: Path | None = None,
    soprano: Soprano = "written",
) -> tuple[Grid, Lines]:
    """Four voices for the plan. The model uses `weights`, else $GENONTOLOGY_REALIZER, else the shipped
    ones, and falls back to the rules when they cannot be loaded; it harmonizes the written melody, or with
    `soprano="model"` writes its own."""
    grid, lines, _ = realize_as(plan, realizer, seed, weights, soprano)
    return grid, lines


def realize_as(
    plan: CompositionPlan,
    realizer: Realizer = "model",
    seed: int = 0,
    weights: Path | None = None,
    soprano: Soprano = "written",
) -> tuple[Grid, Lines, Realizer]:
    """As `realize`, also naming the realizer that wrote the notes (the rules, when the model fell back)."""
    grid = build_grid(plan)
    if realizer == "random":
        return grid, realize_random(grid, seed), "random"
    if realizer == "model":
        try:
            from genontology.generators.music import neural

            chosen = os.environ.get("GENONTOLOGY_REALIZER")
            model = neural.loaded(weights or (Path(chosen) if chosen else None))
            melody = write_melody(grid, plan.melody.contour, seed) if soprano == "written" else None
            return grid, neural.realize_model(model, grid, seed, melody=melody), "model"
        except (OSError, RuntimeError, KeyError):
            pass  # no or unreadable weights: the rule-based realizer is the fallback
    return grid, realize_rules(grid, plan.melody.contour), "rules"


def evaluate(plan: CompositionPlan, grid: Grid, lines: Lines) -> dict[str, float]:
    melody = melody_rhythm(plan, grid, lines[0])
    return measure(grid, lines, bar_onsets(grid, melody))


def realize_to_folder(plan: CompositionPlan, folder: Path, realizer: Realizer = "model") -> list[str]:
    """score.musicxml, score.mid, score.png and realization.json (which realizer, and its measures)."""
    grid, lines, used = realize_as(plan, realizer)
    written = write_score(to_score(plan, grid, lines), folder)
    draw_roll(grid, lines, folder / "score.png", plan.title)
    report = {"realizer": used, "beats": len(grid.beats), "measures": evaluate(plan, grid, lines)}
    write_atomic(folder / "realization.json", json.dumps(report, indent=2))
    return [*written, "score.png", "realization.json"]


__all__ = ["Realizer", "Soprano", "evaluate", "realize", "realize_as", "realize_to_folder", "write_melody"]
