"""What a validator reports: violations with stable codes, JSON paths, hints and optional autofixes."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PathPart = str | int
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_PATH_TOKEN = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[\"([^\"]*)\"\]")


class Severity(StrEnum):
    """How much a violation matters: only `error` makes a design invalid."""

    error = "error"
    warning = "warning"
    info = "info"


def json_path(*parts: PathPart) -> str:
    """Render path parts as a JSON path: `json_path("actions", 2, "cost")` -> `$.actions[2].cost`."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}"
        else:
            out += f'["{part}"]'
    return out


def parse_json_path(path: str) -> list[PathPart]:
    """Inverse of `json_path`; raises ValueError on anything else."""
    if not path.startswith("$"):
        raise ValueError(f"JSON path must start with '$': {path!r}")
    parts: list[PathPart] = []
    pos = 1
    while pos < len(path):
        match = _PATH_TOKEN.match(path, pos)
        if match is None:
            raise ValueError(f"cannot parse JSON path {path!r} at offset {pos}")
        name, index, quoted = match.groups()
        parts.append(int(index) if index is not None else (name if name is not None else quoted))
        pos = match.end()
    return parts


class Fix(BaseModel):
    """A machine-applicable edit for a purely mechanical fault, like a linter's autofix.

    `set` replaces the value at `path`; `remove` deletes a mapping key or list item.
    """

    model_config = ConfigDict(frozen=True)

    op: Literal["set", "remove"]
    path: str
    value: Any = None
    description: str = Field(max_length=200)


class Violation(BaseModel):
    """One structural fault found in a design."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(
        pattern=r"^[a-z]+(\.[a-z0-9-]+)+$", description="Stable dotted code, e.g. ref.unknown-component."
    )
    severity: Severity
    path: str = Field(description="JSON path of the offending value, e.g. $.actions[2].cost[0].resource.")
    message: str = Field(description="What is wrong, in the design's own names.")
    hint: str = Field(description="How to fix it.")
    fix: Fix | None = None

    def __str__(self) -> str:
        return f"{self.severity.value:<7} {self.code:<34} {self.path}: {self.message}"


def errors_among(violations: Iterable[Violation]) -> list[Violation]:
    """The violations of error severity, in order: what must be fixed before a design counts as valid."""
    return [v for v in violations if v.severity is Severity.error]


def has_errors(violations: Iterable[Violation]) -> bool:
    return any(v.severity is Severity.error for v in violations)


def _apply_one(document: Any, fix: Fix) -> None:
    parts = parse_json_path(fix.path)
    if not parts:
        raise ValueError("a fix cannot replace or remove the whole design")
    parent = document
    for part in parts[:-1]:
        parent = parent[part]
    last = parts[-1]
    if fix.op == "set":
        parent[last] = copy.deepcopy(fix.value)
    elif isinstance(parent, dict):
        parent.pop(last, None)
    else:
        del parent[last]


def apply_fixes(
    document: dict[str, Any], violations: Sequence[Violation]
) -> tuple[dict[str, Any], list[Fix]]:
    """Apply every available fix to a copy of `document`; returns the copy and the fixes applied.

    Removals of list items run last and from the highest index down, so earlier fixes keep their paths.
    A fix whose path no longer resolves is skipped, not forced. A fix that touches what an earlier one
    changed (the same path, inside it or around it) was computed from data that no longer exists: it is
    left for the next pass (`Domain.autofix`), which revalidates and recomputes it.
    """
    fixed = copy.deepcopy(document)
    fixes = [v.fix for v in violations if v.fix is not None]
    sets = [f for f in fixes if f.op == "set"]
    removals = sorted(
        (f for f in fixes if f.op == "remove"),
        key=lambda f: [p if isinstance(p, int) else -1 for p in parse_json_path(f.path)],
        reverse=True,
    )
    applied: list[Fix] = []
    touched: list[list[PathPart]] = []
    for fix in [*sets, *removals]:
        parts = parse_json_path(fix.path)
        if any(_nested(parts, done) for done in touched):
            continue
        try:
            _apply_one(fixed, fix)
        except (KeyError, IndexError, TypeError):
            continue
        applied.append(fix)
        if fix.op == "set":  # removals of siblings are independent; their indexes are handled above
            touched.append(parts)
    return fixed, applied


def _nested(a: list[PathPart], b: list[PathPart]) -> bool:
    """One path is the other or lies inside it."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]
