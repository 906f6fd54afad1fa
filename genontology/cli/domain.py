"""`genontology domains`, `rules` and `schema`: what a domain is made of."""

from __future__ import annotations

import typer

from genontology.cli.common import DEFAULT_DOMAIN, DomainOpt, JsonOpt, app, domain_named, echo_json
from genontology.ontology import available_domains, get_domain


@app.command()
def domains() -> None:
    """List the registered domains."""
    for name in available_domains():
        typer.echo(f"{name}\t{get_domain(name).describe}")


@app.command()
def rules(domain: DomainOpt = DEFAULT_DOMAIN, as_json: JsonOpt = False) -> None:
    """List the domain's structural rules: code, severity and the principle each enforces."""
    listed = [
        {"code": r.code, "severity": r.severity.value, "principle": r.principle}
        for r in domain_named(domain).rules.rules.values()
    ]
    if as_json:
        echo_json(listed)
        return
    for r in listed:
        typer.echo(f"{r['code']:<40} {r['severity']:<8} {' '.join(r['principle'].split())}")


@app.command()
def schema(domain: DomainOpt = DEFAULT_DOMAIN) -> None:
    """Print the domain's JSON Schema."""
    echo_json(domain_named(domain).json_schema())
