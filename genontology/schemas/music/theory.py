"""Music theory the rules, exemplars and realizers share, asked of music21 rather than computed by hand."""

from __future__ import annotations

import re
from functools import lru_cache

from music21 import key, meter, pitch, roman
from music21.exceptions21 import Music21Exception

from genontology.schemas.music.model import CompositionPlan, KeySpec, Phrase, Section
from genontology.schemas.music.vocabulary import Cadence


def m21_name(name: str) -> str:
    """Our spelling to music21's: flats written `b` after the letter become `-` (Bb3 -> B-3)."""
    return name[0].upper() + re.sub(r"b", "-", name[1:])


def to_pitch(name: str) -> pitch.Pitch:
    return pitch.Pitch(m21_name(name))


@lru_cache(maxsize=256)
def _key(tonic: str, mode: str) -> key.Key:
    return key.Key(m21_name(tonic), mode)


def to_key(spec: KeySpec) -> key.Key:
    return _key(spec.tonic, spec.mode.value)


class NumeralError(ValueError):
    """A Roman numeral music21 cannot read."""


@lru_cache(maxsize=4096)
def _numeral(figure: str, tonic: str, mode: str) -> roman.RomanNumeral:
    try:
        numeral = roman.RomanNumeral(figure, _key(tonic, mode))
        numeral.pitches  # noqa: B018 - force the parse; music21 parses lazily
    except (Music21Exception, ValueError, IndexError, KeyError) as exc:
        raise NumeralError(str(exc)) from None
    if not numeral.pitches:
        raise NumeralError(f"{figure!r} names no chord")
    return numeral


def numeral(figure: str, spec: KeySpec) -> roman.RomanNumeral:
    """The chord `figure` names in `spec`; NumeralError when it is not a Roman numeral."""
    return _numeral(figure, spec.tonic, spec.mode.value)


def scale_classes(spec: KeySpec) -> set[int]:
    """Pitch classes a chord of the key may use: the mode's scale; in minor the raised 6th and 7th, and in
    the modes with a lowered 7th the raised one their cadences borrow (musica ficta)."""
    k = to_key(spec)
    classes = {p.pitchClass for p in k.pitches}
    tonic = k.tonic.pitchClass
    if spec.mode.value in ("minor", "dorian", "mixolydian", "phrygian"):
        classes.add((tonic + 11) % 12)
    if spec.mode.value == "minor":
        classes.add((tonic + 9) % 12)
    return classes


def chord_classes(figure: str, spec: KeySpec) -> list[int]:
    return [p.pitchClass for p in numeral(figure, spec).pitches]


def is_diatonic(figure: str, spec: KeySpec) -> bool:
    """Whether the chord exists in the key: built from its scale, or an applied chord (V/x) whose target
    is itself diatonic."""
    rn = numeral(figure, spec)
    if rn.secondaryRomanNumeral is not None:
        target = figure.split("/", 1)[1]
        return is_diatonic(target, spec)
    return set(chord_classes(figure, spec)) <= scale_classes(spec)


def _function(figure: str, spec: KeySpec) -> tuple[int, bool]:
    """Scale degree of the root and whether the chord is applied (V/x) rather than in the key itself."""
    rn = numeral(figure, spec)
    return int(rn.scaleDegree or 0), rn.secondaryRomanNumeral is not None


def cadence_of(figures: list[str], spec: KeySpec) -> Cadence | None:
    """The cadence the last chords make, or None: V(7)/viio -> I authentic, ends on V half, IV/ii -> I
    plagal, V -> vi deceptive. A bare final I counts as authentic only after a dominant."""
    if not figures:
        return None
    last, applied = _function(figures[-1], spec)
    if applied:
        return None
    before = _function(figures[-2], spec) if len(figures) > 1 else (0, False)
    if last == 5:
        return Cadence.half
    if last == 1 and before[0] in (5, 7) and not before[1]:
        return Cadence.authentic
    if last == 1 and before[0] == 4 and not before[1]:
        return Cadence.plagal
    if last == 6 and before[0] == 5 and not before[1]:
        return Cadence.deceptive
    return None


CADENCE_FORMULA: dict[Cadence, tuple[str, str]] = {
    Cadence.authentic: ("V", "I"),
    Cadence.half: ("I", "V"),
    Cadence.plagal: ("IV", "I"),
    Cadence.deceptive: ("V", "vi"),
}


def _spelled(figure: str, spec: KeySpec) -> str:
    """The figure's degree spelled as the key has it: major, minor or diminished (I or i, vi or VI)."""
    numeral_only = figure.upper()
    variants = [figure, figure.swapcase(), numeral_only.lower() + "o", numeral_only + "+"]
    if spec.mode.value in ("minor", "dorian", "phrygian") and figure in ("I", "IV"):
        variants[:2] = variants[1::-1]  # the minor tonic and subdominant (i, iv) before the raised ones
    for variant in variants:
        try:
            if is_diatonic(variant, spec):
                return variant
        except NumeralError:
            continue
    return figure


def cadence_formula(cadence: Cadence, spec: KeySpec) -> list[str]:
    """The textbook chords of a cadence, each spelled as it exists in the key (i, iv and VI in minor)."""
    return [_spelled(f, spec) for f in CADENCE_FORMULA[cadence]]


def closely_related(a: KeySpec, b: KeySpec) -> bool:
    """Keys a signature apart or less (relative, dominant, subdominant and theirs), or parallel keys."""
    ka, kb = to_key(a), to_key(b)
    return abs(ka.sharps - kb.sharps) <= 1 or ka.tonic.pitchClass == kb.tonic.pitchClass


def beats_per_bar(meter_text: str) -> int:
    return int(meter.TimeSignature(meter_text).beatCount)


def bar_quarters(meter_text: str) -> float:
    return float(meter.TimeSignature(meter_text).barDuration.quarterLength)


def key_in_force(plan: CompositionPlan, section: Section, phrase: Phrase | None = None) -> KeySpec:
    """The phrase's own key (a tonicization), else its section's, else the home key."""
    return (phrase.key if phrase else None) or section.key or plan.key


def spread(phrase: Phrase, beats: int) -> list[str]:
    """The phrase's chords, one per beat: chord i holds beats [i*B/n, (i+1)*B/n)."""
    total, n = phrase.bars * beats, len(phrase.harmony)
    if n >= total:
        return list(phrase.harmony[:total])
    return [phrase.harmony[i * n // total] for i in range(total)]


def pitch_in(name: str, low: str, high: str) -> bool:
    return to_pitch(low).ps <= to_pitch(name).ps <= to_pitch(high).ps
