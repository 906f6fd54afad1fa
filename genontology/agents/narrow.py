"""Schemas specialized at run time with what earlier stages declared.

`keyed(name, ids, value)` is an object with exactly one field per id; `choice`, `narrow` and `one_of` (a
Literal over declared ids, a model with narrowed fields, a union told apart by kind) come from the core, where
the vocabularies narrow themselves too.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from genontology.ontology.io import slug
from genontology.ontology.narrowing import choice, narrow, one_of

_RESERVED = set(dir(BaseModel)) | set(keyword.kwlist)


class Part(BaseModel):
    """Base of every stage output: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


def keyed(name: str, ids: Sequence[str], value: Any, description: str = "") -> type[Part]:
    """An object whose fields are exactly `ids`, each of type `value` (a theming line per mechanism id)."""
    fields: dict[str, Any] = {key: (value, Field(description=description)) for key in ids}
    return create_model(name, __base__=Part, **fields)


def unique_id(text: str, taken: set[str] | None = None, limit: int = 32) -> str:
    """A stable id from a display name: a valid field name, unique against `taken` (which it extends)."""
    base = slug(text, limit, sep="_", empty="item")
    if not base[0].isalpha():
        base = f"x_{base}"[:limit]
    if base in _RESERVED or base.startswith("model_"):
        base = f"{base}_"[:limit] if not base.startswith("model_") else f"m_{base}"[:limit]
    taken = set() if taken is None else taken
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"_{n}"
        candidate, n = base[: limit - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def unique_ids(names: Iterable[str], taken: set[str] | None = None) -> list[str]:
    """Ids for several names at once, unique among themselves and against `taken`."""
    taken = set() if taken is None else taken
    return [unique_id(name, taken) for name in names]


__all__ = ["Part", "choice", "keyed", "narrow", "one_of", "unique_id", "unique_ids"]
