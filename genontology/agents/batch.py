"""Batches of designs: one run per prompt, on an executor (genontology.execution).

On the local executor the runs are threads of this process, sharing its Designer: one LM (the embedded model
loaded once), one exemplar store. On Ray each run is a task; a worker builds the Designer once from its
`DesignerRecipe`, so the LM must be one every worker can reach or load (a hosted provider, a vLLM or
llama.cpp server, the embedded model) and the store a path every node sees. With `out`, run i lives in
`out/<i>-<slug of its prompt>` and a run whose folder holds a checkpoint continues from it (a finished one is
read back without asking anything): a batch whose driver was killed resumes where it stopped, and a task Ray
runs again after its worker or node died does not redo a finished stage.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genontology.agents.result import DesignResult
from genontology.agents.trace import Trace
from genontology.execution import Executor, executor_for
from genontology.ontology.io import slug
from genontology.redaction import redact_text

if TYPE_CHECKING:
    from genontology.agents.designer import Designer


@dataclass(frozen=True)
class DesignerRecipe:
    """What builds a Designer again on another machine: its constructor's arguments, the store as a path
    (each worker opens its own client), and a token naming the Designer it came from, so that a worker
    running several of its tasks builds it once."""

    arguments: dict[str, Any]
    store_path: str | None
    token: str

    def build(self) -> Designer:
        if self.token not in _BUILT:
            from genontology.agents.designer import Designer

            store = None
            if self.store_path is not None:
                from genontology.retrieval import ExemplarStore

                store = ExemplarStore.open(self.store_path, self.arguments["domain"])
            if len(_BUILT) >= KEEP_BUILT:  # the oldest goes: a search reseeds its Designer call by call
                _BUILT.pop(next(iter(_BUILT)))
            _BUILT[self.token] = Designer(**self.arguments, store=store)
        return _BUILT[self.token]


KEEP_BUILT = 8
_BUILT: dict[str, Designer] = {}  # per worker process: the Designers its tasks were given, built once


@dataclass
class BatchProgress:
    """Where a batch stands, after each run that ends."""

    total: int
    done: int = 0
    failed: int = 0
    running: int = 0
    elapsed_s: float = 0.0

    @property
    def per_hour(self) -> float:
        return self.done / self.elapsed_s * 3600 if self.elapsed_s else 0.0

    @property
    def eta_s(self) -> float | None:
        return (self.total - self.done) * self.elapsed_s / self.done if self.done else None

    def line(self) -> str:
        eta = f"{self.eta_s:.0f} s" if self.eta_s is not None else "?"
        return (
            f"{self.done}/{self.total} done ({self.failed} failed), {self.running} running, "
            f"{self.per_hour:.1f} designs/h, ETA {eta}"
        )


def run_folder(out: str | Path | None, index: int, prompt: str) -> Path | None:
    return Path(out) / f"{index:02d}-{slug(prompt, 32)}" if out is not None else None


def design_one(
    designer: Designer | DesignerRecipe, prompt: str, folder: Path | None, constraints: dict[str, Any]
) -> DesignResult:
    """One run of a batch: continued from its folder's checkpoint when it has one, else started there."""
    from genontology.agents.designer import CHECKPOINT

    built = designer.build() if isinstance(designer, DesignerRecipe) else designer
    if folder is not None and (folder / CHECKPOINT).is_file():
        return built.resume(folder)
    return built.run(prompt, out=folder, **constraints)


def vary_one(
    designer: Designer | DesignerRecipe, folder: Path, stage: str, note: str, out: Path
) -> DesignResult:
    """`Designer.vary` as an executor's call (a variant resumes from `out` when it has a checkpoint)."""
    built = designer.build() if isinstance(designer, DesignerRecipe) else designer
    return built.vary(folder, stage, note, out=out)


def shipped(designer: Designer, pool: Executor) -> Designer | DesignerRecipe:
    """The Designer as `pool`'s calls receive it: itself in this process, else the recipe a worker builds."""
    return designer if pool.in_process else designer.recipe()


def failed(designer: Designer, prompt: str, error: BaseException) -> DesignResult:
    """A run that raised, as a result that says why (one failure must not sink the batch)."""
    message = redact_text(str(error) or type(error).__name__)
    return DesignResult(prompt, "failed", {}, None, [], [], Trace(), {}, 0, designer.domain, message)


def run_batch(
    designer: Designer,
    prompts: Sequence[str],
    *,
    concurrency: int = 2,
    out: str | Path | None = None,
    executor: str | Executor | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
    constraints: dict[str, Any],
) -> list[DesignResult]:
    """`Designer.run_many`: the results in input order; see the module docstring."""
    pool = executor_for(executor, threads=concurrency)
    owned = not isinstance(executor, Executor)
    calls = [(shipped(designer, pool), p, run_folder(out, i, p), constraints) for i, p in enumerate(prompts)]
    results: list[DesignResult | None] = [None] * len(prompts)
    progress = BatchProgress(len(prompts), running=min(len(prompts), pool.workers))
    began = time.perf_counter()
    try:
        for index, outcome in pool.unordered(design_one, calls):
            if isinstance(outcome, BaseException):
                outcome = failed(designer, prompts[index], outcome)
            results[index] = outcome
            progress.done += 1
            progress.failed += outcome.status == "failed"
            progress.running = min(len(prompts) - progress.done, pool.workers)
            progress.elapsed_s = time.perf_counter() - began
            if on_progress is not None:
                on_progress(progress)
    finally:
        if owned:
            pool.close()
    return [r for r in results if r is not None]
