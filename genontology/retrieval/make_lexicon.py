"""Rebuild `data/words.tsv.gz` (see lexicon.py): `pip install genontology[lexicon]`, then `python
genontology/retrieval/make_lexicon.py`. Run by hand when the word list should change; never at run time.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

FREQUENT = 40_000  # wordfreq's most frequent English words considered
NOUN_RANK = 20_000  # nouns for names come from the more frequent half
# Parts of speech that make a word a poor name for a thing ("good", "their", "while").
NOT_A_THING = {"ADJ", "ADV", "PRON", "DET", "ADP", "AUX", "SCONJ", "CCONJ", "NUM", "INTJ", "PART"}


MASS = 0.05  # a plural this much rarer than its singular is not said: "golds", "silks", "moneys"


def _plural(word: str, plurals: tuple[str, ...], frequency: Any) -> str:
    """The plural a reader says, or the word itself for a mass noun ("gold", "silk")."""
    said = max((p for p in plurals if p != word), key=lambda p: frequency(p, "en"), default=word)
    return said if frequency(said, "en") >= MASS * frequency(word, "en") else word


def rows() -> list[str]:
    import lemminflect
    import wordfreq

    out = []
    for rank, word in enumerate(wordfreq.top_n_list("en", FREQUENT)):
        if not (word.isascii() and word.isalpha() and len(word) >= 2):
            continue
        lemmas = lemminflect.getAllLemmas(word)  # the dictionary only: a made-up word has none
        if not lemmas:
            continue
        plurals = lemminflect.getAllInflections(word, upos="NOUN").get("NNS", ())
        noun = (
            rank < NOUN_RANK
            and len(word) >= 3
            and lemmas.get("NOUN", ("",))[0] == word
            and not set(lemmas) & NOT_A_THING
            and bool(plurals)  # a word with no plural is no thing: "these", "something"
        )
        plural = _plural(word, plurals, wordfreq.word_frequency) if noun else ""
        out.append(f"{word}\t{'N' if noun else ''}\t{plural}")
    return out


def main() -> None:
    target = Path(__file__).parent / "data" / "words.tsv.gz"
    lines = rows()
    target.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
    print(f"{target}: {len(lines)} words, {sum(line.split(chr(9))[1] == 'N' for line in lines)} nouns")


if __name__ == "__main__":
    main()
