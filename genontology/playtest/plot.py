"""One figure per playtest: win rate per seat, the length distribution, each action's share of play and the
skill ladder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from genontology.ontology.errors import GenontologyError
from genontology.ontology.io import write_figure
from genontology.playtest.gate import SKILL_FLOOR, turn_bounds
from genontology.playtest.stats import rate

if TYPE_CHECKING:
    from genontology.playtest.evaluate import Playtest

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


def plot_report(result: Playtest, minutes: int, path: str | Path) -> Path:
    """Write the figure to `path` (PNG, SVG or PDF by suffix), atomically; returns the path. Panels: each
    seat's win share with its 95% interval; the length of finished games against the turns the stated play
    time allows; each action's share of play; and, when the design was judged, the skill ladder."""
    plot_format(path)
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on servers and CI
    import matplotlib.pyplot as plt

    report, gate = result.report, result.gate
    panels = 4 if gate and gate.ladder else 3
    fig, axes = plt.subplots(1, panels, figsize=(4.6 * panels, 4), layout="constrained")
    seats, lengths, actions = axes[:3]
    fig.suptitle(f"{result.title}: {report.games} playouts, {report.completion:.0%} finished")
    wins = [rate(share * report.games, report.games) for share in report.seat_wins]
    seats.bar(
        [f"seat {i + 1}" for i in range(report.players)],
        [w.value for w in wins],
        yerr=[[w.value - w.low for w in wins], [w.high - w.value for w in wins]],
        color="tab:blue",
        capsize=4,
    )
    seats.axhline(1 / report.players, color="grey", linestyle="--", label="fair share")
    seats.set(title="Win rate per seat (random players, 95% interval)", ylim=(0, 1))
    seats.legend()
    lengths.hist(report.lengths or [0], bins=20, color="tab:green")
    low, high = turn_bounds(minutes, report.players)
    lengths.axvspan(low, high, color="grey", alpha=0.15, label=f"fits {minutes} min")
    lengths.set(title="Length of finished games", xlabel="turns", ylabel="playouts")
    lengths.legend()
    shown = list(report.action_share.items())[:TOP_ACTIONS][::-1]
    actions.barh([a for a, _ in shown], [s for _, s in shown], color="tab:orange")
    actions.set(title="Share of moves per action", xlim=(0, 1))
    if panels == 4 and gate:
        ladder = axes[3]
        rungs = [r.estimate for r in gate.ladder]
        ladder.errorbar(
            [f"{r.strong}\nover {r.weak}" for r in gate.ladder],
            [e.value for e in rungs],
            yerr=[[e.value - e.low for e in rungs], [e.high - e.value for e in rungs]],
            fmt="o",
            capsize=4,
        )
        ladder.axhline(SKILL_FLOOR, color="grey", linestyle="--", label="skill threshold")
        ladder.set(title="Skill ladder: the stronger agent's advantage")
        ladder.tick_params(axis="x", labelsize=7)
        ladder.legend()
    try:
        return write_figure(fig, path, dpi=110)
    finally:
        plt.close(fig)
