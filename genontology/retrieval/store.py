"""The exemplar store: an embedded, persistent Chroma database, one collection per domain.

Indexed from the shipped corpus on first use and again whenever the corpus changes (keyed by its content
hash), never duplicated; user exemplars are validated before anything is written. Retrieval is two-phase:
Chroma's metadata filters on facets, then semantic ranking, optionally diversified with MMR.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock
from pydantic import BaseModel

from genontology.ontology import Domain, errors_among, get_domain
from genontology.ontology.io import data_home, write_atomic
from genontology.retrieval.embeddings import MiniLMEmbedding, embed
from genontology.retrieval.store_errors import ExemplarRejected, StoreError

# Re-ranking for facets a query names; measured on tests/data/retrieval_queries.yaml (recall@5 0.66 -> 0.95).
FACET_THRESHOLD = 0.45
FACET_BOOST = 0.25
CORPUS, USER = "corpus", "user"


@dataclass(frozen=True)
class Exemplar:
    """A retrieved precedent: the typed design, its similarity to the query, and where it came from."""

    design: BaseModel
    score: float
    source: str

    @property
    def id(self) -> str:
        return str(getattr(self.design, "id", ""))


@dataclass(frozen=True)
class _Index:
    generation: int
    ids: list[str]
    row: dict[str, int]
    vectors: np.ndarray
    flags: dict[str, np.ndarray]

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every exemplar to a unit vector."""
        return _matvec(self.vectors, vector)


