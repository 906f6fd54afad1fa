"""Musical character as ontology: conventions as data, measured on the corpus where it has the character,
read from the theme by meaning, binding the concept stage's schema, and checked by a rule."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from genontology.agents.music import parts as P
from genontology.agents.music.plan import MusicBrief, assemble, read
from genontology.ontology import get_domain
from genontology.schemas.music.character import CONVENTIONS, Character, corpus_harmonic_rhythm
from genontology.schemas.music.corpus import chorale_exemplars, folk_exemplars
from genontology.schemas.music.model import KeySpec
from genontology.schemas.music.vocabulary import METERS, TEMPO_BPM

PLAN_KEY = KeySpec(tonic="F", mode="major")
PLAN = json.loads((Path(__file__).parent / "data" / "music_plan.json").read_text())
MARCH = {"character": "march", "mode": "major", "meter": "2/4", "tempo": "allegro", "bpm": 120}
CONCEPT = {
    "title": "Tin Parade",
    "program": "Toy soldiers wake and march across the nursery floor.",
    "tonic": "C",
}


@pytest.mark.parametrize("character", list(Character))
def test_each_character_has_settings_the_vocabulary_and_the_stages_can_take(character: Character) -> None:
    said = CONVENTIONS[character]
    assert set(said.meters) <= set(METERS) and said.forms and said.said and said.dynamics
    assert 0 < said.chords_per_bar[0] <= said.chords_per_bar[1]
    assert all(TEMPO_BPM[t] for t in said.tempi) and said.bpm[0] < said.bpm[1]
    style = P.style(character)  # at least one offered mode and meter, or this cannot be built
    assert style.model_fields["character"].annotation.__args__ == (character.value,)


def test_the_chorale_and_the_folk_song_keep_the_corpus_s_own_harmonic_rhythm() -> None:
    assert CONVENTIONS[Character.chorale].chords_per_bar == corpus_harmonic_rhythm(chorale_exemplars())
    assert CONVENTIONS[Character.folk_song].chords_per_bar == corpus_harmonic_rhythm(folk_exemplars())


def test_a_march_cannot_be_written_as_a_twelve_eight_largo() -> None:
    P.concept(Character.march).model_validate({**CONCEPT, "style": MARCH})
    largo = {**MARCH, "meter": "12/8", "tempo": "largo", "bpm": 50}
    for schema in (P.concept(Character.march), P.concept(None)):  # imposed, or chosen by the model
        with pytest.raises(ValidationError, match="meter"):
            schema.model_validate({**CONCEPT, "style": largo})
    with pytest.raises(ValidationError):  # once a march is read, the model cannot choose a lullaby
        P.concept(Character.march).model_validate({**CONCEPT, "style": {**MARCH, "character": "lullaby"}})
    lullaby = {"character": "lullaby", "mode": "minor", "meter": "6/8", "tempo": "andante", "bpm": 70}
    P.concept(None).model_validate({**CONCEPT, "style": lullaby})


def test_a_form_is_one_the_character_takes_with_exactly_the_sections_its_order_names() -> None:
    look = {"texture": "chorale", "dynamic": "mf"}
    aaba = {"order": "A A B A", "A": look, "B": {**look, "key": "dominant"}}
    march, waltz = P.form(Character.march), P.form(Character.waltz)
    march.model_validate({"form": aaba})
    with pytest.raises(ValidationError):  # A A B B is a waltz's form, not a march's
        march.model_validate({"form": {**aaba, "order": "A A B B"}})
    waltz.model_validate({"form": {**aaba, "order": "A A B B"}})
    with pytest.raises(ValidationError, match="B"):  # an order that names B has a section B
        march.model_validate({"form": {"order": "A B A", "A": look}})
    with pytest.raises(ValidationError, match="C"):  # and no section it does not name
        march.model_validate({"form": {**aaba, "C": {**look, "key": "relative"}}})
    union = P.form(None).model_json_schema()["properties"]["form"]["discriminator"]["mapping"]
    assert set(union) == {" ".join(f) for said in CONVENTIONS.values() for f in said.forms}


def test_the_form_as_written_is_the_plan_s_order_and_sections() -> None:
    look = {"texture": "chorale", "dynamic": "mf"}
    form = {"order": "A A B A", "A": look, "B": {**look, "key": "relative"}}
    plan = assemble(
        MusicBrief(prompt="toy soldiers"), {"concept": {**CONCEPT, "style": MARCH}, "form": {"form": form}}
    )
    assert plan["order"] == ["A", "A", "B", "A"]
    assert [(s["id"], s.get("key")) for s in plan["sections"]] == [  # home: the plan's key
        ("A", None),
        ("B", {"tonic": "A", "mode": "minor"}),
    ]


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        ("a lullaby for a stormy night", Character.lullaby),  # not a nocturne: the night is the storm's
        ("toy soldiers marching to bed", Character.march),
        ("a funeral procession", Character.lament),
        ("pirates dancing on deck", Character.dance),
        ("a cat chasing a mouse", Character.chase),  # "chasing" is not among the chase's own words
        ("clockwork toys coming alive", None),
        ("a summer picnic", None),
    ],
)
def test_the_character_a_theme_states_is_read_by_meaning(theme: str, expected: Character | None) -> None:
    brief, note = read(MusicBrief(prompt=theme))
    assert brief.character is expected
    assert ("read from the theme's words" in note) == (expected is not None)


def test_an_imposed_character_is_kept_and_told_to_the_stages() -> None:
    brief, note = read(MusicBrief(prompt="a lullaby for a stormy night", character="hymn"))
    assert brief.character is Character.hymn and note == ""
    assert "Character: a hymn (meter 4/4 or 3/4" in brief.describe()


def test_the_plan_names_the_character_its_concept_took() -> None:
    parts = {"concept": {**CONCEPT, "style": MARCH}}
    plan = assemble(MusicBrief(prompt="toy soldiers"), parts)
    assert (
        plan["character"] == "march"
        and plan["meter"] == "2/4"
        and plan["tempo"] == {"marking": "allegro", "bpm": 120}
    )
    assert plan["key"] == {"tonic": "C", "mode": "major"}


def test_a_plan_keeps_to_its_character_or_is_told_so() -> None:
    music = get_domain("music")
    lullaby = copy.deepcopy(PLAN) | {"character": "lullaby"}  # 3/4, andante, F major: a lullaby's
    assert music.validate(lullaby) == []
    hymn = copy.deepcopy(PLAN) | {"character": "hymn"}
    for section in hymn["sections"]:  # one chord every four bars: a hymn's harmony moves far more often
        for phrase in section["phrases"]:
            phrase["harmony"] = phrase["harmony"][-2:]
            phrase["bars"] = 8
        section["bars"] = 8 * len(section["phrases"])
    found = [v for v in music.validate(hymn) if v.code == "character.convention"]
    assert [v.severity.value for v in found] == ["warning"] and "changes 0.25 times a bar" in found[0].message


def test_a_phrase_has_as_many_chords_as_its_character_s_harmony_moves_in_the_bars_it_takes() -> None:
    home = {"A": PLAN_KEY}
    hymn = P.phrases(home, Character.hymn, beats=4).model_json_schema()
    lullaby = P.phrases(home, Character.lullaby, beats=2).model_json_schema()
    counts = {
        (name, bars): (
            s["$defs"][f"Phrase_A_{bars}"]["properties"]["harmony"]["minItems"],
            s["$defs"][f"Phrase_A_{bars}"]["properties"]["harmony"]["maxItems"],
        )
        for name, s in (("hymn", hymn), ("lullaby", lullaby))
        for bars in (2, 4)
    }
    # A chord a beat or two; a chord a bar or less (and two at least, to make a cadence).
    assert counts == {
        ("hymn", 2): (4, 8),
        ("hymn", 4): (8, 16),
        ("lullaby", 2): (2, 2),
        ("lullaby", 4): (2, 4),
    }
    four_bars = {"bars": 4, "harmony": ["I", "V"], "cadence": "authentic"}  # a hymn's two bars' worth
    with pytest.raises(ValidationError):
        P.phrases(home, Character.hymn, beats=4).model_validate({"A": [four_bars]})
    assert P.chords(Character.march, beats=2, bars=4)[1] == 8  # never more than a chord a beat
