"""The music domain's theory rules: each triggered, alone, by one mutation of a valid plan; the mechanical
ones repaired by their autofix; and the corpus-derived exemplars all valid."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from genontology.ontology import Severity, errors_among, get_domain

Data = dict[str, Any]
PLAN = json.loads((Path(__file__).parent / "data" / "music_plan.json").read_text())


@pytest.fixture(scope="module")
def music():
    return get_domain("music")


def phrase(si: int, pi: int, **changes: Any) -> Callable[[Data], None]:
    return lambda d: d["sections"][si]["phrases"][pi].update(changes)


def chord(si: int, pi: int, ci: int, figure: str) -> Callable[[Data], None]:
    return lambda d: d["sections"][si]["phrases"][pi]["harmony"].__setitem__(ci, figure)


def section(si: int, **changes: Any) -> Callable[[Data], None]:
    return lambda d: d["sections"][si].update(changes)


def voice(vi: int, **changes: Any) -> Callable[[Data], None]:
    return lambda d: d["voices"][vi].update(changes)


def too_dense(d: Data) -> None:
    d["sections"][2]["phrases"][0].update(bars=1, harmony=["I", "IV", "V", "I"], cadence="authentic")
    d["sections"][2]["bars"] = 1
    d["final_cadence"] = "authentic"


def duplicate(d: Data) -> None:
    d["sections"].append(copy.deepcopy(d["sections"][1]))


def unused(d: Data) -> None:
    d["sections"].append({**copy.deepcopy(d["sections"][2]), "id": "C"})
    d["scenes"]["C"] = "A section nobody hears."


MUTATIONS: dict[str, Callable[[Data], None]] = {
    "harmony.bad-numeral": chord(0, 1, 1, "XYZ"),
    "harmony.not-in-key": chord(0, 1, 1, "II"),  # G major in F
    "cadence.mismatch": phrase(0, 1, cadence="half"),
    "cadence.final": lambda d: d.update(final_cadence="authentic"),
    "form.bars-mismatch": section(0, bars=9),
    "harmony.too-dense": too_dense,
    "form.duplicate-section": duplicate,
    "form.unknown-section": lambda d: d["order"].insert(1, "C"),
    "form.unused-section": unused,
    "scene.unknown-section": lambda d: d["scenes"].update(Z="A scene of nothing."),
    "scene.missing": lambda d: d["scenes"].pop("coda"),
    # B# major is C major spelled with twelve sharps: the chords and the pivot still work, the spelling not
    "key.unreal": section(1, key={"tonic": "B#", "mode": "major"}),
    "modulation.implausible": section(1, key={"tonic": "E", "mode": "major"}, approach="direct", pivot=None),
    "modulation.distant-tonicization": phrase(0, 0, key={"tonic": "E", "mode": "major"}),
    "range.inverted": lambda d: d["melody"].update(low="F5", high="C4"),
    "range.instrument": voice(3, low="C1"),
    "voices.roles": voice(1, role="melody"),
    "range.melody": lambda d: d["melody"].update(high="C6"),
    "tempo.marking": lambda d: d["tempo"].update(bpm=150),
    "text.echoes-instructions": lambda d: d.update(title="An evocative title for the piece"),
    "voices.order": lambda d: d["voices"].insert(1, d["voices"].pop(2)),  # tenor listed above the alto
    "range.too-narrow": lambda d: d["melody"].update(low="C5", high="E5"),
    "character.convention": lambda d: d.update(character="march"),  # a march in 3/4, andante
}
AUTOFIXABLE = [
    "cadence.mismatch",
    "cadence.final",
    "form.bars-mismatch",
    "form.unused-section",
    "form.unknown-section",
    "scene.unknown-section",
    "range.inverted",
    "range.instrument",
    "range.melody",
    "tempo.marking",
    "voices.order",
    "range.too-narrow",
]


def test_the_base_plan_is_clean(music) -> None:
    assert music.validate(copy.deepcopy(PLAN)) == []


def test_every_rule_has_a_mutation_and_a_principle(music) -> None:
    assert set(music.rules.rules) == set(MUTATIONS)
    assert all(len(r.principle.split()) >= 6 for r in music.rules.rules.values())


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_mutation_triggers_exactly_its_rule(music, code: str) -> None:
    data = copy.deepcopy(PLAN)
    MUTATIONS[code](data)
    found = {v.code for v in music.validate(data)}
    assert found == {code}


@pytest.mark.parametrize("code", AUTOFIXABLE)
def test_autofix_repairs_mechanical_faults(music, code: str) -> None:
    data = copy.deepcopy(PLAN)
    MUTATIONS[code](data)
    _, left, applied = music.autofix(data)
    assert applied
    assert errors_among(left) == []


def test_messages_name_the_music(music) -> None:
    data = copy.deepcopy(PLAN)
    MUTATIONS["cadence.mismatch"](data)
    (v,) = music.validate(data)
    assert v.path == "$.sections[0].phrases[1].harmony"
    assert "declared half" in v.message and "makes authentic" in v.message
    assert v.fix is not None and v.fix.value[-2:] == ["I", "V"]


def test_an_order_of_only_undefined_sections_is_repaired_without_losing_sections(music) -> None:
    data = copy.deepcopy(PLAN)
    data["order"] = ["Z"]
    fixed, left, _ = music.autofix(data)
    assert fixed["order"] == ["A", "B", "coda"] and len(fixed["sections"]) == 3
    assert [v.code for v in left] == []


def test_a_chromatic_chord_spelled_as_such_is_a_warning(music) -> None:
    data = copy.deepcopy(PLAN)
    chord(0, 1, 1, "bVI")(data)
    (v,) = music.validate(data)
    assert (v.code, v.severity) == ("harmony.not-in-key", Severity.warning)


def test_a_bad_pivot_is_named(music) -> None:
    data = copy.deepcopy(PLAN)
    section(1, pivot="viio")(data)  # E G Bb: not a chord of C major
    (v,) = music.validate(data)
    assert v.code == "modulation.implausible" and v.path == "$.sections[1].pivot"


def test_schema_faults_are_typed_violations(music) -> None:
    data = copy.deepcopy(PLAN)
    data["voices"] = data["voices"][:3]
    data["melody"]["low"] = "H9"
    codes = {v.code for v in music.validate(data)}
    assert codes == {"schema.too-short", "schema.string-pattern-mismatch"}


@pytest.mark.parametrize("mode", ["major", "minor", "dorian", "mixolydian"])
def test_cadence_fixes_only_write_chords_of_the_key(mode: str) -> None:
    from genontology.schemas.music.model import KeySpec
    from genontology.schemas.music.theory import cadence_formula, cadence_of, is_diatonic
    from genontology.schemas.music.vocabulary import Cadence

    for tonic in ("C", "F#", "Ab"):
        spec = KeySpec(tonic=tonic, mode=mode)
        for cadence in Cadence:
            formula = cadence_formula(cadence, spec)
            assert all(is_diatonic(f, spec) for f in formula), (spec, cadence, formula)
            assert cadence_of(formula, spec) is cadence, (spec, cadence, formula)


def test_a_scene_that_copies_another_fields_instruction_is_caught(music) -> None:
    data = copy.deepcopy(PLAN)
    data["scenes"]["B"] = "The mood or story the piece tells, in two or three sentences."
    (v,) = music.validate(data)
    assert (v.code, v.path) == ("text.echoes-instructions", "$.scenes.B")
    assert v.fix is None  # words of its own cannot be made mechanically: the stage that wrote it repairs


def test_voices_put_in_order_keep_their_roles_and_fit_their_instruments(music) -> None:
    data = copy.deepcopy(PLAN)
    MUTATIONS["voices.order"](data)
    fixed, left, _ = music.autofix(data)
    assert left == []
    assert [v["id"] for v in fixed["voices"]] == ["soprano", "tenor", "alto", "bass"]
    assert [v["role"] for v in fixed["voices"]] == ["melody", "inner", "inner", "bass"]


def test_a_narrow_voice_is_widened_within_its_instrument(music) -> None:
    data = copy.deepcopy(PLAN)
    voice(3, low="F2", high="G2")(data)
    (v,) = music.validate(data)
    assert (v.code, v.path) == ("range.too-narrow", "$.voices[3]")
    fixed, left, _ = music.autofix(data)
    assert left == [] and (fixed["voices"][3]["low"], fixed["voices"][3]["high"]) == ("F2", "B-2")


def test_a_narrow_melody_sung_by_a_narrow_voice_is_widened_with_it(music) -> None:
    # The melody's fix copied its voice's range, itself too narrow: a pass set the melody to the range it
    # had, and only a later pass (where the designs' passes were not spent on other fixes) mended it.
    data = copy.deepcopy(PLAN)
    data["melody"].update(low="D5", high="G5")
    voice(0, low="D5", high="G5")(data)
    assert {v.code for v in music.validate(data)} == {"range.too-narrow"}
    fixed, left, _ = music.autofix(data, passes=1)
    assert left == []
    assert (fixed["melody"]["low"], fixed["melody"]["high"]) == (
        fixed["voices"][0]["low"],
        fixed["voices"][0]["high"],
    )


def test_a_piece_ending_away_from_home_returns_to_a_section_at_home(music) -> None:
    data = copy.deepcopy(PLAN)
    data["order"] = ["A", "coda", "B"]  # B is in C major, the piece in F
    (v,) = [v for v in music.validate(data) if v.code == "cadence.final"]
    assert "away from the home key" in v.message and v.fix is not None
    fixed, left, applied = music.autofix(data)
    assert fixed["order"] == ["A", "coda", "B", "A"] and errors_among(left) == []
    assert "return to A" in applied[0].description


def test_a_jump_to_a_distant_key_is_approached_by_a_chord_both_keys_share(music) -> None:
    data = copy.deepcopy(PLAN)
    data["sections"][1].update(key={"tonic": "Eb", "mode": "major"}, approach="direct", pivot=None)  # F -> Eb
    (v,) = [v for v in music.validate(data) if v.code == "modulation.implausible"]
    assert v.fix is not None
    fixed, left, _ = music.autofix(data)
    assert fixed["sections"][1]["approach"] == "pivot_chord" and fixed["sections"][1]["pivot"] == "ii"
    assert "modulation.implausible" not in {x.code for x in left}  # G minor: ii in F, iii in Eb
