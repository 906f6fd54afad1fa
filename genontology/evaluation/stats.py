"""Statistics the harness reports: the intraclass correlation of repeated judge scorings, and summaries."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import numpy as np


def icc2_1(ratings: Sequence[Sequence[float]]) -> float | None:
    """ICC(2,1) of Shrout and Fleiss (1979): two-way random effects, absolute agreement, one rating.

    `ratings[i][j]` is scoring j of subject i (here: repeat j of the judge on design i). None when it is
    undefined: fewer than two subjects or two scorings, or no variance at all.
    """
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return None
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    ms_rows, ms_cols = ss_rows / (n - 1), ss_cols / (k - 1)
    ms_error = ss_error / ((n - 1) * (k - 1))
    denominator = ms_rows + (k - 1) * ms_error + k * (ms_cols - ms_error) / n
    if denominator <= 0:
        return None
    return float((ms_rows - ms_error) / denominator)


def mean_sd(values: Sequence[float]) -> tuple[float, float] | None:
    """Mean and sample standard deviation (0 for one value); None for no values."""
    if not values:
        return None
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0
