"""The `genontology` command line (also `python -m genontology`): one module per command group.

common.py holds the app, the shared options, the exemplar lookup and the exit codes; each other module
registers its commands on the app when imported.
"""

from __future__ import annotations

import sys

import typer

from genontology.cli import (
    bench,
    design,
    domain,
    exemplars,
    explore,
    lm,
    playtest,
    program,
    train,
    tune,
    validate,
)
from genontology.cli.common import ExitCode, app, reflow_help
from genontology.ontology import GenontologyError

reflow_help(app)

__all__ = [
    "app",
    "bench",
    "design",
    "domain",
    "exemplars",
    "explore",
    "lm",
    "main",
    "playtest",
    "program",
    "train",
    "tune",
    "validate",
]


def main() -> None:
    """Entry point: run the app, turning our typed errors into one line and exit code 2."""
    from genontology.redaction import redact_logs, redact_text

    redact_logs()
    try:
        app()
    except GenontologyError as exc:
        typer.echo(f"error: {redact_text(str(exc))}", err=True)
        sys.exit(int(ExitCode.usage))
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
