"""The music domain's bound vocabulary: modes, cadences, tempo markings, instruments and their ranges.

Ranges and tempo spans are conventions of the field (choral and orchestration manuals), written here as data
because music21 ships instrument classes without complete ranges; the pitch arithmetic on them is music21's.
"""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    major = "major"
    minor = "minor"
    dorian = "dorian"
    phrygian = "phrygian"
    lydian = "lydian"
    mixolydian = "mixolydian"


class Cadence(StrEnum):
    """How a phrase ends: authentic V-I, half (ends on V), plagal IV-I, deceptive V-vi."""

    authentic = "authentic"
    half = "half"
    plagal = "plagal"
    deceptive = "deceptive"


class TempoMarking(StrEnum):
    largo = "largo"
    adagio = "adagio"
    andante = "andante"
    moderato = "moderato"
    allegretto = "allegretto"
    allegro = "allegro"
    vivace = "vivace"
    presto = "presto"


# Conventional metronome spans per marking (inclusive); neighbours overlap, as they do in practice.
TEMPO_BPM: dict[TempoMarking, tuple[int, int]] = {
    TempoMarking.largo: (40, 60),
    TempoMarking.adagio: (55, 76),
    TempoMarking.andante: (72, 108),
    TempoMarking.moderato: (86, 112),
    TempoMarking.allegretto: (100, 128),
    TempoMarking.allegro: (112, 160),
    TempoMarking.vivace: (140, 176),
    TempoMarking.presto: (168, 208),
}

METERS = ("2/4", "3/4", "4/4", "3/8", "6/8", "9/8", "12/8", "2/2", "3/2", "5/4")


class Instrument(StrEnum):
    soprano = "soprano"
    alto = "alto"
    tenor = "tenor"
    bass = "bass"
    violin = "violin"
    viola = "viola"
    cello = "cello"
    double_bass = "double_bass"
    flute = "flute"
    oboe = "oboe"
    clarinet = "clarinet"
    bassoon = "bassoon"
    horn = "horn"
    trumpet = "trumpet"
    trombone = "trombone"
    piano = "piano"
    harp = "harp"
    guitar = "guitar"


# Playable (or comfortably singable) written-at-pitch range per instrument, lowest and highest note.
INSTRUMENT_RANGE: dict[Instrument, tuple[str, str]] = {
    Instrument.soprano: ("C4", "A5"),
    Instrument.alto: ("F3", "D5"),
    Instrument.tenor: ("C3", "A4"),
    Instrument.bass: ("E2", "E4"),
    Instrument.violin: ("G3", "E7"),
    Instrument.viola: ("C3", "E6"),
    Instrument.cello: ("C2", "A5"),
    Instrument.double_bass: ("E1", "G4"),
    Instrument.flute: ("C4", "C7"),
    Instrument.oboe: ("B-3", "A6"),
    Instrument.clarinet: ("D3", "B-6"),
    Instrument.bassoon: ("B-1", "E5"),
    Instrument.horn: ("B1", "F5"),
    Instrument.trumpet: ("E3", "C6"),
    Instrument.trombone: ("E2", "F5"),
    Instrument.piano: ("A0", "C8"),
    Instrument.harp: ("C1", "G#7"),
    Instrument.guitar: ("E2", "B5"),
}

# Music21's program-change instrument class names, for MIDI and MusicXML output.
MUSIC21_INSTRUMENT: dict[Instrument, str] = {
    Instrument.soprano: "Soprano",
    Instrument.alto: "Alto",
    Instrument.tenor: "Tenor",
    Instrument.bass: "Bass",
    Instrument.violin: "Violin",
    Instrument.viola: "Viola",
    Instrument.cello: "Violoncello",
    Instrument.double_bass: "Contrabass",
    Instrument.flute: "Flute",
    Instrument.oboe: "Oboe",
    Instrument.clarinet: "Clarinet",
    Instrument.bassoon: "Bassoon",
    Instrument.horn: "Horn",
    Instrument.trumpet: "Trumpet",
    Instrument.trombone: "Trombone",
    Instrument.piano: "Piano",
    Instrument.harp: "Harp",
    Instrument.guitar: "AcousticGuitar",
}


class VoiceRole(StrEnum):
    """What a voice does in the texture; the realizer writes melody, inner voices and bass by role."""

    melody = "melody"
    inner = "inner"
    bass = "bass"


class Contour(StrEnum):
    arch = "arch"
    ascending = "ascending"
    descending = "descending"
    wave = "wave"
    level = "level"


class Density(StrEnum):
    """Melodic notes per beat: sparse (long notes), moderate (one per beat), dense (passing notes)."""

    sparse = "sparse"
    moderate = "moderate"
    dense = "dense"


class Texture(StrEnum):
    chorale = "chorale"
    melody_and_accompaniment = "melody_and_accompaniment"
    polyphonic = "polyphonic"
    unison = "unison"


class Dynamic(StrEnum):
    pp = "pp"
    p = "p"
    mp = "mp"
    mf = "mf"
    f = "f"
    ff = "ff"


class Approach(StrEnum):
    """How a section reaches its own key from the key before it."""

    pivot_chord = "pivot_chord"
    direct = "direct"
    common_tone = "common_tone"
