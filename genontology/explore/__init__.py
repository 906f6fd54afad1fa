"""Quality-diversity search over designs: a MAP-Elites archive (archive.py) filled by the Designer, by
variations of its elites and by simulation (search.py)."""

from genontology.explore.archive import Archive, ArchiveError, Axis, Elite, plot_archive
from genontology.explore.search import AXES, DEFAULT_AXES, explore, fitness

__all__ = [
    "AXES",
    "DEFAULT_AXES",
    "Archive",
    "ArchiveError",
    "Axis",
    "Elite",
    "explore",
    "fitness",
    "plot_archive",
]
