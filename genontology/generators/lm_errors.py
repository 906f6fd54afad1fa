"""Typed LM errors: what a caller can act on, instead of a library's bare exception."""

from typing import Any

from genontology.ontology.errors import GenontologyError


class LMError(GenontologyError):
    """Base class of LM failures."""


class LMSpecError(LMError, ValueError):
    """An LM spec string that names no backend, or a backend that is not installed."""


class LMUnavailable(LMError):
    """The backend could not answer: down, unreachable, rate-limited or failing, after every retry."""

    def __init__(self, message: str, *, attempts: int = 1) -> None:
        super().__init__(message)
        self.attempts = attempts


class LMOutputError(LMError):
    """The backend answered, but its text could not be parsed into the expected output."""

    def __init__(self, message: str, *, raw_text: str, messages: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.raw_text = raw_text
        self.messages = messages  # the request that drew the answer, so a trace can record and replay it
