"""The rule-based realizer (the baseline and the fallback): textbook four-part voicing by beam search.

Each beat's candidates are the voicings of its chord within the four ranges (bass on the chord's bass note,
voices in order and close enough, root and third present); a beam keeps the cheapest paths, where moving
costs, parallel fifths and octaves cost more, and the soprano is drawn toward the plan's melodic contour.
"""

from __future__ import annotations

import math
import random
from itertools import product

from genontology.generators.music.grid import Grid, Lines
from genontology.generators.music.metrics import parallel
from genontology.schemas.music.vocabulary import Contour

Voicing = tuple[int, int, int, int]


def _tones(pcs: frozenset[int], low: int, high: int) -> list[int]:
    return [p for p in range(low, high + 1) if p % 12 in pcs]


def voicings(grid: Grid, t: int) -> list[Voicing]:
    beat = grid.beats[t]
    (s_lo, s_hi), (a_lo, a_hi), (t_lo, t_hi), (b_lo, b_hi) = grid.ranges
    basses = _tones(frozenset({beat.bass}), b_lo, b_hi)
    found = []
    for s, a, te, b in product(
        _tones(beat.chord, s_lo, s_hi), _tones(beat.chord, a_lo, a_hi), _tones(beat.chord, t_lo, t_hi), basses
    ):
        if not (s >= a >= te >= b and s - a <= 12 and a - te <= 12):
            continue
        if len({s % 12, a % 12, te % 12, b % 12}) < min(3, len(beat.chord)):
            continue
        found.append((s, a, te, b))
    if not found:  # ranges too narrow for a full chord: nearest chord tones, order not enforced
        found = [
            tuple(
                min(_tones(beat.chord, lo, hi) or [lo], key=lambda p: abs(p - (lo + hi) // 2))
                for lo, hi in grid.ranges
            )
        ]  # type: ignore[misc]
    return found


def contour_target(contour: Contour, n: int, low: int, high: int) -> list[float]:
    """Where the melody should lie at each beat: an arch, a rise, a fall, a wave or a level line."""
    span, out = high - low, []
    for t in range(n):
        x = t / max(1, n - 1)
        shape = {
            Contour.arch: math.sin(math.pi * x),
            Contour.ascending: x,
            Contour.descending: 1 - x,
            Contour.wave: 0.5 + 0.5 * math.sin(4 * math.pi * x),
            Contour.level: 0.5,
        }[contour]
        out.append(low + span * (0.2 + 0.6 * shape))
    return out


def _transition(prev: Voicing, cur: Voicing) -> float:
    """The voice-leading cost of one move: motion, parallels (20 each, more than any motion here), leaps."""
    cost = sum(abs(x - y) for x, y in zip(prev, cur, strict=True)) * 0.5
    for i in range(4):
        for j in range(i + 1, 4):
            if parallel(prev[i], cur[i], prev[j], cur[j]):
                cost += 20
    for i in (1, 2):
        if abs(prev[i] - cur[i]) > 7:
            cost += 6
    return cost


def realize_rules(grid: Grid, contour: Contour = Contour.arch, beam: int = 12) -> Lines:
    n = len(grid.beats)
    target = contour_target(contour, n, *grid.ranges[0])
    paths: list[tuple[float, list[Voicing]]] = [(0.0, [])]
    for t in range(n):
        options = voicings(grid, t)
        scored = []
        for cost, path in paths:
            for v in options:
                step = _transition(path[-1], v) if path else 0.0
                scored.append((cost + step + 0.4 * abs(v[0] - target[t]), [*path, v]))
        scored.sort(key=lambda item: item[0])
        paths = scored[:beam]
    best = paths[0][1]
    return [[v[i] for v in best] for i in range(4)]


def realize_random(grid: Grid, seed: int = 0) -> Lines:
    """The floor: uniformly random pitches within each voice's range, chords ignored."""
    rng = random.Random(seed)
    return [[rng.randint(lo, hi) for _ in grid.beats] for lo, hi in grid.ranges]
