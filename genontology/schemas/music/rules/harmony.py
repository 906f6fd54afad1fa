"""Harmony rules: numerals, cadences, keys and modulations, read by music21."""

from __future__ import annotations

from collections.abc import Iterator

from genontology.ontology.rules import Finding
from genontology.ontology.violations import Fix, Severity, json_path
from genontology.schemas.music import theory as T
from genontology.schemas.music.model import CompositionPlan, KeySpec, Section
from genontology.schemas.music.rules.base import Context, phrases, readable, rule
from genontology.schemas.music.vocabulary import Approach, Cadence

CHROMATIC_PREFIXES = ("b", "#", "-", "N", "It", "Ger", "Fr")


@rule("harmony.bad-numeral")
def bad_numeral(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every chord is a well-formed Roman numeral that music21 can read."""
    for si, pi, section, spec in phrases(plan):
        for ci, figure in enumerate(section.phrases[pi].harmony):
            try:
                T.numeral(figure, spec)
            except T.NumeralError as exc:
                yield Finding(
                    json_path("sections", si, "phrases", pi, "harmony", ci),
                    f"section {section.id}: {figure!r} is not a Roman numeral ({exc})",
                    "write numerals like I, ii6, V7, viio6, V/V, iv",
                )


@rule("harmony.not-in-key")
def not_in_key(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every chord exists in the key in force (or is an applied chord to one that does); a chromatic
    chord spelled as such (bVI, N6, It+6) is allowed with a warning."""
    for si, pi, section, spec in phrases(plan):
        for ci, figure in enumerate(section.phrases[pi].harmony):
            if not readable([figure], spec) or T.is_diatonic(figure, spec):
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


@rule("cadence.mismatch")
def cadence_mismatch(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Each phrase's declared cadence is the one its last chords make."""
    for si, pi, section, spec in phrases(plan):
        phrase = section.phrases[pi]
        if not readable(phrase.harmony, spec):
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


@rule("cadence.final")
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
    fix = Fix(op="set", path=path, value=fixed, description=f"{path}: final cadence")
    where = ""
    if away:
        where = f" in {ending}, away from the home key {plan.key}"
        home = [
            s.id
            for s in plan.sections
            if s.phrases and T.to_key(T.key_in_force(plan, s, s.phrases[-1])) == T.to_key(plan.key)
        ]
        if home:  # a return to a section at home, as a ternary form does; its cadence is fixed next pass
            order = [*plan.order, home[0]]
            fix = Fix(op="set", path=json_path("order"), value=order, description=f"return to {home[0]}")
        else:
            fix = None
    yield Finding(
        path,
        f"the piece ends with section {section.id}{where} on a {phrase.cadence.value} cadence, but "
        f"declares a {plan.final_cadence.value} ending",
        "end the last phrase of the last section with the declared cadence in the home key (return to a "
        "section at home), or declare final_cadence",
        fix=fix,
    )


@rule("harmony.too-dense")
def too_dense(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A phrase has no more chords than beats: harmony changes at most once a beat."""
    beats = T.beats_per_bar(plan.meter)
    for si, pi, section, _ in phrases(plan):
        phrase = section.phrases[pi]
        if len(phrase.harmony) > phrase.bars * beats:
            yield Finding(
                json_path("sections", si, "phrases", pi, "harmony"),
                f"section {section.id}, phrase {pi + 1}: {len(phrase.harmony)} chords in "
                f"{phrase.bars * beats} beats",
                "use at most one chord per beat, or lengthen the phrase",
            )


@rule("key.unreal")
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


# Chords to try as a pivot, in the old key, the commonest first (Kostka & Payne: ii, IV and vi most often).
PIVOTS = ("ii", "IV", "vi", "I", "iii", "V", "iv", "i", "VI", "III", "VII", "iio")


def _pivot_works(figure: str, old: KeySpec, new: KeySpec) -> bool:
    """A pivot is a chord of the old key whose pitches also form a chord of the new key."""
    if not readable([figure], old) or not T.is_diatonic(figure, old):
        return False
    return set(T.chord_classes(figure, old)) <= T.scale_classes(new)


@rule("modulation.implausible")
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
            shared = next((f for f in PIVOTS if _pivot_works(f, old, new)), None)
            path = json_path("sections", si)
            approached = {**section.model_dump(mode="json"), "approach": "pivot_chord", "pivot": shared}
            yield Finding(
                json_path("sections", si, "key"),
                f"section {section.id} jumps from {old} to {new}, a distant key, with no pivot chord",
                "move to a closely related key (relative, dominant, subdominant), or approach it by a pivot",
                fix=Fix(op="set", path=path, value=approached, description=f"{path}: pivot {shared} in {old}")
                if shared
                else None,
            )


@rule("modulation.distant-tonicization")
def distant_tonicization(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A phrase tonicizes only a key closely related to its section's key."""
    for si, pi, section, spec in phrases(plan):
        home = T.key_in_force(plan, section)
        if section.phrases[pi].key is not None and not T.closely_related(home, spec):
            yield Finding(
                json_path("sections", si, "phrases", pi, "key"),
                f"section {section.id}, phrase {pi + 1} tonicizes {spec}, which is distant from {home}",
                "tonicize a closely related key (relative, dominant, subdominant), or make it a section",
            )
