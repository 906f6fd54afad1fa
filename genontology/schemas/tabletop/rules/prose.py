"""Rules over what a reader sees: names a player can tell apart and that say something, prose without code,
text that answers its field instead of copying an instruction, a title of its own, and text that is not the
same text again. The checks are the core's (`ontology/prose.py`, `ontology/echo.py`); these rules say where
in a game design the names and the prose are."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from genontology.ontology.echo import descriptions, indexed, told
from genontology.ontology.prose import code_fragment, label_like, repeats, run_together, same_name, words
from genontology.ontology.rules import Finding
from genontology.ontology.violations import Severity
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.rules.base import rule

CONCEPT_TEXT = ("title", "tagline", "theme", "setting", "goal", "core_loop")
MIN_REPEATED_WORDS = 4  # a short phrase said twice ("Draw a card") is not yet a repetition


def names(design: GameDesign) -> Iterator[tuple[str, str, str]]:
    """(kind of thing, path, display name) for everything a player calls by name."""
    for section, items in (
        ("mechanism", design.mechanisms),
        ("component", design.components),
        ("resource", design.resources),
        ("action", design.actions),
        ("role", design.players.roles),
    ):
        parent = "players.roles" if section == "role" else f"{section}s"
        for i, item in enumerate(items):
            yield section, f"$.{parent}[{i}].name", item.name
    for i, phase in enumerate(design.turn_structure.phases):
        yield "phase", f"$.turn_structure.phases[{i}].name", phase.name


def prose(design: GameDesign) -> Iterator[tuple[str, str]]:
    """(path, text) for every sentence of the design a reader reads, names aside."""
    for field in CONCEPT_TEXT:
        yield f"$.{field}", getattr(design, field)
    described = (
        ("mechanisms", design.mechanisms),
        ("components", design.components),
        ("actions", design.actions),
        ("turn_structure.phases", design.turn_structure.phases),
        ("players.roles", design.players.roles),
        ("setup", design.setup),
    )
    for section, items in described:
        for i, item in enumerate(items):
            if item.description:
                yield f"$.{section}[{i}].description", item.description
    for mid, line in design.theming.items():
        yield f"$.theming.{mid}", line


# Words a small model writes for a name when it copies the form instead of filling it in.
META_LABELS = frozenset({"name", "names", "description", "title", "id", "kind", "type", "theme", "tagline"})


@cache
def model_names() -> frozenset[str]:
    """The class names of the design's schema (GameDesign, Component, ...), which are never a game's names."""
    found: set[str] = set()

    def walk(model: type) -> None:
        if model.__name__ in found:
            return
        found.add(model.__name__)
        for info in model.model_fields.values():
            for inner in getattr(info.annotation, "__args__", ()) or (info.annotation,):
                if isinstance(inner, type) and hasattr(inner, "model_fields"):
                    walk(inner)

    walk(GameDesign)
    return frozenset(found)


_IDENTIFIER = re.compile(r"^[A-Z]?[a-z0-9]+(?:[A-Z][a-z0-9]+)+$")  # CamelCase, as a class is named


@rule("prose.duplicate-name")
def duplicate_names(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Things of one kind have names a player can tell apart: not the same words in another case or
    spacing (two components both called "Spore" leave a reader unable to follow the rules)."""
    seen: dict[tuple[str, str], str] = {}
    for kind, path, name in names(design):
        key = (kind, same_name(name))
        if key in seen:
            yield Finding(
                path,
                f"{kind} name '{name}' is already the name of {seen[key]}",
                f"give this {kind} a name of its own",
            )
        else:
            seen[key] = path


