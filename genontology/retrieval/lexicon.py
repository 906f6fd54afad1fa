"""English words, and the nouns nearest a text by meaning: what a name is made of when the model's is not one.

`data/words.tsv.gz` holds about 27,000 common English words (wordfreq's 40,000 most frequent that
lemminflect's dictionary knows); about 6,000 are marked `N`, with their plural: frequent nouns that are nouns
only (a verb form aside) and have a plural ("these" has none), the pool names are drawn from. It is data,
made once by `make_lexicon.py` beside this file (the `lexicon` extra); nothing is downloaded at run time.
The nouns' embeddings (the shipped sentence model, 2.7 s on 2 cores) are kept in the data folder after the
first use.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

from genontology.ontology.io import data_home, write_atomic

WORDS_FILE = "words.tsv.gz"


@dataclass(frozen=True)
class Lexicon:
    words: frozenset[str]  # lowercase
    nouns: tuple[str, ...]  # lowercase, in frequency order
    plurals: dict[str, str]  # each noun's plural as said, itself for a mass noun ("silk")


@cache
def lexicon() -> Lexicon:
    raw = files("genontology.retrieval").joinpath("data", WORDS_FILE).read_bytes()
    rows = [line.split("\t") for line in gzip.decompress(raw).decode().splitlines() if line]
    plurals = {w: plural for w, flags, plural in rows if "N" in flags}
    return Lexicon(frozenset(w for w, _, _ in rows), tuple(plurals), plurals)


def plural(noun: str) -> str:
    """A noun's plural as it is said ("fungi", "coins"), itself for a mass noun or one not listed."""
    return lexicon().plurals.get(noun.lower(), noun)


def english(word: str) -> bool:
    """Whether a word (any case, a plural or possessive) is a common English word."""
    w = word.lower().removesuffix("'s").strip("'")
    known = lexicon().words
    return w in known or (w.endswith("s") and w[:-1] in known) or (w.endswith("es") and w[:-2] in known)


@cache
def _noun_vectors() -> np.ndarray:
    """The nouns' embeddings, computed once and kept in the data folder (keyed by the word list)."""
    from genontology.retrieval.embeddings import embed, model_dir

    nouns = lexicon().nouns
    key = hashlib.sha256("\n".join(nouns).encode() + str(model_dir()).encode()).hexdigest()[:16]
    cached = data_home() / "lexicon" / f"nouns-{key}.npy"
    if cached.exists():
        try:
            vectors = np.load(cached)
            if vectors.shape[0] == len(nouns):
                return vectors
        except (OSError, ValueError):
            pass  # a damaged cache is rebuilt
    vectors = np.asarray(embed(list(nouns)), dtype=np.float32)
    buffer = io.BytesIO()
    np.save(buffer, vectors)
    write_atomic(cached, buffer.getvalue())
    return vectors


def nearest(text: str, k: int, avoid: str = "", exclude: Iterable[str] = ()) -> list[str]:
    """The `k` nouns closest in meaning to `text`, less those in `exclude`; with `avoid`, each noun's
    closeness to it counts against it (nouns of people when naming things: "merchant" is no resource)."""
    from genontology.retrieval.embeddings import embed

    queries = np.asarray(embed([text, avoid] if avoid else [text]), dtype=np.float32)
    scores = _noun_vectors() @ queries.T
    score = scores[:, 0] - (0.5 * scores[:, 1] if avoid else 0.0)
    banned = {w.lower() for w in exclude}
    nouns = lexicon().nouns
    ranked = (nouns[i] for i in np.argsort(-score, kind="stable"))
    return [w for w, _ in zip((w for w in ranked if w not in banned), range(k), strict=False)]
