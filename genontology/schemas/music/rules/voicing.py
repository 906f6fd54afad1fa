"""Voicing rules: who sings or plays which part, within what range."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from genontology.ontology.rules import Finding, repeats
from genontology.ontology.violations import Fix, json_path
from genontology.schemas.music import theory as T
from genontology.schemas.music.model import CompositionPlan, MelodyPlan, Voice
from genontology.schemas.music.rules.base import Context, rule
from genontology.schemas.music.vocabulary import INSTRUMENT_RANGE, VoiceRole


@rule("range.inverted")
def inverted_range(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A range's low note is not above its high note, for the melody and every voice."""
    spans: list[tuple[tuple[str | int, ...], MelodyPlan | Voice]] = [(("melody",), plan.melody)]
    spans += [(("voices", vi), v) for vi, v in enumerate(plan.voices)]
    for where, span in spans:
        if T.to_pitch(span.low).ps > T.to_pitch(span.high).ps:
            path = json_path(*where)
            swapped = {**span.model_dump(mode="json"), "low": span.high, "high": span.low}
            yield Finding(
                path,
                f"{path}: low {span.low} is above high {span.high}",
                "swap them",
                fix=Fix(op="set", path=path, value=swapped, description=f"{path}: low and high swapped"),
            )


def _clamp(name: str, low: str, high: str) -> str:
    ps = T.to_pitch(name).ps
    return low if ps < T.to_pitch(low).ps else high if ps > T.to_pitch(high).ps else name


