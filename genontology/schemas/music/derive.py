"""Composition plans derived from music21's bundled corpus by analysis (the exemplars' provenance).

For a four-part Bach chorale: the key (music21's key analysis), the meter, the phrases (the soprano's
fermatas), a harmonic outline of the chords that are plain triads or sevenths on each beat (where chordify's
reading is reliable; applied dominants are named as such), each phrase's cadence from its last two chords,
the form (A A B when the opening phrases return, otherwise one section), and each voice's range. A chorale
whose phrase endings do not read as one of the four cadences is skipped, not forced. The folk songs are read
in `folk.py` with the helpers here; `python -m genontology.schemas.music.derive` writes both exemplar files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
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


def bar_form(
    phrases: list[dict], melodies: list[list[float]], spans: tuple[int, ...] = (2,), returning: bool = False
) -> tuple[list[tuple[str, list[dict]]], list[str]]:
    """Sections and their order, found by repetition: A A B when the opening `k` phrases are sung again at
    once (k from `spans`), A B A when they close the piece (with `returning`), else one section."""
    for k in spans:
        if len(phrases) >= 2 * k and melodies[:k] == melodies[k : 2 * k]:
            rest = phrases[2 * k :]
            if rest:
                return [("A", phrases[:k]), ("B", rest)], ["A", "A", "B"]
            return [("A", phrases[:k])], ["A", "A"]
    for k in spans if returning else ():
        if len(phrases) >= 2 * k + 1 and melodies[:k] == melodies[-k:]:
            return [("A", phrases[:k]), ("B", phrases[k:-k])], ["A", "B", "A"]
    return [("A", phrases)], ["A"]


def contour(pitches: list[float]) -> str:
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
    sections, order = bar_form(phrases, melody_phrases)
    repeated = order[:2] == ["A", "A"]
    names = ("soprano", "alto", "tenor", "bass")
    roles = ("melody", "inner", "inner", "bass")
    voices = [
        {
            "id": name,
            "instrument": name,
            "role": role,
            "low": pitch_name(min(line)),
            "high": pitch_name(max(line)),
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
            "contour": contour(melody_phrases[0] + [p for ph in melody_phrases[1:] for p in ph]),
            "density": "sparse" if density < 0.8 else "moderate" if density <= 1.3 else "dense",
        },
        "voices": voices,
        "scenes": scenes,
        "source": f"music21 corpus: bach/{path.name}",
    }


def pitch_name(ps: float) -> str:
    return pitch.Pitch(ps=ps).nameWithOctave


def derive_all(limit: int | None = None) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """Each chorale's file name with its plan, or the reason it was skipped."""
    for path in chorale_paths()[:limit]:
        try:
            yield path.name, derive_chorale(path)
        except Unanalysable as exc:
            yield path.name, str(exc)


def keep_valid(derived: Iterable[tuple[str, dict[str, Any] | str]], limit: int) -> tuple[list[dict], dict]:
    """The first `limit` derived plans the validator finds no error in, with counts of what was not kept."""
    from genontology.ontology.violations import has_errors
    from genontology.schemas.music.model import CompositionPlan
    from genontology.schemas.music.rules import RULES

    kept: list[dict[str, Any]] = []
    counts = {"analysed": 0, "skipped": 0, "invalid": 0}
    for _, plan in derived:
        counts["analysed"] += 1
        if isinstance(plan, str):
            counts["skipped"] += 1
            continue
        faults = RULES.run(CompositionPlan.model_validate(plan))
        if has_errors(faults):
            counts["invalid"] += 1
            continue
        kept.append(plan)
        if len(kept) >= limit:
            break
    return kept, {**counts, "kept": len(kept)}


def write_exemplars(folder: Path) -> dict[str, dict[str, int]]:
    """Derive the shipped exemplar files: chorales.json (150 chorales) and folk.json (the folk songs, up to
    each collection's quota). Deterministic: the corpus is read in a fixed order."""
    from genontology.ontology.io import write_atomic
    from genontology.schemas.music import folk

    chorales, report = keep_valid(derive_all(), limit=150)
    songs: list[dict[str, Any]] = []
    counts = {"chorales": report}
    for collection, quota in folk.QUOTA.items():
        kept, counts[collection] = keep_valid(folk.derive_all((collection,)), limit=quota)
        songs += kept
    for name, plans in (("chorales.json", chorales), ("folk.json", songs)):
        write_atomic(folder / name, json.dumps(plans, indent=1, ensure_ascii=False) + "\n")
    return counts


if __name__ == "__main__":
    target = Path(__file__).parent / "exemplars"
    target.mkdir(exist_ok=True)
    for source, counts in write_exemplars(target).items():
        print(source, counts)
