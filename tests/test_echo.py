"""The core's instruction-echo check and the fix pass that defers overlapping fixes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from genontology.ontology import Fix, Severity, Violation, apply_fixes
from genontology.ontology.echo import descriptions, echoed, strings


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
