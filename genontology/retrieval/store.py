"""The exemplar store: an embedded, persistent Chroma database, one collection per domain.

Indexed from the shipped corpus on first use and again whenever the corpus changes (keyed by its content
hash), never duplicated; user exemplars are validated before anything is written. Retrieval is two-phase:
Chroma's metadata filters on facets, then semantic ranking, optionally diversified with MMR.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock
from pydantic import BaseModel

from genontology.ontology import Domain, get_domain
from genontology.ontology.io import write_atomic
from genontology.retrieval.embeddings import MiniLMEmbedding, embed
from genontology.retrieval.errors import ExemplarRejected, StoreError

HOME_VAR = "GENONTOLOGY_HOME"
# Re-ranking for facets a query names; measured on tests/data/retrieval_queries.yaml (recall@5 0.66 -> 0.95).
FACET_THRESHOLD = 0.45
FACET_BOOST = 0.25
CORPUS, USER = "corpus", "user"


def default_home() -> Path:
    """$GENONTOLOGY_HOME, else $XDG_DATA_HOME/genontology, else ~/.local/share/genontology."""
    if os.environ.get(HOME_VAR):
        return Path(os.environ[HOME_VAR]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "genontology"


@dataclass(frozen=True)
class Exemplar:
    """A retrieved precedent: the typed design, its similarity to the query, and where it came from."""

    design: BaseModel
    score: float
    source: str

    @property
    def id(self) -> str:
        return str(getattr(self.design, "id", ""))


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
    return [key for key, _ in items], np.asarray(embed([phrase for _, phrase in items]))


def _vocabulary(domain: str, vocabulary: Any) -> tuple[list[str], np.ndarray]:
    return _vocabulary_cached(domain, tuple(sorted(vocabulary().items())))


class ExemplarStore:
    """Search and extend a domain's exemplars. Opening it indexes the shipped corpus if needed."""

    def __init__(self, path: str | Path | None = None, domain: str | Domain[Any] = "tabletop") -> None:
        self.domain = get_domain(domain) if isinstance(domain, str) else domain
        if self.domain.exemplar_text is None or self.domain.exemplar_facets is None:
            raise StoreError(f"domain {self.domain.name} defines no exemplar text view or facets")
        self.path = Path(path) if path else default_home() / "exemplars"
        self.path.mkdir(parents=True, exist_ok=True)
        # Chroma's embedded client is not multi-process safe: one file lock serializes every operation, and a
        # generation counter tells a process that another one has written, so it reopens a fresh client.
        self._lock = FileLock(str(self.path.parent / f".{self.path.name}.lock"))
        self._generation_file = self.path.parent / f".{self.path.name}.generation"
        self._seen = -1
        with self._lock:
            self._fresh()
            if self._sync_corpus():
                self._bump()

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
        with self._lock:
            self._fresh()
            return self._collection.count()

    def add(self, data: BaseModel | dict[str, Any]) -> BaseModel:
        """Validate, then add (or replace) a user exemplar. An invalid one is refused; nothing is written."""
        return self._add([data])[0]

    def add_many(self, items: Sequence[BaseModel | dict[str, Any]]) -> int:
        """Validate every item first (any invalid one refuses the whole batch), then add them all."""
        return len(self._add(items))

    def _add(self, items: Sequence[BaseModel | dict[str, Any]], batch: int = 1000) -> list[BaseModel]:
        designs = []
        for item in items:
            violations = self.domain.validate(item)
            errors = [v for v in violations if v.severity.value == "error"]
            if errors:
                raise ExemplarRejected(
                    f"refused, nothing written: {len(errors)} error(s), first: {errors[0]}", violations
                )
            designs.append(self.domain.parse(item))
        records = [self._record(d, USER) for d in designs]
        with self._lock:
            self._fresh()
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
        size = len(self)
        if k < 1 or size == 0:
            return []
        where = self._where(mechanisms, categories, players, interaction, complexity)
        vector = np.asarray(embed([query])[0])
        pool = min(size, max(4 * k + len(exclude), 40))
        named = self._named_facets(vector)
        with_vectors = diversity > 0
        with self._lock:
            self._fresh()
            found = self._nearest(vector, pool, where, with_vectors)
            # Members of each named facet compete too, even when phrased unlike the query. One query a facet:
            # measured at 10,000 exemplars, a single $or filter was no faster (Chroma filters dominate).
            for key, _ in named:
                scoped = {"$and": [where, {key: True}]} if where else {key: True}
                found.update(self._nearest(vector, pool, scoped, with_vectors))
        ids = [i for i in found if i not in exclude]
        if not ids:
            return []
        relevance = np.asarray(
            [
                found[i][1] + FACET_BOOST * max([sim for key, sim in named if found[i][0].get(key)] + [0.0])
                for i in ids
            ]
        )
        if diversity > 0:
            vectors = np.asarray([found[i][2] for i in ids])
            order = mmr(relevance, vectors, k, diversity)
        else:
            order = list(np.argsort(-relevance)[:k])
        return [
            Exemplar(
                self.domain.parse(json.loads(found[ids[j]][0]["design_json"])),
                float(relevance[j]),
                str(found[ids[j]][0]["source"]),
            )
            for j in order
        ]

    def _nearest(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None, with_vectors: bool
    ) -> dict[str, tuple[Any, ...]]:
        """The n nearest under a filter: (metadata, cosine similarity, vector if asked) by id."""
        include = ["metadatas", "distances", *(["embeddings"] if with_vectors else [])]
        result = self._collection.query(
            query_embeddings=[vector.tolist()], n_results=n, where=where, include=include
        )
        ids, metas, distances = result["ids"][0], result["metadatas"][0], result["distances"][0]
        vectors = result["embeddings"][0] if with_vectors else [None] * len(ids)
        return {
            exemplar_id: (meta, 1.0 - float(distance), vec)
            for exemplar_id, meta, distance, vec in zip(ids, metas, distances, vectors, strict=True)
            if meta is not None
        }

    def _named_facets(self, vector: np.ndarray) -> list[tuple[str, float]]:
        """The facets whose phrases the query is close to (at most three, similarity >= threshold)."""
        if self.domain.facet_vocabulary is None:
            return []
        keys, matrix = _vocabulary(self.domain.name, self.domain.facet_vocabulary)
        sims = matrix @ vector
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
    folder = Path(path) if path else default_home() / "exemplars"
    _forget_clients()
    if folder.exists():
        folder.rename(folder.with_name(f"{folder.name}.old-{time.strftime('%Y%m%d-%H%M%S')}"))
    return ExemplarStore(folder, domain)


def render_for_prompt(exemplars: Sequence[Exemplar], token_budget: int = 600) -> str:
    """A compact block of precedents for a prompt, cut to a token budget (about 4 characters a token)."""
    lines: list[str] = []
    used = 0
    for ex in exemplars:
        design = ex.design
        mechanisms = ", ".join(m.type.value for m in getattr(design, "mechanisms", []))
        line = f"- {getattr(design, 'title', ex.id)} [{mechanisms}]: {getattr(design, 'core_loop', '')}"
        cost = len(line) // 4 + 1
        if used + cost > token_budget:
            break
        lines.append(line)
        used += cost
    return "\n".join(lines)
