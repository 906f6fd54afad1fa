"""Saved KV states of prompt prefixes, so a prompt that starts like an earlier one is restored, not read.

Two tiers, both keyed by tokens and searched for the longest shared prefix:
- `PrefixStates`, in memory: each prompt's state after it is read; a stage's later rounds restore their
  first message and the inputs before the feedback.
- `DiskPrefixes`, in the user's data folder, kept between processes: the state of a prompt's first message
  (role, task, the outline of the answer) met a second time, and of the part two first messages share.
  Every design asks the same stages, so a later process restores what earlier ones read. A state belongs
  to one model file, context size, thread count, attention kernel and llama.cpp build (the folder is named
  by them); a file cut short is read as absent and deleted.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from genontology.ontology.io import write_atomic

STATE_BYTES = 512 * 2**20  # in memory: saved prefixes kept, least recently used dropped first
DISK_BYTES = int(float(os.environ.get("GENONTOLOGY_PREFIX_CACHE_MB", "256")) * 2**20)  # 0: none on disk
HEADER = struct.Struct("<8sQ")  # magic, token count; then the tokens (int32), then the state's bytes
MAGIC = b"gokv0001"
STATE, SEEN = ".kv", ".seen"  # a saved state; a first message's tokens only
MAX_SEEN = 512


def common_prefix(a: np.ndarray, b: np.ndarray) -> int:
    """How many leading tokens two token arrays share."""
    n = min(len(a), len(b))
    differ = np.flatnonzero(a[:n] != b[:n])
    return int(differ[0]) if len(differ) else n


def longest_match(
    prefixes: Iterable[tuple[Any, np.ndarray]], tokens: np.ndarray, limit: int
) -> tuple[Any, int]:
    """Of (key, prefix) pairs, the key whose prefix shares the most leading tokens with `tokens` (at most
    `limit`; of two, the shorter prefix), and how many; (None, 0) when none shares any."""
    best, shared, length = None, 0, 0
    for key, prefix in prefixes:
        n = min(common_prefix(prefix, tokens), limit)
        if n > shared or (n == shared and n and len(prefix) < length):
            best, shared, length = key, n, len(prefix)
    return best, shared


@dataclass
class PrefixStates:
    """Saved KV states of prompt prefixes, keyed by their tokens, bounded in bytes (least recently used
    dropped first)."""

    capacity: int = STATE_BYTES
    states: OrderedDict[bytes, tuple[np.ndarray, Any]] = field(default_factory=OrderedDict)
    size: int = 0

    def longest(self, tokens: np.ndarray, limit: int) -> tuple[int, Any] | None:
        """The saved state sharing the most leading tokens with `tokens` (at most `limit`), and how many."""
        best, shared = longest_match(((k, p) for k, (p, _) in self.states.items()), tokens, limit)
        if best is None:
            return None
        self.states.move_to_end(best)
        return shared, self.states[best][1]

    def clear(self) -> None:
        self.states.clear()
        self.size = 0

    def put(self, prefix: np.ndarray, state: Any) -> None:
        """Keep `state` (a buffer: bytes or a ctypes array) for the prompt `prefix`."""
        key = prefix.tobytes()
        if key in self.states or len(state) > self.capacity:
            return
        self.states[key] = (prefix, state)
        self.size += len(state)
        while self.size > self.capacity:
            _, (_, dropped) = self.states.popitem(last=False)
            self.size -= len(dropped)


def model_key(model_path: str | Path, *settings: Any) -> str:
    """A name for what a KV state depends on: the model file (path, size, time) and the given settings."""
    path = Path(model_path).resolve()
    stat = path.stat()
    text = repr((str(path), stat.st_size, stat.st_mtime_ns, *settings))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class DiskPrefixes:
    """Prompt prefixes in a folder, shared by processes: the tokens of first messages seen (`.seen`, a few
    KB each) and the KV states worth restoring (`.kv`, about 23 KB a token). A state is saved only where it
    will be met again: a first message seen before, whole, or the part two different first messages share
    (where a stage's prompt starts to depend on the design). Least recently used states are deleted past
    `capacity` bytes, the oldest records past `MAX_SEEN`; files are written atomically."""

    folder: Path
    capacity: int = DISK_BYTES
    _index: dict[str, np.ndarray] = field(default_factory=dict)  # file name -> its tokens
    _noted: set[str] = field(default_factory=set)  # what this process recorded: its own repeats do not count

    def _scan(self) -> None:
        """Learn the files other processes wrote and forget the ones they deleted."""
        try:
            names = {e.name for e in os.scandir(self.folder) if e.name.endswith((STATE, SEEN))}
        except OSError:
            names = set()
        for gone in set(self._index) - names:
            del self._index[gone]
        for name in names - set(self._index):
            try:
                with open(self.folder / name, "rb") as handle:
                    magic, count = HEADER.unpack(handle.read(HEADER.size))
                    tokens = np.frombuffer(handle.read(4 * count), dtype=np.int32)
            except (OSError, struct.error):
                magic, count, tokens = b"", -1, np.zeros(0, dtype=np.int32)
            if magic == MAGIC and len(tokens) == count:
                self._index[name] = tokens.astype(np.int64)
            else:
                self._forget(name)

    def _forget(self, name: str) -> None:
        self._index.pop(name, None)
        (self.folder / name).unlink(missing_ok=True)

    def prefixes(self, kind: str = STATE) -> list[np.ndarray]:
        """The token prefixes saved now: with a state (`STATE`) or only seen (`SEEN`)."""
        self._scan()
        return [tokens for name, tokens in self._index.items() if name.endswith(kind)]

    def longest(self, tokens: np.ndarray, limit: int) -> tuple[int, str] | None:
        """The state sharing the most leading tokens with `tokens` (at most `limit`; of two, the shorter),
        and how many."""
        self._scan()
        states = ((name, p) for name, p in self._index.items() if name.endswith(STATE))
        best, shared = longest_match(states, tokens, limit)
        return None if best is None else (shared, best)

    def seen(self, tokens: np.ndarray) -> int:
        """The most leading tokens any prefix saved, or seen by another process, shares with `tokens` (a
        stage's later rounds in this process meet their first message again, and the memory serves those)."""
        self._scan()
        return max(
            (
                n
                for name, prefix in self._index.items()
                if (n := common_prefix(prefix, tokens)) < len(tokens) or name not in self._noted
            ),
            default=0,
        )

    def holds(self, tokens: np.ndarray) -> bool:
        """Whether a state is saved for exactly `tokens`."""
        return any(len(p) == len(tokens) and common_prefix(p, tokens) == len(p) for p in self.prefixes())

    def load(self, name: str) -> bytearray | None:
        """The state saved in `name`, or None where it is gone or cut short (then it is deleted); marks it
        recently used."""
        path = self.folder / name
        try:
            data = path.read_bytes()
            os.utime(path)
        except OSError:
            return None
        magic, count = HEADER.unpack_from(data) if len(data) >= HEADER.size else (b"", 0)
        start = HEADER.size + 4 * count
        if magic != MAGIC or len(data) <= start:
            self._forget(name)
            return None
        return bytearray(data[start:])

    def put(self, tokens: np.ndarray, state: Any) -> None:
        """Save `state` (a buffer) for the prefix `tokens`, then delete the least recently used states past
        the capacity. Nothing is raised: a cache that cannot be written is a cache that is not used."""
        if 0 < len(state) <= self.capacity:
            self._write(tokens, STATE, bytes(state))
        self._evict(STATE, lambda files: sum(size for _, size, _ in files) > self.capacity)

    def note(self, tokens: np.ndarray) -> None:
        """Record that a first message with these tokens was seen (no state)."""
        if self.capacity > 0 and self._name(tokens, SEEN) not in self._noted:
            self._noted.add(self._write(tokens, SEEN, b""))
            self._evict(SEEN, lambda files: len(files) > MAX_SEEN)

    @staticmethod
    def _name(tokens: np.ndarray, kind: str) -> str:
        return hashlib.sha256(np.asarray(tokens, dtype=np.int32).tobytes()).hexdigest()[:24] + kind

    def _write(self, tokens: np.ndarray, kind: str, state: bytes) -> str:
        prefix, name = np.asarray(tokens, dtype=np.int32), self._name(tokens, kind)
        try:
            write_atomic(self.folder / name, HEADER.pack(MAGIC, len(prefix)) + prefix.tobytes() + state)
        except OSError:
            return name
        self._index[name] = prefix.astype(np.int64)
        return name

    def _evict(self, kind: str, over: Any) -> None:
        """Delete the least recently used files of `kind` while `over(files)` holds."""
        files = []
        try:
            for entry in os.scandir(self.folder):
                if entry.name.endswith(kind):
                    stat = entry.stat()
                    files.append((stat.st_mtime_ns, stat.st_size, entry.name))
        except OSError:
            return
        files.sort()
        while files and over(files):
            self._forget(files.pop(0)[2])
