"""The music exemplars: at least 100 plans derived from music21's chorales, all valid, re-derivable."""

from __future__ import annotations

import pytest

from genontology.ontology import Severity, get_domain
from genontology.schemas.music.corpus import load_exemplars
from genontology.schemas.music.derive import chorale_paths, derive_chorale
from genontology.schemas.music.model import CompositionPlan


def test_at_least_100_exemplars_from_distinct_corpus_files() -> None:
    plans = load_exemplars()
    assert len(plans) >= 100
    assert len({p.source for p in plans}) == len(plans)
    assert all(p.source.startswith("music21 corpus: bach/") for p in plans)


def test_every_exemplar_validates() -> None:
    music = get_domain("music")
    for plan in load_exemplars():
        errors = [v for v in music.validate(plan) if v.severity is Severity.error]
        assert errors == [], (plan.id, errors[:3])


def test_exemplars_carry_the_structure_analysis_found() -> None:
    plans = load_exemplars()
    cadences = {p.cadence.value for plan in plans for s in plan.sections for p in s.phrases}
    assert {"authentic", "half"} <= cadences
    assert any(p.key for plan in plans for s in plan.sections for p in s.phrases)  # tonicized phrases
    assert any(plan.order == ["A", "A", "B"] for plan in plans)  # bar form found by repetition
    assert {plan.key.mode.value for plan in plans} == {"major", "minor"}


@pytest.mark.parametrize("index", [0, 77])
def test_the_shipped_plan_is_what_analysis_derives(index: int) -> None:
    plan = load_exemplars()[index]
    path = next(p for p in chorale_paths() if plan.source.endswith("/" + p.name))
    assert CompositionPlan.model_validate(derive_chorale(path)) == plan
