"""Text that copies the schema's own instructions back.

Field descriptions are prompt context, so a small model sometimes answers a field with a description (a
title "An evocative title for the piece") or with its task ("A group of 2-4 different mechanisms that give
players real choices"). The text is schema-valid and meaningless. These plain functions find it for any
domain: every description in a schema, every string in a design, and the overlap of words that marks a copy.
A domain's agents `tell` what else they say to the model (tasks, role instructions), so that a domain's
rules can look for copies of that too (`told`).
"""

from __future__ import annotations

import re
import types
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from genontology.ontology.violations import PathPart

_WORD = re.compile(r"[a-z0-9']+")
MIN_WORDS = 3  # shorter text ("A", "coda", "Night") is too short to call a copy
OVERLAP = 0.7  # Jaccard of word sets at or above which text copies a description


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models inside an annotation (list[X], dict[str, X], X | None, Annotated[X, ...])."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    if get_origin(annotation) in (Union, types.UnionType) or get_args(annotation):
        for arg in get_args(annotation):
            yield from _models(arg)


@cache
def descriptions(schema: type[BaseModel]) -> list[str]:
    """Every field description in `schema` and the models it contains, each once, in field order (computed
    once per schema; do not mutate the list)."""
    found: dict[str, None] = {}
    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for info in model.model_fields.values():
            for meta in [info, *getattr(info, "metadata", [])]:
                if getattr(meta, "description", None):
                    found.setdefault(meta.description, None)
            for inner in _models(info.annotation):
                walk(inner)
            for arg in get_args(info.annotation):  # Annotated values inside list[...] or dict[..., ...]
                for meta in getattr(arg, "__metadata__", ()):
                    if getattr(meta, "description", None):
                        found.setdefault(meta.description, None)

    walk(schema)
    return list(found)


def strings(data: Any, path: tuple[PathPart, ...] = ()) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    """Every string in dumped design data with its path (dict keys are names, not text, and are skipped)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, (*path, i))


@lru_cache(maxsize=4096)  # the instructions are the same few hundred texts at every validation
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def echoed(text: str, instructions: list[str]) -> str | None:
    """The instruction `text` copies, if any: most of the words of both are the same words."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return None
    sizes, indexed = _by_size(tuple(instructions))
    # A Jaccard overlap of OVERLAP needs sizes within that ratio: only those instructions are compared.
    lo, hi = bisect_left(sizes, OVERLAP * len(words)), bisect_right(sizes, len(words) / OVERLAP)
    for theirs, instruction in indexed[lo:hi]:
        if len(words & theirs) / len(words | theirs) >= OVERLAP:
            return instruction
    return None


@lru_cache(maxsize=8)
def _by_size(instructions: tuple[str, ...]) -> tuple[list[int], list[tuple[frozenset[str], str]]]:
    """The instructions' word sets sorted by size, once per list of instructions."""
    indexed = sorted(((_words(i), i) for i in instructions if _words(i)), key=lambda x: len(x[0]))
    return [len(w) for w, _ in indexed], indexed


_TOLD: dict[str, list[str]] = {}


def tell(domain: str, texts: Iterable[str]) -> None:
    """Record what a domain's agents say to the model besides the schema (stage tasks, role instructions),
    once each; the plan that generates the domain's designs calls this when it is built."""
    told_ = _TOLD.setdefault(domain, [])
    told_ += [text for text in texts if text not in told_]


def told(domain: str) -> list[str]:
    """What the domain's agents said to the model, as far as it was told here (nothing before a plan is
    built: a design written by hand copies no prompt)."""
    return list(_TOLD.get(domain, []))
