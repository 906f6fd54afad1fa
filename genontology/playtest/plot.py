"""One figure per playtest: win rate per seat, the length distribution and each action's share of play."""

from __future__ import annotations

from pathlib import Path

from genontology.ontology.errors import GenontologyError
from genontology.ontology.io import write_figure
from genontology.playtest.playout import Report

TOP_ACTIONS = 10
FORMATS = ("png", "svg", "pdf")


class PlotError(GenontologyError, ValueError):
    """A figure path whose format we cannot write."""


def plot_format(path: str | Path) -> str:
    """The figure format from the path's suffix; a PlotError before any work when it is not one we write."""
    suffix = Path(path).suffix.lstrip(".").lower()
    if suffix not in FORMATS:
        raise PlotError(f"{path}: a figure must end in {', '.join('.' + f for f in FORMATS)}")
    return suffix


def plot_report(report: Report, title: str, path: str | Path) -> Path:
    """Write the figure to `path` (PNG, SVG or PDF by suffix), atomically; returns the path."""
    plot_format(path)
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on servers and CI
    import matplotlib.pyplot as plt

    fig, (seats, lengths, actions) = plt.subplots(1, 3, figsize=(14, 4), layout="constrained")
    fig.suptitle(f"{title}: {report.games} playouts, {report.completion:.0%} finished")
    seats.bar([f"seat {i + 1}" for i in range(report.players)], report.seat_wins, color="tab:blue")
    seats.axhline(1 / report.players, color="grey", linestyle="--", label="fair share")
    seats.set(title="Win rate per seat (random players)", ylim=(0, 1))
    seats.legend()
    lengths.hist(report.lengths or [0], bins=20, color="tab:green")
    lengths.set(title="Length of finished games", xlabel="turns", ylabel="playouts")
    shown = list(report.action_share.items())[:TOP_ACTIONS][::-1]
    actions.barh([a for a, _ in shown], [s for _, s in shown], color="tab:orange")
    actions.set(title="Share of moves per action", xlim=(0, 1))
    try:
        return write_figure(fig, path, dpi=110)
    finally:
        plt.close(fig)
