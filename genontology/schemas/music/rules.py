"""Music-theory rules over a composition plan. Theory (numerals, keys, cadences, pitch order) is music21's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from genontology.ontology.rules import Finding, RuleSet
from genontology.ontology.violations import Fix, Severity, json_path
from genontology.schemas.music import theory as T
from genontology.schemas.music.model import CompositionPlan, KeySpec, MelodyPlan, Section, Voice
from genontology.schemas.music.vocabulary import INSTRUMENT_RANGE, TEMPO_BPM, Approach, Cadence, VoiceRole

CHROMATIC_PREFIXES = ("b", "#", "-", "N", "It", "Ger", "Fr")


@dataclass(frozen=True)
class Context:
    sections: dict[str, tuple[int, Section]]  # by id: index and section (the first, when duplicated)


def _context(plan: CompositionPlan) -> Context:
    sections: dict[str, tuple[int, Section]] = {}
    for i, s in enumerate(plan.sections):
        sections.setdefault(s.id, (i, s))
    return Context(sections)


RULES: RuleSet[CompositionPlan] = RuleSet(make_context=_context)


def _phrases(plan: CompositionPlan) -> Iterator[tuple[int, int, Section, KeySpec]]:
    for si, section in enumerate(plan.sections):
        for pi, phrase in enumerate(section.phrases):
            yield si, pi, section, T.key_in_force(plan, section, phrase)


def _readable(figures: list[str], spec: KeySpec) -> bool:
    try:
        for f in figures:
            T.numeral(f, spec)
    except T.NumeralError:
        return False
    return True


@RULES.rule("harmony.bad-numeral")
def bad_numeral(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every chord is a well-formed Roman numeral that music21 can read."""
    for si, pi, section, spec in _phrases(plan):
        for ci, figure in enumerate(section.phrases[pi].harmony):
            try:
                T.numeral(figure, spec)
            except T.NumeralError as exc:
                yield Finding(
                    json_path("sections", si, "phrases", pi, "harmony", ci),
                    f"section {section.id}: {figure!r} is not a Roman numeral ({exc})",
                    "write numerals like I, ii6, V7, viio6, V/V, iv",
                )


