"""The `genontology` command line (also `python -m genontology`).

Exit codes: 0 success, 1 the design has error-severity violations (or was refused for them), 2 anything else
that stops a command: an unreadable file, an unknown domain, exemplar or LM spec, an unreachable backend, an
unreadable store. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from genontology.bench_cli import bench_command
from genontology.design_cli import design as design_command
from genontology.ontology import (
    Domain,
    GenontologyError,
    Severity,
    Violation,
    get_domain,
    has_errors,
    load_design_file,
)
from genontology.ontology.io import write_atomic
from genontology.playtest_cli import playtest_command
from genontology.train_cli import train_app

DEFAULT_DOMAIN = os.environ.get("GENONTOLOGY_DOMAIN", "tabletop")

app = typer.Typer(
    help="Generative ontology: design with LLM agents constrained by executable domain schemas.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
exemplars_app = typer.Typer(help="The shipped corpus and the searchable store.", no_args_is_help=True)
app.add_typer(exemplars_app, name="exemplars")
lm_app = typer.Typer(help="Language-model backends.", no_args_is_help=True)
app.add_typer(lm_app, name="lm")
serve_app = typer.Typer(help="Start a local model server and wait until it is healthy.", no_args_is_help=True)
app.add_typer(serve_app, name="serve")

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


class UsageFailure(GenontologyError):
    """Input the command cannot use; reported on one line with exit code 2."""


def _domain(name: str) -> Domain[Any]:
    return get_domain(name)


def _echo_json(payload: object) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _violation_dict(v: Violation) -> dict[str, str]:
    return {
        "code": v.code,
        "severity": v.severity.value,
        "path": v.path,
        "message": v.message,
        "hint": v.hint,
    }


def _print_violations(violations: list[Violation], *, err: bool = False) -> None:
    for v in violations:
        typer.echo(f"{v}\n        hint: {v.hint}", err=err)


def _summary(violations: list[Violation]) -> str:
    counts = {s: sum(v.severity is s for v in violations) for s in Severity}
    return ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items())


@app.command()
def domains() -> None:
    """List the registered domains."""
    from genontology.ontology import available_domains

    for name in available_domains():
        typer.echo(f"{name}\t{get_domain(name).describe}")


@app.command()
def rules(domain: DomainOpt = DEFAULT_DOMAIN, as_json: JsonOpt = False) -> None:
    """List the domain's structural rules: code, severity and the principle each enforces."""
    listed = [
        {"code": r.code, "severity": r.severity.value, "principle": r.principle}
        for r in _domain(domain).rules.rules.values()
    ]
    if as_json:
        _echo_json(listed)
        return
    for r in listed:
        typer.echo(f"{r['code']:<40} {r['severity']:<8} {' '.join(r['principle'].split())}")


@app.command()
def schema(domain: DomainOpt = DEFAULT_DOMAIN) -> None:
    """Print the domain's JSON Schema."""
    _echo_json(_domain(domain).json_schema())


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="A design as JSON or YAML.")],
    domain: DomainOpt = DEFAULT_DOMAIN,
    as_json: JsonOpt = False,
) -> None:
    """Check a design against the schema and every structural rule. Exit 1 if any error remains."""
    dom = _domain(domain)
    violations = dom.validate(load_design_file(file))
    if as_json:
        _echo_json(
            {"valid": not has_errors(violations), "violations": [_violation_dict(v) for v in violations]}
        )
    else:
        _print_violations(violations)
        typer.echo(f"{file}: {_summary(violations)}")
    raise typer.Exit(1 if has_errors(violations) else 0)


def _parse_or_report(dom: Domain[Any], data: dict[str, Any], file: Path) -> Any:
    try:
        return dom.parse(data)
    except ValidationError:
        violations = dom.validate(data)
        for v in violations:
            typer.echo(str(v), err=True)
        typer.echo(
            f"{file}: does not match the {dom.name} schema ({_summary(violations)}); "
            f"run `genontology validate {file}` for hints",
            err=True,
        )
        raise typer.Exit(1) from None


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="A design as JSON or YAML.")],
    domain: DomainOpt = DEFAULT_DOMAIN,
    graph: Annotated[
        Path | None, typer.Option("--graph", help="Also draw the ontology graph to this image.")
    ] = None,
) -> None:
    """Render a design as a Markdown rulebook."""
    dom = _domain(domain)
    design = _parse_or_report(dom, load_design_file(file), file)
    typer.echo(dom.render_markdown(design), nl=False)
    if graph is not None:
        from genontology.ontology.plot import draw_graph

        try:
            draw_graph(dom.build_graph(design), graph, title=getattr(design, "title", ""))
        except (OSError, ValueError) as exc:
            raise UsageFailure(f"cannot write graph to {graph}: {exc}") from None
        typer.echo(f"graph written to {graph}", err=True)


