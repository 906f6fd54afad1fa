"""Text rules: the title, program and scenes say something of their own."""

from __future__ import annotations

from collections.abc import Iterator

from genontology.ontology.echo import descriptions, echoed, strings
from genontology.ontology.rules import Finding
from genontology.ontology.violations import json_path
from genontology.schemas.music.model import CompositionPlan
from genontology.schemas.music.rules.base import Context, rule


@rule("text.echoes-instructions")
def echoes_instructions(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Text is the piece's own: no title, program or scene repeats what the plan's fields ask for."""
    for where, value in strings(plan.model_dump(mode="json", include={"title", "program", "scenes"})):
        instruction = echoed(value, descriptions(CompositionPlan))
        if instruction is not None:
            path = json_path(*where)
            yield Finding(
                path,
                f"{path} repeats the instruction {instruction!r} instead of answering it",
                "write the piece's own words: a title, a mood or story, what this section depicts",
            )
