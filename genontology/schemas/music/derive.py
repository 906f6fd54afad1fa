"""Composition plans derived from music21's bundled corpus by analysis (the exemplars' provenance).

For a four-part Bach chorale: the key (music21's key analysis), the meter, the phrases (the soprano's
fermatas), a harmonic outline of the chords that are plain triads or sevenths on each beat (where chordify's
reading is reliable; applied dominants are named as such), each phrase's cadence from its last two chords,
the form (A A B when the opening phrases return, otherwise one section), and each voice's range. A chorale
whose phrase endings do not read as one of the four cadences is skipped, not forced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from music21 import chord, corpus, expressions, key, pitch, roman, stream

from genontology.schemas.music import theory as T
from genontology.schemas.music.model import KeySpec
from genontology.schemas.music.vocabulary import METERS


class Unanalysable(ValueError):
    """This piece's structure cannot be read reliably; it is skipped."""


def chorale_paths() -> list[Path]:
    """Bach chorale files in the corpus, in a stable order; a chorale shipped in two formats once (MusicXML
    preferred over Humdrum)."""
    by_stem: dict[str, Path] = {}
    for path in sorted((Path(p) for p in corpus.getComposer("bach")), key=lambda p: (p.suffix != ".mxl", p)):
        if re.search(r"bwv\d", path.stem):
            by_stem.setdefault(path.stem, path)
    return sorted(by_stem.values())


def _phrase_ends(soprano: stream.Part) -> list[float]:
    ends = [
        float(n.offset + n.quarterLength)
        for n in soprano.flatten().notes
        if any(isinstance(e, expressions.Fermata) for e in n.expressions)
    ]
    return sorted(set(ends))


def _figure(ch: chord.Chord, k: key.Key, spec: KeySpec) -> str | None:
    """A Roman numeral for a plain triad or seventh chord, an applied dominant named V/x; else None."""
    if not (ch.isTriad() or ch.isSeventh()):
        return None
    figure = roman.romanNumeralFromChord(ch, k).figure
    try:
        if T.is_diatonic(figure, spec):
            return figure
    except T.NumeralError:
        return None
    if ch.quality == "major" or ch.isDominantSeventh():
        target_pc = (ch.root().pitchClass + 5) % 12  # the chord a fifth below the root
        for degree in range(2, 7):
            target = roman.RomanNumeral(degree, k)
            base = target.romanNumeral if target.quality in ("major", "minor") else None
            if base and target.root().pitchClass == target_pc:
                applied = ("V7" if ch.isSeventh() else "V") + "/" + base
                return applied if T.is_diatonic(applied, spec) else None
    return None


def _outline(chords: stream.Stream, start: float, end: float, k: key.Key, spec: KeySpec) -> list[str]:
    figures: list[str] = []
    beat = start
    while beat < end - 1e-6:
        sounding = chords.getElementAtOrBefore(beat, [chord.Chord])
        figure = _figure(sounding, k, spec) if sounding is not None else None
        if figure and (not figures or figures[-1] != figure):
            figures.append(figure)
        beat += 1.0
    return figures[-32:]


def _local_keys(k: key.Key) -> list[key.Key]:
    """The home key, then its closely related keys: where a chorale phrase may cadence."""
    fifth_up, fifth_down = (key.Key(k.tonic.transpose(i).name, k.mode) for i in ("P5", "P4"))
    related = [k.relative, fifth_up, fifth_down, fifth_up.relative, fifth_down.relative]
    return [k, *related]


def _phrase(chords: stream.Stream, start: float, end: float, k: key.Key, spec: KeySpec, meter: str) -> dict:
    """The phrase's outline and cadence, read in the home key or, failing that, in the closely related key
    it tonicizes."""
    bars = max(1, round((end - start) / T.bar_quarters(meter)))
    beats = bars * T.beats_per_bar(meter)
    for local in _local_keys(k):
        local_spec = KeySpec(tonic=local.tonic.name, mode=local.mode)
        figures = _outline(chords, start, end, local, local_spec)
        cadence = T.cadence_of(figures, local_spec) if len(figures) >= 2 else None
        if cadence is not None:
            phrase = {"bars": bars, "harmony": figures[-beats:], "cadence": cadence.value}
            if local != k:
                phrase["key"] = local_spec.model_dump(mode="json")
            return phrase
    raise Unanalysable(f"the phrase ending at {end} makes no cadence in {k} or a related key")


