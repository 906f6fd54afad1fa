"""Character rules: a plan that names its character keeps to its conventions (`music/character.py`)."""

from __future__ import annotations

import statistics
from collections.abc import Iterator

from genontology.ontology.rules import Finding
from genontology.ontology.violations import Severity, json_path
from genontology.schemas.music.character import CONVENTIONS, harmonic_rhythm
from genontology.schemas.music.model import CompositionPlan
from genontology.schemas.music.rules.base import Context, rule


@rule("character.convention")
def character_convention(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A plan that names its character takes a meter, a tempo marking and a mode that character takes (a
    march is not a 12/8 largo), and its harmony changes about as often as the character's does."""
    if plan.character is None:
        return
    said = CONVENTIONS[plan.character]
    name = plan.character.value.replace("_", " ")
    settings = (
        (json_path("meter"), "meter", plan.meter, said.meters),
        (json_path("tempo", "marking"), "tempo", plan.tempo.marking.value, tuple(map(str, said.tempi))),
        (json_path("key", "mode"), "mode", plan.key.mode.value, tuple(map(str, said.modes))),
    )
    for path, what, value, allowed in settings:
        if value not in allowed:
            yield Finding(
                path,
                f"a {name} is not in {what} {value}: it takes {' or '.join(allowed)}",
                f"choose a {what} a {name} takes, or another character",
            )
    rates = harmonic_rhythm(plan)
    low, high = said.chords_per_bar
    if rates and not low / 2 <= statistics.median(rates) <= high * 1.5:
        yield Finding(
            json_path("sections"),
            f"the harmony changes {statistics.median(rates):.2g} times a bar at the median; a {name} changes "
            f"{low:g}-{high:g} times",
            f"write about {low:g}-{high:g} chords a bar in each phrase",
            severity=Severity.warning,
        )
