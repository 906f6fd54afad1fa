"""Objective measures of a realization against its plan: chord tones, voice leading, ranges, cadences,
rhythm. The same measures for every realizer, so the trained model, the rule-based one and random notes
can be compared."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from genontology.generators.music.grid import Grid, Lines
from genontology.schemas.music.vocabulary import Cadence

PERFECT = (0, 7)  # interval classes of the unison/octave and the fifth


def parallel(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Two voices moving from (a0, b0) to (a1, b1) in consecutive perfect consonances of one kind: fifths
    (compound ones too), octaves, unisons, or a unison and an octave in either order, as the textbooks
    forbid them all. The one definition that every realizer avoids and every measure counts."""
    if a0 == a1 or b0 == b1:
        return False  # a voice that holds its note makes no parallel
    before, after = abs(a0 - b0) % 12, abs(a1 - b1) % 12  # the interval between the voices, either on top
    return before in PERFECT and before == after


def _parallels(lines: Lines) -> int:
    return sum(
        parallel(lines[a][t], lines[a][t + 1], lines[b][t], lines[b][t + 1])
        for a, b in combinations(range(len(lines)), 2)
        for t in range(len(lines[0]) - 1)
    )


def _crossings(lines: Lines) -> int:
    return sum(
        1 for t in range(len(lines[0])) for v in range(len(lines) - 1) if lines[v][t] < lines[v + 1][t]
    )


def _cadence_realized(grid: Grid, lines: Lines, t: int, cadence: Cadence) -> bool:
    """The bass moves as the cadence says and the soprano ends on a tone of the final chord."""
    bass, soprano = lines[-1], lines[0]
    end = grid.beats[t]
    if soprano[t] % 12 not in end.chord or bass[t] % 12 != end.bass:
        return False
    if cadence is Cadence.half or t == 0:
        return True
    before = grid.beats[t - 1]
    return bass[t - 1] % 12 == before.bass


def measure(grid: Grid, lines: Lines, melody_onsets: list[list[float]] | None = None) -> dict[str, float]:
    """Per-piece measures; counts are per 100 beats so pieces of different lengths compare."""
    n = len(grid.beats)
    per100 = 100.0 / max(1, n)
    chord_tones = sum(1 for t, b in enumerate(grid.beats) if lines[0][t] % 12 in b.chord) / max(1, n)
    all_chord_tones = sum(
        1 for t, b in enumerate(grid.beats) for line in lines if line[t] % 12 in b.chord
    ) / max(1, n * len(lines))
    out_of_range = sum(
        1 for v, line in enumerate(lines) for p in line if not grid.ranges[v][0] <= p <= grid.ranges[v][1]
    )
    ends = [(t, b.phrase_end) for t, b in enumerate(grid.beats) if b.phrase_end is not None]
    cadences = sum(_cadence_realized(grid, lines, t, c) for t, c in ends if c) / max(1, len(ends))
    rhythm = 1.0
    if melody_onsets:  # share of bars whose melody rhythm is one of the piece's two commonest patterns
        patterns = Counter(tuple(bar) for bar in melody_onsets)
        common = sum(count for _, count in patterns.most_common(2))
        rhythm = common / max(1, len(melody_onsets))
    return {
        "melody_chord_tones": round(chord_tones, 4),
        "chord_tones_all_voices": round(all_chord_tones, 4),
        "parallels_per_100": round(_parallels(lines) * per100, 3),
        "crossings_per_100": round(_crossings(lines) * per100, 3),
        "range_violations_per_100": round(out_of_range * per100, 3),
        "cadences_realized": round(cadences, 4),
        "rhythm_consistency": round(rhythm, 4),
    }
