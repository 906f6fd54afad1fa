"""Musical characters and their conventions, as data: what makes a march a march and a lullaby a lullaby.

A character binds the settings a piece of its kind takes: meters, tempo markings (and so a span of beats a
minute), modes, forms, harmonic rhythm (chords a bar), melodic density, textures and dynamics. The stages
of a plan are narrowed by it, so that a march cannot be given 12/8 largo, and the `character.convention` rule
reads a plan against it. The values are the textbook conventions of each genre (for example, Grove Music
Online's entries on the march, lullaby, waltz, hymn, lament, barcarolle and jig; Kostka & Payne, *Tonal
Harmony*, on harmonic rhythm); the chorale's and folk song's harmonic rhythm is the shipped corpus's own,
measured by `corpus_harmonic_rhythm` (a test holds the two together).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from genontology.schemas.music.vocabulary import TEMPO_BPM, Density, Dynamic, Mode, TempoMarking, Texture

if TYPE_CHECKING:  # the plan names its character: the model imports this module
    from genontology.schemas.music.model import CompositionPlan


class Character(StrEnum):
    """What kind of piece it is."""

    march = "march"
    lullaby = "lullaby"
    waltz = "waltz"
    hymn = "hymn"
    lament = "lament"
    dance = "dance"
    fanfare = "fanfare"
    chase = "chase"
    nocturne = "nocturne"
    chorale = "chorale"
    folk_song = "folk_song"
    pastorale = "pastorale"
    barcarolle = "barcarolle"
    jig = "jig"


@dataclass(frozen=True)
class Conventions:
    """A character's settings. `chords_per_bar` is the span of harmonic rhythm a phrase keeps to."""

    meters: tuple[str, ...]
    tempi: tuple[TempoMarking, ...]
    modes: tuple[Mode, ...]
    forms: tuple[tuple[str, ...], ...]  # section orders, e.g. ("A", "B", "A")
    chords_per_bar: tuple[float, float]
    density: tuple[Density, ...]
    textures: tuple[Texture, ...]
    dynamics: tuple[Dynamic, ...]
    said: tuple[str, ...]  # how a theme says it, for reading it by meaning (`agents/reading.py`)

    @property
    def bpm(self) -> tuple[int, int]:
        """The beats a minute its tempo markings span."""
        spans = [TEMPO_BPM[t] for t in self.tempi]
        return min(lo for lo, _ in spans), max(hi for _, hi in spans)

    def describe(self) -> str:
        """The conventions in a line, for a stage's brief."""
        forms = ", ".join(" ".join(f) for f in self.forms)
        low, high = self.chords_per_bar
        return (
            f"meter {' or '.join(self.meters)}; {' or '.join(self.tempi)} ({self.bpm[0]}-{self.bpm[1]} BPM); "
            f"{' or '.join(self.modes)}; forms {forms}; {low:g}-{high:g} chords a bar; "
            f"{' or '.join(self.dynamics)}"
        )


T, D, M = TempoMarking, Dynamic, Mode
HOMOPHONIC = (Texture.chorale, Texture.melody_and_accompaniment)
ABA, AABA, AB, AABB = ("A", "B", "A"), ("A", "A", "B", "A"), ("A", "B"), ("A", "A", "B", "B")

