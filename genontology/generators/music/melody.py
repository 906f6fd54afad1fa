"""A melody that moves: the soprano written before the harmony is filled in under it (issue 26).

Left to itself, a realizer conditioned on the chord of each beat holds the soprano on one chord tone for as
long as the chord lasts; where a plan gives a chord two bars, the melody sits on one pitch for eight beats.
This writer chooses the line itself, over the beats (the state is the last two pitches), and the realizer
harmonizes it.

A line's cost is how unlikely the Bach chorales' sopranos make each of its motions after the motion before it
(-ln of a smoothed conditional share, from `soprano_motion.json`: signed semitones between consecutive beats
of the training chorales, measured by `benchmarks/music_movement.py --motion`; a scale run, a leap turned back
by step and a held note all come from there, not from rules written here), plus:
- the contour: how far the line strays from the plan's shape (arch, rise, fall, wave, level);
- a note outside the chord only as a passing or neighbour note: off the bar's first beat and a phrase's end,
  approached and left by step; a phrase ends on a tone of its last chord, the piece on the home tonic.
The line is drawn with these as its probabilities, by the seed: the likeliest line alone repeats the
commonest motion (a held note) throughout. A known limit: the context tells a note's second beat from its
third, not its third from its eighth, so where the contour sits on one tone of a chord held for bars, a drawn
line can still hold it for two bars (two seeds of five in the tests).
"""

from __future__ import annotations

import json
import math
import random
from functools import cache
from pathlib import Path

from genontology.generators.music.grid import Grid
from genontology.generators.music.rule_based import contour_target
from genontology.schemas.music import theory as T
from genontology.schemas.music.model import KeySpec
from genontology.schemas.music.vocabulary import Contour, Mode

MOTION_TABLE = Path(__file__).with_name("soprano_motion.json")
SPAN = 12  # motions are counted up to an octave either way; wider ones count as an octave
HELD = SPAN + 1  # the context of a note already held for two beats (a repeat after a repeat)
SMOOTHING = 0.5  # added to every count: a motion the chorales never make is rare, not impossible
CONTOUR_WEIGHT = 2.5  # nats for straying the whole melody range from the contour


def _clip(move: int) -> int:
    return max(-SPAN, min(SPAN, move))


def context(before_last: int | None, last: int) -> int:
    """What the next motion depends on: the last motion, or HELD when the last two were both repeats (a held
    note's third beat is rarer than its second: a first-order table alone would hold notes for bars)."""
    return HELD if before_last == 0 and last == 0 else _clip(last)


@cache
def motion_costs() -> dict[tuple[int, int], float]:
    """-ln P(motion | context), smoothed."""
    table = json.loads(MOTION_TABLE.read_text())
    moves, contexts = range(-SPAN, SPAN + 1), range(-SPAN, HELD + 1)
    counts = {(c, m): SMOOTHING for c in contexts for m in moves}
    for c, m, n in table["pairs"]:
        counts[(c, m)] += n
    costs = {}
    for c in contexts:
        total = sum(counts[(c, m)] for m in moves)
        costs.update({(c, m): -math.log(counts[(c, m)] / total) for m in moves})
    return costs


def motion_cost(before_last: int | None, last: int | None, move: int) -> float:
    """The cost of `move` semitones after the motions `before_last` and `last` (None: none yet; a line's
    first motion costs as it would after a step, the commonest motion)."""
    return motion_costs()[(context(before_last, 2 if last is None else last), _clip(move))]


@cache
def _scale(key_text: str) -> frozenset[int]:
    tonic, mode = key_text.split(" ", 1)
    return frozenset(T.scale_classes(KeySpec(tonic=tonic, mode=Mode(mode))))


def candidates(grid: Grid, t: int) -> list[tuple[int, bool]]:
    """(pitch, is a chord tone) for beat `t` within the melody's range: the chord's tones, and off the bar's
    first beat and a phrase's end, the key's other tones (passing and neighbour notes)."""
    beat, (low, high) = grid.beats[t], grid.ranges[0]
    last = t == len(grid.beats) - 1
    strong = beat.bar_start or beat.phrase_end is not None
    scale = _scale(beat.key)
    found = []
    for p in range(low, high + 1):
        if last:
            if p % 12 == grid.tonic:
                found.append((p, True))
        elif p % 12 in beat.chord:
            found.append((p, True))
        elif not strong and p % 12 in scale:
            found.append((p, False))
    return found or [(p, True) for p in range(low, high + 1) if p % 12 in beat.chord] or [(low, True)]


State = tuple[int | None, int, bool]  # (the previous beat's pitch, this beat's, held since the beat before)


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


def write_melody(grid: Grid, contour: Contour = Contour.arch, seed: int = 0) -> list[int]:
    """The soprano, one pitch a beat, drawn from the chorales' motion model under the plan's constraints
    (forward filtering, backward sampling: a line whose motions are as likely as the chorales make them, not
    the single likeliest line, which repeats its commonest motion throughout)."""
    n = len(grid.beats)
    if n == 0:
        return []
    low, high = grid.ranges[0]
    target = contour_target(contour, n, low, high)
    steps = [candidates(grid, t) for t in range(n)]
    chord_tone = [dict(step) for step in steps]

    def place(t: int, p: int) -> float:
        return -CONTOUR_WEIGHT * abs(p - target[t]) / max(1, high - low)

    def moves(t: int, state: State) -> list[tuple[State, float]]:
        """The states beat `t` can reach from `state` at t - 1, each with its log weight."""
        prev, cur, held = state
        last = None if prev is None else cur - prev
        found = []
        for p, is_chord in steps[t]:
            move = p - cur
            if not is_chord and abs(move) > 2:
                continue  # a note outside the chord is approached by step
            if not chord_tone[t - 1][cur] and (abs(move) > 2 or move == 0):
                continue  # and left by step
            weight = place(t, p) - motion_cost(0 if held else None, last, move)
            found.append(((cur, p, last == 0), weight))
        return found

    first = [p for p, chord in steps[0] if chord] or [p for p, _ in steps[0]]
    forward: list[dict[State, float]] = [{(None, p, False): place(0, p) for p in first}]
    for t in range(1, n):
        incoming: dict[State, list[float]] = {}
        for state, alpha in forward[-1].items():
            for reached, weight in moves(t, state):
                incoming.setdefault(reached, []).append(alpha + weight)
        if not incoming:  # nothing reachable by these rules: the nearest candidate, from every state
            p = min((q for q, _ in steps[t]), key=lambda q: -place(t, q))
            for (_, cur, _), alpha in forward[-1].items():
                incoming.setdefault((cur, p, cur == p), []).append(alpha)
        forward.append({state: _logsumexp(values) for state, values in incoming.items()})
    rng = random.Random(seed)

    def draw(weighted: dict[State, float]) -> State:
        top = max(weighted.values())
        states = list(weighted)
        return rng.choices(states, [math.exp(weighted[s] - top) for s in states])[0]

    state = draw(forward[-1])
    line = [state[1]]
    for t in range(n - 1, 0, -1):
        before = {}
        for prior, alpha in forward[t - 1].items():
            for reached, weight in moves(t, prior):
                if reached == state:
                    before[prior] = alpha + weight
        state = draw(before) if before else next(s for s in forward[t - 1] if s[1] == state[0])
        line.append(state[1])
    return line[::-1]
