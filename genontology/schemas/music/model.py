"""The music ontology: a composition plan as typed, referential data.

A plan says what a piece is before any note exists: its key and meter, its form as sections played in an
order, each section's phrases with their harmony in Roman numerals (relative to the key in force) and the
cadence that ends them, the voices and their ranges, and what each section means. Sections have ids; the
order and the program name them, so coherence is checkable. Every list and string is bounded.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from genontology.schemas.music.character import Character
from genontology.schemas.music.vocabulary import (
    Approach,
    Cadence,
    Contour,
    Density,
    Dynamic,
    Instrument,
    Mode,
    TempoMarking,
    Texture,
    VoiceRole,
)

SectionId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_']{0,15}$",
        description="A section label such as A, B, A', intro, coda.",
    ),
]
PitchName = Annotated[
    str,
    Field(
        pattern=r"^[A-G](#{1,2}|-{1,2}|b{1,2})?[0-8]$",
        description="A pitch with octave, scientific notation: C4 is middle C; flats as B-3 or Bb3.",
    ),
]
Numeral = Annotated[
    str,
    Field(
        min_length=1,
        max_length=12,
        description="A Roman numeral relative to the key in force: I, ii6, V7, viio6, V/V, iv, bVI.",
    ),
]


SCENE = "What the section depicts."


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeySpec(Node):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tonic: str = Field(pattern=r"^[A-Ga-g](#|-|b)?$", description="Tonic pitch class: C, F#, Bb (or B-), ...")
    mode: Mode = Field(description="Major, minor or a church mode.")

    def __str__(self) -> str:
        return f"{self.tonic} {self.mode.value}"


class Tempo(Node):
    marking: TempoMarking = Field(description="The Italian marking.")
    bpm: int = Field(ge=20, le=240, description="Beats per minute; must lie in the marking's usual span.")


class Phrase(Node):
    bars: int = Field(ge=1, le=16, description="Length in bars.")
    harmony: list[Numeral] = Field(
        min_length=1,
        max_length=32,
        description="Chords in order, spread evenly over the phrase; the last ones make the cadence.",
    )
    cadence: Cadence = Field(description="How the phrase ends; must match its last chords.")
    key: KeySpec | None = Field(
        None, description="A key the phrase tonicizes (its numerals and cadence are read in it)."
    )


class Section(Node):
    id: SectionId
    bars: int = Field(ge=1, le=128, description="Length in bars: the sum of its phrases.")
    key: KeySpec | None = Field(None, description="The key in force here when it differs from the home key.")
    approach: Approach | None = Field(None, description="How the section's key is reached, when it has one.")
    pivot: Numeral | None = Field(
        None, description="For a pivot-chord approach: the pivot, as a numeral in the previous key."
    )
    phrases: list[Phrase] = Field(min_length=1, max_length=16)
    texture: Texture = Texture.chorale
    dynamic: Dynamic = Dynamic.mf


class MelodyPlan(Node):
    low: PitchName = Field(description="Lowest melody note.")
    high: PitchName = Field(description="Highest melody note.")
    contour: Contour = Contour.arch
    density: Density = Density.moderate


class Voice(Node):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")]
    instrument: Instrument
    role: VoiceRole
    low: PitchName
    high: PitchName


class CompositionPlan(Node):
    """A piece of music, planned: what the validator checks and the realizer turns into notes."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="Stable id (slug).")]
    title: str = Field(min_length=1, max_length=80, description="An evocative title for the piece.")
    program: str = Field(
        min_length=1,
        max_length=600,
        description="The mood or story the piece tells, in two or three sentences.",
    )
    key: KeySpec = Field(description="The home key.")
    # [0-9], not \d: in Python \d also matches other scripts' digits, which music21 cannot read.
    character: Character | None = Field(
        None, description="What kind of piece it is (a march, a lullaby, ...): its conventions bind the rest."
    )
    meter: str = Field(pattern=r"^[1-9][0-9]?/(1|2|4|8|16)$", description="Time signature, e.g. 3/4 or 6/8.")
    tempo: Tempo
    sections: list[Section] = Field(min_length=1, max_length=8)
    order: list[SectionId] = Field(
        min_length=1, max_length=16, description="Section ids in the order played, e.g. A B A coda."
    )
    final_cadence: Cadence = Field(
        Cadence.authentic, description="How the piece ends; authentic (on the tonic) unless said otherwise."
    )
    melody: MelodyPlan
    voices: list[Voice] = Field(
        min_length=4,
        max_length=8,
        description="At least soprano, alto, tenor, bass; listed from the highest part to the lowest.",
    )
    scenes: dict[SectionId, Annotated[str, Field(max_length=300, description=SCENE)]] = Field(
        default_factory=dict, max_length=8, description="The program per section id: what it depicts."
    )
    source: str = Field("", max_length=200, description="Where an exemplar comes from (corpus path).")
