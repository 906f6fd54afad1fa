"""A MAP-Elites archive: a grid over behaviour descriptors, each cell keeping its fittest design.

An `Axis` names one descriptor measured in simulation and the edges that cut it into bins; a design lands in
the cell its measures fall in and stays there only while nothing fitter lands in the same cell. The archive
is plain JSON, written atomically after every change of state, so a search killed at any point resumes from
the last archive written (genontology.explore.search).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from genontology.ontology import GenontologyError
from genontology.ontology.io import write_atomic, write_figure

ARCHIVE = "archive.json"


class ArchiveError(GenontologyError):
    """An archive that cannot be read, or that another search (other axes, other themes) wrote."""


@dataclass(frozen=True)
class Axis:
    """One behaviour descriptor: `measure` reads it from a playtest (Playtest.as_dict()); `edges` cut it
    into len(edges) + 1 bins."""

    name: str
    label: str
    edges: tuple[float, ...]
    measure: Callable[[dict[str, Any]], float]

    def bin(self, value: float) -> int:
        return bisect.bisect_right(self.edges, value)

    def bin_labels(self) -> list[str]:
        edges = [f"{e:g}" for e in self.edges]
        return [f"<{edges[0]}", *(f"{a}-{b}" for a, b in itertools.pairwise(edges)), f">={edges[-1]}"]


class Elite(BaseModel):
    """A design kept in a cell: where it came from, what it measured, how fit it is."""

    cell: tuple[int, ...]
    fitness: float
    measures: dict[str, float]
    title: str
    theme: str
    origin: str = Field(description="designer (a fresh run), numbers (a knob mutation) or stage:<name>")
    parent: str | None = None  # the cell key of the elite it was varied from
    generation: int  # the generation that made it; 0: the fresh designs and the start
    folder: str | None = None  # the run's checkpoint folder, relative to the archive: a stage can vary it
    passed: bool = True
    design: dict[str, Any]


class Archive(BaseModel):
    version: int = 1
    axes: list[str]
    themes: list[str]
    start: list[str] = Field(default_factory=list)  # ids of the designs the search started from
    seed: int
    seeded: bool = False  # the fresh designs have been run and judged
    generation: int = 0  # generations of variation finished
    evaluations: int = 0  # candidates judged in simulation
    rejected: int = 0  # candidates the validator refused, or that failed the playable gate
    elites: dict[str, Elite] = Field(default_factory=dict)
    history: list[dict[str, Any]] = Field(default_factory=list)

    @staticmethod
    def key(cell: Sequence[int]) -> str:
        return ",".join(map(str, cell))

    def insert(self, elite: Elite) -> bool:
        """Keep `elite` if its cell is empty or holds a less fit design; True when kept."""
        key = self.key(elite.cell)
        held = self.elites.get(key)
        if held is not None and held.fitness >= elite.fitness:
            return False
        self.elites[key] = elite
        return True

    @property
    def qd_score(self) -> float:
        """The sum of the elites' fitness: the field's one number for coverage and quality together."""
        return round(sum(e.fitness for e in self.elites.values()), 4)

    def ranked(self) -> list[tuple[str, Elite]]:
        return sorted(self.elites.items(), key=lambda item: -item[1].fitness)

    def record(self, **numbers: Any) -> None:
        self.history.append(
            {"generation": self.generation, "filled": len(self.elites), "qd_score": self.qd_score, **numbers}
        )

    def save(self, folder: str | Path) -> Path:
        path = Path(folder) / ARCHIVE
        write_atomic(path, self.model_dump_json(indent=1))
        return path

    @classmethod
    def load(cls, path: str | Path) -> Archive:
        """An archive from its file, or from the folder holding it."""
        path = Path(path)
        if path.is_dir():
            path = path / ARCHIVE
        try:
            return cls.model_validate_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ArchiveError(f"{path}: no archive there") from None
        except (ValidationError, ValueError, OSError) as exc:
            raise ArchiveError(f"{path}: not a readable archive ({str(exc)[:200]})") from None


def plot_archive(archive: Archive, axes: Sequence[Axis], path: str | Path) -> Path:
    """The archive as a heat map over its first two axes (each elite's fitness; blank: an empty cell),
    written atomically; the format comes from the suffix (png, svg, pdf)."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on servers and CI
    import matplotlib.pyplot as plt
    import numpy as np

    x_axis, y_axis = axes[0], axes[1] if len(axes) > 1 else None
    rows = len(y_axis.edges) + 1 if y_axis else 1
    grid = np.full((rows, len(x_axis.edges) + 1), np.nan)
    for elite in archive.elites.values():
        row = elite.cell[1] if y_axis else 0
        held = grid[row, elite.cell[0]]  # with a third axis, the fittest of the cells drawn as one
        grid[row, elite.cell[0]] = elite.fitness if np.isnan(held) else max(held, elite.fitness)
    fig, ax = plt.subplots(figsize=(1.2 * grid.shape[1] + 3, 0.9 * rows + 2), layout="constrained")
    image = ax.imshow(grid, origin="lower", cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for (row, col), value in np.ndenumerate(grid):
        if not np.isnan(value):
            ax.text(col, row, f"{value:.2f}", ha="center", va="center", color="white", fontsize=8)
    ax.set_xticks(range(grid.shape[1]), x_axis.bin_labels())
    ax.set_xlabel(x_axis.label)
    if y_axis:
        ax.set_yticks(range(rows), y_axis.bin_labels())
        ax.set_ylabel(y_axis.label)
    else:
        ax.set_yticks([])
    ax.set_title(
        f"{len(archive.elites)} elite(s) of {grid.size} cells, QD score {archive.qd_score:.2f} "
        f"({archive.evaluations} designs judged)"
    )
    fig.colorbar(image, ax=ax, label="fitness")
    try:
        return write_figure(fig, path, dpi=110)
    finally:
        plt.close(fig)
