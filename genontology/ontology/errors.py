"""Typed errors: every failure a user can cause has its own class and a one-line message."""


class GenontologyError(Exception):
    """Base class for errors genontology raises on purpose."""


class UnknownDomainError(GenontologyError, LookupError):
    """No domain is registered under the requested name."""


class DesignFileError(GenontologyError, ValueError):
    """A design file is missing, unreadable, or not JSON/YAML describing a mapping."""


class OutputFolderError(GenontologyError, ValueError):
    """An output folder a run must not write into: a file, or a folder holding files it did not write."""
