"""Greedy decoding under a grammar at the speed of free decoding, and saved prompt prefixes, for llama.cpp.

llama-cpp-python's sampler chain (penalties, grammar, greedy) passes all 49,152 candidates through the
grammar at every token, which halves the decoding rate (measured: 32 against 62 tokens a second). Greedy
decoding needs only the best candidate the grammar allows, so candidates are checked one at a time in the
order of their penalized logits, and the whole vocabulary goes through the grammar only when none of the
best `CANDIDATES` is allowed. The token chosen is the chain's own, so answers are byte for byte the
library's (tested, and compared call by call in `benchmarks/decode_speed.py`).

A stage's first message (role, task, the outline of its answer) is the same in every round of the stage, so
each prompt's KV state is saved after it is read (about 25 MB for 1,100 tokens, 17 ms), and a later prompt
restores the state that shares the most leading tokens with it (5 ms) instead of reading them again at 200
tokens a second. Every design asks the same stages, so the state of a first message met again, and of the
part two first messages share, is also kept on disk for later processes (`prefixes.DiskPrefixes`).
"""

from __future__ import annotations

import ctypes
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from genontology.generators.lm_errors import LMOutputError
from genontology.generators.prefixes import DiskPrefixes, PrefixStates, common_prefix

CANDIDATES = 64  # checked one by one before the whole vocabulary goes through the grammar
PENALTY_WINDOW = 64  # llama-cpp-python's last_n_tokens_size: the repeat penalty looks this far back
# The last tokens of a prompt are always read as one batch: the logits of a batch of one token differ in the
# last bits from a batch's (measured: a whole prompt restored but its last token changed one answer of 11),
# and a greedy 135M model's words follow the last bits. Tails of 64 and more matched the library's answers.
FRESH_TAIL = 64
WORTH_RESTORING = 8  # fewer shared tokens are read (5 ms each) faster than a big state is restored
TRUNK = 32  # the fewest tokens two first messages must share for the shared part to be saved on its own
GRAMMARS = 32  # parsed grammars kept (a design asks about a dozen schemas)


@dataclass
class Decoded:
    """One answer: its tokens as text, how many prompt tokens there were and how many were restored."""

    text: str
    prompt_tokens: int
    cached_tokens: int
    output_tokens: int
    finish_reason: str  # "stop" or "length"
    prompt_s: float = 0.0  # reading the prompt
    decode_s: float = 0.0  # writing the answer


