"""The greedy decoder against llama-cpp-python's own sampler chain, on the embedded model: the same answers
byte for byte (with the whole-vocabulary fallback forced too), saved prefixes restored instead of read, and
the token limit reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from llama_cpp import LlamaGrammar

from genontology.generators import decoding
from genontology.generators.decoding import GreedyDecoder
from genontology.generators.embedded import _load, embedded_model_path, working_weights
from genontology.generators.grammar import json_schema_to_grammar
from genontology.generators.prefixes import DiskPrefixes, PrefixStates, common_prefix

PENALTY = 1.1
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 30},
        "kind": {"enum": ["card", "token", "die", "board"]},
        "count": {"type": "integer", "minimum": 2, "maximum": 17},
        "uses": {"type": "array", "items": {"type": "string", "maxLength": 20}, "maxItems": 3},
    },
    "required": ["name", "kind", "count", "uses"],
}
SYSTEM = """You are the Component Designer. You decide what is in the box: cards, boards, tokens, dice, how
many of each, and the setup. Your worry: can players handle this smoothly? Every component must earn its
place and fit on a table.

Answer with one JSON object with these fields:
- name (str): A name of one to four words.
- kind (one of card|token|die|board): What it is.
- count (int): How many are in the box, from 2 to 17.
- uses (list of str): What players do with it, at most three short phrases."""


def chat(user: str, system: str = SYSTEM) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@pytest.fixture(scope="module")
def llm() -> Any:
    return _load(str(embedded_model_path()), 2048, 2)


def library(llm: Any, messages: list[dict[str, str]], grammar: str | None, max_tokens: int = 120) -> str:
    llm.reset()
    out = llm.create_chat_completion(
        messages=messages,
        max_tokens=max_tokens,
        temperature=0.0,
        repeat_penalty=PENALTY,
        grammar=LlamaGrammar.from_string(grammar, verbose=False) if grammar else None,
    )
    return out["choices"][0]["message"]["content"]


@pytest.mark.parametrize("candidates", [decoding.CANDIDATES, 1])
def test_answers_are_the_library_chains_byte_for_byte(
    llm: Any, candidates: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one candidate checked before the fallback, most tokens go through the whole-vocabulary path."""
    monkeypatch.setattr(decoding, "CANDIDATES", candidates)
    grammar = json_schema_to_grammar(SCHEMA)
    decoder = GreedyDecoder(llm, states=PrefixStates(capacity=0))
    for user in ("A deck for a game of cave fungi.", "Dice for rival lighthouse keepers."):
        llm.reset()
        ours = decoder.decode(chat(user), grammar, 120, PENALTY)
        assert ours.finish_reason == "stop" and ours.output_tokens > 5
        assert ours.text == library(llm, chat(user), grammar)
    free = decoder.decode(chat("Name a card."), None, 40, PENALTY)  # no grammar: plain greedy
    assert free.text == library(llm, chat("Name a card."), None, 40)
    decoder.close()


def test_a_stages_first_message_is_restored_not_read_again(llm: Any) -> None:
    grammar = json_schema_to_grammar(SCHEMA)
    decoder = GreedyDecoder(llm)
    decoder.decode(chat("A deck for a game of cave fungi."), grammar, 120, PENALTY)
    decoder.decode(chat("Anything.", system="You write haiku."), None, 10, PENALTY)  # the KV cache moves on
    again = decoder.decode(chat("Dice for rival lighthouse keepers."), grammar, 120, PENALTY)
    shared = common_prefix(
        np.array(decoder.tokens(chat("A deck for a game of cave fungi."))),
        np.array(decoder.tokens(chat("Dice for rival lighthouse keepers."))),
    )
    # the system message, all but the prompt's last FRESH_TAIL tokens, which are always read
    assert again.cached_tokens == min(shared, again.prompt_tokens - decoding.FRESH_TAIL) > 60
    fresh = GreedyDecoder(llm, states=PrefixStates(capacity=0))
    llm.reset()
    alone = fresh.decode(chat("Dice for rival lighthouse keepers."), grammar, 120, PENALTY)
    assert alone.cached_tokens == 0 and alone.text == again.text
    decoder.close()
    fresh.close()


