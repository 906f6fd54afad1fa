"""Music-theory rules over a composition plan, grouped by what they look at. Importing registers them all.
Theory (numerals, keys, cadences, pitch order) is music21's."""

from genontology.schemas.music.rules import character, form, harmony, text, voicing
from genontology.schemas.music.rules.base import RULES

__all__ = ["RULES", "character", "form", "harmony", "text", "voicing"]
