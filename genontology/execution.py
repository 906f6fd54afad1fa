"""Where work runs: one interface, two engines.

`Executor.unordered(fn, calls)` runs `fn(*call)` for every call and yields `(index, result)` as each one
finishes, the exception standing as the result of a call that raised; `map` gives the results in input order
and raises the first failure. Two implementations:

- `LocalExecutor`: inline, on threads (work sharing one in-process LM: a batch of designs), or on forked
  processes (playouts). The default everywhere; needs nothing installed.
- `RayExecutor`: Ray tasks on a local Ray (started on first use) or on a running cluster (`address`, or
  "auto"); a task whose worker or node dies is run again by Ray (`max_retries`). `pip install
  'genontology[ray]'`.

Work handed to an executor is seeded call by call, so its results do not depend on the engine or on the number
of workers. The executor does not know what it runs: playouts, gate evaluations and designs all use it.
"""

from __future__ import annotations

import contextvars
import multiprocessing
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor as FuturesExecutor
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from typing import Any

from genontology.ontology import GenontologyError

INSTALL_RAY = "pip install 'genontology[ray]'"


class ExecutorError(GenontologyError):
    """An executor that cannot start: Ray not installed, a cluster address nobody answers."""


class Executor(ABC):
    """Runs calls of a module-level function; see the module docstring."""

    name: str = "executor"
    in_process: bool = True  # calls run in this process (inline or on threads) and share its memory
    calls: int = 0  # calls run so far: what a task's overhead multiplies

    @property
    @abstractmethod
    def workers(self) -> int:
        """How many calls run at once."""

    @abstractmethod
    def unordered(
        self, fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, Any]]:
        """`(index, fn(*calls[index]))` as each call finishes; a call that raised yields its exception."""

    def share(self, value: Any) -> Any:
        """A handle to `value` to pass in many calls: one copy shipped to the workers, not one per call."""
        return value

    def map(self, fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[Any]:
        """`[fn(*call) for call in calls]`, run by this executor; the first failure is raised."""
        results: list[Any] = [None] * len(calls)
        for index, result in self.unordered(fn, calls):
            if isinstance(result, BaseException):
                raise result
            results[index] = result
        return results

    def close(self) -> None:  # noqa: B027 (nothing to release unless an engine holds workers)
        """Release the workers (a Ray this executor started is shut down; a cluster it joined is left)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalExecutor(Executor):
    """Inline when `processes` and `threads` are both 1; else on a pool kept for the executor's life (so the
    many small batches of sequential sampling do not each start one): forked processes (fork where the OS
    has it) or threads."""

    name = "local"

    def __init__(self, processes: int = 1, threads: int = 1) -> None:
        if processes > 1 and threads > 1:
            raise ValueError("a local executor uses processes or threads, not both")
        self.processes, self.threads = max(1, processes), max(1, threads)
        self.in_process = self.processes == 1
        self._pool: FuturesExecutor | None = None

    @property
    def workers(self) -> int:
        return max(self.processes, self.threads)

    def _open(self) -> FuturesExecutor:
        if self._pool is None:
            if self.processes > 1:
                methods = multiprocessing.get_all_start_methods()
                context = multiprocessing.get_context("fork" if "fork" in methods else None)
                self._pool = ProcessPoolExecutor(self.processes, mp_context=context)
            else:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="genontology")
        return self._pool

    def unordered(
        self, fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, Any]]:
        self.calls += len(calls)
        if self.workers == 1 or len(calls) < 2:
            for index, call in enumerate(calls):
                yield index, _outcome(fn, call)
            return
        pool = self._open()
        if self.processes == 1:  # each thread call runs in a copy of the caller's context (DSPy's settings)
            futures = {pool.submit(contextvars.copy_context().run, fn, *c): i for i, c in enumerate(calls)}
        else:
            futures = {pool.submit(fn, *call): i for i, call in enumerate(calls)}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], error if error is not None else future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _outcome(fn: Callable[..., Any], call: tuple[Any, ...]) -> Any:
    try:
        return fn(*call)
    except Exception as exc:  # a failed call is its result; the caller decides whether it sinks the batch
        return exc


class RayExecutor(Executor):
    """Ray tasks (see the module docstring). `address`: None starts a local Ray (unless $RAY_ADDRESS names a
    cluster, as Ray itself reads it), "auto" joins the cluster running on this machine, "ray://host:10001" or
    "host:6379" a remote one. `num_cpus` caps a local Ray; `init` passes further options to `ray.init`."""

    name = "ray"
    in_process = False

    def __init__(
        self,
        address: str | None = None,
        *,
        max_retries: int = 3,
        num_cpus: int | None = None,
        init: dict[str, Any] | None = None,
    ) -> None:
        ray = _import_ray()
        self.max_retries = max_retries
        self._started = not ray.is_initialized()
        if self._started:
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if address is None and not os.environ.get("RAY_ADDRESS"):
                options["num_cpus"] = num_cpus
            try:
                ray.init(address=address, **options | (init or {}))
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ExecutorError(
                    f"cannot start or join Ray at {address or 'a local Ray'}: {exc}"
                ) from None
        self._remote: dict[Callable[..., Any], Any] = {}

    @property
    def workers(self) -> int:
        return max(1, int(_import_ray().cluster_resources().get("CPU", 1)))

    def share(self, value: Any) -> Any:
        return _import_ray().put(value)  # a task given an ObjectRef as an argument receives the value

    def unordered(
        self, fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, Any]]:
        ray = _import_ray()
        self.calls += len(calls)
        if fn not in self._remote:
            # Retried only when a worker or node dies; an exception the call raises is its result.
            self._remote[fn] = ray.remote(max_retries=self.max_retries, retry_exceptions=False)(fn)
        remote = self._remote[fn]
        refs = {remote.remote(*call): i for i, call in enumerate(calls)}
        pending = list(refs)
        try:
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                yield refs[ready[0]], _ray_result(ray, ready[0])
        finally:
            for ref in pending:  # a caller that stops early (an error it raised) leaves no task running
                ray.cancel(ref)

    def close(self) -> None:
        ray = _import_ray()
        if self._started and ray.is_initialized():
            ray.shutdown()


def _ray_result(ray: Any, ref: Any) -> Any:
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:  # the call's own exception, as it would be raised locally
        cause = exc.as_instanceof_cause()
        return getattr(cause, "cause", None) or cause
    except ray.exceptions.RayError as exc:  # retries spent on dead workers, a cancelled task
        return ExecutorError(f"a Ray task was lost: {exc}")


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ExecutorError(f"Ray is not installed; to run on Ray: {INSTALL_RAY}") from None
    return ray


def executor_for(spec: str | Executor | None, *, processes: int = 1, threads: int = 1) -> Executor:
    """An executor from a user's words: None or "local" (`processes` or `threads` workers), "ray" (a local
    Ray, or the cluster $RAY_ADDRESS names), "ray:ADDRESS" (that cluster; "ray:auto" the one on this
    machine); an Executor is returned as it is."""
    if isinstance(spec, Executor):
        return spec
    if spec is None or spec == "local":
        return LocalExecutor(processes, threads)
    if spec == "ray":
        return RayExecutor()
    if spec.startswith("ray:") and not spec.startswith("ray://"):
        return RayExecutor(spec.removeprefix("ray:"))
    if spec.startswith("ray://"):
        return RayExecutor(spec)
    raise ExecutorError(f"unknown executor {spec!r}: local, ray, or ray:ADDRESS")
