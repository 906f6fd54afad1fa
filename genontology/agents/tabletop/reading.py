"""How the theme's own words say the players relate, read before any stage when the user did not say.

"Rival merchants", "fungi competing", "firefighters saving a city together": a theme often states its
interaction, and a design that answers a theme about competing with a cooperative game has not read it. The
reading is `agents/reading.py`'s, by meaning with the shipped sentence model, over the phrases below.
`benchmarks/interaction_reading.py` measures it on held-out themes.
"""

from __future__ import annotations

from genontology.agents.reading import FUNCTION_WORDS, read_label
from genontology.schemas.tabletop.taxonomy import Interaction

__all__ = ["CLOSE_ENOUGH", "FUNCTION_WORDS", "MARGIN", "RELATIONS", "read_interaction"]

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


def read_interaction(theme: str) -> tuple[Interaction | None, str, float]:
    """The relation the theme states, the phrase that states it and how closely (cosine similarity); None
    for the relation when no phrase of the theme is close enough to one relation and clearly closer to it
    than to the other."""
    return read_label(theme, RELATIONS, CLOSE_ENOUGH, MARGIN)
