"""The exemplar store: Chroma with offline embeddings, two-phase retrieval."""

from genontology.retrieval.store import Exemplar, ExemplarStore, reindex, render_for_prompt
from genontology.retrieval.store_errors import ExemplarRejected, StoreError

__all__ = ["Exemplar", "ExemplarRejected", "ExemplarStore", "StoreError", "reindex", "render_for_prompt"]
