"""A realization as a score: music21 parts with instruments, key, meter, tempo and dynamics, written as
MusicXML and MIDI, and drawn as a piano roll."""

from __future__ import annotations

from pathlib import Path

from music21 import dynamics, instrument, key, metadata, meter, note, stream, tempo

from genontology.generators.music.grid import Grid, Lines, voice_parts
from genontology.ontology.io import write_atomic, write_figure
from genontology.schemas.music import theory as T
from genontology.schemas.music.model import CompositionPlan
from genontology.schemas.music.vocabulary import MUSIC21_INSTRUMENT, Density


def melody_rhythm(plan: CompositionPlan, grid: Grid, soprano: list[int]) -> list[list[tuple[int, float]]]:
    """The melody per beat as (pitch, quarter length) notes: a passing note splits a beat that leaps a third
    when the plan asks for a dense melody; otherwise a pitch repeated on the next beat of the bar is held, as
    the chorales write it (a half note, not two quarters: their sopranos repeat a pitch from beat to beat
    about 29% of the time and strike it again about 12%)."""
    scale = T.scale_classes(plan.key)
    beats: list[list[tuple[int, float]]] = []
    q = grid.beat_quarters
    for t, p in enumerate(soprano):
        nxt = soprano[t + 1] if t + 1 < len(soprano) else None
        if plan.melody.density is Density.dense and nxt is not None and abs(nxt - p) in (3, 4):
            step = 1 if nxt > p else -1
            passing = next((x for x in range(p + step, nxt, step) if x % 12 in scale), None)
            if passing is not None:
                beats.append([(p, q / 2), (passing, q / 2)])
                continue
        beats.append([(p, q)])
    if plan.melody.density is not Density.dense:
        for t in range(len(beats) - 1, 0, -1):
            same = beats[t][0][0] == beats[t - 1][-1][0] and len(beats[t]) == 1 and len(beats[t - 1]) == 1
            if same and not grid.beats[t].bar_start:
                beats[t - 1] = [(beats[t - 1][0][0], beats[t - 1][0][1] + beats[t][0][1])]
                beats[t] = []
    return beats


def bar_onsets(grid: Grid, melody: list[list[tuple[int, float]]]) -> list[list[float]]:
    """Onsets of melody notes within each bar, for the rhythm-consistency measure."""
    bars: list[list[float]] = []
    for t, notes in enumerate(melody):
        if grid.beats[t].bar_start:
            bars.append([])
        offset = (t % grid.beats_per_bar) * grid.beat_quarters
        for _, length in notes:
            bars[-1].append(round(offset, 3))
            offset += length
    return bars


def to_score(plan: CompositionPlan, grid: Grid, lines: Lines) -> stream.Score:
    score = stream.Score()
    score.insert(0, metadata.Metadata(title=plan.title, composer="genontology"))
    melody = melody_rhythm(plan, grid, lines[0])
    for v, voice in enumerate(voice_parts(plan)):
        part = stream.Part(id=voice.id)
        part.insert(0, getattr(instrument, MUSIC21_INSTRUMENT[voice.instrument])())
        part.append(key.Key(T.m21_name(plan.key.tonic), plan.key.mode.value))
        part.append(meter.TimeSignature(plan.meter))
        if v == 0:
            part.append(tempo.MetronomeMark(number=plan.tempo.bpm, text=plan.tempo.marking.value))
        section = None
        dynamic_of = {s.id: s.dynamic.value for s in plan.sections}
        for t, beat in enumerate(grid.beats):
            if beat.section != section and (t == 0 or beat.bar_start):
                section = beat.section
                part.append(dynamics.Dynamic(dynamic_of[section]))
            notes = melody[t] if v == 0 else [(lines[v][t], grid.beat_quarters)]
            for pitch, length in notes:
                part.append(note.Note(pitch, quarterLength=length))
        score.insert(0, part)
    return score


def write_score(score: stream.Score, folder: Path) -> list[str]:
    """score.musicxml and score.mid, each written to a temporary file by music21, then moved atomically."""
    written = []
    for fmt, name in (("musicxml", "score.musicxml"), ("midi", "score.mid")):
        tmp = Path(score.write(fmt, fp=folder / f".{name}.tmp"))
        write_atomic(folder / name, tmp.read_bytes())
        tmp.unlink(missing_ok=True)
        written.append(name)
    return written


def draw_roll(grid: Grid, lines: Lines, path: Path, title: str = "") -> None:
    """A piano roll of the four voices with section boundaries: the score at a glance."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(min(16, 3 + len(grid.beats) * 0.12), 4))
    for line, label in zip(lines, ("soprano", "alto", "tenor", "bass"), strict=True):
        ax.step(range(len(line)), line, where="post", label=label)
    for t, beat in enumerate(grid.beats):
        if t and beat.section != grid.beats[t - 1].section:
            ax.axvline(t, color="grey", lw=0.5)
        if beat.phrase_end:
            ax.axvline(t + 1, color="grey", lw=0.3, ls=":")
    ax.set_xlabel("beat")
    ax.set_ylabel("MIDI pitch")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=7)
    try:
        write_figure(fig, path, dpi=90, bbox_inches="tight")
    finally:
        plt.close(fig)