@rule("range.instrument")
def instrument_range(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Each voice's range lies within what its instrument can play or sing."""
    for vi, voice in enumerate(plan.voices):
        low, high = INSTRUMENT_RANGE[voice.instrument]
        for end in ("low", "high"):
            note = getattr(voice, end)
            if not T.pitch_in(note, low, high):
                path = json_path("voices", vi, end)
                fixed = _clamp(note, low, high)
                yield Finding(
                    path,
                    f"voice {voice.id}: {note} is outside the {voice.instrument.value}'s range {low}-{high}",
                    f"keep the {voice.instrument.value} within {low}-{high}",
                    fix=Fix(op="set", path=path, value=fixed, description=f"{path} = {fixed}"),
                )


@rule("voices.roles")
def voice_roles(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """One voice carries the melody and one the bass; voice ids are unique."""
    roles = Counter(v.role for v in plan.voices)
    for role in (VoiceRole.melody, VoiceRole.bass):
        if roles[role] != 1:
            yield Finding(
                json_path("voices"),
                f"{roles[role]} voices have the role {role.value}; a texture needs exactly one",
                f"give exactly one voice the role {role.value}",
            )
    for vi, _ in repeats(v.id for v in plan.voices):
        voice = plan.voices[vi]
        yield Finding(json_path("voices", vi, "id"), f"voice id {voice.id} is used twice", "rename it")


@rule("range.melody")
def melody_range(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """The melody's range fits within the range of the voice that sings or plays it."""
    singer = next((v for v in plan.voices if v.role is VoiceRole.melody), None)
    if singer is None:
        return
    for end in ("low", "high"):
        note = getattr(plan.melody, end)
        if not T.pitch_in(note, singer.low, singer.high):
            path = json_path("melody", end)
            fixed = _clamp(note, singer.low, singer.high)
            yield Finding(
                path,
                f"the melody's {end} note {note} is outside voice {singer.id}'s range "
                f"{singer.low}-{singer.high}",
                f"keep the melody within {singer.low}-{singer.high}",
                fix=Fix(op="set", path=path, value=fixed, description=f"{path} = {fixed}"),
            )


def _ps(name: str) -> float:
    return T.to_pitch(name).ps


@rule("voices.order")
def voice_order(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Voices are listed from the highest part to the lowest and their ranges agree: no part's range starts
    or ends below the part under it (a tenor written above the alto is a mislabelled part)."""
    spans = [(_ps(v.low), _ps(v.high)) for v in plan.voices]
    upside = [
        i for i in range(len(spans) - 1) if spans[i][0] < spans[i + 1][0] or spans[i][1] < spans[i + 1][1]
    ]
    if not upside:
        return
    fix = None
    if all(lo <= hi for lo, hi in spans):  # an inverted range is mended first (range.inverted)
        # The i-th highest low never lies above the i-th highest high when every range is upright.
        lows = sorted((v.low for v in plan.voices), key=_ps, reverse=True)
        highs = sorted((v.high for v in plan.voices), key=_ps, reverse=True)
        fixed = [
            {**v.model_dump(mode="json"), "low": lo, "high": hi}
            for v, lo, hi in zip(plan.voices, lows, highs, strict=True)
        ]
        fix = Fix(op="set", path=json_path("voices"), value=fixed, description="voice ranges put in order")
    for i in upside:
        upper, lower = plan.voices[i], plan.voices[i + 1]
        yield Finding(
            json_path("voices", i + 1),
            f"voice {lower.id} ({lower.low}-{lower.high}) lies above voice {upper.id} "
            f"({upper.low}-{upper.high}), which is listed above it",
            "list voices from the highest to the lowest and give each a range at or below the one above",
            fix=fix,
        )


# Semitones. Narrower, a part repeats a few notes instead of shaping a line. The least the 150 chorale
# exemplars have: melody a fifth, alto a diminished fifth, tenor a minor sixth, bass an octave.
MELODY_SPAN, PART_SPAN = 7, 5
SPAN_NAME = {MELODY_SPAN: "a fifth", PART_SPAN: "a fourth"}


def _widened(low: str, high: str, floor: str, ceiling: str, span: int) -> tuple[str, str]:
    """The range stretched to `span`, upward where the instrument allows, else downward."""
    up = T.to_pitch(low).transpose(span).nameWithOctave
    if T.pitch_in(up, floor, ceiling):
        return low, up
    return T.to_pitch(high).transpose(-span).nameWithOctave, high


def _span(voice: Voice) -> int:
    return MELODY_SPAN if voice.role is VoiceRole.melody else PART_SPAN


def _narrow(voice: Voice) -> bool:
    return 0 <= _ps(voice.high) - _ps(voice.low) < _span(voice)


def _voice_range(voice: Voice) -> tuple[str, str]:
    """The voice's range, widened to its least span where it is narrower."""
    if not _narrow(voice):
        return voice.low, voice.high
    return _widened(voice.low, voice.high, *INSTRUMENT_RANGE[voice.instrument], _span(voice))


@rule("range.too-narrow")
def narrow_range(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """The melody and the voice that carries it span at least a fifth, every other part at least a fourth,
    so each part can shape a line."""
    for vi, voice in enumerate(plan.voices):
        if _narrow(voice):
            path = json_path("voices", vi)
            low, high = _voice_range(voice)
            span = SPAN_NAME[_span(voice)]
            yield Finding(
                path,
                f"voice {voice.id} spans only {voice.low}-{voice.high}, less than {span}",
                f"give the part at least {span} (an octave or more is usual)",
                fix=Fix(
                    op="set",
                    path=path,
                    value={**voice.model_dump(mode="json"), "low": low, "high": high},
                    description=f"{path}: {low}-{high}",
                ),
            )
    melody = plan.melody
    if 0 <= _ps(melody.high) - _ps(melody.low) < MELODY_SPAN:
        # The melody takes its voice's range as the voice's own fix leaves it: copying a voice that is
        # itself too narrow would set the melody to the range it has, leaving the fault to a later pass.
        singer = next((v for v in plan.voices if v.role is VoiceRole.melody), None)
        low, high = (
            _voice_range(singer) if singer else _widened(melody.low, melody.high, "C0", "C8", MELODY_SPAN)
        )
        yield Finding(
            json_path("melody"),
            f"the melody spans only {melody.low}-{melody.high}, less than a fifth",
            "let the melody move over at least a fifth, within its voice's range",
            fix=Fix(
                op="set",
                path=json_path("melody"),
                value={**melody.model_dump(mode="json"), "low": low, "high": high},
                description=f"melody: {low}-{high} (its voice's range)",
            ),
        )
