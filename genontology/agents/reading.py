"""What a theme's own words say about one typed choice, read by meaning before any stage.

"Rival merchants" says how players relate; "a march for toy soldiers" says what a piece is. A domain gives
each label of a choice a few short phrases, as a theme might say it; every word and run of two or three
words of the theme is embedded with the shipped sentence model and compared with them. A label is read when
some phrase of the theme is close enough to it and clearly closer to it than to any other label; otherwise
the theme does not say. A zero-shot classification by meaning, not a keyword list: the phrases are evidence,
and words that are not among them are read by what they mean.

Why not the language model: asked for a Literal label, the 135M embedded model read 1 of 25 themes' player
interaction right (`benchmarks/interaction_reading.py`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from functools import cache
from typing import TypeVar

import numpy as np

L = TypeVar("L", bound=Hashable)

# English function words: a phrase made only of them ("each other", "in a") says nothing by itself.
FUNCTION_WORDS = frozenset(
    "a an the in on at of for to with by from into onto over under through across after before during "  # noqa: SIM905
    "and or but as is are be each other one another their his her its them they who that this".split()
)


def phrases(theme: str) -> list[str]:
    """The theme's words and runs of two and three words, each with at least one content word."""
    tokens = re.findall(r"[a-z']+", theme.lower())
    runs = (tokens[i : i + n] for n in (1, 2, 3) for i in range(len(tokens) - n + 1))
    return [" ".join(run) for run in runs if not FUNCTION_WORDS.issuperset(run)]


@cache
def _described(labels: tuple[tuple[Hashable, tuple[str, ...]], ...]) -> tuple[list[Hashable], np.ndarray]:
    from genontology.retrieval.embeddings import embed

    kinds = [label for label, said in labels for _ in said]
    return kinds, np.array(embed([phrase for _, said in labels for phrase in said]))


def read_label(
    theme: str, labels: Mapping[L, tuple[str, ...]], close_enough: float, margin: float
) -> tuple[L | None, str, float]:
    """The label the theme states, the phrase of the theme that states it and how closely (cosine
    similarity); None for the label when no phrase is at least `close_enough` to one label and `margin`
    closer to it than to every other."""
    from genontology.retrieval.embeddings import embed

    said = phrases(theme)
    if not said:
        return None, "", 0.0
    order = list(labels)
    kinds, described = _described(tuple((label, tuple(labels[label])) for label in order))
    similarity = np.array(embed(said)) @ described.T  # embeddings are unit length: dot product is cosine
    closest = np.stack([similarity[:, [k == label for k in kinds]].max(axis=1) for label in order], axis=1)
    if len(order) > 1:
        others = np.stack([np.delete(closest, j, axis=1).max(axis=1) for j in range(len(order))], axis=1)
        ahead = closest - others
    else:
        ahead = closest
    evidence = np.where((closest >= close_enough) & (ahead >= margin), closest, 0.0)
    phrase, label = np.unravel_index(int(evidence.argmax()), evidence.shape)
    if evidence[phrase, label] == 0.0:
        phrase = int(closest.max(axis=1).argmax())
        return None, said[phrase], round(float(closest[phrase].max()), 3)
    return order[label], said[phrase], round(float(closest[phrase, label]), 3)
