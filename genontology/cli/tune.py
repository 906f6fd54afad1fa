"""`genontology tune`: tune a design's numbers by simulation until it passes the playable gate."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Annotated

import typer

from genontology.cli.common import (
    DEFAULT_DOMAIN,
    DomainOpt,
    RayAddressOpt,
    RayOpt,
    UsageFailure,
    app,
    design_or_exemplar,
    domain_named,
    executor_from,
    finish,
)
from genontology.ontology.io import write_atomic


@app.command("tune")
def tune_command(
    design: Annotated[str, typer.Argument(help="A design file (JSON or YAML), or a shipped exemplar's id.")],
    budget_s: Annotated[float, typer.Option(min=1, help="Seconds the search may spend.")] = 60.0,
    evaluations: Annotated[int, typer.Option(min=1, help="Gate evaluations the search may play.")] = 60,
    seed: Annotated[int, typer.Option(help="Seed of the search and of its playouts.")] = 0,
    processes: Annotated[int, typer.Option(min=1, max=256, help="Worker processes for playouts.")] = 1,
    ray: RayOpt = False,
    ray_address: RayAddressOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write the tuned design, its rulebook, the diff and the evidence (tuning.json) here."
        ),
    ] = None,
    domain: DomainOpt = DEFAULT_DOMAIN,
    as_json: Annotated[bool, typer.Option("--json", help="Print the evidence as JSON.")] = False,
) -> None:
    """Search a design's numbers (costs, amounts, thresholds, round limits, starting amounts, hand and
    market sizes, dice) for a setting that passes the playable gate, and check it again on fresh seeds.

    Exit 0 when the design passes (tuned, or as it was), 1 when no setting passed (the evidence says which
    checks numbers could not fix: a structural fault), 2 on bad input."""
    from genontology.agents.design_plan import get_plan
    from genontology.agents.tabletop.wording import reworded
    from genontology.playtest.tune import tune

    dom = domain_named(domain)
    if get_plan(dom.name).tune is None:
        raise UsageFailure(f"the {dom.name} domain has no numbers to tune by simulation")
    parsed = design_or_exemplar(dom, design)
    with executor_from(ray, ray_address) as executor:  # each evaluation's playouts as Ray tasks
        result = tune(
            parsed,
            budget_s=budget_s,
            evaluations=evaluations,
            seed=seed,
            processes=processes,
            executor=executor,
        )
    tuned = result.design
    if result.changes and tuned.provenance is not None and tuned.provenance.origin == "generated":
        tuned = dom.parse(
            reworded(tuned.model_dump(mode="json", exclude_none=True))
        )  # its text states numbers
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        before = json.dumps(parsed.model_dump(mode="json", exclude_none=True), indent=2).splitlines()
        after = json.dumps(tuned.model_dump(mode="json", exclude_none=True), indent=2).splitlines()
        diff = difflib.unified_diff(before, after, f"{parsed.id}.json", f"{tuned.id}.tuned.json", lineterm="")
        write_atomic(out / "design.json", "\n".join(after) + "\n")
        write_atomic(out / "rulebook.md", dom.render_markdown(tuned))
        write_atomic(out / "design.diff", "\n".join(diff) + "\n")
        write_atomic(out / "tuning.json", json.dumps(result.as_record(), indent=2))
    if as_json:
        typer.echo(json.dumps(result.as_record(), indent=2))
    else:
        typer.echo(result.summary())
        for check in result.after.gate.checks if result.after.gate else ():
            verdict = "ok  " if check.passed else "warn" if check.advisory else "FAIL"
            typer.echo(f"  {verdict} {check.name}: {check.measured} (needs {check.required})")
        if out is not None:
            typer.echo(f"wrote {out}/design.json, rulebook.md, design.diff, tuning.json")
    finish(result.passed)
