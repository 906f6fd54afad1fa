"""The shipped music exemplars: plans derived from music21's corpus (see `derive.py` and `folk.py`), as
package data: the Bach chorales, then the Essen folk songs."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from pydantic import ValidationError

from genontology.ontology.errors import GenontologyError
from genontology.schemas.music.model import CompositionPlan

FILES = ("chorales.json", "folk.json")
CHORALE_SOURCE = "music21 corpus: bach/"
FOLK_SOURCE = "music21 corpus: essenFolksong/"


class MusicExemplarError(GenontologyError):
    """A shipped exemplar file does not parse into the schema: a packaging bug."""


def _read(name: str) -> list[CompositionPlan]:
    text = (files("genontology.schemas.music") / "exemplars" / name).read_text(encoding="utf-8")
    try:
        return [CompositionPlan.model_validate(item) for item in json.loads(text)]
    except (ValueError, ValidationError) as exc:
        raise MusicExemplarError(f"music exemplars ({name}): {str(exc)[:300]}") from exc


@cache
def load_exemplars() -> tuple[CompositionPlan, ...]:
    plans = tuple(plan for name in FILES for plan in _read(name))
    twice = sorted({p.id for p in plans if sum(q.id == p.id for q in plans) > 1})
    if twice:
        raise MusicExemplarError(f"music exemplars: ids used twice: {', '.join(twice)}")
    return plans


def chorale_exemplars() -> tuple[CompositionPlan, ...]:
    """The four-part chorale plans: the only ones with a real SATB source, so the realizer's held-out set."""
    return tuple(plan for plan in load_exemplars() if plan.source.startswith(CHORALE_SOURCE))


def folk_exemplars() -> tuple[CompositionPlan, ...]:
    """The folk-song plans: a real melody each, with harmony implied by analysis (see `folk.py`)."""
    return tuple(plan for plan in load_exemplars() if plan.source.startswith(FOLK_SOURCE))
