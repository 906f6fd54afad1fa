"""Structural rules of the tabletop domain, grouped by what they look at. Importing registers them all."""

from genontology.schemas.tabletop.rules import (
    cards,
    flow,
    mechanisms,
    players,
    prose,
    quantities,
    references,
    scoring,
)
from genontology.schemas.tabletop.rules.base import RULES

__all__ = ["RULES", "cards", "flow", "mechanisms", "players", "prose", "quantities", "references", "scoring"]
