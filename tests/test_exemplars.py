"""The shipped corpus: large, valid, varied, and honest about where each design comes from."""

from __future__ import annotations

from collections import Counter

from genontology.schemas.tabletop.corpus import exemplar_texts
from genontology.schemas.tabletop.taxonomy import MECHANISM_CATEGORY, Complexity, MechanismCategory


def test_at_least_80_exemplars(tabletop) -> None:
    assert len(tabletop.load_exemplars()) >= 80


def test_every_exemplar_is_valid_with_no_warnings(tabletop) -> None:
    problems = {d.id: [str(v) for v in tabletop.validate(d)] for d in tabletop.load_exemplars()}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_exemplar_validates_from_its_raw_data(tabletop, exemplar_data) -> None:
    for exemplar_id, data in exemplar_data.items():
        assert tabletop.validate(data) == [], exemplar_id


def test_spread_over_all_categories_players_and_complexities(tabletop) -> None:
    designs = tabletop.load_exemplars()
    categories = Counter(MECHANISM_CATEGORY[m.type] for d in designs for m in d.mechanisms)
    assert set(categories) == set(MechanismCategory)
    assert min(categories.values()) >= 3
    assert {d.complexity for d in designs} == set(Complexity)
    assert {d.players.min for d in designs} >= {1, 2, 3}
    assert max(d.players.max for d in designs) >= 6
    assert len({d.players.interaction for d in designs}) >= 4


def test_every_exemplar_carries_provenance(tabletop) -> None:
    for design in tabletop.load_exemplars():
        assert design.provenance is not None, design.id
        # What the encoding leaves out of the real game, said plainly: every corpus game leaves something.
        assert len(design.provenance.simplifications.split()) >= 8, design.id
        assert design.provenance.origin in ("traditional", "published")
        if design.provenance.origin == "published":
            assert design.provenance.designer and design.provenance.year, design.id


def test_ids_match_file_names_and_are_unique(tabletop) -> None:
    ids = [d.id for d in tabletop.load_exemplars()]
    assert ids == sorted(exemplar_texts())
    assert len(set(ids)) == len(ids)


def test_titles_are_unique(tabletop) -> None:
    titles = [d.title for d in tabletop.load_exemplars()]
    assert len(set(titles)) == len(titles)
