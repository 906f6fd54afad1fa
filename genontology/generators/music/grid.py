"""A plan as a grid of beats: the chord, bass and key each beat carries, in the order the piece is played.

Every realizer fills the same grid with four voices (soprano, alto, tenor, bass as MIDI numbers), so their
outputs are measured alike. Chords are spread evenly over each phrase (`theory.spread`).
"""

from __future__ import annotations

from dataclasses import dataclass

from genontology.schemas.music import theory as T
from genontology.schemas.music.model import CompositionPlan, Voice
from genontology.schemas.music.vocabulary import Cadence, VoiceRole

VOICES = 4  # soprano, alto, tenor, bass


@dataclass(frozen=True)
class Beat:
    chord: frozenset[int]  # pitch classes of the chord (absolute)
    bass: int  # pitch class the chord's inversion puts in the bass
    figure: str
    key: str  # the key in force, e.g. "G major"
    section: str
    bar_start: bool
    phrase_end: Cadence | None  # the cadence that ends on this beat, if one does


@dataclass(frozen=True)
class Grid:
    beats: list[Beat]
    beat_quarters: float  # the length of one beat in quarter notes (1.5 in 6/8)
    beats_per_bar: int
    ranges: list[tuple[int, int]]  # MIDI low and high of soprano, alto, tenor, bass
    tonic: int  # pitch class of the home tonic
    minor: bool


def voice_parts(plan: CompositionPlan) -> list[Voice]:
    """The four realized parts: the melody voice, the first two inner voices (high to low), the bass."""
    melody = next(v for v in plan.voices if v.role is VoiceRole.melody)
    bass = next(v for v in plan.voices if v.role is VoiceRole.bass)
    inner = [v for v in plan.voices if v.role is VoiceRole.inner]
    inner.sort(key=lambda v: -T.to_pitch(v.high).ps)
    while len(inner) < 2:  # a thin texture doubles the bass voice's upper neighbour
        inner.append(inner[-1] if inner else melody)
    return [melody, inner[0], inner[1], bass]


def _midi(name: str) -> int:
    return int(T.to_pitch(name).midi)


def build_grid(plan: CompositionPlan) -> Grid:
    beats_per_bar = T.beats_per_bar(plan.meter)
    sections = {s.id: s for s in plan.sections}
    beats: list[Beat] = []
    for sid in plan.order:
        section = sections[sid]
        for phrase in section.phrases:
            spec = T.key_in_force(plan, section, phrase)
            figures = T.spread(phrase, beats_per_bar)
            for i, figure in enumerate(figures):
                rn = T.numeral(figure, spec)
                beats.append(
                    Beat(
                        chord=frozenset(p.pitchClass for p in rn.pitches),
                        bass=rn.bass().pitchClass,
                        figure=figure,
                        key=str(spec),
                        section=sid,
                        bar_start=i % beats_per_bar == 0,
                        phrase_end=phrase.cadence if i == len(figures) - 1 else None,
                    )
                )
    parts = voice_parts(plan)
    ranges = [(_midi(v.low), _midi(v.high)) for v in parts]
    ranges[0] = (max(ranges[0][0], _midi(plan.melody.low)), min(ranges[0][1], _midi(plan.melody.high)))
    if ranges[0][0] > ranges[0][1]:
        ranges[0] = (_midi(parts[0].low), _midi(parts[0].high))
    return Grid(
        beats=beats,
        beat_quarters=T.bar_quarters(plan.meter) / beats_per_bar,
        beats_per_bar=beats_per_bar,
        ranges=ranges,
        tonic=T.to_key(plan.key).tonic.pitchClass,
        minor=plan.key.mode.value in ("minor", "dorian", "phrygian"),
    )


# A realization: four lines of MIDI numbers, one per beat (soprano first).
Lines = list[list[int]]
