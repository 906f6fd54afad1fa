"""Does the music move like the corpus? Distances between generated plans (and their realized melodies) and
the shipped corpus, per measure, with the corpus against itself as the floor (issue 26, "Music that moves").

Measures, one value a piece:
- from the plan: chords a bar (harmonic rhythm, the mean over phrases) and bars between cadences (the mean
  phrase length);
- from the melody (the realized soprano for a generated plan, as `score.musicxml` writes it; the real
  soprano of a Bach chorale or the real tune of a folk song, read by music21 from its corpus): notes a bar,
  the share of notes held longer than a beat, of repeated pitches, of steps (1-2 semitones) and of leaps (5
  or more), and the range in semitones.

Distance: the Wasserstein (earth mover's) distance between the generated pieces' values and the corpus's,
in the measure's own units; the floor is the distance between the corpus's two halves (alternate pieces).
A character the corpus has (chorale, folk song) is compared with its own part of the corpus; every plan is
also compared with the whole corpus.

    python benchmarks/music_movement.py DIR [DIR ...]   # output folders of `benchmarks/music_characters.py`

The corpus's melodies are read once (about two minutes) and kept in benchmarks/out/music_corpus_movement.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from scipy.stats import wasserstein_distance

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology.schemas.music.character import harmonic_rhythm
from genontology.schemas.music.corpus import chorale_exemplars, folk_exemplars
from genontology.schemas.music.model import CompositionPlan

MEASURES = ("chords_a_bar", "bars_a_cadence", "notes_a_bar", "held", "repeated", "steps", "leaps", "range")
CORPUS_CACHE = Path("benchmarks/out/music_corpus_movement.json")


def plan_measures(plan: CompositionPlan) -> dict[str, float]:
    phrases = [p for s in plan.sections for p in s.phrases]
    return {
        "chords_a_bar": statistics.mean(harmonic_rhythm(plan)),
        "bars_a_cadence": statistics.mean(p.bars for p in phrases),
    }


def melody_measures(notes: list[tuple[int, float]], beat: float, bar: float) -> dict[str, float]:
    """`notes`: (MIDI pitch, quarter length) in order, rests left out; `beat` and `bar` in quarters."""
    pitches = [p for p, _ in notes]
    moves = [abs(b - a) for a, b in itertools.pairwise(pitches)]
    total = sum(length for _, length in notes)
    return {
        "notes_a_bar": len(notes) / max(1.0, total / bar),
        "held": sum(length > beat for _, length in notes) / len(notes),
        "repeated": sum(m == 0 for m in moves) / max(1, len(moves)),
        "steps": sum(m in (1, 2) for m in moves) / max(1, len(moves)),
        "leaps": sum(m >= 5 for m in moves) / max(1, len(moves)),
        "range": float(max(pitches) - min(pitches)),
    }


def corpus_piece(plan: CompositionPlan) -> dict[str, float] | None:
    """A corpus plan's measures, its melody read from the music21 corpus file it was derived from."""
    from music21 import corpus

    path, _, number = plan.source.removeprefix("music21 corpus: ").partition("#X:")
    try:
        score = corpus.parse(path, number=int(number)) if number else corpus.parse(path)
    except Exception:  # a file music21 cannot read is left out (the counts say how many were read)
        return None
    melody = score.parts[0] if score.parts else score
    notes = [(int(n.pitch.midi), float(n.quarterLength)) for n in melody.recurse().notes if n.isNote]
    signature = next(iter(melody.recurse().getElementsByClass("TimeSignature")), None)
    if len(notes) < 4 or signature is None:
        return None
    beat, bar = float(signature.beatDuration.quarterLength), float(signature.barDuration.quarterLength)
    return plan_measures(plan) | melody_measures(notes, beat, bar)


def corpus_measures() -> dict[str, list[dict[str, float]]]:
    if CORPUS_CACHE.exists():
        return json.loads(CORPUS_CACHE.read_text())
    found = {
        name: [m for plan in plans if (m := corpus_piece(plan)) is not None]
        for name, plans in (("chorale", chorale_exemplars()), ("folk_song", folk_exemplars()))
    }
    CORPUS_CACHE.parent.mkdir(parents=True, exist_ok=True)
    CORPUS_CACHE.write_text(json.dumps(found))
    return found


def generated_piece(folder: Path) -> tuple[str, dict[str, float]] | None:
    """A generated plan's character and measures, its melody realized as the Designer wrote its score."""
    from genontology.generators.music import realize
    from genontology.generators.music.score import melody_rhythm

    path = folder / "plan.json"
    if not path.exists():
        return None
    plan = CompositionPlan.model_validate_json(path.read_text())
    grid, lines = realize(plan)
    notes = [n for beat in melody_rhythm(plan, grid, lines[0]) for n in beat]
    measures = plan_measures(plan) | melody_measures(
        notes, grid.beat_quarters, grid.beat_quarters * grid.beats_per_bar
    )
    return (plan.character.value if plan.character else "-"), measures


def distances(pieces: list[dict[str, float]], reference: list[dict[str, float]]) -> dict[str, float]:
    return {
        m: round(wasserstein_distance([p[m] for p in pieces], [r[m] for r in reference]), 3) for m in MEASURES
    }


def medians(pieces: list[dict[str, float]]) -> dict[str, float]:
    return {m: round(statistics.median(p[m] for p in pieces), 3) for m in MEASURES}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", nargs="+", type=Path, help="a tree's folder of music_characters output")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/music_movement.json"))
    args = parser.parse_args()
    corpus = corpus_measures()
    whole = corpus["chorale"] + corpus["folk_song"]
    report: dict[str, Any] = {
        "machine": machine(),
        "corpus": {name: len(pieces) for name, pieces in corpus.items()},
        "medians": {name: medians(pieces) for name, pieces in corpus.items()},
        "floor": {
            name: distances(pieces[::2], pieces[1::2]) for name, pieces in [*corpus.items(), ("all", whole)]
        },
        "generated": {},
    }
    for folder in args.folders:
        found = [g for sub in sorted(folder.iterdir()) if sub.is_dir() and (g := generated_piece(sub))]
        pieces = [m for _, m in found]
        entry: dict[str, Any] = {
            "plans": len(pieces),
            "medians": medians(pieces),
            "all": distances(pieces, whole),
        }
        for character in ("chorale", "folk_song"):
            own = [m for c, m in found if c == character]
            if own:
                entry[character] = distances(own, corpus[character]) | {"plans": len(own)}
        report["generated"][str(folder)] = entry
    print(json.dumps(report, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
