"""The music exemplars: plans derived by analysis from music21's Bach chorales and Essen folk songs, all
valid, re-derivable, and read the way a musician reads the source."""

from __future__ import annotations

import pytest

from genontology.ontology import errors_among, get_domain
from genontology.schemas.music import folk
from genontology.schemas.music.corpus import chorale_exemplars, folk_exemplars, load_exemplars
from genontology.schemas.music.derive import Unanalysable, chorale_paths, derive_chorale
from genontology.schemas.music.model import CompositionPlan


def test_at_least_100_exemplars_from_distinct_corpus_files() -> None:
    plans = load_exemplars()
    assert len(chorale_exemplars()) >= 100
    assert len(folk_exemplars()) >= 50
    assert len(plans) == len(chorale_exemplars()) + len(folk_exemplars())  # nothing from elsewhere
    assert len({p.source for p in plans}) == len(plans)
    assert {p.source.split("/")[0] for p in plans} == {
        "music21 corpus: bach",
        "music21 corpus: essenFolksong",
    }


def test_every_exemplar_validates() -> None:
    music = get_domain("music")
    for plan in load_exemplars():
        errors = errors_among(music.validate(plan))
        assert errors == [], (plan.id, errors[:3])


def test_exemplars_carry_the_structure_analysis_found() -> None:
    plans = chorale_exemplars()
    cadences = {p.cadence.value for plan in plans for s in plan.sections for p in s.phrases}
    assert {"authentic", "half"} <= cadences
    assert any(p.key for plan in plans for s in plan.sections for p in s.phrases)  # tonicized phrases
    assert any(plan.order == ["A", "A", "B"] for plan in plans)  # bar form found by repetition
    assert {plan.key.mode.value for plan in plans} == {"major", "minor"}


def test_folk_exemplars_widen_what_the_chorales_show() -> None:
    songs = folk_exemplars()
    assert {p.meter for p in songs} - {p.meter for p in chorale_exemplars()}  # 2/4, 6/8, ... chorales lack
    assert {("A", "A", "B"), ("A", "B", "A"), ("A",)} <= {tuple(p.order) for p in songs}
    assert sum("lullaby" in p.program for p in songs) >= 10  # the children's collection comes first
    assert all(s.texture.value == "melody_and_accompaniment" for p in songs for s in p.sections)
    assert all("implied by the melody" in p.program for p in songs)  # provenance says what is analysis


@pytest.mark.parametrize("index", [0, 77])
def test_the_shipped_chorale_plan_is_what_analysis_derives(index: int) -> None:
    plan = chorale_exemplars()[index]
    path = next(p for p in chorale_paths() if plan.source.endswith("/" + p.name))
    assert CompositionPlan.model_validate(derive_chorale(path)) == plan


@pytest.mark.parametrize("index", [0, 60])
def test_the_shipped_folk_plan_is_what_analysis_derives(index: int) -> None:
    plan = folk_exemplars()[index]
    collection, number = plan.source.rsplit("/", 1)[1].split(".abc#X:")
    song = next(s for s in folk.songs((collection,)) if s.number == number)
    assert CompositionPlan.model_validate(folk.derive_song(song)) == plan


def _song(body: str, meter: str = "2/4", tonality: str = "F", unit: str = "1/8") -> folk.Song:
    return folk.Song(
        "test", "1", f"X:1\nT: TEST\nR: Kinder -, Wiegen - Lied\nM: {meter}\nL: {unit}\nK: {tonality}\n{body}"
    )


def test_a_lullaby_reads_as_a_musician_hears_it() -> None:
    # "Schlaf, Kindlein, schlaf" as kinder0 no. 1 writes it: one phrase a line, F major.
    plan = folk.derive_song(
        _song(" | A2GG | F2z\nC | AAGG | F2z\nF | BBGG | ccA\nA | BBGG | ccA2\nB2GG | F2z2")
    )
    phrases = [p for s in plan["sections"] for p in s["phrases"]]
    assert [p["bars"] for p in phrases] == [2, 2, 2, 2, 2]  # an upbeat belongs to the phrase it starts
    assert phrases[0]["harmony"] == ["I", "V", "I"]  # A over F, G G on the dominant, home on F
    assert phrases[2]["harmony"] == ["ii", "V", "I"]  # B-flat and G: the supertonic, then the approach
    assert {p["cadence"] for p in phrases} == {"authentic"}
    assert plan["key"] == {"tonic": "F", "mode": "major"} and plan["tempo"]["marking"] == "andante"
    assert (plan["voices"][0]["low"], plan["voices"][0]["high"]) == ("C4", "C5")  # the tune's own range


def test_repetition_and_return_give_the_form() -> None:
    twice = folk.derive_song(_song(" | A2GG | F2z2 |\n | A2GG | F2z2 |\n | c2BB | A2G2 |\n | A2GG | F2z2 |"))
    assert twice["order"] == ["A", "A", "B"] and len(twice["sections"][0]["phrases"]) == 1
    back = folk.derive_song(_song(" | A2GG | F2z2 |\n | c2BB | A2G2 |\n | d2cB | A2G2 |\n | A2GG | F2z2 |"))
    assert back["order"] == ["A", "B", "A"] and len(back["sections"][1]["phrases"]) == 2


@pytest.mark.parametrize(
    ("body", "meter", "reason"),
    [
        (" | A2GG | F2z2 |\n | A2GG | A2z2 |", "2/4", "off its tonic"),  # ends on the third
        ("|: A2GG | F2z2 :|\n | c2BB | F4 |", "2/4", "repeats"),
        (" | A2GG | F2z2 |\n | c2BB | F4 |", "5/8", "meter"),
        (" | A2GG | F2z2 |\n | F2A2 | B4 |\n | A2GG | F4 |", "2/4", "no cadence"),  # a phrase ends on IV
        (" | A2GG | F4 |", "2/4", "fewer than two phrases"),
    ],
)
def test_a_song_the_analysis_cannot_read_is_skipped_with_its_reason(
    body: str, meter: str, reason: str
) -> None:
    with pytest.raises(Unanalysable, match=reason):
        folk.derive_song(_song(body, meter))
