"""What a reader sees: checks on the text of a design, the same for every domain.

Structure is checked by identity; text is checked here, by plain functions a domain's rules call: text that
looks like code (braces, comment markers, snake_case ids, JSON keys), names a reader would confuse (the same
words in another case or spacing), names that say nothing (a field's label, a schema's class name), and text
that merely repeats other text. `PROSE` is the pattern generation's prose fields carry, so that a constrained
model cannot write the characters of code at all (the embedded grammar bars them; other backends' answers are
refused by the same pattern).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Characters prose never needs and code always does: a generated prose field may not contain any of them.
CODE_CHARACTERS = r"{}\[\]<>#`_|\\="
PROSE = rf"^[^{CODE_CHARACTERS}]*$"

_CODE = re.compile(
    r"[{}\[\]<>`|\\]"  # braces, brackets, angle brackets, backticks, pipes, backslashes
    r"|(?:^|\s)(?:#|//|/\*)"  # a comment marker opening a word
    r"|\b[a-z]+_[a-z0-9_]+\b"  # a snake_case identifier
    r"|\"\s*:"  # a JSON key
    r"|\w=\w"  # an assignment
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}:\d{2}"  # a timestamp, which only a machine writes into prose
)
# A character every pattern above needs: most prose has none, and this scan is ten times cheaper than _CODE.
_SUSPECT = re.compile(r"[{}\[\]<>`|\\#/_\"=:-]")
_WORDS = re.compile(r"[a-z0-9']+")


def code_fragment(text: str) -> str | None:
    """The first stretch of `text` that looks like code, with a little context, or None."""
    if _SUSPECT.search(text) is None:
        return None
    match = _CODE.search(text)
    if match is None and text.count('"') % 2 == 0:
        return None
    at = match.start() if match else text.index('"')
    return text[max(0, at - 12) : at + 12].strip()


def words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


def same_name(text: str) -> str:
    """A name as a reader hears it: case, spacing and punctuation ignored ("Fungi  Cave!" = "fungi cave")."""
    return " ".join(words(text))


def repeats(text: str, other: str, overlap: float = 0.8, least: int = 4) -> bool:
    """Whether `text` says what `other` says: the same words, or nearly (a Jaccard overlap of word sets at
    or above `overlap`), for text of at least `least` words."""
    mine, theirs = set(words(text)), set(words(other))
    if len(mine) < least or len(theirs) < least:
        return False
    return len(mine & theirs) / len(mine | theirs) >= overlap


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _squeezed(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


@lru_cache(maxsize=16)  # the same few label sets at every validation
def _squeezed_labels(labels: frozenset[str]) -> frozenset[str]:
    return frozenset(_squeezed(label) for label in labels)


def label_like(name: str, labels: frozenset[str]) -> bool:
    """Whether a name is only a label of the schema (a field's name, a model's class name, a kind), which a
    small model writes when it copies the form instead of filling it in."""
    return _squeezed(name) in _squeezed_labels(labels)


_JOINED = re.compile(
    r"[a-z][A-Z]"  # camelCase: words run together
    r"|\w+(?:-\w+){2,}"  # three or more words chained by hyphens
    r"|\b[A-Z]{4,}\b"  # a word of four or more letters in capitals, which shouts
)


def run_together(name: str) -> bool:
    """Whether a name runs its words together or shouts them ("CamelMachets", "Achilles-The-Fighting-Gods",
    "DRAWING"): how code names things, not how a reader does. "Mau-Mau" and "T-Rex" are fine."""
    return _JOINED.search(name) is not None