def test_a_first_message_met_again_is_restored_in_later_processes(llm: Any, tmp_path: Path) -> None:
    """Each decoder below stands for a process: the folder is all they share."""
    grammar = json_schema_to_grammar(SCHEMA)

    def process(*asked: list[dict[str, str]], capacity: int = 2**30) -> Any:
        llm.reset()
        decoder = GreedyDecoder(llm, disk=DiskPrefixes(tmp_path, capacity))
        decoded = [decoder.decode(messages, grammar, 120, PENALTY) for messages in asked]
        decoder.close()
        return decoded[-1]

    def first_message(messages: list[dict[str, str]]) -> int:
        return common_prefix(np.array(system.tokens(messages[:1])), np.array(system.tokens(messages)))

    system = GreedyDecoder(llm, states=PrefixStates(capacity=0))
    saved = DiskPrefixes(tmp_path)
    # seen once, or again by the same process (a stage's next round, which the memory serves): tokens only
    again = process(chat("A deck for a game of cave fungi."), chat("Dice for rival lighthouse keepers."))
    assert again.cached_tokens > 80 and not saved.prefixes() and len(saved.prefixes(".seen")) == 1
    assert process(chat("A deck for rival lighthouse keepers.")).cached_tokens == 0  # met again: saved
    head = first_message(chat("x"))
    assert [len(p) for p in saved.prefixes()] == [head]
    third = process(chat("Dice for rival lighthouse keepers."))
    # the whole first message, all but the prompt's last FRESH_TAIL tokens
    assert third.cached_tokens == min(head, third.prompt_tokens - decoding.FRESH_TAIL) > 80
    llm.reset()
    alone = system.decode(chat("Dice for rival lighthouse keepers."), grammar, 120, PENALTY)
    assert alone.cached_tokens == 0 and alone.text == third.text

    # another stage of the same role: the part the two first messages share is saved, then restored
    other = SYSTEM.replace("- name (str)", "- title (str)")
    trunk = common_prefix(
        np.array(system.tokens(chat("x"))), np.array(system.tokens(chat("x", system=other)))
    )
    assert process(chat("A deck for a game of cave fungi.", system=other)).cached_tokens == trunk > 50
    assert sorted(len(p) for p in saved.prefixes()) == [trunk, head]
    assert process(chat("Dice for rival lighthouse keepers.", system=other)).cached_tokens == trunk

    # a file cut short is absent, not an error, and deleted; past the capacity the least recently used go
    for path in tmp_path.glob("*.kv"):
        path.write_bytes(path.read_bytes()[:100])
    assert process(chat("Dice for rival lighthouse keepers.")).text == alone.text
    assert [len(p) for p in saved.prefixes()] == [head]  # met again: saved again
    (kept,) = tmp_path.glob("*.kv")
    process(chat("A deck for a game of cave fungi.", system=other), capacity=kept.stat().st_size * 3 // 2)
    (now,) = tmp_path.glob("*.kv")  # the other first message, met again, saved; the older state went
    other_head = np.array(system.tokens(chat("x", system=other)))[: first_message(chat("x", system=other))]
    assert now != kept and saved.holds(other_head)
    system.close()


def test_the_token_limit_is_reported(llm: Any) -> None:
    decoder = GreedyDecoder(llm)
    cut = decoder.decode(chat("A deck for a game of cave fungi."), json_schema_to_grammar(SCHEMA), 4, PENALTY)
    assert cut.finish_reason == "length" and cut.output_tokens == 4
    decoder.close()


def test_prefix_states_give_the_longest_shared_prefix_and_drop_the_least_recent() -> None:
    states = PrefixStates(capacity=10)
    states.put(np.array([1, 2]), b"ab")
    states.put(np.array([1, 2, 3]), b"abc")
    assert states.longest(np.array([1, 2, 3, 4]), limit=3) == (3, b"abc")
    assert states.longest(np.array([1, 2, 3, 4]), limit=2)[0] == 2  # the last token is never restored
    assert states.longest(np.array([1, 2, 5, 6]), limit=3)[0] == 2
    assert states.longest(np.array([9, 1]), limit=5) is None
    states.put(np.array([1, 2]), b"ab")  # already there: nothing added
    assert states.size == 5
    states.longest(np.array([1, 2]), limit=5)  # [1, 2] (met first) used: [1, 2, 3] is now the least recent
    states.put(np.array([7, 7, 7]), b"xyzzzz")
    assert states.size == 8 and states.longest(np.array([1, 2, 3, 4]), limit=3) == (2, b"ab")
    states.put(np.array([5]), b"x" * 11)  # bigger than the whole capacity: never kept
    assert states.size == 8


def test_working_weights_are_made_once_atomically_and_never_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENONTOLOGY_HOME", str(tmp_path / "home"))
    shipped = embedded_model_path()
    made = working_weights(shipped, "Q8_0")
    assert made.parent == tmp_path / "home" / "models" and made.stat().st_size > shipped.stat().st_size
    assert [p.name for p in made.parent.iterdir()] == [made.name]  # no partial file left behind
    stamp = made.stat().st_mtime_ns
    assert working_weights(shipped, "Q8_0") == made and made.stat().st_mtime_ns == stamp  # kept, not remade
    (tmp_path / "locked").write_text("a file where the folder would go")
    monkeypatch.setenv("GENONTOLOGY_HOME", str(tmp_path / "locked"))
    assert working_weights(shipped, "Q8_0") == shipped  # cannot be written: the shipped weights run