@rule("prose.code-fragment")
def code_fragments(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Prose and names read as English, not as code: no braces, brackets, comment markers, snake_case ids,
    JSON keys or stray quotes (what a model leaks when it loses track of the JSON it is writing)."""
    every = [(path, text) for _, path, text in names(design)] + list(prose(design))
    for path, text in every:
        fragment = code_fragment(text)
        if fragment is not None:
            yield Finding(
                path,
                f"text looks like code: {fragment!r}",
                "write it as plain words, without braces, brackets, ids or comment markers",
            )


@rule("prose.echo")
def echoes(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Text answers its field: it does not copy a field's description or what the agents were told (a
    mechanism described as "2 to 4 different mechanisms that give players real choices")."""
    instructions = indexed((*descriptions(GameDesign), *told("tabletop")))
    for path, text in prose(design):
        copied = instructions.copied(text)
        if copied is not None:
            yield Finding(
                path,
                f"text repeats the instruction {copied[:80]!r} instead of answering it",
                "say something of this game: what it is, what happens, what the players see",
            )


def labelled(title: str) -> bool:
    """Whether a title is a field's label ("Theme", "Title: ...") rather than a name."""
    head = title.partition(":")[0]
    return same_name(head) in {same_name(label) for label in (*CONCEPT_TEXT, *META_LABELS)}


def title_fault(title: str, theme: str) -> str | None:
    """What is wrong with a title as a name for the game: a field's label, or the theme said again."""
    if labelled(title):
        return "is a label"
    if (len(words(title)) >= 4 and same_name(title) in same_name(theme)) or repeats(title, theme, least=3):
        return "restates the theme"
    return None


@cache
def published_titles() -> frozenset[str]:
    """The titles of the games in the exemplar corpus, as a reader hears them."""
    from genontology.schemas.tabletop.corpus import load_exemplars

    return frozenset(same_name(e.title) for e in load_exemplars())


def _generated(design: GameDesign) -> bool:
    return design.provenance is not None and design.provenance.origin == "generated"


def borrowed(title: str) -> bool:
    """Whether a title is the name of a published or traditional game of the corpus."""
    return same_name(title) in published_titles()


def borrows(name: str) -> str | None:
    """The corpus title a name contains, or of which it is two or more words, as a run of words ("Candy Land
    IV", "Spice Road" of "Century: Spice Road"); None if it borrows none."""
    said = f" {same_name(name)} "
    for title in published_titles():
        if f" {title} " in said or (said.count(" ") > 2 and said in f" {title} "):
            return title
    return None


@rule("prose.borrowed-title")
def borrowed_title(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A generated game has a title of its own, not that of a game it was grounded on (a firefighting game
    called "Hanabi" tells a reader it is Hanabi)."""
    if _generated(design) and borrowed(design.title):
        yield Finding(
            "$.title",
            f"title '{design.title}' is the name of a published game",
            "name the game in words of its own theme",
        )


@rule("prose.borrowed-name", Severity.warning)
def borrowed_names(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A generated game names its things in its own words, not with a title of the games it was grounded on
    (a fungus game whose cards are "Candy Land Cards"). A warning: a hand-written homage may do it on purpose,
    so only generated designs are checked."""
    if not _generated(design):
        return
    for kind, path, name in names(design):
        title = borrows(name)
        if title is not None:
            yield Finding(path, f"{kind} name '{name}' borrows the title {title!r}", f"name the {kind} anew")


@rule("prose.run-together", Severity.warning)
def run_together_names(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A generated name is written as a reader says it: words apart, not run together or shouted
    ("CamelMachets", "Achilles-The-Fighting-Gods", "DRAWING"); "Mau-Mau" is fine. Published games coin such
    names on purpose ("MegaCredits", "DEFCON"), so only generated designs are checked."""
    if not _generated(design):
        return
    for kind, path, name in names(design):
        if run_together(name):
            yield Finding(path, f"{kind} name '{name}' runs its words together", "write its words apart")


@rule("prose.title-is-theme")
def title_is_theme(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A title is a name for the game, not a label ("Theme: ...") and not the theme sentence again."""
    fault = title_fault(design.title, design.theme)
    if fault is not None:
        yield Finding("$.title", f"title '{design.title}' {fault}", "name the game in a few words of its own")


@rule("prose.generic-name", Severity.warning)
def generic_names(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A name says what the thing is in this game: not a label of the form ("name", "description") and not
    the identifier of a schema the model was shown (a class name such as "SizedDraft")."""
    shown = frozenset(text for text in (*model_names(), *told("tabletop")) if _IDENTIFIER.match(text))
    for kind, path, name in names(design):
        if label_like(name, META_LABELS) or (_IDENTIFIER.match(name) and label_like(name, shown)):
            yield Finding(
                path, f"{kind} name '{name}' is a label, not a name", f"name the {kind} in the game's words"
            )


@rule("prose.repeats", Severity.warning)
def repeated_text(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Each piece of prose says something the others do not: the same sentence under several fields tells a
    reader nothing new (parallel sentences that differ in a word, one per gem colour, are fine)."""
    first: dict[str, str] = {}
    for path, text in prose(design):
        said = same_name(text)
        if len(said.split()) < MIN_REPEATED_WORDS:
            continue
        if said in first:
            yield Finding(path, f"text repeats {first[said]}", "write what this part adds, or shorten it")
        else:
            first[said] = path
