"""Statistics the harness reports: the intraclass correlation of repeated judge scorings, and summaries."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Reliability:
    """ICC(2,1) with its confidence interval; `low` and `high` are None where the interval is undefined."""

    icc: float
    low: float | None
    high: float | None
    subjects: int
    ratings: int

    def __str__(self) -> str:
        if self.low is None or self.high is None:
            return f"{self.icc:.2f}"
        return f"{self.icc:.2f} [{self.low:.2f}, {self.high:.2f}]"


def icc2_1(ratings: Sequence[Sequence[float]]) -> float | None:
    """ICC(2,1) of Shrout and Fleiss (1979): two-way random effects, absolute agreement, one rating.

    `ratings[i][j]` is scoring j of subject i (here: repeat j of the judge on design i). None when it is
    undefined: fewer than two subjects or two scorings, or no variance at all.
    """
    found = icc2_1_interval(ratings)
    return None if found is None else found.icc


def icc2_1_interval(ratings: Sequence[Sequence[float]], confidence: float = 0.95) -> Reliability | None:
    """ICC(2,1) and its confidence interval by McGraw and Wong (1996, case 2A: F bounds with Satterthwaite's
    degrees of freedom), the interval R's psych::ICC reports. Five designs make a wide one: report it."""
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return None
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    msr, msc = ss_rows / (n - 1), ss_cols / (k - 1)
    mse = ss_error / ((n - 1) * (k - 1))
    denominator = msr + (k - 1) * mse + k * (msc - mse) / n
    if denominator <= 0:
        return None
    icc = float((msr - mse) / denominator)
    low = high = None
    if mse > 0 and icc < 1:
        from scipy.stats import f

        a = k * icc / (n * (1 - icc))
        b = 1 + k * icc * (n - 1) / (n * (1 - icc))
        dof = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)))
        tail = 1 - (1 - confidence) / 2
        f_low, f_high = f.ppf(tail, n - 1, dof), f.ppf(tail, dof, n - 1)
        spread = k * msc + (k * n - k - n) * mse
        low = float(n * (msr - f_low * mse) / (f_low * spread + n * msr))
        high = float(n * (f_high * msr - mse) / (spread + n * f_high * msr))
    return Reliability(icc, low, high, n, k)


def mean_sd(values: Sequence[float]) -> tuple[float, float] | None:
    """Mean and sample standard deviation (0 for one value); None for no values."""
    if not values:
        return None
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0
