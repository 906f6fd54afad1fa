"""The core's instruction-echo check and the fix pass that defers overlapping fixes."""

from __future__ import annotations

import random
import re

from pydantic import BaseModel, Field

from genontology.ontology import Fix, Severity, Violation, apply_fixes
from genontology.ontology.echo import MIN_WORDS, OVERLAP, Instructions, descriptions, echoed, strings
from genontology.schemas.tabletop import GameDesign


class Inner(BaseModel):
    line: str = Field(description="What the part does in the story.")


class Outer(BaseModel):
    title: str = Field(description="An evocative title for the piece.")
    parts: list[Inner] = []
    notes: dict[str, Inner | None] = {}


def test_descriptions_reach_nested_models_once() -> None:
    assert descriptions(Outer) == ["An evocative title for the piece.", "What the part does in the story."]


def test_echoed_finds_copies_but_not_own_words() -> None:
    said = descriptions(Outer)
    assert echoed("An evocative title for the piece", said) == said[0]
    assert echoed("an EVOCATIVE title for this piece!", said) == said[0]
    assert echoed("Lullaby for a Stormy Night", said) is None
    assert echoed("Night", said) is None  # too short to call a copy


def test_the_prefix_index_finds_exactly_what_comparing_every_pair_finds() -> None:
    said = descriptions(GameDesign)
    index = Instructions(said)
    rng = random.Random(7)
    texts = []
    for text in said:  # each description with words dropped and others slipped in: near and far copies
        for _ in range(4):
            words = text.split()
            for _ in range(rng.randint(0, 5)):
                words.pop(rng.randrange(len(words))) if words else None
            words.insert(rng.randrange(len(words) + 1), rng.choice(["spore", "the", "cave", "card"]))
            texts.append(" ".join(words))

    def compared_with_each(text: str) -> str | None:
        mine = set(re.findall(r"[a-z0-9']+", text.lower()))  # the words as the check reads them
        for other in said:
            theirs = set(re.findall(r"[a-z0-9']+", other.lower()))
            if len(mine) >= MIN_WORDS and len(mine & theirs) / len(mine | theirs) >= OVERLAP:
                return other
        return None

    expected = [compared_with_each(t) is not None for t in texts]
    assert 0 < sum(expected) < len(texts)  # both kinds of case occur
    assert [index.copied(t) is not None for t in texts] == expected


def test_strings_walk_lists_and_dicts_with_paths() -> None:
    data = {"title": "T", "parts": [{"line": "L"}], "notes": {"a": {"line": "M"}}, "n": 3}
    assert list(strings(data)) == [
        (("title",), "T"),
        (("parts", 0, "line"), "L"),
        (("notes", "a", "line"), "M"),
    ]


def _fix(path: str, value: object) -> Violation:
    fix = Fix(op="set", path=path, value=value, description=path)
    return Violation(code="x.y", severity=Severity.error, path=path, message="m", hint="h", fix=fix)


def test_a_fix_inside_what_an_earlier_fix_changed_waits_for_the_next_pass() -> None:
    doc = {"voices": [{"low": 1}, {"low": 2}], "other": 0}
    fixed, applied = apply_fixes(
        doc, [_fix("$.voices", [{"low": 9}]), _fix("$.voices[1].low", 5), _fix("$.other", 1)]
    )
    assert fixed == {"voices": [{"low": 9}], "other": 1}
    assert [f.path for f in applied] == ["$.voices", "$.other"]
