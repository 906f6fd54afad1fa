"""What every command shares: the app, the common options, one exemplar lookup and one way to exit.

Exit codes: 0 success, 1 the design has error-severity violations (or fails the playable gate, or was refused
for its violations), 2 anything else that stops a command: an unreadable file, an unknown domain, exemplar or
LM spec, an unreachable backend, an unreadable store. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from genontology.ontology import (
    DesignFileError,
    Domain,
    GenontologyError,
    Severity,
    Violation,
    get_domain,
    has_errors,
    load_design_file,
)

DEFAULT_DOMAIN = os.environ.get("GENONTOLOGY_DOMAIN", "tabletop")


class ExitCode(IntEnum):
    """The documented exit codes of every command."""

    ok = 0
    faults = 1  # error-severity violations remain, or the playable gate fails
    usage = 2  # the command could not do its work: bad input, unknown name, unreachable backend


class UsageFailure(GenontologyError):
    """Input the command cannot use; reported on one line with exit code 2."""


def finish(code: ExitCode | bool) -> NoReturn:
    """End a command with its documented code; `True` means success, `False` means faults found."""
    if isinstance(code, bool):
        code = ExitCode.ok if code else ExitCode.faults
    raise typer.Exit(int(code))


app = typer.Typer(
    help="Generative ontology: design with LLM agents constrained by executable domain schemas.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

DomainOpt = Annotated[str, typer.Option("--domain", "-d", help="Domain name (see `genontology domains`).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
LmOpt = Annotated[
    str | None,
    typer.Option(
        "--lm",
        help="LM spec: embedded (default), openai/<model>, vllm:<model>@<url>, torch:<path>, ... "
        "Defaults to $GENONTOLOGY_LM, then embedded.",
    ),
]

RayOpt = Annotated[
    bool,
    typer.Option(
        "--ray",
        help="Run on Ray: a local Ray started here (or the cluster $RAY_ADDRESS names). "
        "Needs pip install 'genontology[ray]'.",
    ),
]
RayAddressOpt = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="Run on this Ray cluster (implies --ray): auto (the one running on this machine), host:port, "
        "or ray://host:10001.",
    ),
]


@contextmanager
def executor_from(ray: bool, address: str | None) -> Iterator[Any]:
    """The executor the --ray options ask for (genontology.execution.RayExecutor), or None: local; closed
    when the command's work ends."""
    if not ray and address is None:
        yield None
        return
    from genontology.execution import RayExecutor

    executor = RayExecutor(address)
    try:
        yield executor
    finally:
        executor.close()


def reflow(doc: str) -> str:
    """A docstring as help text: each paragraph on one line, so the terminal wraps it where it should
    (Typer's rich help keeps the docstring's own line breaks after the first paragraph)."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def reflow_help(typer_app: typer.Typer) -> None:
    """Reflow the help of every command and group of `typer_app`, recursively, from their docstrings."""
    for command in typer_app.registered_commands:
        doc = command.help or (command.callback.__doc__ if command.callback else None)
        if doc:
            command.help = reflow(doc)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)


def domain_named(name: str) -> Domain[Any]:
    return get_domain(name)


def find_exemplar(dom: Domain[Any], exemplar_id: str) -> Any:
    """The shipped exemplar with this id, or a one-line usage failure."""
    for design in dom.load_exemplars():
        if design.id == exemplar_id:
            return design
    raise UsageFailure(f"no exemplar {exemplar_id!r} in domain {dom.name}; see `genontology exemplars list`")


def design_or_exemplar(dom: Domain[Any], reference: str) -> Any:
    """A valid design from a file, or a shipped exemplar when no file has that name."""
    path = Path(reference)
    if not path.exists():
        try:
            return find_exemplar(dom, reference)
        except UsageFailure:
            raise DesignFileError(
                f"{reference}: no such file, and no {dom.name} exemplar has this id"
            ) from None
    data = load_design_file(path)
    violations = dom.validate(data)
    if has_errors(violations):
        raise DesignFileError(
            f"{reference}: not a valid design ({violations[0]}); run `genontology validate`"
        )
    return dom.parse(data)


def echo_json(payload: object) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def violation_dict(v: Violation) -> dict[str, str]:
    return {
        "code": v.code,
        "severity": v.severity.value,
        "path": v.path,
        "message": v.message,
        "hint": v.hint,
    }


def print_violations(violations: list[Violation], *, err: bool = False) -> None:
    for v in violations:
        typer.echo(f"{v}\n        hint: {v.hint}", err=err)


def summary(violations: list[Violation]) -> str:
    counts = {s: sum(v.severity is s for v in violations) for s in Severity}
    return ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items())