CONVENTIONS: dict[Character, Conventions] = {
    Character.march: Conventions(
        ("2/4", "4/4", "2/2", "6/8"),
        (T.moderato, T.allegretto, T.allegro),
        (M.major, M.minor),
        (ABA, AABA, AB),
        (1, 2),
        (Density.moderate, Density.dense),
        HOMOPHONIC,
        (D.mf, D.f, D.ff),
        ("march", "marching", "soldiers on parade", "a military band", "a procession"),
    ),
    Character.lullaby: Conventions(
        ("6/8", "3/4", "12/8", "9/8"),
        (T.adagio, T.andante),
        (M.major, M.minor, M.dorian),
        (AABA, ABA, AB),
        (0.5, 1),
        (Density.sparse, Density.moderate),
        HOMOPHONIC,
        (D.pp, D.p, D.mp),
        ("lullaby", "cradle song", "rocking a baby to sleep", "falling asleep", "bedtime"),
    ),
    Character.waltz: Conventions(
        ("3/4",),
        (T.moderato, T.allegretto, T.allegro),
        (M.major, M.minor),
        (ABA, AABB, AABA),
        (1, 1),
        (Density.moderate,),
        (Texture.melody_and_accompaniment,),
        (D.mp, D.mf, D.f),
        ("waltz", "a ballroom", "couples twirling", "a dance in three"),
    ),
    Character.hymn: Conventions(
        ("4/4", "3/4", "2/2", "3/2"),
        (T.adagio, T.andante, T.moderato),
        (M.major, M.minor, M.mixolydian),
        (AB, AABA, ABA),
        (2, 4),
        (Density.sparse, Density.moderate),
        (Texture.chorale,),
        (D.mp, D.mf, D.f),
        ("hymn", "a congregation singing", "praise", "a prayer", "a church"),
    ),
    Character.lament: Conventions(
        ("3/4", "4/4", "3/2"),
        (T.largo, T.adagio),
        (M.minor, M.dorian, M.phrygian),
        (AABA, ABA, AB),
        (1, 2),
        (Density.sparse, Density.moderate),
        HOMOPHONIC,
        (D.pp, D.p, D.mp),
        ("lament", "mourning", "grief", "a funeral", "weeping for the dead", "an elegy"),
    ),
    Character.dance: Conventions(
        ("2/4", "3/4", "4/4", "6/8"),
        (T.allegretto, T.allegro, T.vivace),
        (M.major, M.minor, M.dorian, M.mixolydian),
        (AABB, ABA),
        (1, 2),
        (Density.moderate, Density.dense),
        HOMOPHONIC,
        (D.mf, D.f),
        ("dance", "dancing", "a festival", "children at play", "a celebration"),
    ),
    Character.fanfare: Conventions(
        ("4/4", "2/4", "2/2"),
        (T.moderato, T.allegro),
        (M.major, M.mixolydian),
        (AB, ABA),
        (1, 2),
        (Density.moderate, Density.dense),
        (Texture.chorale, Texture.unison),
        (D.f, D.ff),
        ("fanfare", "trumpets", "a royal entrance", "heralds", "a coronation", "a triumph"),
    ),
    Character.chase: Conventions(
        ("2/4", "6/8", "4/4"),
        (T.allegro, T.vivace, T.presto),
        (M.minor, M.dorian, M.major),
        (ABA, AB),
        (1, 2),
        (Density.dense,),
        (Texture.melody_and_accompaniment, Texture.polyphonic),
        (D.mf, D.f),
        ("chase", "a pursuit", "running away", "escape", "hunting"),
    ),
    Character.nocturne: Conventions(
        ("4/4", "3/4", "6/8", "12/8"),
        (T.largo, T.adagio, T.andante),
        (M.major, M.minor),
        (ABA,),
        (0.5, 2),
        (Density.sparse, Density.moderate),
        (Texture.melody_and_accompaniment,),
        (D.pp, D.p, D.mp),
        ("nocturne", "a night serenade", "moonlight", "a starry sky", "dreaming under the stars"),
    ),
    Character.chorale: Conventions(
        ("4/4", "3/4"),
        (T.adagio, T.andante, T.moderato),
        (M.major, M.minor, M.dorian, M.mixolydian),
        (AB, ("A", "A", "B")),
        (2, 4),
        (Density.moderate,),
        (Texture.chorale,),
        (D.mp, D.mf, D.f),
        ("chorale", "a choir", "four voices", "a cantata"),
    ),
    Character.folk_song: Conventions(
        ("2/4", "3/4", "4/4", "6/8"),
        (T.andante, T.moderato, T.allegretto),
        (M.major, M.minor, M.dorian, M.mixolydian),
        (AABA, AB, AABB),
        (1, 1.5),
        (Density.moderate,),
        (Texture.melody_and_accompaniment, Texture.unison),
        (D.mp, D.mf),
        ("folk song", "a village", "a ballad", "shepherds", "a tavern song", "the countryside"),
    ),
    Character.pastorale: Conventions(
        ("6/8", "12/8", "9/8"),
        (T.andante, T.moderato, T.allegretto),
        (M.major, M.mixolydian),
        (ABA, AB),
        (0.5, 1),
        (Density.sparse, Density.moderate),
        HOMOPHONIC,
        (D.p, D.mp, D.mf),
        ("pastorale", "meadows", "a shepherd's pipe", "grazing sheep", "a quiet field"),
    ),
    Character.barcarolle: Conventions(
        ("6/8", "12/8"),
        (T.andante, T.moderato),
        (M.major, M.minor),
        (ABA,),
        (1, 1),
        (Density.moderate,),
        (Texture.melody_and_accompaniment,),
        (D.p, D.mp, D.mf),
        ("barcarolle", "a boat song", "gondolas", "rowing on the water", "a river journey"),
    ),
    Character.jig: Conventions(
        ("6/8", "9/8", "12/8"),
        (T.allegro, T.vivace),
        (M.major, M.dorian, M.mixolydian),
        (AABB,),
        (1, 2),
        (Density.dense,),
        (Texture.melody_and_accompaniment, Texture.unison),
        (D.mf, D.f),
        ("jig", "a reel", "fiddlers", "a lively step dance", "a ceilidh"),
    ),
}


def harmonic_rhythm(plan: CompositionPlan) -> list[float]:
    """Chords a bar of each phrase of a plan."""
    return [len(phrase.harmony) / phrase.bars for section in plan.sections for phrase in section.phrases]


def corpus_harmonic_rhythm(plans: Iterable[CompositionPlan]) -> tuple[float, float]:
    """The span of chords a bar that the middle 80% of the plans' phrases keep to (10th to 90th percentile):
    what a character measured on the corpus allows."""
    rates = sorted(rate for plan in plans for rate in harmonic_rhythm(plan))
    return rates[len(rates) // 10], rates[9 * len(rates) // 10]
