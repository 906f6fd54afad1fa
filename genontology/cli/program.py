"""`genontology compile`: a Designer program compiled by DSPy's BootstrapFewShot over a trainset of briefs."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from genontology.cli.common import DEFAULT_DOMAIN, DomainOpt, LmOpt, app, finish


@app.command("compile")
def compile_command(
    trainset: Annotated[
        Path, typer.Option(help='Briefs, a JSON list or JSON lines: {"prompt": ..., "players": "2-4", ...}.')
    ],
    out: Annotated[Path, typer.Option(help="Where to write the compiled program (JSON).")],
    route: Annotated[str, typer.Option(help="The route whose stages are compiled: scratch or recombine.")] = (
        "scratch"
    ),
    demos: Annotated[int, typer.Option(min=1, max=4, help="Demonstrations at most per stage.")] = 1,
    max_rounds: Annotated[int, typer.Option(min=0, max=10, help="Repair rounds per design.")] = 3,
    tune_budget_s: Annotated[float, typer.Option(min=0, help="Tuning seconds per design (0: never).")] = 40.0,
    no_retrieval: Annotated[bool, typer.Option("--no-retrieval", help="Do not ground on exemplars.")] = False,
    lm: LmOpt = None,
    seed: Annotated[int | None, typer.Option(help="Sampling seed, for reproducible runs.")] = None,
    domain: DomainOpt = DEFAULT_DOMAIN,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Design each brief of the trainset once; every design with zero structural errors that passes the
    playable gate lends its stage calls as demonstrations (DSPy's BootstrapFewShot, metric: the validator and
    the gate). Load the result with `genontology design --program FILE` or `Designer(program=FILE)`.

    Exit 0 when at least one design lent demonstrations, 1 when none did (the program is written
    uncompiled), 2 on bad input or when every design failed to run (the last failure is said)."""
    from genontology.agents import Designer, Switches
    from genontology.agents.program import compile_program, read_trainset

    briefs = read_trainset(trainset)
    began = time.perf_counter()

    def progress(message: str) -> None:
        typer.echo(f"[{time.perf_counter() - began:7.1f}s] {message}", err=True)

    designer = Designer(
        domain,
        lm=lm,
        seed=seed,
        max_rounds=max_rounds,
        route=route,
        switches=Switches(retrieval=not no_retrieval, tune=tune_budget_s > 0),
        tune_budget_s=tune_budget_s,
        on_event=progress,
    )
    with contextlib.redirect_stdout(sys.stderr):  # DSPy prints its progress; stdout is the summary's
        program = compile_program(designer, briefs, demos=demos)
    program.save_json(out)
    by_stage = {name: len(p.demos) for name, p in program.stages.items()}
    summary = {"out": str(out), "briefs": len(briefs), "demos": by_stage, "source": program.source}
    typer.echo(json.dumps(summary, indent=2) if as_json else f"{program.source}; wrote {out}: {by_stage}")
    finish(program.demos > 0)
