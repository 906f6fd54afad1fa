"""Keeping credentials out of what we write and print: traces, checkpoints, results, errors and logs.

Two nets. Shapes: strings that look like keys (`sk-...`, `Bearer ...`, `hf_...`). Values: the literal value
of every environment variable whose name says it is a secret, and every key an engine was handed, whatever
its shape, so a key echoed back in a server's error message is caught too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from typing import Any

SECRET_NAMES = re.compile(r"(api[_-]?key|authorization|token|secret|password)", re.IGNORECASE)
SECRET_SHAPES = re.compile(r"(sk-[A-Za-z0-9_\-]{8,}|Bearer\s+[A-Za-z0-9._\-]{8,}|hf_[A-Za-z0-9]{8,})")
REDACTED = "[redacted]"
MIN_SECRET_CHARS = 8  # shorter values ("1", "true") would blank out ordinary words

_handed: set[str] = set()


def remember(secret: str | None) -> None:
    """Register a key this process uses (an engine's API key), so that no output can contain it."""
    if secret and len(secret) >= MIN_SECRET_CHARS:
        _handed.add(secret)


def _known() -> list[str]:
    from_env = {
        value
        for name, value in os.environ.items()
        if SECRET_NAMES.search(name) and not name.endswith("TOKENS") and len(value) >= MIN_SECRET_CHARS
    }
    return sorted(_handed | from_env, key=len, reverse=True)  # longest first: a key containing another


def redact_text(text: str) -> str:
    for secret in _known():
        text = text.replace(secret, REDACTED)
    return SECRET_SHAPES.sub(REDACTED, text)


def redact(value: Any) -> Any:
    """A copy with secret-named keys' values and every secret-looking string replaced. Token counts (keys
    ending in `tokens`) are not secrets."""
    if isinstance(value, dict):
        return {
            k: REDACTED if SECRET_NAMES.search(str(k)) and not str(k).endswith("tokens") else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_logs() -> None:
    """Redact every log record as it is made, whichever library logs it and whichever handler writes it."""
    make = logging.getLogRecordFactory()
    if getattr(make, "redacting", False):
        return

    def redacting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        with contextlib.suppress(TypeError, ValueError):  # a malformed log call: reported at emit time
            record.msg, record.args = redact_text(record.getMessage()), None
        return record

    redacting.redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting)
