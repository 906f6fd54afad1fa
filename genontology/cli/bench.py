"""`genontology bench`: the ablation (C1-C6) beside the exemplars, with the judge and its reliability."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from genontology.cli.common import (
    DEFAULT_DOMAIN,
    DomainOpt,
    LmOpt,
    RayAddressOpt,
    RayOpt,
    app,
    executor_from,
)


@app.command("bench")
def bench_command(
    conditions: Annotated[
        str,
        typer.Option(
            help="Conditions, comma-separated: C1 raw, C2 schema, C3 one agent, C4, C5 playtest, C6 playtest"
            " and tuning."
        ),
    ] = "C1,C2,C3,C4,C5,C6",
    prompts: Annotated[
        Path | None, typer.Option(help="Themes: one per line, or JSON objects with prompt/players/minutes.")
    ] = None,
    n: Annotated[int | None, typer.Option(min=1, help="Use the first N prompts (default: all).")] = None,
    lm: LmOpt = None,
    judge_lm: Annotated[
        str | None,
        typer.Option("--judge-lm", help="LM spec of the judge (default: the designers' model, --lm)."),
    ] = None,
    domain: DomainOpt = DEFAULT_DOMAIN,
    out: Annotated[Path, typer.Option(help="Folder for records, report and plots; rerun to resume.")] = Path(
        "bench-out"
    ),
    judge_repeats: Annotated[
        int, typer.Option(min=0, max=10, help="Scorings per design (>= 2 to measure the ICC; 0: no judge).")
    ] = 3,
    exemplars: Annotated[int, typer.Option(min=0, help="Exemplars measured beside the conditions.")] = 10,
    max_rounds: Annotated[int, typer.Option(min=0, max=10, help="Repair rounds for C3-C6.")] = 2,
    seed: Annotated[int, typer.Option(help="Seed for the model and the exemplar sample.")] = 0,
    ray: RayOpt = False,
    ray_address: RayAddressOpt = None,
) -> None:
    """Run every condition on every prompt, measure the exemplars beside them, judge all of them, and write
    `report.md`, `summary.json`, plots and one JSON record per design under OUT. Interrupt at will: a rerun
    keeps every finished design and scoring and resumes unfinished runs from their checkpoints. With --ray,
    each design is a Ray task (OUT must be a path every node sees; the exemplars and the judge run here)."""
    from genontology.evaluation import Bench, load_prompts, parse_conditions, write_report

    chosen = parse_conditions(conditions)
    items = load_prompts(prompts)[:n]
    total = len(chosen) * len(items) + exemplars
    with executor_from(ray, ray_address) as executor:
        bench = Bench(
            chosen,
            items,
            out,
            lm=lm,
            judge_lm=judge_lm,
            domain=domain,
            max_rounds=max_rounds,
            judge_repeats=judge_repeats,
            exemplars=exemplars,
            seed=seed,
            on_progress=lambda line: typer.echo(line, err=True),
            executor=executor,
        )
        typer.echo(
            f"bench: {len(chosen)} condition(s) x {len(items)} prompt(s) + {exemplars} exemplar(s) = {total}",
            err=True,
        )
        records = bench.run()
    meta = (
        f"Conditions {', '.join(c.name + ' ' + c.label for c in chosen)}; {len(items)} prompt(s); "
        f"domain {domain}; model {lm or 'embedded'}; judge {judge_lm or lm or 'embedded'}; "
        f"max rounds {max_rounds}; {judge_repeats} judge scoring(s) per design; "
        f"{exemplars} exemplar(s) (EX); seed {seed}."
    )
    report = write_report(out, records, bench.metrics, meta)
    typer.echo(report.read_text())
    typer.echo(f"report: {report}")
