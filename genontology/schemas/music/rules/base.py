"""The music rule set and what its rules share; rule modules register into it by decorating functions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from genontology.ontology.rules import RuleSet
from genontology.schemas.music import theory as T
from genontology.schemas.music.model import CompositionPlan, KeySpec, Section


@dataclass(frozen=True)
class Context:
    sections: dict[str, tuple[int, Section]]  # by id: index and section (the first, when duplicated)


def _context(plan: CompositionPlan) -> Context:
    sections: dict[str, tuple[int, Section]] = {}
    for i, s in enumerate(plan.sections):
        sections.setdefault(s.id, (i, s))
    return Context(sections)


RULES: RuleSet[CompositionPlan] = RuleSet(make_context=_context)
rule = RULES.rule


def phrases(plan: CompositionPlan) -> Iterator[tuple[int, int, Section, KeySpec]]:
    """Every phrase as (section index, phrase index, section, key in force)."""
    for si, section in enumerate(plan.sections):
        for pi, phrase in enumerate(section.phrases):
            yield si, pi, section, T.key_in_force(plan, section, phrase)


def readable(figures: list[str], spec: KeySpec) -> bool:
    try:
        for f in figures:
            T.numeral(f, spec)
    except T.NumeralError:
        return False
    return True