def _exemplar(dom: Domain[Any], exemplar_id: str) -> Any:
    for design in dom.load_exemplars():
        if design.id == exemplar_id:
            return design
    raise UsageFailure(f"no exemplar {exemplar_id!r} in domain {dom.name}; see `genontology exemplars list`")


@exemplars_app.command("list")
def exemplars_list(domain: DomainOpt = DEFAULT_DOMAIN, as_json: JsonOpt = False) -> None:
    """List the shipped exemplars: id, title and what they are (mechanisms and players; key and form)."""
    dom = _domain(domain)
    rows = [{"id": d.id, "title": d.title, "about": _about(dom, d)} for d in dom.load_exemplars()]
    if as_json:
        _echo_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "title", "about", title=f"{len(rows)} {domain} exemplars")
    for r in rows:
        table.add_row(r["id"], r["title"], r["about"])
    Console(width=160).print(table)


def _about(dom: Domain[Any], design: Any) -> str:
    return dom.summarize(design) if dom.summarize else ""


StoreOpt = Annotated[
    Path | None, typer.Option("--store", help="Store folder (default: $GENONTOLOGY_HOME/exemplars).")
]


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

    opened = ExemplarStore(store, domain)
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
        _echo_json(rows)
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
        design = ExemplarStore(store, domain).add(data)
    except ExemplarRejected as exc:
        _print_violations(exc.violations, err=True)
        typer.echo(f"{file}: refused, nothing written ({_summary(exc.violations)})", err=True)
        raise typer.Exit(1) from None
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
    text = _exemplar(_domain(domain), exemplar_id).model_dump_json(indent=2, exclude_none=True) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            write_atomic(out, text)
        except OSError as exc:
            raise UsageFailure(f"cannot write {out}: {exc.strerror or exc}") from None
        typer.echo(f"wrote {out}", err=True)


@lm_app.command("check")
def lm_check(lm: LmOpt = None, as_json: JsonOpt = False) -> None:
    """Send one schema-constrained request to a backend and report the answer, tokens and time."""
    from genontology.generators.check import check_backend

    report = check_backend(lm)
    if as_json:
        _echo_json(report)
        return
    typer.echo(
        f"{report['model']}: schema-valid answer in {report['seconds']:.1f} s "
        f"({report['usage']['input_tokens']} tokens in, {report['usage']['output_tokens']} out)"
    )
    typer.echo(json.dumps(report["answer"], ensure_ascii=False))


@lm_app.command("forms")
def lm_forms() -> None:
    """List the accepted LM spec forms."""
    from genontology.generators.resolve import ACCEPTED

    for form in ACCEPTED:
        typer.echo(form)


@serve_app.command("vllm")
def serve_vllm_command(
    model_dir: Annotated[Path, typer.Argument(help="A local Hugging Face model directory.")],
    port: Annotated[int, typer.Option(help="Port to listen on (127.0.0.1).")] = 8000,
    python: Annotated[
        str | None, typer.Option(help="Python of the vLLM environment (default .venv-vllm).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Served model name (default: the folder name).")] = None,
) -> None:
    """Start vLLM's OpenAI-compatible server on MODEL_DIR and keep it running until Ctrl-C."""
    from genontology.generators.serve import serve_vllm

    server = serve_vllm(model_dir, port=port, python=python, served_name=name)
    served = name or model_dir.name
    typer.echo(
        f"vLLM is serving {served} at {server.url}; use --lm vllm:{served}@{server.url}  (Ctrl-C stops)"
    )
    try:
        server.process.wait()
    finally:
        server.stop()


app.command("design")(design_command)
app.command("playtest")(playtest_command)
app.command("bench")(bench_command)
app.add_typer(train_app, name="train")


def main() -> None:
    """Entry point: run the app, turning our typed errors into one line and exit code 2."""
    from genontology.generators.secrets import redact_logs, redact_text

    redact_logs()
    try:
        app()
    except GenontologyError as exc:
        typer.echo(f"error: {redact_text(str(exc))}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
