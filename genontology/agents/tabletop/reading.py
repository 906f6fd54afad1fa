"""How the theme's own words say the players relate, read before any stage when the user did not say.

"Rival merchants", "fungi competing", "firefighters saving a city together": a theme often states its
interaction, and a design that answers a theme about competing with a cooperative game has not read it. The
reading is a zero-shot classification by meaning, not a list of keywords: every word and phrase of the theme
(one to three words) is embedded with the shipped sentence model and compared with short descriptions of each
relation; the closest relation is read if it is close enough, otherwise the theme does not say.

Why not the language model: asked the same question with a Literal answer (the issue's suggestion), the 135M
embedded model read 1 of 25 themes right and none of the 6 that state their interaction; in a few-shot chat
with three labels, 5 of 14. `benchmarks/interaction_reading.py` measures this reading on held-out themes.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from genontology.schemas.tabletop.taxonomy import Interaction

# Each relation in a few words, as a theme might say it. Both say "each other": the phrase alone is evidence
# of neither, only the verb with it is.
RELATIONS: dict[Interaction, tuple[str, ...]] = {
    Interaction.competitive: (
        "competing",
        "rivals",
        "racing to win",
        "dueling",
        "at war",
        "fighting against each other",
        "outbidding",
        "betraying",
        "vying for",
    ),
    Interaction.cooperative: (
        "together",
        "cooperating",
        "as one team",
        "united",
        "allies",
        "side by side",
        "helping each other",
        "joining forces",
    ),
}
CLOSE_ENOUGH = 0.55  # cosine similarity at which a phrase of the theme says a relation
MARGIN = 0.1  # and by how much more than it says the other: a phrase close to both says neither


@cache
def _relations() -> tuple[list[Interaction], np.ndarray]:
    from genontology.retrieval.embeddings import embed

    kinds = [kind for kind, phrases in RELATIONS.items() for _ in phrases]
    return kinds, np.array(embed([phrase for phrases in RELATIONS.values() for phrase in phrases]))


# English function words: a phrase made only of them ("each other", "in a") says nothing by itself.
FUNCTION_WORDS = frozenset(
    "a an the in on at of for to with by from into onto over under through across after before during "  # noqa: SIM905
    "and or but as is are be each other one another their his her its them they who that this".split()
)


def phrases(theme: str) -> list[str]:
    """The theme's words and runs of two and three words, each with at least one content word."""
    tokens = re.findall(r"[a-z']+", theme.lower())
    runs = (tokens[i : i + n] for n in (1, 2, 3) for i in range(len(tokens) - n + 1))
    return [" ".join(run) for run in runs if not FUNCTION_WORDS.issuperset(run)]


def read_interaction(theme: str) -> tuple[Interaction | None, str, float]:
    """The relation the theme states, the phrase that states it and how closely (cosine similarity); None
    for the relation when no phrase of the theme is close enough to one relation and clearly closer to it
    than to the other."""
    from genontology.retrieval.embeddings import embed

    said = phrases(theme)
    if not said:
        return None, "", 0.0
    kinds, described = _relations()
    similarity = np.array(embed(said)) @ described.T  # embeddings are unit length: dot product is cosine
    relations = list(RELATIONS)
    closest = np.stack([similarity[:, [k == r for k in kinds]].max(axis=1) for r in relations], axis=1)
    margin = closest - closest[:, ::-1]  # two relations: each against the other
    evidence = np.where((closest >= CLOSE_ENOUGH) & (margin >= MARGIN), closest, 0.0)
    phrase, relation = np.unravel_index(int(evidence.argmax()), evidence.shape)
    if evidence[phrase, relation] == 0.0:
        phrase = int(closest.max(axis=1).argmax())
        return None, said[phrase], round(float(closest[phrase].max()), 3)
    return relations[relation], said[phrase], round(float(closest[phrase, relation]), 3)