def _contour(pitches: list[float]) -> str:
    third = max(1, len(pitches) // 3)
    a, b, c = (sum(x) / len(x) for x in (pitches[:third], pitches[third:-third] or pitches, pitches[-third:]))
    if b > max(a, c) + 1:
        return "arch"
    if c > a + 2:
        return "ascending"
    if a > c + 2:
        return "descending"
    return "wave" if max(pitches) - min(pitches) > 7 else "level"


def derive_chorale(path: Path) -> dict[str, Any]:
    """One chorale's plan as plain data; raises Unanalysable when its structure cannot be read."""
    score = corpus.parse(str(path))
    parts = list(score.parts)
    if len(parts) != 4:
        raise Unanalysable(f"{len(parts)} parts, not SATB")
    signatures = score.recurse().getElementsByClass("TimeSignature")
    meter = signatures[0].ratioString if signatures else ""
    if meter not in METERS:
        raise Unanalysable(f"meter {meter!r}")
    k = score.analyze("key")
    if k.mode not in ("major", "minor"):
        raise Unanalysable(f"mode {k.mode}")
    spec = KeySpec(tonic=k.tonic.name, mode=k.mode)
    ends = _phrase_ends(parts[0])
    if len(ends) < 2:
        raise Unanalysable("fewer than two fermatas")
    chords = score.chordify().flatten()
    phrases, starts = [], [float(parts[0].flatten().notes[0].offset), *ends[:-1]]
    for start, end in zip(starts, ends, strict=True):
        phrases.append(_phrase(chords, start, end, k, spec, meter))
    soprano = list(parts[0].flatten().notes)
    lines = [[p.ps for n in part.flatten().notes for p in n.pitches] for part in parts]
    melody_phrases = [
        [n.pitch.ps for n in soprano if s <= n.offset < e] for s, e in zip(starts, ends, strict=True)
    ]
    repeated = len(phrases) >= 4 and melody_phrases[:2] == melody_phrases[2:4]
    if repeated:
        sections = [("A", phrases[:2]), ("B", phrases[4:])]
        order = ["A", "A", "B"] if phrases[4:] else ["A", "A"]
        sections = [s for s in sections if s[1]]
    else:
        sections, order = [("A", phrases)], ["A"]
    names = ("soprano", "alto", "tenor", "bass")
    roles = ("melody", "inner", "inner", "bass")
    voices = [
        {
            "id": name,
            "instrument": name,
            "role": role,
            "low": _name(min(line)),
            "high": _name(max(line)),
        }
        for name, role, line in zip(names, roles, lines, strict=True)
    ]
    title = str(score.metadata.title or path.stem) if score.metadata else path.stem
    density = len(soprano) / max(1.0, (ends[-1] - starts[0]))
    stem = path.stem.replace(".", "-")
    scenes = {"A": "Stollen: the opening phrases, sung twice."} if repeated else {}
    if repeated and len(sections) > 1:
        scenes["B"] = "Abgesang: the closing phrases."
    if not repeated:
        scenes["A"] = "The chorale's verse, phrase by phrase."
    return {
        "id": f"bach-{stem}".lower()[:64],
        "title": f"Chorale {title}"[:80],
        "program": (
            f"J. S. Bach's four-part chorale {title}, {len(phrases)} phrases in {spec}. Derived from "
            "music21's corpus by analysis; the tempo is the conventional chorale pace, not in the source."
        )[:600],
        "key": spec.model_dump(mode="json"),
        "meter": meter,
        "tempo": {"marking": "andante", "bpm": 76},
        "sections": [
            {"id": sid, "bars": sum(p["bars"] for p in ps), "phrases": ps, "texture": "chorale"}
            for sid, ps in sections
        ],
        "order": order,
        "final_cadence": phrases[-1]["cadence"],
        "melody": {
            "low": voices[0]["low"],
            "high": voices[0]["high"],
            "contour": _contour(melody_phrases[0] + [p for ph in melody_phrases[1:] for p in ph]),
            "density": "sparse" if density < 0.8 else "moderate" if density <= 1.3 else "dense",
        },
        "voices": voices,
        "scenes": scenes,
        "source": f"music21 corpus: bach/{path.name}",
    }


def _name(ps: float) -> str:
    return pitch.Pitch(ps=ps).nameWithOctave


def derive_all(limit: int | None = None) -> Iterator[tuple[Path, dict[str, Any] | str]]:
    """Each chorale with its plan, or the reason it was skipped."""
    for path in chorale_paths()[:limit]:
        try:
            yield path, derive_chorale(path)
        except Unanalysable as exc:
            yield path, str(exc)


def write_exemplars(out: Path, limit: int = 150) -> dict[str, int]:
    """Derive every chorale, keep the first `limit` plans that validate, write them as one JSON file."""
    import json

    from genontology.ontology.io import write_atomic
    from genontology.ontology.violations import Severity
    from genontology.schemas.music.model import CompositionPlan
    from genontology.schemas.music.rules import RULES

    kept: list[dict[str, Any]] = []
    counts = {"analysed": 0, "skipped": 0, "invalid": 0}
    for _, plan in derive_all():
        counts["analysed"] += 1
        if isinstance(plan, str):
            counts["skipped"] += 1
            continue
        faults = RULES.run(CompositionPlan.model_validate(plan))
        if any(v.severity is Severity.error for v in faults):
            counts["invalid"] += 1
            continue
        kept.append(plan)
        if len(kept) >= limit:
            break
    write_atomic(out, json.dumps(kept, indent=1, ensure_ascii=False) + "\n")
    return {**counts, "kept": len(kept)}


if __name__ == "__main__":
    target = Path(__file__).parent / "exemplars" / "chorales.json"
    target.parent.mkdir(exist_ok=True)
    print(write_exemplars(target))