class GreedyDecoder:
    """Greedy, grammar-constrained chat completion on one loaded `llama_cpp.Llama` (callers serialize)."""

    def __init__(self, llm: Any, *, states: PrefixStates | None = None, disk: DiskPrefixes | None = None):
        import llama_cpp
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.llm = llm
        self.lib = llama_cpp
        self.vocab = llama_cpp.llama_model_get_vocab(llm._model.model)
        self.n_vocab = llm.n_vocab()
        self.formatter = Jinja2ChatFormatter(
            template=llm.metadata["tokenizer.chat_template"],
            eos_token=llm._model.token_get_text(llm.token_eos()),
            bos_token=llm._model.token_get_text(llm.token_bos()),
            stop_token_ids=[llm.token_eos()],
        )
        self.states = states if states is not None else PrefixStates()
        self.disk = disk
        self._one = (llama_cpp.llama_token_data * 1)()
        self._all = (llama_cpp.llama_token_data * self.n_vocab)()
        self._all_view = np.ctypeslib.as_array(self._all)
        self._grammars: OrderedDict[str, Any] = OrderedDict()

    def close(self) -> None:
        for sampler in self._grammars.values():
            self.lib.llama_sampler_free(sampler)
        self._grammars.clear()
        self.states.clear()

    def tokens(self, messages: list[dict[str, str]]) -> list[int]:
        """The prompt's tokens, exactly as llama-cpp-python's chat completion makes them."""
        formatted = self.formatter(messages=messages)
        return self.llm.tokenize(
            formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True
        )

    def _grammar(self, grammar: str) -> Any:
        sampler = self._grammars.get(grammar)
        if sampler is None:
            sampler = self.lib.llama_sampler_init_grammar(self.vocab, grammar.encode("utf-8"), b"root")
            if not sampler:
                raise ValueError("llama.cpp could not parse the grammar")
            self._grammars[grammar] = sampler
            if len(self._grammars) > GRAMMARS:
                self.lib.llama_sampler_free(self._grammars.popitem(last=False)[1])
        self._grammars.move_to_end(grammar)
        self.lib.llama_sampler_reset(sampler)
        return sampler

    def _read_prompt(self, tokens: list[int]) -> int:
        """Evaluate the prompt from the longest prefix the KV cache, a saved state in memory or one on disk
        already holds, then save its state in memory; returns how many tokens were reused."""
        llm, ctx = self.llm, self.llm._ctx.ctx
        prompt = np.array(tokens, dtype=np.int64)
        limit = max(0, len(tokens) - FRESH_TAIL)
        reused = min(common_prefix(llm.input_ids[: llm.n_tokens].astype(np.int64), prompt), limit)
        saved = self.states.longest(prompt, limit)
        on_disk = self.disk.longest(prompt, limit) if self.disk is not None else None
        if on_disk is not None and on_disk[0] > (saved[0] if saved else 0):
            state = self.disk.load(on_disk[1]) if on_disk[0] >= reused + WORTH_RESTORING else None
            if state is not None:
                saved = on_disk[0], (ctypes.c_uint8 * len(state)).from_buffer(state)
        if saved is not None and saved[0] >= reused + WORTH_RESTORING:
            shared, state = saved
            # the state may hold more than is shared: `eval` drops what lies beyond n_tokens
            reused = shared if self.lib.llama_state_seq_set_data(ctx, state, len(state), 0) else 0
            llm.input_ids[:reused] = prompt[:reused]
        llm.n_tokens = reused
        llm.eval(tokens[reused:])
        if self.states.capacity and (saved[0] if saved else 0) < limit:  # not yet saved, or only in part
            state = self._state()
            if state is not None:
                self.states.put(prompt, state)
        return reused

    def _state(self) -> Any:
        """The KV state of what the context holds now, or None if llama.cpp cannot give it."""
        lib, ctx = self.lib, self.llm._ctx.ctx
        size = lib.llama_state_seq_get_size(ctx, 0)
        state = (ctypes.c_uint8 * size)()
        return state if lib.llama_state_seq_get_data(ctx, state, size, 0) == size else None

    def _keep_first_message(self, messages: list[dict[str, str]], tokens: list[int]) -> None:
        """Save on disk the state of the prompt's first message where it will be met again: the whole of it
        when an earlier process saw it too, else the part it shares with a first message seen before (where
        the stage's prompt starts to depend on the design); then record it as seen."""
        if self.disk is None or self.disk.capacity <= 0 or len(messages) < 2:
            return
        prompt = np.array(tokens, dtype=np.int64)
        first = common_prefix(np.array(self.tokens(messages[:1]), dtype=np.int64), prompt)
        head = prompt[:first]
        shared = self.disk.seen(head)
        if shared >= TRUNK and not self.disk.holds(head[:shared]):
            self.llm._ctx.kv_cache_seq_rm(-1, shared, -1)  # the context keeps that much, and reuses it
            self.llm.n_tokens = shared
            state = self._state()
            if state is not None:
                self.disk.put(head[:shared], state)
        if shared < first:
            self.disk.note(head)

    def _allowed(self, grammar: Any, token: int) -> bool:
        one = self._one
        one[0].id, one[0].logit, one[0].p = token, 0.0, 0.0
        candidates = self.lib.llama_token_data_array(data=one, size=1, selected=-1, sorted=False)
        self.lib.llama_sampler_apply(grammar, ctypes.byref(candidates))
        return bool(np.isfinite(one[0].logit))

    def _best_allowed(self, grammar: Any, logits: np.ndarray) -> int:
        top = np.argpartition(-logits, CANDIDATES)[:CANDIDATES]
        for token in top[np.lexsort((top, -logits[top]))]:  # by logit, ties to the lower id as greedy does
            if self._allowed(grammar, int(token)):
                return int(token)
        view = self._all_view
        view["id"], view["logit"], view["p"] = np.arange(self.n_vocab), logits, 0.0
        candidates = self.lib.llama_token_data_array(
            data=self._all, size=self.n_vocab, selected=-1, sorted=False
        )
        self.lib.llama_sampler_apply(grammar, ctypes.byref(candidates))
        best = int(np.argmax(view["logit"]))
        if not np.isfinite(view["logit"][best]):  # accepting it would abort the process inside llama.cpp
            raise LMOutputError("the grammar admits no next token: the schema has no finite answer here")
        return int(view["id"][best])

    def decode(
        self, messages: list[dict[str, str]], grammar: str | None, max_tokens: int, repeat_penalty: float
    ) -> Decoded:
        llm, lib = self.llm, self.lib
        started = time.perf_counter()
        tokens = self.tokens(messages)
        cached = self._read_prompt(tokens)
        read = time.perf_counter()
        sampler = self._grammar(grammar) if grammar else None
        out: list[int] = []
        finish = "length"
        while len(out) < max_tokens:
            logits = np.ctypeslib.as_array(
                lib.llama_get_logits_ith(llm._ctx.ctx, -1), shape=(self.n_vocab,)
            ).copy()
            if repeat_penalty != 1.0 and out:  # llama.cpp's penalties over this answer's recent tokens
                seen = np.unique(np.array(out[-PENALTY_WINDOW:]))
                values = logits[seen]
                logits[seen] = np.where(values <= 0, values * repeat_penalty, values / repeat_penalty)
            token = int(np.argmax(logits)) if sampler is None else self._best_allowed(sampler, logits)
            if lib.llama_vocab_is_eog(self.vocab, token):
                finish = "stop"
                break
            if sampler is not None:
                lib.llama_sampler_accept(sampler, token)
            out.append(token)
            llm.eval([token])
        decoded = time.perf_counter()
        self._keep_first_message(messages, tokens)
        return Decoded(
            text=llm.detokenize(out).decode("utf-8", errors="replace"),
            prompt_tokens=len(tokens),
            cached_tokens=cached,
            output_tokens=len(out),
            finish_reason=finish,
            prompt_s=read - started,
            decode_s=decoded - read,
        )
