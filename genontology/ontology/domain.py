"""A Domain bundles what the core needs to know about one field of design, and the registry that finds it.

Domains are discovered through the `genontology.domains` entry-point group (or `register_domain`), so a new
domain plugs in without an edit to this package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

import networkx as nx
from pydantic import BaseModel, ValidationError

from genontology.ontology.errors import UnknownDomainError
from genontology.ontology.rules import RuleSet
from genontology.ontology.violations import Fix, PathPart, Severity, Violation, apply_fixes, json_path

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Domain(Generic[M]):
    """One domain: its root schema, rules, graph builder, renderers and exemplars."""

    name: str
    schema: type[M]
    rules: RuleSet[M]
    build_graph: Callable[[M], nx.MultiDiGraph]
    render_markdown: Callable[[M], str]
    load_exemplars: Callable[[], Sequence[M]]
    describe: str = ""
    # For retrieval: the text a design is embedded from, and its facets (flat str/int/float/bool values).
    exemplar_text: Callable[[M], str] | None = None
    exemplar_facets: Callable[[M], dict[str, str | int | float | bool]] | None = None
    # Boolean facet keys with a phrase for each, so a free-text query can be matched to facets.
    facet_vocabulary: Callable[[], dict[str, str]] | None = None
    # One line about a design for listings ("auction, set collection; 3-5 players").
    summarize: Callable[[M], str] | None = None
    # One line about a precedent for a prompt, when it should say more than `summarize`; never the title (a
    # small model copies a precedent's title into every name it writes).
    precedent: Callable[[M], str] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # What a saved design's files are called: the JSON ("design") and its rendered text ("text").
    files: dict[str, str] = field(default_factory=lambda: {"design": "design.json", "text": "rulebook.md"})
    # Code prefixes of the rules over text rather than structure, which a user may leave out (`--no-prose`).
    prose_rules: tuple[str, ...] = ("prose.",)

    def parse(self, data: Any) -> M:
        """Validate raw data against the root schema; raises pydantic.ValidationError."""
        return data if isinstance(data, self.schema) else self.schema.model_validate(data)

    def validate(self, design: M | dict[str, Any], prose: bool = True) -> list[Violation]:
        """Schema checks, then every registered rule (without the rules over text when `prose` is off, for a
        design written by hand). Rules only run on schema-valid data."""
        skip = () if prose else self.prose_rules
        if isinstance(design, self.schema):
            return self.rules.run(design, skip)
        try:
            model = self.schema.model_validate(design)
        except ValidationError as exc:
            return schema_violations(exc, design)
        return self.rules.run(model, skip)

    def autofix(
        self, design: dict[str, Any], violations: list[Violation] | None = None, passes: int = 3
    ) -> tuple[dict[str, Any], list[Violation], list[Fix]]:
        """Apply the mechanical fixes, revalidating after each pass, since one fix can expose another (an
        unplayed section removed leaves its description behind). Returns the design, the violations left
        and the fixes applied. `violations`, when given, are the design's current ones (not recomputed)."""
        violations = self.validate(design) if violations is None else violations
        applied: list[Fix] = []
        for _ in range(passes):
            if not any(v.fix for v in violations):
                break
            design, done = apply_fixes(design, violations)
            if not done:
                break
            applied += done
            violations = self.validate(design)
        return design, violations, applied

    def json_schema(self) -> dict[str, Any]:
        return self.schema.model_json_schema()


_registered: dict[str, Domain[Any]] = {}


def register_domain(domain: Domain[Any]) -> None:
    _registered[domain.name] = domain


@cache
def _entry_point_domains() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group="genontology.domains")}


def available_domains() -> list[str]:
    return sorted(set(_registered) | set(_entry_point_domains()))


def get_domain(name: str) -> Domain[Any]:
    """The domain registered as `name`, loading its entry point on first use."""
    if name not in _registered:
        entry = _entry_point_domains().get(name)
        if entry is None:
            raise UnknownDomainError(
                f"unknown domain {name!r}; available: {', '.join(available_domains()) or 'none'}"
            )
        register_domain(entry.load())
    return _registered[name]


def validate(design: BaseModel | dict[str, Any], domain: str | Domain[Any] | None = None) -> list[Violation]:
    """Validate a design. A model instance finds its own domain; raw data needs `domain`."""
    if isinstance(domain, str):
        domain = get_domain(domain)
    if domain is None:
        if not isinstance(design, BaseModel):
            raise TypeError("validate() needs domain=... for raw data")
        for name in available_domains():
            candidate = get_domain(name)
            if isinstance(design, candidate.schema):
                domain = candidate
                break
        else:
            raise UnknownDomainError(f"no registered domain has schema {type(design).__name__}")
    return domain.validate(design)


def _locate(data: Any, loc: Sequence[PathPart]) -> tuple[list[PathPart], str | None]:
    """Follow a pydantic error location through the input, dropping the union tags pydantic inserts.

    Returns the JSON path parts and the id of the nearest enclosing entity, to name it in the message.
    """
    parts: list[PathPart] = []
    node, owner = data, None
    for part in loc:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                owner = node["id"]
            tags = {v for v in node.values() if isinstance(v, str)}
            if isinstance(part, str) and part not in node and part in tags:
                continue  # a discriminated-union tag that pydantic inserts, not a key in the data
        parts.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        owner = node["id"]
    return parts, owner


_HINTS = {
    "missing": "add the field",
    "extra_forbidden": "remove the field; it is not part of the schema",
    "string_too_long": "shorten it",
    "too_long": "use fewer items",
    "too_short": "add items",
}


def schema_violations(exc: ValidationError, data: Any) -> list[Violation]:
    """Turn pydantic errors into violations with codes `schema.<error-type>` and JSON paths."""
    found = []
    for err in exc.errors(include_url=False):
        parts, owner = _locate(data, err["loc"])
        where = f"{owner}: " if owner else ""
        field_name = next((p for p in reversed(parts) if isinstance(p, str)), "design")
        found.append(
            Violation(
                code="schema." + err["type"].replace("_", "-"),
                severity=Severity.error,
                path=json_path(*parts),
                message=f"{where}{field_name}: {err['msg']}",
                hint=_HINTS.get(err["type"], "make the value match the schema")
                + f" (see `genontology schema` for `{field_name}`)",
            )
        )
    return found
