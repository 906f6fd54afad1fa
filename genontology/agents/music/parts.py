"""The slices of a composition plan each stage writes, narrowed at run time to what is already declared.

Keys are never spelled by the model after the concept: a section names its relation to the home key and
music21 spells it. Chords are a Literal over the numerals that exist in the key in force, and pitches a
Literal over notes near the voice's part, so a small model cannot write a chord outside the key.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import Field, create_model

from genontology.agents.narrow import Part, choice, one_of
from genontology.schemas.music import theory as T
from genontology.schemas.music.character import CONVENTIONS, Character
from genontology.schemas.music.model import SCENE, CompositionPlan, KeySpec
from genontology.schemas.music.vocabulary import (
    METERS,
    Cadence,
    Contour,
    Density,
    Dynamic,
    Instrument,
    Texture,
)

RELATIONS = ("home", "dominant", "subdominant", "relative", "parallel")
TONICS = ("C", "G", "D", "A", "E", "F", "Bb", "Eb", "Ab")
CANDIDATE_NUMERALS = (
    *("I", "ii", "iii", "IV", "V", "vi", "viio", "I6", "ii6", "IV6", "V6", "V7", "ii7", "viio6"),
    *("i", "iio", "III", "iv", "VI", "VII", "i6", "iv6", "iio6", "VI6", "viio7"),
    *("V/V", "V7/V", "V/vi", "V/ii", "V/iv", "V/III"),
)
# Who may take each part, and the notes its range may be written with.
SLOTS: dict[str, tuple[tuple[Instrument, ...], str, str]] = {
    "soprano": ((Instrument.soprano, Instrument.violin, Instrument.flute, Instrument.oboe), "C4", "C6"),
    "alto": ((Instrument.alto, Instrument.violin, Instrument.viola, Instrument.clarinet), "E3", "E5"),
    "tenor": ((Instrument.tenor, Instrument.viola, Instrument.cello, Instrument.horn), "B2", "A4"),
    "bass": ((Instrument.bass, Instrument.cello, Instrument.double_bass, Instrument.bassoon), "C2", "E4"),
}


def text(lo: int, hi: int, description: str) -> Any:
    return Field(min_length=lo, max_length=hi, description=description)


def model(name: str, /, **fields: Any) -> type[Part]:
    return create_model(name, __base__=Part, **fields)


def _described(field: str) -> str:
    """The ontology's description of a plan field: one wording, so the validator knows what was asked."""
    return CompositionPlan.model_fields[field].description or field


MODES = ("major", "minor", "dorian", "mixolydian")  # the modes the realizer and its numerals serve
OFFERED_METERS = tuple(m for m in METERS if m != "3/8")


@cache
def style(character: Character) -> type[Part]:
    """A character's settings as a slice: only the meters, tempo markings, modes and beats a minute that
    character takes (`schemas/music/character.py`), so that a march cannot be written as a 12/8 largo."""
    said = CONVENTIONS[character]
    low, high = said.bpm
    return model(
        f"Style_{character.value}",
        character=(Literal[character.value], Field(description=_described("character"))),
        mode=(choice(m for m in MODES if m in said.modes), Field(description="The home key's mode.")),
        meter=(choice(m for m in said.meters if m in OFFERED_METERS), Field(description="Time signature.")),
        tempo=(choice(t.value for t in said.tempi), Field(description="The tempo marking.")),
        bpm=(int, Field(ge=low, le=high, description="Metronome mark, within the marking's usual span.")),
    )


@cache
def concept(character: Character | None) -> type[Part]:
    """The concept: title, program, tonic, and the style of the brief's character, or of the one the model
    chooses from the vocabulary when the brief names none (each with only its own settings)."""
    kinds = [style(c) for c in (Character if character is None else (character,))]
    return model(
        "Concept",
        title=(str, text(3, 60, _described("title"))),
        program=(str, text(20, 400, _described("program"))),
        tonic=(Literal[TONICS], Field(description="The home key's tonic.")),  # type: ignore[valid-type]
        style=(
            one_of(kinds, "character"),
            Field(description="What kind of piece, and the settings it takes."),
        ),
    )


class SectionLook(Part):
    texture: Texture
    dynamic: Dynamic


class OtherSection(SectionLook):
    key: Literal[RELATIONS] = Field(description="Its key, relative to the home key.")  # type: ignore[valid-type]


def _shape(order: tuple[str, ...]) -> type[Part]:
    """One form: its order, fixed, and exactly the sections it names, the first in the home key."""
    home, *others = dict.fromkeys(order)
    fields: dict[str, Any] = {
        "order": (Literal[" ".join(order)], Field(description="The sections in the order played.")),
        home: (SectionLook, Field(description=f"Section {home}, in the home key.")),
    }
    for label in others:
        fields[label] = (OtherSection, Field(description=f"Section {label}."))
    return model(f"Form_{''.join(order)}", **fields)


ALL_FORMS = tuple(dict.fromkeys(form for said in CONVENTIONS.values() for form in said.forms))


@cache
def form(character: Character | None) -> type[Part]:
    """The form: one of the character's own (any the vocabulary's characters take, when none is known),
    with exactly the sections its order names, so no order can name a section that was not planned, and
    every piece opens in, and can return to, its home section."""
    forms = CONVENTIONS[character].forms if character is not None else ALL_FORMS
    return model(
        "Form",
        form=(one_of([_shape(f) for f in forms], "order"), Field(description="The form and its sections.")),
    )


