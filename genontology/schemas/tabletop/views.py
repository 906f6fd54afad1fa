"""How a tabletop design is seen by retrieval: the text it is embedded from and its facets."""

from __future__ import annotations

from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.taxonomy import MECHANISM_CATEGORY, Interaction, MechanismType


def exemplar_text(design: GameDesign) -> str:
    """Theme, mechanisms and core loop: what a designer looks for in a precedent."""
    mechanisms = "; ".join(
        f"{m.type.value.replace('_', ' ')} ({m.name}): {m.description}" for m in design.mechanisms
    )
    return (
        f"{design.title}. {design.tagline} Theme: {design.theme} Mechanisms: {mechanisms} "
        f"Core loop: {design.core_loop} A {design.players.interaction.value.replace('_', ' ')} "
        f"{design.genre.value} game for {design.players.min}-{design.players.max} players."
    )


def precedent(design: GameDesign) -> str:
    """A precedent as a stage reads it: its mechanisms and its core loop, not its title."""
    return f"[{', '.join(m.type.value for m in design.mechanisms)}] {design.core_loop}"


def exemplar_facets(design: GameDesign) -> dict[str, str | int | float | bool]:
    """Flat metadata for Chroma's filters: one boolean per mechanism type and category present."""
    types = sorted({m.type.value for m in design.mechanisms})
    facets: dict[str, str | int | float | bool] = {
        "title": design.title,
        "mechanisms": ",".join(types),
        "players_min": design.players.min,
        "players_max": design.players.max,
        "interaction": design.players.interaction.value,
        "complexity": design.complexity.value,
        "genre": design.genre.value,
    }
    facets[f"interaction_{design.players.interaction.value}"] = True
    facets.update({f"mech_{t}": True for t in types})
    facets.update({f"cat_{MECHANISM_CATEGORY[m.type].value}": True for m in design.mechanisms})
    return facets


def facet_vocabulary() -> dict[str, str]:
    """Each boolean facet with the phrase a designer would use for it (from the taxonomy's descriptions)."""
    vocabulary = {
        f"mech_{m.value}": f"{m.value.replace('_', ' ')}: {MechanismType.descriptions[m.value]}"  # type: ignore[attr-defined]
        for m in MechanismType
    }
    vocabulary.update(
        {
            f"interaction_{i.value}": f"{i.value.replace('_', ' ')} game: {Interaction.descriptions[i.value]}"  # type: ignore[attr-defined]
            for i in Interaction
        }
    )
    return vocabulary
