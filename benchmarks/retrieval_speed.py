"""Exemplar store at scale: 10,000 synthetic exemplars (variants of the shipped corpus with new themes).

Measures indexing throughput (validation + embedding + Chroma upsert), query latency (median and p95 over
varied queries, with and without facet filters), and peak memory. Baseline in the same run: a brute-force
numpy scan over the same embeddings, the simplest thing that could work.

    python benchmarks/retrieval_speed.py [--n 10000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology.retrieval import ExemplarStore
from genontology.retrieval.embeddings import embed

WORDS = [
    "amber",
    "coral",
    "desert",
    "glacier",
    "harbor",
    "jungle",
    "lantern",
    "meadow",
    "nebula",
    "orchard",
    "prairie",
    "quarry",
    "reef",
    "savanna",
    "temple",
    "tundra",
    "volcano",
    "willow",
    "canyon",
    "citadel",
]
QUERIES = [
    "deck building with a market",
    "worker placement farming",
    "cooperative survival against the game",
    "trick taking with trumps",
    "bluffing and hidden roles",
    "dice racing game",
    "auction for paintings",
    "tile laying map building",
    "drafting and passing cards",
    "area control war on a map",
]


def synthetic(store: ExemplarStore, n: int, rng: random.Random) -> list[dict]:
    base = [d.model_dump(mode="json", exclude_none=True) for d in store.domain.load_exemplars()]
    out = []
    for i in range(n):
        d = dict(base[i % len(base)])
        place = " ".join(rng.sample(WORDS, 3))
        d.update(
            id=f"syn_{i}",
            title=f"{d['title']} of the {place}"[:80],
            theme=f"{d['theme'][:300]} Set among the {place}."[:400],
        )
        out.append(d)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    folder = Path(tempfile.mkdtemp()) / "exemplars"
    began = time.perf_counter()
    store = ExemplarStore.open(folder)
    print(f"open and index the corpus: {time.perf_counter() - began:.1f} s")
    items = synthetic(store, args.n, rng)
    began = time.perf_counter()
    store.add_many(items)
    seconds = time.perf_counter() - began
    print(f"indexed {args.n} exemplars in {seconds:.1f} s: {args.n / seconds:.0f} per second")

    queries = [rng.choice(QUERIES) + " " + rng.choice(WORDS) for _ in range(args.queries)]
    timings, filtered = [], []
    for q in queries:
        t = time.perf_counter()
        store.search(q, 5)
        timings.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        store.search(q, 5, players=4, mechanisms=["hand_management"])
        filtered.append((time.perf_counter() - t) * 1000)

    everything = store._collection.get(include=["embeddings"])  # baseline: brute force over the same vectors
    matrix = np.asarray(everything["embeddings"])
    scan = []
    for q in queries:
        t = time.perf_counter()
        vector = np.asarray(embed([q])[0])
        np.argpartition(-(matrix @ vector), 5)[:5]
        scan.append((time.perf_counter() - t) * 1000)

    def p95(xs: list[float]) -> float:
        return sorted(xs)[int(len(xs) * 0.95) - 1]

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {machine()}")
    print(f"store size: {len(store)}")
    print(f"search median {statistics.median(timings):.1f} ms, p95 {p95(timings):.1f} ms")
    print(f"filtered search median {statistics.median(filtered):.1f} ms, p95 {p95(filtered):.1f} ms")
    print(f"baseline brute-force scan median {statistics.median(scan):.1f} ms")
    print(f"peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