@RULES.rule("harmony.not-in-key")
def not_in_key(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every chord exists in the key in force (or is an applied chord to one that does); a chromatic
    chord spelled as such (bVI, N6, It+6) is allowed with a warning."""
    for si, pi, section, spec in _phrases(plan):
        for ci, figure in enumerate(section.phrases[pi].harmony):
            if not _readable([figure], spec) or T.is_diatonic(figure, spec):
                continue
            chromatic = figure.startswith(CHROMATIC_PREFIXES)
            yield Finding(
                json_path("sections", si, "phrases", pi, "harmony", ci),
                f"section {section.id}: {figure} is not a chord of {spec}",
                "use a chord of the key, or spell a borrowed chord with its accidental (bVI)",
                severity=Severity.warning if chromatic else None,
            )


def _with_cadence(harmony: list[str], cadence: Cadence, spec: KeySpec) -> list[str]:
    """The phrase's chords with its last ones replaced by the cadence's textbook formula."""
    return [*harmony[: max(1, len(harmony) - 2)], *T.cadence_formula(cadence, spec)][:32]


@RULES.rule("cadence.mismatch")
def cadence_mismatch(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Each phrase's declared cadence is the one its last chords make."""
    for si, pi, section, spec in _phrases(plan):
        phrase = section.phrases[pi]
        if not _readable(phrase.harmony, spec):
            continue
        made = T.cadence_of(phrase.harmony, spec)
        if made is phrase.cadence:
            continue
        fixed = _with_cadence(phrase.harmony, phrase.cadence, spec)
        path = json_path("sections", si, "phrases", pi, "harmony")
        yield Finding(
            path,
            f"section {section.id}, phrase {pi + 1}: declared {phrase.cadence.value}, but "
            f"{' '.join(phrase.harmony[-2:])} makes {made.value if made else 'no cadence'}",
            f"end the phrase with {' '.join(T.cadence_formula(phrase.cadence, spec))}, or declare the "
            "cadence its chords make",
            fix=Fix(op="set", path=path, value=fixed, description=f"{path}: end on {' '.join(fixed[-2:])}"),
        )


@RULES.rule("cadence.final")
def final_cadence(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """The piece ends with its declared final cadence (authentic unless it says otherwise); an authentic or
    plagal ending lands on the home tonic."""
    last = ctx.sections.get(plan.order[-1])
    if last is None:
        return
    si, section = last
    pi = len(section.phrases) - 1
    phrase = section.phrases[pi]
    path = json_path("sections", si, "phrases", pi)
    closes = plan.final_cadence in (Cadence.authentic, Cadence.plagal)
    ending = T.key_in_force(plan, section, phrase)
    away = closes and T.to_key(ending) != T.to_key(plan.key)
    if phrase.cadence is plan.final_cadence and not away:
        return
    spec = T.key_in_force(plan, section, phrase)
    fixed = {**phrase.model_dump(mode="json"), "cadence": plan.final_cadence.value}
    fixed["harmony"] = _with_cadence(phrase.harmony, plan.final_cadence, spec)
    where = f" in {ending}, away from the home key {plan.key}" if away else ""
    yield Finding(
        path,
        f"the piece ends with section {section.id}{where} on a {phrase.cadence.value} cadence, but "
        f"declares a {plan.final_cadence.value} ending",
        "end the last phrase of the last section with the declared cadence in the home key, or declare "
        "final_cadence",
        fix=None if away else Fix(op="set", path=path, value=fixed, description=f"{path}: final cadence"),
    )


@RULES.rule("form.bars-mismatch")
def bars_mismatch(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A section's length is the sum of its phrases' lengths."""
    for si, section in enumerate(plan.sections):
        total = sum(p.bars for p in section.phrases)
        if total != section.bars:
            path = json_path("sections", si, "bars")
            yield Finding(
                path,
                f"section {section.id} is {section.bars} bars, but its phrases add up to {total}",
                "make the section's bars the sum of its phrases' bars",
                fix=Fix(op="set", path=path, value=total, description=f"{path} = {total}"),
            )


@RULES.rule("harmony.too-dense")
def too_dense(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A phrase has no more chords than beats: harmony changes at most once a beat."""
    beats = T.beats_per_bar(plan.meter)
    for si, pi, section, _ in _phrases(plan):
        phrase = section.phrases[pi]
        if len(phrase.harmony) > phrase.bars * beats:
            yield Finding(
                json_path("sections", si, "phrases", pi, "harmony"),
                f"section {section.id}, phrase {pi + 1}: {len(phrase.harmony)} chords in "
                f"{phrase.bars * beats} beats",
                "use at most one chord per beat, or lengthen the phrase",
            )


@RULES.rule("form.duplicate-section")
def duplicate_section(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Section ids are unique, so the order and the program name one section each."""
    counts = Counter(s.id for s in plan.sections)
    for si, section in enumerate(plan.sections):
        if counts[section.id] > 1 and ctx.sections[section.id][0] != si:
            yield Finding(
                json_path("sections", si, "id"),
                f"section id {section.id} is defined twice",
                "give each section its own id (A, B, A', coda)",
            )


@RULES.rule("form.unknown-section")
def unknown_section(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every section the order plays is defined in the plan."""
    for i, sid in enumerate(plan.order):
        if sid not in ctx.sections:
            path = json_path("order", i)
            yield Finding(
                path,
                f"the order plays section {sid}, which is not defined",
                f"define section {sid} or use one of: {', '.join(ctx.sections)}",
                fix=Fix(
                    op="remove", path=path, description=f"dropped the undefined section {sid} from the order"
                ),
            )


@RULES.rule("form.unused-section")
def unused_section(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every defined section is played somewhere in the order."""
    unplayed = [sid for sid in ctx.sections if sid not in plan.order]
    # The fix plays the unplayed sections after the rest (each finding carries the same whole-order fix).
    order = [*plan.order, *unplayed][:16]
    for sid in unplayed:
        yield Finding(
            json_path("sections", ctx.sections[sid][0]),
            f"section {sid} is defined but never played",
            f"add {sid} to the order, or remove it",
            fix=Fix(op="set", path=json_path("order"), value=order, description=f"order: {' '.join(order)}"),
        )


@RULES.rule("scene.unknown-section")
def unknown_scene(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """The program describes only sections that exist in the plan."""
    for sid in plan.scenes:
        if sid not in ctx.sections:
            path = json_path("scenes", sid)
            yield Finding(
                path,
                f"the program describes section {sid}, which is not defined",
                "key the program by section ids",
                fix=Fix(op="remove", path=path, description=f"removed the scene of unknown section {sid}"),
            )


@RULES.rule("scene.missing", Severity.warning)
def missing_scene(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every section means something: the program says what each one depicts."""
    for sid in ctx.sections:
        if sid not in plan.scenes:
            yield Finding(
                json_path("scenes"), f"section {sid} has no program", f"say what section {sid} depicts"
            )


@RULES.rule("key.unreal")
def unreal_key(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Keys are real keys: at most seven sharps or flats (E# major is F major spelled badly)."""
    keyed = [(json_path("key"), plan.key)] + [
        (json_path("sections", si, "key"), s.key) for si, s in enumerate(plan.sections) if s.key
    ]
    for path, spec in keyed:
        sharps = T.to_key(spec).sharps
        if abs(sharps) > 7:
            yield Finding(
                path,
                f"{spec} would need {abs(sharps)} {'sharps' if sharps > 0 else 'flats'}",
                "spell the key enharmonically (with seven or fewer accidentals)",
            )


def _arrivals(plan: CompositionPlan, ctx: Context) -> Iterator[tuple[int, Section, KeySpec]]:
    """Each section that brings a key other than home, with the key in force before it where it is first
    reached. A return to the home key is always plausible: the piece's own tonic is never far."""
    previous, seen, home = plan.key, set(), T.to_key(plan.key)
    for sid in plan.order:
        if sid not in ctx.sections:
            continue
        si, section = ctx.sections[sid]
        current = T.key_in_force(plan, section)
        arriving = T.to_key(current)
        if sid not in seen and arriving != T.to_key(previous) and arriving != home:
            yield si, section, previous
        seen.add(sid)
        previous = current


def _pivot_works(figure: str, old: KeySpec, new: KeySpec) -> bool:
    """A pivot is a chord of the old key whose pitches also form a chord of the new key."""
    if not _readable([figure], old) or not T.is_diatonic(figure, old):
        return False
    return set(T.chord_classes(figure, old)) <= T.scale_classes(new)


@RULES.rule("modulation.implausible")
def implausible_modulation(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A new key is closely related to the one before it, or reached through a pivot chord both share."""
    for si, section, old in _arrivals(plan, ctx):
        new = T.key_in_force(plan, section)
        pivot = section.approach is Approach.pivot_chord and section.pivot
        if pivot and not _pivot_works(section.pivot or "", old, new):
            yield Finding(
                json_path("sections", si, "pivot"),
                f"section {section.id}: pivot {section.pivot} is not a chord of both {old} and {new}",
                "choose a chord that belongs to both keys (e.g. vi in C is ii in G)",
            )
        elif not pivot and not T.closely_related(old, new):
            yield Finding(
                json_path("sections", si, "key"),
                f"section {section.id} jumps from {old} to {new}, a distant key, with no pivot chord",
                "move to a closely related key (relative, dominant, subdominant), or approach it by a pivot",
            )


@RULES.rule("range.inverted")
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


@RULES.rule("range.instrument")
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


@RULES.rule("voices.roles")
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
    ids = Counter(v.id for v in plan.voices)
    for vi, voice in enumerate(plan.voices):
        if ids[voice.id] > 1 and [v.id for v in plan.voices].index(voice.id) != vi:
            yield Finding(json_path("voices", vi, "id"), f"voice id {voice.id} is used twice", "rename it")


@RULES.rule("range.melody")
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


@RULES.rule("tempo.marking")
def tempo_marking(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """The metronome mark lies within the usual span of the tempo marking."""
    low, high = TEMPO_BPM[plan.tempo.marking]
    if not low <= plan.tempo.bpm <= high:
        fixed = min(max(plan.tempo.bpm, low), high)
        yield Finding(
            json_path("tempo", "bpm"),
            f"{plan.tempo.marking.value} is {low}-{high} BPM, not {plan.tempo.bpm}",
            f"set the BPM within {low}-{high}, or choose the marking that fits {plan.tempo.bpm}",
            fix=Fix(op="set", path=json_path("tempo", "bpm"), value=fixed, description=f"bpm = {fixed}"),
        )


@RULES.rule("modulation.distant-tonicization")
def distant_tonicization(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A phrase tonicizes only a key closely related to its section's key."""
    for si, pi, section, spec in _phrases(plan):
        home = T.key_in_force(plan, section)
        if section.phrases[pi].key is not None and not T.closely_related(home, spec):
            yield Finding(
                json_path("sections", si, "phrases", pi, "key"),
                f"section {section.id}, phrase {pi + 1} tonicizes {spec}, which is distant from {home}",
                "tonicize a closely related key (relative, dominant, subdominant), or make it a section",
            )
