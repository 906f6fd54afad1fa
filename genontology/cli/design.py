"""`genontology design`: a theme in; the design, its text, its trace (and a domain's artifacts) out."""

from __future__ import annotations

import json
import time
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
    finish,
)


def _default_out(theme: str) -> Path:
    from genontology.ontology.io import slug

    return Path("designs") / slug(theme)


@app.command()
def design(
    theme: Annotated[str | None, typer.Argument(help="The theme to design for, in words.")] = None,
    players: Annotated[str | None, typer.Option(help="Player count: 3 or a range like 2-4.")] = None,
    minutes: Annotated[int | None, typer.Option(min=5, max=600, help="Target play time.")] = None,
    constraints: Annotated[str, typer.Option(help="Further wishes, in words.")] = "",
    interaction: Annotated[
        str | None, typer.Option(help="Impose it: competitive, cooperative, team, asymmetric, solo, ...")
    ] = None,
    character: Annotated[
        str | None,
        typer.Option(help="Music: impose the kind of piece (march, lullaby, waltz, hymn, lament, ...)."),
    ] = None,
    lm: LmOpt = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: designs/<theme>).")] = None,
    max_rounds: Annotated[int, typer.Option(min=0, max=10, help="Repair rounds after the first pass.")] = 3,
    seed: Annotated[int | None, typer.Option(help="Sampling seed, for reproducible runs.")] = None,
    resume: Annotated[
        Path | None, typer.Option(help="Continue the interrupted run in this folder instead of starting one.")
    ] = None,
    no_retrieval: Annotated[bool, typer.Option("--no-retrieval", help="Do not ground on exemplars.")] = False,
    no_critic: Annotated[bool, typer.Option("--no-critic", help="Skip the Balance Critic.")] = False,
    no_playtest: Annotated[
        bool, typer.Option("--no-playtest", help="Do not playtest valid rounds in simulation.")
    ] = False,
    tune_budget_s: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds a run may spend tuning the numbers of designs that fail the playtest (0: never).",
        ),
    ] = 40.0,
    route: Annotated[
        str,
        typer.Option(
            help="scratch: the agents write the structure; recombine: graft two exemplars that play into a "
            "new game, which the agents re-theme; auto: recombine where two such exemplars recombine for the "
            "brief, else scratch; both: every route that can, keeping the better design (each route's run "
            "in its own subfolder of --out)."
        ),
    ] = "auto",
    program: Annotated[
        Path | None,
        typer.Option(
            help="A program written by `genontology compile`: its route's stages use its demonstrations."
        ),
    ] = None,
    themes: Annotated[
        Path | None,
        typer.Option(
            help="A batch: a file of themes, one per line; run i is saved in OUT/<i>-<theme>, and a rerun "
            "resumes the batch (default OUT: designs/<file name>)."
        ),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Batch runs at once on this machine.")] = 2,
    ray: RayOpt = False,
    ray_address: RayAddressOpt = None,
    domain: DomainOpt = DEFAULT_DOMAIN,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result summary as JSON.")] = False,
) -> None:
    """Design for THEME with the agents. Games: design.json, rulebook.md, trace.json and, when a valid round
    was playtested in simulation, playtest.json (and tuning.json when its numbers were tuned). Music
    (--domain music): plan.json, program.md, trace.json and, for a valid plan, score.musicxml, score.mid and
    score.png.

    With --themes FILE, a batch: one run per theme, `--concurrency` at once here or one Ray task each with
    --ray (the LM must be one every worker reaches: a server, a hosted provider, or the embedded model each
    worker loads), a progress bar, and a summary; exit 1 when any run is invalid or failed.

    Exit 0 when the design has no error-severity violation, 1 when some remain, 2 when the run cannot
    start (an empty or absurd theme, an unknown LM spec, an unreadable checkpoint)."""
    from genontology.agents import Designer, Switches
    from genontology.redaction import redact_text

    if (theme is not None) + (resume is not None) + (themes is not None) != 1:
        raise typer.BadParameter(
            "give a THEME, --themes FILE, or --resume DIR to continue a run (one of them)"
        )
    if (ray or ray_address) and themes is None:
        raise typer.BadParameter("--ray runs a batch, one Ray task per theme: give --themes FILE")
    began = time.perf_counter()

    def progress(message: str) -> None:
        if not as_json:
            typer.echo(f"[{time.perf_counter() - began:6.1f}s] {redact_text(message)}", err=True)

    switches = Switches(
        retrieval=not no_retrieval, critic=not no_critic, playtest=not no_playtest, tune=tune_budget_s > 0
    )
    designer = Designer(
        domain,
        lm=lm,
        max_rounds=max_rounds,
        seed=seed,
        switches=switches,
        tune_budget_s=tune_budget_s,
        route=route,
        program=program,
        on_event=progress if themes is None else None,  # a batch has its progress bar
    )
    if themes is not None:
        from genontology.cli.batch import design_batch

        folder = out or Path("designs") / themes.stem
        asked = dict(
            players=players,
            minutes=minutes,
            constraints=constraints,
            interaction=interaction,
            character=character,
        )
        with executor_from(ray, ray_address) as executor:
            passed = design_batch(designer, themes, folder, concurrency, executor, asked)
        finish(passed)
    if resume is not None:
        folder = resume
        result = designer.resume(resume)
    else:
        assert theme is not None
        folder = out or _default_out(theme)
        result = designer.run(
            theme,
            out=folder,
            players=players,
            minutes=minutes,
            constraints=constraints,
            interaction=interaction,
            character=character,
        )
    summary = result.summary() | {"out": str(folder)}
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        typer.echo(
            f"{summary['status']}: {summary['title']!r}: {summary['errors']} error(s), {summary['warnings']} "
            f"warning(s) after {summary['rounds']} repair round(s); {summary['calls']} LM calls, "
            f"{summary['input_tokens'] + summary['output_tokens']} tokens, {summary['wall_s']:.1f} s"
        )
        for v in result.errors:
            typer.echo(f"  {v}", err=True)
        if result.playtest is not None:
            gate = result.playtest["gate"]
            failed = [f"{c['name']} ({c['measured']})" for c in gate["checks"] if not c["passed"]]
            verdict = "passes" if gate["passed"] else "fails: " + ", ".join(failed)
            typer.echo(f"playtest: {result.playtest['games']} simulated games; the playable gate {verdict}")
        if result.tuning is not None:
            changed = len(result.tuning["changes"])
            typer.echo(f"tuning: {result.tuning['evaluations']} evaluations, {changed} number(s) changed")
        typer.echo(f"wrote {folder}/: {', '.join(result.saved)}")
    finish(result.status != "invalid")