@cache
def numerals(spec: KeySpec) -> tuple[str, ...]:
    """The candidate numerals that name a chord of the key (or an applied chord to one)."""
    found = []
    for figure in CANDIDATE_NUMERALS:
        try:
            if T.is_diatonic(figure, spec):
                found.append(figure)
        except T.NumeralError:
            continue
    return tuple(found)


MAX_CHORDS = 16  # a phrase's chords at most: longer lists cost the small model more than they add
# A phrase's bars: the corpus's phrases (a cadence to the next) are 2 bars in 986 of 1,295 and 4 in 168;
# offered longer ones, the model wrote 6 bars at the fewest chords it was allowed (0.78 chords a bar).
PHRASE_BARS = (2, 4)


def chords(character: Character | None, beats: int = 4, bars: int = 4) -> tuple[int, int]:
    """How many chords a phrase of `bars` bars has at the character's harmonic rhythm (0.5 to 4 a bar when
    the character is not known): at least two, to make a cadence, and never more than a chord a beat: a
    chorale's harmony moves about once a beat, a lullaby's once a bar or less."""
    low, high = CONVENTIONS[character].chords_per_bar if character is not None else (0.5, 4)
    most = min(MAX_CHORDS, math.floor(high * bars), bars * beats)
    least = min(max(2, math.ceil(low * bars)), most)
    return least, most


def phrases(
    section_keys: dict[str, KeySpec], character: Character | None = None, beats: int = 4
) -> type[Part]:
    """Phrases per declared section, each chord drawn from the numerals of that section's key, as many as
    the character's harmonic rhythm asks in the bars the phrase chose: the length comes first and bounds the
    chords, so a longer phrase cannot keep the fewest chords a shorter one needs."""
    fields: dict[str, Any] = {}
    for sid, spec in section_keys.items():
        lengths = []
        for bars in PHRASE_BARS:
            least, most = chords(character, beats, bars)
            lengths.append(
                model(
                    f"Phrase_{sid}_{bars}",
                    bars=(Literal[bars], Field(description="Length in bars.")),
                    harmony=(
                        list[choice(numerals(spec))],  # type: ignore[misc]
                        Field(min_length=least, max_length=most, description=f"Chords in {spec}, in order."),
                    ),
                    cadence=(Cadence, Field(description="How the phrase ends; its last two chords make it.")),
                )
            )
        fields[sid] = (
            list[one_of(lengths, "bars")],  # type: ignore[misc]
            Field(min_length=1, max_length=4, description=f"Section {sid} in {spec}."),
        )
    return model("Phrases", **fields)


def _pitches(low: str, high: str) -> tuple[str, ...]:
    names, octave = [], int(low[-1])
    while octave <= int(high[-1]):
        names += [f"{step}{octave}" for step in "CDEFGAB"]
        octave += 1
    return tuple(n for n in names if T.pitch_in(n, low, high))


def orchestration() -> type[Part]:
    slots: dict[str, Any] = {}
    for slot, (instruments, low, high) in SLOTS.items():
        notes = choice(_pitches(low, high))
        slots[slot] = (
            model(
                f"Voice_{slot}",
                instrument=(choice(i.value for i in instruments), Field(description="Who takes the part.")),
                low=(notes, Field(description="Lowest note.")),
                high=(notes, Field(description="Highest note.")),
            ),
            ...,
        )
    melody_notes = choice(_pitches(*SLOTS["soprano"][1:]))
    melody = model(
        "Melody",
        low=(melody_notes, Field(description="Lowest note.")),
        span=(choice(SPANS), Field(description="How far above it the melody reaches.")),
        contour=(Contour, ...),
        density=(Density, ...),
    )
    return model("Orchestration", **slots, melody=(melody, ...))


# The melody's span in diatonic steps above its lowest note. The corpus's melodies span 9 semitones at the
# tenth percentile, 12 at the median and 14 at the ninetieth; asked for a lowest and a highest note, the model
# planned a fifth in 9 themes of 10, the least the rules allow.
SPANS = {"a sixth": 5, "an octave": 7, "a ninth": 8}


def melody_range(low: str, span: str, top: str) -> tuple[str, str]:
    """The melody's lowest and highest notes: `span` above `low`, moved down whole where it would pass `top`
    (the highest note its voice's instrument and part allow)."""
    names = _pitches("C2", "C7")
    ceiling = max(i for i, n in enumerate(names) if T.pitch_in(n, "C0", top))
    start = names.index(low)
    start -= max(0, start + SPANS[span] - ceiling)
    return names[start], names[min(start + SPANS[span], ceiling)]


def scenes(section_ids: list[str]) -> type[Part]:
    line = Annotated[str, text(10, 200, SCENE)]
    return model("Scenes", **{sid: (line, ...) for sid in section_ids})


def critique(targets: list[str]) -> type[Part]:
    finding = model(
        "TheoryFinding",
        severity=(Literal["low", "medium", "high"], Field(description="high: a teacher fails the piece.")),
        target=(choice(targets), Field(description="The part of the plan at fault.")),
        evidence=(str, text(10, 200, "What in the plan shows the problem.")),
        recommendation=(str, text(10, 200, "What to change.")),
    )
    return model("TheoryCritique", findings=(list[finding], Field(max_length=3)))  # type: ignore[valid-type]
