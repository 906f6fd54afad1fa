"""`genontology exemplars ...`: the shipped corpus and the searchable store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from genontology.cli.common import (
    DEFAULT_DOMAIN,
    DomainOpt,
    ExitCode,
    JsonOpt,
    UsageFailure,
    app,
    domain_named,
    echo_json,
    find_exemplar,
    finish,
    print_violations,
    summary,
)
from genontology.ontology import Domain, load_design_file
from genontology.ontology.io import write_atomic

exemplars_app = typer.Typer(help="The shipped corpus and the searchable store.", no_args_is_help=True)
app.add_typer(exemplars_app, name="exemplars")

StoreOpt = Annotated[
    Path | None, typer.Option("--store", help="Store folder (default: $GENONTOLOGY_HOME/exemplars).")
]


def _about(dom: Domain[Any], design: Any) -> str:
    return dom.summarize(design) if dom.summarize else ""


@exemplars_app.command("list")
def exemplars_list(domain: DomainOpt = DEFAULT_DOMAIN, as_json: JsonOpt = False) -> None:
    """List the shipped exemplars: id, title and what they are (mechanisms and players; key and form)."""
    dom = domain_named(domain)
    rows = [{"id": d.id, "title": d.title, "about": _about(dom, d)} for d in dom.load_exemplars()]
    if as_json:
        echo_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "title", "about", title=f"{len(rows)} {domain} exemplars")
    for r in rows:
        table.add_row(r["id"], r["title"], r["about"])
    Console(width=160).print(table)


@exemplars_app.command("search")
def exemplars_search(
    query: Annotated[str, typer.Argument(help="What you are looking for, in words.")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many results.")] = 5,
    mechanism: Annotated[
        list[str] | None, typer.Option("--mechanism", help="Require this mechanism type.")
    ] = None,
    players: Annotated[int | None, typer.Option(help="Require support for this player count.")] = None,
    diversity: Annotated[float, typer.Option(min=0.0, max=1.0, help="0: closest first; >0: MMR.")] = 0.0,
    store: StoreOpt = None,
    domain: DomainOpt = DEFAULT_DOMAIN,
    as_json: JsonOpt = False,
) -> None:
    """Search the exemplar store: facet filters, then semantic ranking."""
    from genontology.retrieval import ExemplarStore

    opened = ExemplarStore.open(store, domain)
    results = opened.search(query, k, mechanisms=mechanism or (), players=players, diversity=diversity)
    rows = [
        {
            "id": e.id,
            "title": getattr(e.design, "title", ""),
            "score": round(e.score, 4),
            "source": e.source,
            "about": _about(opened.domain, e.design),
        }
        for e in results
    ]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['score']:.3f}  {r['id']:<22} {r['title']:<36} {r['about']}")
    if not rows:
        typer.echo("no exemplar matches these filters")


@exemplars_app.command("add")
def exemplars_add(
    file: Annotated[Path, typer.Argument(help="A design as JSON or YAML.")],
    store: StoreOpt = None,
    domain: DomainOpt = DEFAULT_DOMAIN,
) -> None:
    """Validate a design and add it to the store; an invalid one is refused and nothing is written."""
    from genontology.retrieval import ExemplarRejected, ExemplarStore

    data = load_design_file(file)
    try:
        design = ExemplarStore.open(store, domain).add(data)
    except ExemplarRejected as exc:
        print_violations(exc.violations, err=True)
        typer.echo(f"{file}: refused, nothing written ({summary(exc.violations)})", err=True)
        finish(ExitCode.faults)
    typer.echo(f"added {design.id}")


@exemplars_app.command("reindex")
def exemplars_reindex(store: StoreOpt = None, domain: DomainOpt = DEFAULT_DOMAIN) -> None:
    """Set the store folder aside (renamed, not deleted) and rebuild it from the shipped corpus."""
    from genontology.retrieval import reindex

    rebuilt = reindex(store, domain)
    typer.echo(f"reindexed {len(rebuilt)} exemplars at {rebuilt.path}")


@exemplars_app.command("export")
def exemplars_export(
    exemplar_id: Annotated[str, typer.Argument(help="Exemplar id (see `exemplars list`).")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write JSON here instead of stdout.")
    ] = None,
    domain: DomainOpt = DEFAULT_DOMAIN,
) -> None:
    """Write one exemplar as JSON, e.g. to start a design of your own from it."""
    text = (
        find_exemplar(domain_named(domain), exemplar_id).model_dump_json(indent=2, exclude_none=True) + "\n"
    )
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        write_atomic(out, text)
    except OSError as exc:
        raise UsageFailure(f"cannot write {out}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {out}", err=True)
