"""Rule registry: a domain registers plain rule functions; a RuleSet runs them all over a design.

A rule is `fn(design, context) -> Iterable[Finding]`; the registry stamps each finding with the rule's code
and severity, so a rule body only says where and what. The context is whatever the domain precomputes once
per validation (an id index, the ontology graph), so thirty rules do not rebuild it thirty times.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from genontology.ontology.violations import Fix, Severity, Violation

D = TypeVar("D")


@dataclass(frozen=True)
class Finding:
    """What a rule yields: where, what, how to fix. `severity` overrides the rule's default."""

    path: str
    message: str
    hint: str
    fix: Fix | None = None
    severity: Severity | None = None


RuleFn = Callable[[Any, Any], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: the code it emits, its default severity and the principle it enforces."""

    code: str
    severity: Severity
    func: RuleFn
    principle: str

    def check(self, design: Any, context: Any) -> list[Violation]:
        return [
            Violation(
                code=self.code,
                severity=f.severity or self.severity,
                path=f.path,
                message=f.message,
                hint=f.hint,
                fix=f.fix,
            )
            for f in self.func(design, context)
        ]


@dataclass
class RuleSet(Generic[D]):
    """An ordered collection of rules for one domain.

    `make_context` builds the shared per-design context handed to every rule.
    """

    make_context: Callable[[D], Any] = lambda design: None
    rules: dict[str, Rule] = field(default_factory=dict)

    def rule(self, code: str, severity: Severity = Severity.error) -> Callable[[RuleFn], Rule]:
        """Decorator: register `fn` under `code`. The docstring is required: it states the principle."""

        def register(fn: RuleFn) -> Rule:
            principle = inspect.getdoc(fn)
            if not principle:
                raise ValueError(f"rule {code} ({fn.__name__}) needs a docstring stating its principle")
            if code in self.rules:
                raise ValueError(f"rule code {code} is registered twice")
            rule = Rule(code=code, severity=severity, func=fn, principle=principle)
            self.rules[code] = rule
            return rule

        return register

    def run(self, design: D, skip: tuple[str, ...] = ()) -> list[Violation]:
        """Every rule's findings, but those of rules whose code starts with one of `skip`."""
        context = self.make_context(design)
        found: list[Violation] = []
        for code, rule in self.rules.items():
            if not code.startswith(skip):
                found.extend(rule.check(design, context))
        return found

    def __len__(self) -> int:
        return len(self.rules)


def repeats(keys: Iterable[Hashable]) -> Iterator[tuple[int, int]]:
    """(index, index of the first occurrence) for every key that occurred before: what an id-uniqueness
    rule reports, leaving the first use of a name alone."""
    first: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        if key in first:
            yield i, first[key]
        else:
            first[key] = i
