"""`genontology validate` and `show`: a design file checked, or rendered as its rulebook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from genontology.cli.common import (
    DEFAULT_DOMAIN,
    DomainOpt,
    ExitCode,
    JsonOpt,
    UsageFailure,
    app,
    domain_named,
    echo_json,
    finish,
    print_violations,
    summary,
    violation_dict,
)
from genontology.ontology import Domain, has_errors, load_design_file

DesignArg = Annotated[Path, typer.Argument(help="A design as JSON or YAML.")]


@app.command()
def validate(
    file: DesignArg,
    domain: DomainOpt = DEFAULT_DOMAIN,
    as_json: JsonOpt = False,
    prose: Annotated[
        bool,
        typer.Option(
            "--prose/--no-prose",
            help="Also check the text a reader sees (names, echoes, code fragments); --no-prose checks "
            "structure only, for a design written by hand.",
        ),
    ] = True,
) -> None:
    """Check a design against the schema, every structural rule and the rules over its text. Exit 1 if any
    error remains."""
    violations = domain_named(domain).validate(load_design_file(file), prose=prose)
    if as_json:
        echo_json(
            {"valid": not has_errors(violations), "violations": [violation_dict(v) for v in violations]}
        )
    else:
        print_violations(violations)
        typer.echo(f"{file}: {summary(violations)}")
    finish(not has_errors(violations))


def _parse_or_report(dom: Domain[Any], data: dict[str, Any], file: Path) -> Any:
    try:
        return dom.parse(data)
    except ValidationError:
        violations = dom.validate(data)
        for v in violations:
            typer.echo(str(v), err=True)
        typer.echo(
            f"{file}: does not match the {dom.name} schema ({summary(violations)}); "
            f"run `genontology validate {file}` for hints",
            err=True,
        )
        finish(ExitCode.faults)


@app.command()
def show(
    file: DesignArg,
    domain: DomainOpt = DEFAULT_DOMAIN,
    graph: Annotated[
        Path | None, typer.Option("--graph", help="Also draw the ontology graph to this image.")
    ] = None,
    ranges: Annotated[
        bool,
        typer.Option("--ranges", help="Print what each quantity can reach in play instead of the rulebook."),
    ] = False,
) -> None:
    """Render a design as a Markdown rulebook (or, with --ranges, the reachable range of each quantity)."""
    dom = domain_named(domain)
    design = _parse_or_report(dom, load_design_file(file), file)
    if ranges:
        table = dom.extras.get("ranges")
        if table is None:
            raise UsageFailure(f"the {dom.name} domain does not compute reachable ranges")
        for quantity, holder, reach in table(design):
            typer.echo(f"{quantity:<24} {holder:<12} {reach}")
        return
    typer.echo(dom.render_markdown(design), nl=False)
    if graph is not None:
        from genontology.ontology.graph_figure import draw_graph

        try:
            draw_graph(dom.build_graph(design), graph, title=getattr(design, "title", ""))
        except (OSError, ValueError) as exc:
            raise UsageFailure(f"cannot write graph to {graph}: {exc}") from None
        typer.echo(f"graph written to {graph}", err=True)
