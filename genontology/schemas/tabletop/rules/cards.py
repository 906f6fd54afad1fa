"""Rules for cards: a suited deck adds up and only suited decks are read for suits; only a deck is personal
and purchases join one; a hand limit belongs to a deck and leaves room for the deal; a tag a condition or an
effect names is one the deck's cards carry."""

from __future__ import annotations

from collections.abc import Iterator

from genontology.ontology.rules import Finding
from genontology.ontology.violations import Fix, json_path
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.ranges import cards_in
from genontology.schemas.tabletop.rules.base import rule
from genontology.schemas.tabletop.taxonomy import ComponentKind


@rule("deck.suited-count")
def suited_deck_count(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A suited deck is a deck with both suits and ranks, and it holds one card per suit and rank."""
    for i, comp in enumerate(design.components):
        if not comp.suits and comp.ranks is None:
            continue
        if comp.kind is not ComponentKind.deck:
            yield Finding(
                json_path("components", i, "suits"),
                f"component '{comp.name}' is a {comp.kind.value}, but suits and ranks describe a deck",
                f"remove suits and ranks, or make '{comp.id}' a deck",
            )
        elif not comp.suits or comp.ranks is None:
            missing = "ranks" if comp.suits else "suits"
            yield Finding(
                json_path("components", i, missing),
                f"deck '{comp.name}' has {'suits' if comp.suits else 'ranks'} but no {missing}",
                f"set {missing} on '{comp.id}'",
            )
        elif comp.count != len(comp.suits) * comp.ranks:
            cards, path = len(comp.suits) * comp.ranks, json_path("components", i, "count")
            yield Finding(
                path,
                f"deck '{comp.name}' counts {comp.count} cards, but {len(comp.suits)} suits of {comp.ranks} "
                f"ranks make {cards}",
                f"set count to {cards}",
                fix=Fix(op="set", path=path, value=cards, description=f"set the count of '{comp.name}'"),
            )


@rule("deck.contents")
def deck_contents(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A deck that lists the card types in it counts as many cards as they add up to: play uses the list,
    so a count that says otherwise misleads every rule and reader that trusts it."""
    for i, comp in enumerate(design.components):
        listed = sum(c.count for c in comp.contents)
        if comp.kind is ComponentKind.deck and comp.contents and listed != comp.count:
            path = json_path("components", i, "count")
            yield Finding(
                path,
                f"deck '{comp.name}' counts {comp.count} cards, but its card types add up to {listed}",
                f"set count to {listed}, or list the missing cards",
                fix=Fix(op="set", path=path, value=listed, description=f"count the cards of '{comp.name}'"),
            )


@rule("deck.short")
def deck_short(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A deck holds what setup takes from it at the most players: the cards dealt to every player and the
    market rows it fills."""
    players = design.players.max
    for i, comp in enumerate(design.components):
        if comp.kind is not ComponentKind.deck:
            continue
        each = sum(d.count for step in design.setup for d in step.deal if d.deck == comp.id)
        rows = sum(
            m.size or 0 for m in design.components if m.kind is ComponentKind.market and m.source == comp.id
        )
        needed, held = each * (1 if comp.personal else players) + rows, cards_in(comp)
        if needed > held:
            shown = f" and {rows} to its market" if rows else ""
            count = json_path("components", i, "count")
            plain = not comp.contents and not comp.suits  # its count is a number, not a list of cards
            yield Finding(
                json_path("components", i),
                f"setup takes {needed} cards of '{comp.name}' at {players} players ({each} to each "
                f"player{shown}), but it holds {held}",
                f"add cards to '{comp.id}', deal fewer, or lower the most players",
                fix=Fix(op="set", path=count, value=needed, description="hold what setup takes")
                if plain
                else None,
            )


@rule("deck.needs-suits")
def deck_needs_suits(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """What reads a card's suit or rank (following suit, naming a suit, points by rank) names a suited
    deck."""
    readers = (fx.PlayToPile, fx.NameSuit, fx.PlayToTrick, fx.FewestCardPoints)
    terms = [(("victory", i), v) for i, v in enumerate(design.victory)]
    for i, action in enumerate(design.actions):
        for j, effect in enumerate(action.effects):
            terms += [(("actions", i, "effects", j), part) for part in effect.parts()]
    for where, term in terms:
        deck = index.components.get(getattr(term, "deck", "")) if isinstance(term, readers) else None
        if deck and deck.kind is ComponentKind.deck and not deck.suits:
            yield Finding(
                json_path(*where, "deck"),
                f"{term.kind} reads suits and ranks, but deck '{deck.name}' has none",
                f"give '{deck.id}' suits and ranks, or use an effect that does not read them",
            )


@rule("deck.personal")
def personal_decks(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Only a deck can be personal (a copy per player), and purchases go into a personal deck."""
    for i, comp in enumerate(design.components):
        if comp.personal and comp.kind is not ComponentKind.deck:
            yield Finding(
                json_path("components", i, "personal"),
                f"component '{comp.name}' is a {comp.kind.value}, but only a deck can be personal",
                f"remove personal from '{comp.id}', or make it a deck",
            )
    for path, part in index.effects:
        deck = index.components.get(getattr(part, "into", None) or "")
        if isinstance(part, fx.TakeFromMarket | fx.GainCard) and deck and not deck.personal:
            yield Finding(
                f"{path}.into",
                f"purchases go into deck '{deck.name}', which is not a personal deck",
                f"make '{deck.id}' personal, or take cards into hand (remove into)",
            )


@rule("deck.hand-limit")
def hand_limit(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A hand limit belongs to a deck, is at least what setup deals of it, and a bonus that raises one raises
    a limit that exists."""
    for i, comp in enumerate(design.components):
        if comp.hand_limit is None:
            continue
        if comp.kind is not ComponentKind.deck:
            yield Finding(
                json_path("components", i, "hand_limit"),
                f"component '{comp.name}' is a {comp.kind.value}, but only a deck's cards make a hand",
                f"remove hand_limit from '{comp.id}', or set it on the deck whose cards players hold",
            )
            continue
        dealt = sum(d.count for step in design.setup for d in step.deal if d.deck == comp.id)
        if dealt > comp.hand_limit:
            path = json_path("components", i, "hand_limit")
            yield Finding(
                path,
                f"setup deals {dealt} cards of '{comp.name}' to each player, above its hand limit of "
                f"{comp.hand_limit}, so every player discards the difference on their first turn",
                f"raise hand_limit to at least {dealt}, or deal fewer",
                fix=Fix(
                    op="set", path=path, value=dealt, description=f"raise the hand limit of '{comp.name}'"
                ),
            )
    for i, res in enumerate(design.resources):
        deck = index.components.get(res.enlarges or "")
        if deck and deck.hand_limit is None:
            yield Finding(
                json_path("resources", i, "enlarges"),
                f"resource '{res.name}' raises the hand limit of '{deck.name}', which has none",
                f"give '{deck.id}' a hand_limit, or remove enlarges",
            )


def deck_tags(index: TabletopIndex, deck: str) -> set[str]:
    """The tags a deck's cards carry: its card types' tags, and its suits."""
    comp = index.components[deck]
    kinds = (index.components.get(item.component) for item in comp.contents)
    return {tag for kind in kinds if kind for tag in kind.tags} | set(comp.suits)


@rule("deck.tags")
def tags_carried(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A condition or effect on cards with a tag names a tag the deck's cards carry (a card type's tags, or
    a suit); one on cards sharing a tag needs a deck whose cards carry tags, and scoring sets of different
    tags needs at least as many tags as a set holds."""
    terms = [
        (f"$.actions[{i}].preconditions[{j}]", p)
        for i, a in enumerate(design.actions)
        for j, p in enumerate(a.preconditions)
    ]
    for path, part in index.effects:
        terms.append((path, part))
        if isinstance(part, fx.If):
            terms.append((f"{path}.condition", part.condition))
    for i, scoring in enumerate(design.final_scoring):
        if isinstance(scoring, fx.TagSets) and scoring.deck in index.components:
            tags = deck_tags(index, scoring.deck)
            if len(tags) < scoring.distinct:
                yield Finding(
                    f"$.final_scoring[{i}].distinct",
                    f"a set needs {scoring.distinct} different tags, but the cards of "
                    f"'{index.name_of(scoring.deck)}' carry {len(tags)}",
                    f"make sets of at most {len(tags)} tags, or tag more card types in '{scoring.deck}'",
                )
    for path, term in terms:
        tag, wanted = getattr(term, "tag", None), getattr(term, "alike", False)
        deck = getattr(term, "deck", None)
        if not deck or not (tag or wanted) or deck not in index.components:
            continue
        tags = deck_tags(index, deck)
        if tag and tag not in tags:
            carried = ", ".join(sorted(tags)) or "none"
            yield Finding(
                f"{path}.tag",
                f"{term.kind} counts cards tagged '{tag}', but no card of '{index.name_of(deck)}' carries it "
                f"(its tags: {carried})",
                f"name one of the deck's tags, or add '{tag}' to the tags of a card type in '{deck}'",
            )
        elif wanted and not tags:
            yield Finding(
                f"{path}.alike",
                f"{term.kind} asks for cards sharing a tag, but the cards of '{index.name_of(deck)}' carry "
                "no tags",
                f"list card types with tags in the contents of '{deck}', or remove alike",
            )