def _matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Through torch, not numpy: OpenBLAS's spinning threads, woken by a numpy product, starved the next
    query embedding on 2 cores (search measured 2x slower)."""
    import torch

    return torch.mv(torch.from_numpy(matrix), torch.from_numpy(vector)).numpy()


def corpus_hash(designs: Sequence[BaseModel]) -> str:
    digest = hashlib.sha256()
    for design in sorted(designs, key=lambda d: str(getattr(d, "id", ""))):
        digest.update(design.model_dump_json(exclude_none=True).encode())
    return digest.hexdigest()[:16]


def mmr(relevance: np.ndarray, candidates: np.ndarray, k: int, diversity: float) -> list[int]:
    """Maximal marginal relevance over unit vectors: trade relevance for novelty against those chosen."""
    chosen: list[int] = []
    remaining = list(range(len(candidates)))
    while remaining and len(chosen) < k:
        if chosen:
            redundancy = (candidates[remaining] @ candidates[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(remaining))
        scores = (1 - diversity) * relevance[remaining] - diversity * redundancy
        best = remaining[int(np.argmax(scores))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


@lru_cache(maxsize=8)
def _vocabulary_cached(domain: str, items: tuple[tuple[str, str], ...]) -> tuple[list[str], np.ndarray]:
    return [key for key, _ in items], np.asarray(embed([phrase for _, phrase in items]), dtype=np.float32)


def _vocabulary(domain: str, vocabulary: Any) -> tuple[list[str], np.ndarray]:
    return _vocabulary_cached(domain, tuple(sorted(vocabulary().items())))


class ExemplarStore:
    """Search and extend a domain's exemplars.

    Building one is cheap: it names the folder and the domain. `ExemplarStore.open(path, domain)` opens it
    for use: creates the folder, opens Chroma and indexes the shipped corpus if it changed (the embedding
    work, seconds on a first run); a store built directly does this on its first search, count or add.
    """

    def __init__(self, path: str | Path | None = None, domain: str | Domain[Any] = "tabletop") -> None:
        self.domain = get_domain(domain) if isinstance(domain, str) else domain
        if self.domain.exemplar_text is None or self.domain.exemplar_facets is None:
            raise StoreError(f"domain {self.domain.name} defines no exemplar text view or facets")
        self.path = Path(path) if path else data_home() / "exemplars"
        # Chroma's embedded client is not multi-process safe: one file lock serializes every operation, and a
        # generation counter tells a process that another one has written, so it reopens a fresh client.
        self._lock = FileLock(str(self.path.parent / f".{self.path.name}.lock"))
        self._generation_file = self.path.parent / f".{self.path.name}.generation"
        self._seen = -1
        self._synced = False
        self._cached: _Index | None = None

    @classmethod
    def open(cls, path: str | Path | None = None, domain: str | Domain[Any] = "tabletop") -> ExemplarStore:
        """The store at `path` (default: $GENONTOLOGY_HOME/exemplars), opened, holding the shipped corpus."""
        store = cls(path, domain)
        with store._using():
            pass
        return store

    @contextlib.contextmanager
    def _using(self) -> Iterator[None]:
        """Hold the lock with the client fresh (another process may have written) and the corpus indexed."""
        self.path.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._fresh()
            if not self._synced:
                if self._sync_corpus():
                    self._bump()
                self._synced = True
            yield

    def _generation(self) -> int:
        try:
            return int(self._generation_file.read_text() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    def _fresh(self) -> None:
        """(Re)open the client if this process has not seen the latest write. Call with the lock held."""
        current = self._generation()
        if current != self._seen:
            _forget_clients()
            self._open()
            self._seen = current

    def _bump(self) -> None:
        self._seen = self._generation() + 1
        write_atomic(self._generation_file, str(self._seen))

    def _open(self) -> None:
        import chromadb
        from chromadb.config import Settings

        try:
            self._client = chromadb.PersistentClient(
                path=str(self.path), settings=Settings(anonymized_telemetry=False)
            )
            self._collection = self._client.get_or_create_collection(
                f"{self.domain.name}-exemplars",
                embedding_function=MiniLMEmbedding(),
                metadata={"hnsw:space": "cosine"},
            )
            self._collection.count()
        except Exception as exc:  # chromadb raises many types for a folder it cannot read
            _forget_clients()
            raise StoreError(
                f"the exemplar store at {self.path} is unreadable ({type(exc).__name__}: {str(exc)[:120]}); "
                "run `genontology exemplars reindex` to set it aside and rebuild it"
            ) from None

    def _record(self, design: BaseModel, source: str) -> tuple[str, str, dict[str, Any]]:
        facets = dict(self.domain.exemplar_facets(design))  # type: ignore[misc]
        facets.update(source=source, design_json=design.model_dump_json(exclude_none=True))
        return str(design.id), self.domain.exemplar_text(design), facets  # type: ignore[attr-defined,misc]

    def _sync_corpus(self) -> bool:
        """Index the shipped corpus if its hash changed; True if anything was written."""
        designs = list(self.domain.load_exemplars())
        wanted = corpus_hash(designs)
        meta = self._collection.metadata or {}
        if meta.get("corpus_hash") == wanted and self._collection.count() >= len(designs):
            return False
        self._collection.delete(where={"source": CORPUS})
        records = [self._record(d, CORPUS) for d in designs]
        if records:
            ids, docs, metas = zip(*records, strict=True)
            self._collection.upsert(ids=list(ids), documents=list(docs), metadatas=list(metas))
        kept = {key: value for key, value in meta.items() if not key.startswith("hnsw:")}  # fixed at creation
        self._collection.modify(metadata={**kept, "corpus_hash": wanted})
        return True

    def __len__(self) -> int:
        with self._using():
            return self._collection.count()

    def add(self, data: BaseModel | dict[str, Any]) -> BaseModel:
        """Validate, then add (or replace) a user exemplar. A structurally invalid one is refused; nothing is
        written. The rules over prose are not applied: an exemplar is a user's own design, written by hand."""
        return self._add([data])[0]

    def add_many(self, items: Sequence[BaseModel | dict[str, Any]]) -> int:
        """Validate every item first (any invalid one refuses the whole batch), then add them all."""
        return len(self._add(items))

    def _add(self, items: Sequence[BaseModel | dict[str, Any]], batch: int = 1000) -> list[BaseModel]:
        designs = []
        for item in items:
            violations = self.domain.validate(item, prose=False)
            errors = errors_among(violations)
            if errors:
                raise ExemplarRejected(
                    f"refused, nothing written: {len(errors)} error(s), first: {errors[0]}", violations
                )
            designs.append(self.domain.parse(item))
        records = [self._record(d, USER) for d in designs]
        with self._using():
            for start in range(0, len(records), batch):
                ids, docs, metas = zip(*records[start : start + batch], strict=True)
                self._collection.upsert(ids=list(ids), documents=list(docs), metadatas=list(metas))
            self._bump()
        return designs

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        mechanisms: Sequence[str] = (),
        categories: Sequence[str] = (),
        players: int | None = None,
        interaction: str | None = None,
        complexity: str | None = None,
        diversity: float = 0.0,
        exclude: Sequence[str] = (),
    ) -> list[Exemplar]:
        """Two phases: hard facet filters (the arguments), then semantic ranking of `query`, boosted for
        exemplars that carry the facets the query itself names ("trick taking", "cooperative").
        `diversity` in [0, 1] re-ranks with MMR so the results are not variants of one game."""
        if k < 1:
            return []
        where = self._where(mechanisms, categories, players, interaction, complexity)
        vector = np.asarray(embed([query])[0], dtype=np.float32)
        named = self._named_facets(vector)
        with self._using():
            index = self._index()
            if not index.ids:
                return []
            if where is None:
                rows = np.arange(len(index.ids))
            else:  # phase one: Chroma's metadata filters
                pool = min(len(index.ids), max(10 * k + len(exclude), 100))
                found = self._collection.query(
                    query_embeddings=[vector.tolist()], n_results=pool, where=where, include=["distances"]
                )["ids"][0]
                rows = np.asarray([index.row[i] for i in found if i in index.row], dtype=np.int64)
            # Phase two: semantic ranking, boosted for exemplars carrying the facets the query names.
            boost = np.zeros(len(rows), dtype=np.float32)
            for key, sim in named:
                if key in index.flags:
                    boost = np.maximum(boost, index.flags[key][rows] * sim)
            relevance = index.similarities(vector)[rows] + FACET_BOOST * boost
            keep = np.asarray([index.ids[r] not in exclude for r in rows], dtype=bool)
            rows, relevance = rows[keep], relevance[keep]
            if len(rows) == 0:
                return []
            if diversity > 0:
                top = np.argsort(-relevance)[: max(4 * k, 40)]
                order = [int(top[j]) for j in mmr(relevance[top], index.vectors[rows[top]], k, diversity)]
            else:
                order = [int(j) for j in np.argsort(-relevance)[:k]]
            chosen = [index.ids[rows[j]] for j in order]
            got = self._collection.get(ids=chosen, include=["metadatas"])
        metas = dict(zip(got["ids"], got["metadatas"], strict=True))
        return [
            Exemplar(
                self.domain.parse(json.loads(metas[i]["design_json"])),
                float(relevance[j]),
                str(metas[i]["source"]),
            )
            for i, j in zip(chosen, order, strict=True)
            if metas.get(i)
        ]

    def _index(self) -> _Index:
        """Every exemplar's vector and facet flags, held in memory until another write: ranking 10,000
        exemplars is one matrix product, where a Chroma query per named facet took 20 ms each."""
        if self._cached is None or self._cached.generation != self._seen:
            got = self._collection.get(include=["embeddings", "metadatas"])
            ids = list(got["ids"])
            vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(ids), -1)
            flags: dict[str, np.ndarray] = {}
            for row, meta in enumerate(got["metadatas"] or []):
                for key, value in (meta or {}).items():
                    if value is True:
                        flags.setdefault(key, np.zeros(len(ids), dtype=bool))[row] = True
            self._cached = _Index(self._seen, ids, {i: r for r, i in enumerate(ids)}, vectors, flags)
        return self._cached

    def _named_facets(self, vector: np.ndarray) -> list[tuple[str, float]]:
        """The facets whose phrases the query is close to (at most three, similarity >= threshold)."""
        if self.domain.facet_vocabulary is None:
            return []
        keys, matrix = _vocabulary(self.domain.name, self.domain.facet_vocabulary)
        sims = _matvec(matrix, vector)
        return [(keys[i], float(sims[i])) for i in np.argsort(-sims)[:3] if sims[i] >= FACET_THRESHOLD]

    def by_mechanisms(self, types: Sequence[str], k: int = 5, **filters: Any) -> list[Exemplar]:
        """Games that share these mechanism types (all of them), ranked by similarity to their names."""
        return self.search(" ".join(t.replace("_", " ") for t in types), k, mechanisms=types, **filters)

    def similar_to(self, design: BaseModel, k: int = 5, diversity: float = 0.3) -> list[Exemplar]:
        """Precedents to compare a (partial) design against: close in text, excluding itself."""
        return self.search(
            self.domain.exemplar_text(design),
            k,
            diversity=diversity,  # type: ignore[misc]
            exclude=[str(getattr(design, "id", ""))],
        )

    @staticmethod
    def _where(
        mechanisms: Sequence[str],
        categories: Sequence[str],
        players: int | None,
        interaction: str | None,
        complexity: str | None,
    ) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = [{f"mech_{m}": True} for m in mechanisms]
        clauses += [{f"cat_{c}": True} for c in categories]
        if players is not None:
            clauses += [{"players_min": {"$lte": players}}, {"players_max": {"$gte": players}}]
        if interaction:
            clauses.append({"interaction": interaction})
        if complexity:
            clauses.append({"complexity": complexity})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _forget_clients() -> None:
    """Chroma caches one client per path, a broken one included; drop them so the path can be reopened."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def reindex(path: str | Path | None = None, domain: str = "tabletop") -> ExemplarStore:
    """Set the store folder aside (renamed, never deleted: user exemplars stay recoverable), then rebuild."""
    folder = Path(path) if path else data_home() / "exemplars"
    _forget_clients()
    if folder.exists():
        folder.rename(folder.with_name(f"{folder.name}.old-{time.strftime('%Y%m%d-%H%M%S')}"))
    return ExemplarStore.open(folder, domain)


def _as_data(text: object) -> str:
    """Exemplar text as one line of data: no line breaks, no `##` (the prompt's field headings), so text in
    a user's exemplar file cannot open a field of its own or pose as the instructions."""
    return re.sub(r"#{2,}", "#", " ".join(str(text).split()))


def render_for_prompt(
    exemplars: Sequence[Exemplar], token_budget: int = 600, describe: Callable[[Any], str] | None = None
) -> str:
    """A compact block of precedents for a prompt, one line each (`describe`, else the title), cut to a token
    budget (about 4 characters a token). Exemplars are data: each line is flattened by `_as_data`."""
    lines: list[str] = []
    used = 0
    for ex in exemplars:
        line = f"- {_as_data(describe(ex.design) if describe else getattr(ex.design, 'title', ex.id))}"
        cost = len(line) // 4 + 1
        if used + cost > token_budget:
            break
        lines.append(line)
        used += cost
    return "\n".join(lines)
