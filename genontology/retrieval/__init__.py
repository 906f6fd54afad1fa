"""The exemplar store: Chroma with offline embeddings, two-phase retrieval."""

from genontology.retrieval.errors import ExemplarRejected, StoreError
from genontology.retrieval.store import Exemplar, ExemplarStore, reindex, render_for_prompt

__all__ = ["Exemplar", "ExemplarRejected", "ExemplarStore", "StoreError", "reindex", "render_for_prompt"]
