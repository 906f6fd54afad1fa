"""Text that copies the schema's own instructions back.

Field descriptions are prompt context, so a small model sometimes answers a field with a description (a
title "An evocative title for the piece") or with its task ("A group of 2-4 different mechanisms that give
players real choices"). The text is schema-valid and meaningless. These plain functions find it for any
domain: every description in a schema, every string in a design, and the overlap of words that marks a copy.
A domain's agents `tell` what else they say to the model (tasks, role instructions), so that a domain's
rules can look for copies of that too (`told`).
"""

from __future__ import annotations

import math
import re
import types
from collections import Counter
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


def _prefix(ordered: list[str]) -> list[str]:
    """The words of a set (rarest first) that any set overlapping it by OVERLAP must share one of."""
    return ordered[: len(ordered) - math.ceil(OVERLAP * len(ordered)) + 1]


class Instructions:
    """Texts indexed for finding copies, the way set-similarity joins do it (prefix filtering): order every
    word by how rare it is among the texts; two word sets with Jaccard overlap OVERLAP share a word among
    the first |words| - ceil(OVERLAP * |words|) + 1 of each. So only texts sharing one of a text's few
    rarest words are compared, instead of every text of a similar size."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = [t for t in dict.fromkeys(texts) if _words(t)]
        self.sets = [_words(t) for t in self.texts]
        counts = Counter(w for words in self.sets for w in words)
        self.rank = {w: (n, w) for w, n in counts.items()}
        self.postings: dict[str, list[int]] = {}
        for i, words in enumerate(self.sets):
            for word in _prefix(self._ordered(words)):
                self.postings.setdefault(word, []).append(i)

    def _ordered(self, words: frozenset[str]) -> list[str]:
        return sorted(words, key=lambda w: self.rank.get(w, (0, w)))  # a word no text has is the rarest

    def copied(self, text: str) -> str | None:
        """The text `text` copies, if any: most of the words of both are the same words."""
        words = _words(text)
        if len(words) < MIN_WORDS:
            return None
        candidates = sorted({i for w in _prefix(self._ordered(words)) for i in self.postings.get(w, ())})
        for i in candidates:
            shared = len(words & self.sets[i])
            if shared / (len(words) + len(self.sets[i]) - shared) >= OVERLAP:
                return self.texts[i]
        return None


@lru_cache(maxsize=8)
def indexed(instructions: tuple[str, ...]) -> Instructions:
    """`instructions` indexed, once per distinct tuple of texts."""
    return Instructions(instructions)


def echoed(text: str, instructions: list[str]) -> str | None:
    """The instruction `text` copies, if any (see `Instructions`; build one for many texts)."""
    return indexed(tuple(instructions)).copied(text)


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
