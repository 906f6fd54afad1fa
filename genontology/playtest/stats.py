"""Estimates with confidence intervals, and when a sample is large enough to decide.

The gate decides each check from a sample of games; a rate gets a Wilson score interval (it stays inside
[0, 1] and behaves at rates near 0 or 1, where a normal interval does not), a mean a normal interval. A check
is decided when its interval lies wholly on one side of the threshold: then more games would not change the
verdict at this confidence, and sequential sampling stops.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

Z = 1.96  # a 95% interval


@dataclass(frozen=True)
class Estimate:
    """A measured value, its interval and the number of games behind it."""

    value: float
    low: float
    high: float
    games: int

    def clears(self, threshold: float) -> bool:
        """Whether the interval lies wholly above or wholly below `threshold`."""
        return self.low > threshold or self.high < threshold

    def text(self, digits: int = 2) -> str:
        v, lo, hi = (f"{x:.{digits}f}" for x in (self.value, self.low, self.high))
        return f"{v} [{lo}, {hi}] in {self.games} games"


def rate(successes: float, games: int, z: float = Z) -> Estimate:
    """A proportion (fractional successes count: a tie's share of a win) with its Wilson score interval."""
    if games <= 0:
        return Estimate(0.0, 0.0, 1.0, 0)
    p = successes / games
    centre = (p + z * z / (2 * games)) / (1 + z * z / games)
    half = z * math.sqrt(p * (1 - p) / games + z * z / (4 * games * games)) / (1 + z * z / games)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), games)


def mean(values: Sequence[float], z: float = Z) -> Estimate:
    """A mean with its normal interval (a single value, or none, has an unbounded one)."""
    if not values:
        return Estimate(0.0, -math.inf, math.inf, 0)
    m = statistics.fmean(values)
    if len(values) < 2:
        return Estimate(m, -math.inf, math.inf, len(values))
    half = z * statistics.stdev(values) / math.sqrt(len(values))
    return Estimate(m, m - half, m + half, len(values))


def shifted(estimate: Estimate, by: float) -> Estimate:
    """The same estimate less `by` (a win rate less its fair share)."""
    return Estimate(estimate.value - by, estimate.low - by, estimate.high - by, estimate.games)
