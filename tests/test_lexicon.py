"""The shipped word list and the nouns nearest a theme by meaning: what made names are made of."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from genontology.retrieval import lexicon as lx


def test_the_word_list_knows_english_and_not_made_up_words() -> None:
    assert all(lx.english(w) for w in ("cave", "Caverns", "glowing", "merchant's", "fungi"))
    assert not any(lx.english(w) for w in ("amarakai", "piranja", "cluedo"))
    assert lx.plural("coin") == "coins" and lx.plural("fungus") == "fungi" and lx.plural("silk") == "silk"
    nouns = set(lx.lexicon().nouns)
    assert {"mushroom", "lantern", "treasure"} <= nouns and not {"these", "something", "good"} & nouns


def test_the_nouns_nearest_a_theme_are_of_the_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENONTOLOGY_HOME", str(tmp_path))
    lx._noun_vectors.cache_clear()
    found = lx.nearest("tiny dragons hoarding treasure", 10)
    assert {"dragon", "treasure"} <= set(found) and len(found) == 10
    assert "dragon" not in lx.nearest("tiny dragons hoarding treasure", 10, exclude=["dragon"])
    cached = list((tmp_path / "lexicon").glob("nouns-*.npy"))
    assert len(cached) == 1 and np.load(cached[0]).shape == (len(lx.lexicon().nouns), 384)


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENONTOLOGY_HOME", str(tmp_path))
    lx._noun_vectors.cache_clear()
    lx._noun_vectors()
    (cached,) = (tmp_path / "lexicon").glob("nouns-*.npy")
    cached.write_bytes(b"not an array")
    lx._noun_vectors.cache_clear()
    assert lx._noun_vectors().shape[0] == len(lx.lexicon().nouns)
    assert np.load(cached).shape[0] == len(lx.lexicon().nouns)
