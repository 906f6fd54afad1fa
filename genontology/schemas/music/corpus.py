"""The shipped music exemplars: plans derived from music21's corpus (see `derive.py`), as package data."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from pydantic import ValidationError

from genontology.ontology.errors import GenontologyError
from genontology.schemas.music.model import CompositionPlan


class MusicExemplarError(GenontologyError):
    """The shipped exemplar file does not parse into the schema: a packaging bug."""


@cache
def load_exemplars() -> tuple[CompositionPlan, ...]:
    text = (files("genontology.schemas.music") / "exemplars" / "chorales.json").read_text(encoding="utf-8")
    try:
        plans = tuple(CompositionPlan.model_validate(item) for item in json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise MusicExemplarError(f"music exemplars (chorales.json): {str(exc)[:300]}") from exc
    twice = sorted({p.id for p in plans if sum(q.id == p.id for q in plans) > 1})
    if twice:
        raise MusicExemplarError(f"music exemplars (chorales.json): ids used twice: {', '.join(twice)}")
    return plans
