"""Around every LM call: retries with exponential backoff and jitter, typed errors, and usage accounting.

`call_lm(fn, lm=..., ledger=...)` runs `fn` (a DSPy module call, typically), retrying transient failures
(timeouts, connection errors, 429, 5xx) with full-jitter exponential backoff, then raising LMUnavailable;
an answer that cannot be parsed raises LMOutputError carrying the raw text. Each call is recorded in the
ledger with tokens, latency, attempts, cache hits and cost where litellm knows the price.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import dspy
from dspy.utils.exceptions import AdapterParseError, is_retryable_lm_error
from dspy.utils.exceptions import LMError as DSPyLMError
from tenacity import RetryError, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from genontology.generators.lm_errors import LMError, LMOutputError, LMUnavailable

T = TypeVar("T")


@dataclass(frozen=True)
class CallRecord:
    """One logical LM call (possibly several attempts)."""

    model: str
    label: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    attempts: int
    cache_hit: bool
    cost: float | None = None
    error: str | None = None
    cached_tokens: int = 0  # of the input tokens, those the backend restored instead of reading


@dataclass
class UsageLedger:
    """Every call of a run, and the totals a user asks about."""

    records: list[CallRecord] = field(default_factory=list)

    def add(self, record: CallRecord) -> None:
        self.records.append(record)

    def totals(self) -> dict[str, Any]:
        costs = [r.cost for r in self.records if r.cost is not None]
        return {
            "calls": len(self.records),
            "input_tokens": sum(r.input_tokens for r in self.records),
            "output_tokens": sum(r.output_tokens for r in self.records),
            "cached_tokens": sum(r.cached_tokens for r in self.records),
            "latency_s": round(sum(r.latency_s for r in self.records), 3),
            "retries": sum(r.attempts - 1 for r in self.records),
            "cache_hits": sum(r.cache_hit for r in self.records),
            "failures": sum(r.error is not None for r in self.records),
            "cost_usd": round(sum(costs), 6) if costs else None,
        }


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _ours(exc: BaseException) -> LMError | None:
    return next((e for e in _chain(exc) if isinstance(e, LMError)), None)


def _transient(exc: BaseException) -> bool:
    return _ours(exc) is None and any(
        is_retryable_lm_error(e) for e in _chain(exc) if isinstance(e, Exception)
    )


def _usage_since(lm: dspy.BaseLM, start: int) -> tuple[int, int, int, bool, float | None]:
    entries = lm.history[start:] if hasattr(lm, "history") else []
    tokens_in = tokens_out = cached = 0
    costs: list[float] = []
    cache_hit = bool(entries)
    for entry in entries:
        usage = entry.get("usage") or {}
        got_in = int(usage.get("prompt_tokens") or usage.get("input_tokens") or 0)
        got_out = int(usage.get("completion_tokens") or usage.get("output_tokens") or 0)
        tokens_in, tokens_out = tokens_in + got_in, tokens_out + got_out
        cached += int((usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0)
        cache_hit = cache_hit and not (got_in or got_out)  # DSPy reports no usage for a cached answer
        if entry.get("cost") is not None:
            costs.append(float(entry["cost"]))
    return tokens_in, tokens_out, cached, cache_hit, (sum(costs) if costs else None)


def call_lm(
    fn: Callable[[], T],
    *,
    lm: dspy.BaseLM,
    label: str = "",
    ledger: UsageLedger | None = None,
    retries: int = 3,
    backoff_s: float = 0.5,
    max_backoff_s: float = 20.0,
) -> T:
    """Run `fn`, retrying transient LM failures; see the module docstring."""
    start, began, attempts = len(getattr(lm, "history", [])), time.perf_counter(), 0
    model = getattr(lm, "model", type(lm).__name__)
    error: str | None = None
    try:
        for attempt in Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(retries + 1),
            wait=wait_random_exponential(multiplier=backoff_s, max=max_backoff_s),
            reraise=False,
        ):
            with attempt:
                attempts += 1
                return fn()
        raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover
    except RetryError as exc:
        last = exc.last_attempt.exception()
        error = f"{model}: unavailable after {attempts} attempt(s): {_reason(last)}"
        raise LMUnavailable(error, attempts=attempts) from last
    except AdapterParseError as exc:
        error = f"{model}: could not parse the answer into {label or 'the expected output'}"
        history = getattr(lm, "history", [])
        asked = history[-1].get("messages") if len(history) > start else None
        raise LMOutputError(error, raw_text=str(exc.lm_response), messages=asked) from exc
    except Exception as exc:
        ours = _ours(exc)
        if ours is not None:
            error = str(ours)
            raise ours from exc
        if not isinstance(exc, DSPyLMError):
            error = f"{type(exc).__name__}: {exc}"
            raise  # not an LM failure: a bug should surface as itself
        error = f"{model}: {_reason(exc)}"
        raise LMError(error) from exc  # refused, not transient: auth, bad request, unknown model
    finally:
        if ledger is not None:
            tokens_in, tokens_out, cached, cache_hit, cost = _usage_since(lm, start)
            ledger.add(
                CallRecord(
                    model,
                    label,
                    tokens_in,
                    tokens_out,
                    round(time.perf_counter() - began, 4),
                    attempts,
                    cache_hit and error is None,
                    cost,
                    error,
                    cached,
                )
            )


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    root = next((e for e in _chain(exc) if e is not exc and str(e)), exc)
    text = str(root).strip().splitlines()[0] if str(root).strip() else type(root).__name__
    return text[:300]
