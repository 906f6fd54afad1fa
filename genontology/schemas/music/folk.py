"""Composition plans derived from the folk songs of the Essen collection that music21 ships.

What the source gives is read as it is: the key (the encoder's K: field), the meter, and the phrases (the
collection writes one phrase per line). A folk song is a single melody, so its harmony is implied, not read:
each bar's chord is the diatonic triad (or V7) that covers most of its notes (by duration, the bar's first
note counted half again); the beat before a phrase's last note and that note are read on their own, and the
last chord must hold the final note. The cadences are then what those chords make (the same reading the
validator uses). The form is found by repetition; the voices under the melody take the chorale exemplars'
median ranges and the tempo is the genre's conventional pace; every plan's program says which parts are
analysis and which convention. A song that is not major or minor, ends off its tonic, repeats with signs, or
whose phrase endings make no cadence is skipped, not forced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import music21
from music21 import converter, key, note

from genontology.schemas.music import theory as T
from genontology.schemas.music.derive import Unanalysable, bar_form, contour, pitch_name
from genontology.schemas.music.model import KeySpec
from genontology.schemas.music.vocabulary import METERS

ESSEN = Path(music21.__file__).parent / "corpus" / "essenFolksong"
# Collections read and how many plans each gives the shipped exemplars (the first that validate, in the
# collection's order): children's songs and lullabies first, then German, Luxembourgish and Lorraine songs.
QUOTA = {"kinder0": 33, "erk5": 7, "erk10": 12, "boehme10": 12, "altdeu10": 12, "lux": 12, "lot": 12}
COLLECTIONS = tuple(QUOTA)
# The chorale exemplars' median ranges under the melody (alto, tenor, bass); a folk song has no such parts.
LOWER_VOICES = (("alto", "B-3", "B4"), ("tenor", "F3", "F#4"), ("bass", "G2", "B3"))
# Chords the harmony is chosen from, likeliest first (ties go to the earlier). On the beat before a phrase's
# last note a tie goes to the dominant, then the subdominant: that is where a cadence is approached.
CANDIDATES = {
    "major": ("I", "V", "IV", "ii", "vi", "iii", "V7"),
    "minor": ("i", "V", "iv", "VI", "III", "VII", "V7"),
}
APPROACH = {
    "major": ("V", "V7", "IV", "ii", "I", "vi", "iii"),
    "minor": ("V", "V7", "iv", "i", "VI", "III", "VII"),
}
HEADER = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Song:
    collection: str
    number: str
    text: str

    @property
    def fields(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for line in self.text.splitlines():
            if HEADER.match(line):
                found.setdefault(line[0], line[2:].strip())
        return found

    @property
    def lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip() and not HEADER.match(line)]


def songs(collections: tuple[str, ...] = COLLECTIONS) -> Iterator[Song]:
    for name in collections:
        text = (ESSEN / f"{name}.abc").read_text(encoding="latin-1")
        for tune in re.split(r"\n(?=X:)", text):
            if tune.startswith("X:"):
                yield Song(name, tune.split("\n", 1)[0][2:].strip(), tune)


def _parse(abc: str) -> music21.stream.Score:
    try:
        return converter.parse(abc, format="abc")
    except Exception as exc:  # music21 raises many kinds on malformed ABC
        raise Unanalysable(f"music21 cannot read it: {str(exc)[:80]}") from exc


def _coverage(notes: list[note.Note], classes: list[int], opening: float) -> float:
    """Duration of chord tones minus half that of the others; the note at `opening` weighs half again."""
    total = 0.0
    for n in notes:
        weight = float(n.quarterLength) * (1.5 if abs(float(n.offset) - opening) < 1e-6 else 1.0)
        total += weight if n.pitch.pitchClass in classes else -weight / 2
    return total


def _implied(
    notes: list[note.Note],
    spec: KeySpec,
    opening: float,
    holding: int | None,
    order: dict[str, tuple[str, ...]],
) -> str:
    """The chord of `order` covering these notes best; with `holding` (a pitch class), one that holds it."""
    best, best_score = "", float("-inf")
    for figure in order[spec.mode.value]:
        classes = T.chord_classes(figure, spec)
        if holding is not None and holding not in classes:
            continue
        score = _coverage(notes, classes, opening)
        if score > best_score + 1e-9:
            best, best_score = figure, score
    return best


def _units(
    start: float, end: float, bar: float, pickup: float, arrival: float, beat: float
) -> list[tuple[float, float]]:
    """[start, end) cut at the barlines, a phrase's upbeat joined to its first bar; then the beat before the
    phrase's final note and that note on their own (where a cadence is heard)."""
    approach = max(start, arrival - beat)
    units: list[tuple[float, float]] = []
    edge = start
    while edge < approach - 1e-6:
        barline = pickup + (((edge - pickup) // bar) + 1) * bar
        units.append((edge, min(barline, approach)))
        edge = barline
    if len(units) > 1 and units[0][1] - units[0][0] < bar / 2 - 1e-6:
        units[:2] = [(units[0][0], units[1][1])]
    if arrival > approach + 1e-6:
        units.append((approach, arrival))
    return [*units, (arrival, end)]


def _phrase_harmony(notes: list[note.Note], units: list[tuple[float, float]], spec: KeySpec) -> list[str]:
    """One implied chord a unit, repeats merged; the last holds the phrase's final note."""
    figures: list[str] = []
    for i, (lo, hi) in enumerate(units):
        inside = [n for n in notes if lo - 1e-6 <= float(n.offset) < hi - 1e-6]
        last = i == len(units) - 1
        if not inside and not last:
            continue
        order = APPROACH if i == len(units) - 2 else CANDIDATES
        figure = _implied(inside, spec, lo, notes[-1].pitch.pitchClass if last else None, order)
        if not figure:
            raise Unanalysable("a phrase ends on a note no triad of the key holds")
        if not figures or figures[-1] != figure:
            figures.append(figure)
    return figures


def _duration(headers: str, abc: str) -> float:
    return float(_parse(f"{headers}\n{abc}").highestTime) if abc.strip() else 0.0


def _genre(field: str) -> str:
    """The Essen collection writes the genre in ABC's R: field ("Kinder -, Wiegen - Lied": a lullaby)."""
    if "Wiegen" in field:
        return "lullaby"
    return "children's song" if "Kinder" in field else "folk song"


def derive_song(song: Song) -> dict[str, Any]:
    """One song's plan as plain data; raises Unanalysable when its structure cannot be read."""
    fields, lines = song.fields, song.lines
    meter = fields.get("M", "")
    if meter not in METERS:
        raise Unanalysable(f"meter {meter!r}")
    if any(sign in line for line in lines for sign in (":|", "|:", "::", "[1", "|1")):
        raise Unanalysable("repeats written with signs")
    score = _parse(song.text)
    keys = list(score.recurse().getElementsByClass(key.Key))
    if not keys or keys[0].mode not in ("major", "minor"):
        raise Unanalysable("no major or minor key")
    spec = KeySpec(tonic=keys[0].tonic.name, mode=keys[0].mode)
    notes = [n for n in score.flatten().notes if isinstance(n, note.Note) and n.quarterLength > 0]
    if len(lines) < 2 or not notes:
        raise Unanalysable("fewer than two phrases")
    if notes[-1].pitch.pitchClass != keys[0].tonic.pitchClass:
        raise Unanalysable(f"ends on {notes[-1].pitch.name}, off its tonic {spec}")
    headers = "\n".join(line for line in song.text.splitlines() if HEADER.match(line) and line[0] in "XMLK")
    ends: list[float] = []
    for line in lines:
        ends.append((ends[-1] if ends else 0.0) + _duration(headers, line))
    if abs(ends[-1] - float(score.highestTime)) > 1e-6:
        raise Unanalysable("its lines do not add up to the song")
    bar = T.bar_quarters(meter)
    pickup = _duration(headers, lines[0].split("|", 1)[0]) if "|" in lines[0] else 0.0
    bar_ends = [round((end - pickup) / bar) for end in ends]
    beat = bar / T.beats_per_bar(meter)
    phrases, melodies = [], []
    for i, (start, end) in enumerate(zip([0.0, *ends[:-1]], ends, strict=True)):
        bars = bar_ends[i] - (bar_ends[i - 1] if i else 0)
        inside = [n for n in notes if start - 1e-6 <= float(n.offset) < end - 1e-6]
        if not 1 <= bars <= 16 or not inside:
            raise Unanalysable(f"phrase {i + 1} is {bars} bars long")
        units = _units(start, end, bar, pickup, float(inside[-1].offset), beat)
        figures = _phrase_harmony(inside, units, spec)
        cadence = T.cadence_of(figures, spec)
        if cadence is None:
            raise Unanalysable(f"phrase {i + 1} ends {' '.join(figures[-2:])}, which is no cadence")
        phrases.append({"bars": bars, "harmony": figures[-32:], "cadence": cadence.value})
        melodies.append([n.pitch.ps for n in inside])
    sections, order = bar_form(phrases, melodies, spans=(2, 1), returning=True)
    melody = [p for m in melodies for p in m]
    low, high = pitch_name(min(melody)), pitch_name(max(melody))
    voices = [{"id": "soprano", "instrument": "soprano", "role": "melody", "low": low, "high": high}]
    for name, floor, ceiling in LOWER_VOICES:
        above = voices[-1]
        voices.append(
            {
                "id": name,
                "instrument": name,
                "role": "bass" if name == "bass" else "inner",
                "low": min(floor, above["low"], key=lambda n: T.to_pitch(n).ps),
                "high": min(ceiling, above["high"], key=lambda n: T.to_pitch(n).ps),
            }
        )
    genre = _genre(fields.get("R", ""))
    title = fields.get("T", "").title()[:80] or f"Essen {song.collection} {song.number}"
    origin = ", ".join(fields.get("O", "").replace("?", "").split(",")[-2:]).strip() or "Europe"
    lullaby = genre == "lullaby"
    density = len(melody) / max(1.0, ends[-1])
    scenes = {
        sid: (
            "The opening phrases, sung twice."
            if order[:2] == [sid, sid]
            else "The opening, which returns to close the song."
            if order.count(sid) > 1
            else "The song's phrases, one after another."
            if len(sections) == 1
            else "The phrases between."
            if order[-1] != sid
            else "The closing phrases."
        )
        for sid, _ in sections
    }
    return {
        "id": f"essen-{song.collection}-{song.number}".lower()[:64],
        "title": title,
        "program": (
            f"A {genre} from {origin} (Essen Folksong Collection, {song.collection} no. {song.number}), "
            f"{len(phrases)} phrases in {spec}. Derived from music21's corpus by analysis: the key, meter "
            "and phrases are the collection's; the harmony is implied by the melody (each bar's best-fitting "
            "triad); the lower voices' ranges and the tempo are conventions, not in the source."
        )[:600],
        "key": spec.model_dump(mode="json"),
        "meter": meter,
        "tempo": {"marking": "andante", "bpm": 72} if lullaby else {"marking": "moderato", "bpm": 100},
        "sections": [
            {
                "id": sid,
                "bars": sum(p["bars"] for p in ps),
                "phrases": ps,
                "texture": "melody_and_accompaniment",
                "dynamic": "p" if lullaby else "mf",
            }
            for sid, ps in sections
        ],
        "order": order,
        "final_cadence": phrases[-1]["cadence"],
        "melody": {
            "low": low,
            "high": high,
            "contour": contour(melody),
            "density": "sparse" if density < 0.8 else "moderate" if density <= 1.3 else "dense",
        },
        "voices": voices,
        "scenes": scenes,
        "source": f"music21 corpus: essenFolksong/{song.collection}.abc#X:{song.number}",
    }


def derive_all(collections: tuple[str, ...] = COLLECTIONS) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """Each song's name with its plan, or the reason it was skipped."""
    for song in songs(collections):
        name = f"{song.collection}#{song.number}"
        try:
            yield name, derive_song(song)
        except Unanalysable as exc:
            yield name, str(exc)
