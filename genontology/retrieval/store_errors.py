"""Typed errors of the exemplar store."""

from genontology.ontology.errors import GenontologyError


class StoreError(GenontologyError):
    """The exemplar store cannot be opened or used; the message says how to recover."""


class ExemplarRejected(GenontologyError, ValueError):
    """An exemplar failed validation and was not added; `violations` lists why."""

    def __init__(self, message: str, violations: list) -> None:
        super().__init__(message)
        self.violations = violations
