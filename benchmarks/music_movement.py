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
    python benchmarks/music_movement.py --corpus-plans 30   # Bach's own melodies against the realizers'
    python benchmarks/music_movement.py --motion            # the sopranos' motion table melody.py uses

`--corpus-plans N` realizes N chorale plans the realizer was never trained on (every fifth) three ways (the
model harmonizing the written melody, the default; the model writing its own soprano; the rules) and
compares each melody with Bach's own for the same plans. `--motion` measures how the training chorales'
sopranos move from beat to beat (`--write-motion`: into the table the melody writer reads).

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


def generated_piece(folder: Path, soprano: str = "written") -> tuple[str, dict[str, float]] | None:
    """A generated plan's character and measures, its melody realized as the Designer writes its score (or
    with the realizer's own soprano)."""
    from genontology.generators.music import realize
    from genontology.generators.music.score import melody_rhythm

    path = folder / "plan.json"
    if not path.exists():
        return None
    plan = CompositionPlan.model_validate_json(path.read_text())
    grid, lines = realize(plan, soprano=soprano)  # type: ignore[arg-type]
    notes = [n for beat in melody_rhythm(plan, grid, lines[0]) for n in beat]
    measures = plan_measures(plan) | melody_measures(
        notes, grid.beat_quarters, grid.beat_quarters * grid.beats_per_bar
    )
    return (plan.character.value if plan.character else "-"), measures


def realized_piece(plan: CompositionPlan, realizer: str, soprano: str) -> dict[str, float]:
    from genontology.generators.music import realize
    from genontology.generators.music.score import melody_rhythm

    grid, lines = realize(plan, realizer, soprano=soprano)  # type: ignore[arg-type]
    notes = [n for beat in melody_rhythm(plan, grid, lines[0]) for n in beat]
    bar = grid.beat_quarters * grid.beats_per_bar
    return plan_measures(plan) | melody_measures(notes, grid.beat_quarters, bar)


WAYS = {
    "written melody, model": ("model", "written"),
    "model's own": ("model", "model"),
    "rules": ("rules", ""),
}


def corpus_plans(count: int) -> dict[str, Any]:
    """Bach's melodies for `count` held-out chorale plans against the realizers' for the same plans."""
    plans = chorale_exemplars()[::5][:count]
    bach = {plan.id: m for plan in plans if (m := corpus_piece(plan)) is not None}
    plans = [plan for plan in plans if plan.id in bach]
    reference = list(bach.values())
    report: dict[str, Any] = {
        "plans": len(plans),
        "bach": {"medians": medians(reference), "floor": distances(reference[::2], reference[1::2])},
    }
    for name, (realizer, soprano) in WAYS.items():
        pieces = [realized_piece(plan, realizer, soprano) for plan in plans]
        report[name] = {"medians": medians(pieces), "distance to bach": distances(pieces, reference)}
    return report


def motion_table(limit: int | None = None) -> dict[str, Any]:
    """How the training chorales' sopranos move between consecutive beats of the realizer's grid: counts of
    each signed motion (semitones, clipped to an octave either way) after the motion before it, a note held a
    third beat counted apart from one held a second (`melody.context`; the table `melody.py` reads,
    `genontology/generators/music/soprano_motion.json`), and the shares of the motion sizes."""
    from collections import Counter

    from genontology.generators.music.melody import SPAN, context
    from genontology.generators.music.neural import training_rows

    pairs: Counter[tuple[int, int]] = Counter()
    rows = training_rows(limit)
    for row in rows:
        soprano = [notes[0] for notes in row["notes"]]
        moves = [max(-SPAN, min(SPAN, b - a)) for a, b in itertools.pairwise(soprano)]
        pairs.update((context(a, b), c) for a, b, c in zip(moves, moves[1:], moves[2:], strict=False))
    sizes: Counter[int] = Counter()
    for (_, move), n in pairs.items():
        sizes[min(8, abs(move))] += n
    total = sum(sizes.values())
    return {
        "chorales": len(rows),
        "moves": total,
        "size_share": {k: round(sizes[k] / total, 4) for k in range(9)},
        "pairs": [[a, b, n] for (a, b), n in sorted(pairs.items())],
    }


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
    parser.add_argument("folders", nargs="*", type=Path, help="a tree's folder of music_characters output")
    parser.add_argument(
        "--corpus-plans", type=int, default=0, help="realize this many held-out chorale plans"
    )
    parser.add_argument("--motion", action="store_true", help="measure the chorales' soprano motion table")
    parser.add_argument(
        "--soprano", default="written", choices=("written", "model"), help="how generated plans are realized"
    )
    parser.add_argument("--write-motion", action="store_true", help="and write it where melody.py reads it")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/music_movement.json"))
    args = parser.parse_args()
    if not (args.folders or args.motion or args.corpus_plans):
        parser.error("give folders of generated plans, --corpus-plans N or --motion")
    if args.motion or args.corpus_plans:
        found = {"machine": machine()}
        if args.motion:
            found["motion"] = motion_table()
            if args.write_motion:
                from genontology.generators.music.melody import MOTION_TABLE
                from genontology.ontology.io import write_atomic

                write_atomic(MOTION_TABLE, json.dumps(found["motion"]))
        if args.corpus_plans:
            found["corpus_plans"] = corpus_plans(args.corpus_plans)
        print(json.dumps(found, indent=1))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(found, indent=1))
        return
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
        subs = sorted(sub for sub in folder.iterdir() if sub.is_dir())
        found = [g for sub in subs if (g := generated_piece(sub, args.soprano))]
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
