"""Names a reader can read: the model's own, when they name something of this game; otherwise a name made from
the theme's nouns and the thing's kind ("Mushroom Cards", "Gather Fungus"), at no call to the model.

The 135M model, asked for names, copies its precedents' titles ("Candy Land", "Mau-Mau"), runs words
together ("CamelMachets"), invents words ("Amarakai"), writes the mechanism's kind ("card-driven") or repeats
its first name for every thing. `fault` says which of these a name shows; `Namer` keeps every name without
one and replaces the others by the theme's nouns nearest in meaning (`retrieval/lexicon.py`), each noun used
once, so names differ by words rather than by numerals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from genontology.agents.tabletop.parts import SEGMENTS
from genontology.agents.tabletop.reading import FUNCTION_WORDS
from genontology.ontology.prose import run_together, same_name, words
from genontology.retrieval.lexicon import english, nearest, plural
from genontology.schemas.tabletop.rules.prose import META_LABELS, borrows
from genontology.schemas.tabletop.taxonomy import ComponentKind, MechanismType, ResourceKind

MAX_WORDS = 4
NUMERAL = re.compile(r"\b(?:II|III|IV|V|VI|VII|VIII|IX|X)\b")

# Words of the form and the taxonomy: a name made only of them says what kind of thing it is, not which.
_FORM_WORDS = (
    "player players game games play playing turn turns round rounds bonus reward solo roll score points "
    "shared driven making selection resource resources phase card cards piece pieces set trade based ending "
    "beginning opening closing"
)


@cache
def generic_words() -> frozenset[str]:
    kinds = [*MechanismType, *ComponentKind, *ResourceKind, *SEGMENTS, *META_LABELS]
    return frozenset(w for k in kinds for w in str(k).split("_")) | frozenset(_FORM_WORDS.split())


def fault(name: str, theme: str, max_words: int = MAX_WORDS) -> str | None:
    """Why `name` is not a name of this game, or None: words run together, a numeral, too long, words that
    are neither English nor the theme's, a published game's title, or only the words of the form."""
    said = words(name)
    if not said:
        return "has no words"
    if run_together(name):
        return "runs its words together"
    if NUMERAL.search(name):
        return "tells things apart by a numeral"
    if len(said) > max_words or len(name) > 8 * max_words:  # 32 characters for a thing's name
        return "is too long for a name"
    own = set(words(theme))
    if not all(w in own or w in FUNCTION_WORDS or english(w) or _coined(w) for w in said):
        return "is not made of English words or the theme's"
    if borrows(name):
        return "is a published game's title"
    if set(said) <= generic_words() | FUNCTION_WORDS:
        return "says only what kind of thing it is"
    return None


def _coined(word: str) -> bool:
    """Whether a word is two English words of three letters or more run into one ("glowcap", "stonefall")."""
    return any(english(word[:i]) and english(word[i:]) for i in range(3, len(word) - 2))


# What each kind of thing is called after the theme's noun, and what its noun should mean.
COMPONENT_WORDS = {
    "board": "Board",
    "player_board": "Mat",
    "area": "",
    "action_space": "Space",
    "track": "Track",
    "deck": "Cards",
    "card": "Card",
    "market": "Market",
    "tile": "Tiles",
    "token": "Tokens",
    "coin": "Coins",
    "die": "Dice",
    "worker": "Workers",
    "pawn": "Pawns",
    "marker": "Markers",
    "bag": "Bag",
    "timer": "Timer",
    "screen": "Screen",
}
RESOURCE_MEANINGS = {
    "currency": "money, coins, wealth",
    "good": "goods, materials, supplies",
    "points": "fame, glory, prestige",
    "health": "health, life, strength",
    "influence": "influence, favour, power",
    "action": "time, effort, energy",
    "progress": "progress, knowledge, growth",
    "threat": "danger, threat, peril",
}
# A mechanism's made name: the theme's noun and what the mechanism is about ("Fungus Market", "Cave Roles").
MECHANISM_WORDS = {
    "turn_based": "Turns",
    "simultaneous": "Reveal",
    "real_time": "Rush",
    "worker_placement": "Workers",
    "action_points": "Actions",
    "card_driven": "Cards",
    "dice_driven": "Dice",
    "action_selection": "Actions",
    "role_selection": "Roles",
    "roll_and_move": "Journey",
    "resource_management": "Stores",
    "trading": "Trade",
    "drafting": "Draft",
    "engine_building": "Engine",
    "market": "Market",
    "auction": "Auction",
    "area_control": "Dominion",
    "combat": "Battles",
    "negotiation": "Bargains",
    "area_movement": "Travels",
    "route_building": "Routes",
    "deck_building": "Deck",
    "hand_management": "Hand",
    "set_collection": "Collection",
    "tableau_building": "Tableau",
    "trick_taking": "Tricks",
    "hidden_information": "Secrets",
    "deduction": "Mystery",
    "bluffing": "Bluff",
    "memory": "Memory",
    "tile_placement": "Tiles",
    "pattern_building": "Patterns",
    "push_your_luck": "Gamble",
    "cooperative": "Alliance",
    "programmed_actions": "Orders",
    "variable_player_powers": "Powers",
    "race": "Race",
}
PHASE_WORDS = {"start": "Dawn", "main": "Hours", "end": "Dusk"}
VERBS = {
    "gain": "Gather",
    "income": "Collect",
    "spend": "Spend",
    "lose": "Lose",
    "transfer": "Claim",
    "trade": "Trade",
    "convert_all": "Convert",
    "score": "Score",
    "draw": "Draw",
    "discard": "Discard",
    "play": "Play",
    "play_to_pile": "Play",
    "gain_card": "Take",
    "give": "Give",
    "roll": "Roll",
    "place": "Place",
    "move": "Move",
    "advance": "Advance",
    "take_from_market": "Buy",
}
PEOPLE = "a person, a worker, a profession"  # whose nouns name no thing: "merchant" is no resource


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


class Namer:
    """Names for one design's things, in declaration order: `name` keeps a model's name that has no `fault`
    and is not taken yet, and otherwise makes one from the theme's next unused noun."""

    def __init__(self, theme: str) -> None:
        self.theme = theme.strip() or "a board game"
        self.taken: set[str] = set()  # display names given, as a reader hears them
        self.nouns: set[str] = set()  # theme nouns a made name has used

    def name(self, kind: str, item: dict[str, Any], named: Callable[[str], str | None]) -> str:
        """The display name of `item`, a thing of `kind` (mechanism, resource, component, action, role or
        phase); `named` gives the display name of a thing already named, by id."""
        given = " ".join(str(item.get("name", "")).split()).strip(" ,;.-")
        if given and fault(given, self.theme) is None and self._free(given):
            return self._take(given)
        for _ in range(8):  # a made name can clash with a model's ("Cave Board"): the next noun then
            made = self._make(kind, item, named)
            if self._free(made):
                return self._take(made)
        return self._take(f"{made} {len(self.taken)}")

    def _free(self, name: str) -> bool:
        return same_name(name) not in self.taken

    def _take(self, name: str) -> str:
        self.taken.add(same_name(name))
        return name

    def _noun(self, meaning: str = "", avoid: str = PEOPLE, unlike: str = "") -> str:
        """The theme's next unused noun closest to `meaning` (lowercase), other than `unlike` (the word a made
        name puts after it: no "Market Market")."""
        query = f"{self.theme}. {meaning}" if meaning else self.theme
        found = [n for n in _nearest(query, avoid) if n != unlike.lower()]
        noun = next((n for n in found if n not in self.nouns), found[len(self.nouns) % len(found)])
        self.nouns.add(noun)
        return noun

    def _make(self, kind: str, item: dict[str, Any], named: Callable[[str], str | None]) -> str:
        if kind == "resource":
            return _title(plural(self._noun(RESOURCE_MEANINGS.get(str(item.get("kind")), ""))))
        if kind in ("component", "mechanism"):
            word = (COMPONENT_WORDS if kind == "component" else MECHANISM_WORDS).get(
                str(item.get("kind" if kind == "component" else "type")), ""
            )
            return f"{_title(self._noun(unlike=word))} {word}".strip()
        if kind == "role":
            return _title(self._noun("a person, a character", avoid=""))
        if kind == "phase":
            return f"{_title(self._noun())} {PHASE_WORDS.get(str(item.get('segment')), 'Hours')}"
        return self._action(item, named)

    def _action(self, item: dict[str, Any], named: Callable[[str], str | None]) -> str:
        """A verb for what the action does first and the thing it does it to: "Draw Mushroom Cards"."""
        effects = item.get("effects") or [{}]
        first = effects[0]
        verb = VERBS.get(str(first.get("kind")), "Use")
        objects = [named(str(v)) for v in first.values() if isinstance(v, str)]
        thing = next((o for o in objects if o), None)
        if thing and self._free(f"{verb} {thing}"):
            return f"{verb} {thing}"
        return f"{verb} {_title(plural(self._noun()))}"


@cache
def _nearest(query: str, avoid: str) -> list[str]:
    return nearest(query, 40, avoid=avoid)
