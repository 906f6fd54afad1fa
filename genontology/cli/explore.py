"""`genontology explore`: a quality-diversity archive of playable designs (genontology.explore)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from genontology.cli.common import (
    LmOpt,
    RayAddressOpt,
    RayOpt,
    app,
    design_or_exemplar,
    executor_from,
    finish,
)


def _show(path: Path, as_json: bool) -> bool:
    from genontology.explore import Archive

    archive = Archive.load(path)
    ranked = archive.ranked()
    if as_json:
        rows = [e.model_dump(exclude={"design"}) for _, e in ranked]
        typer.echo(json.dumps({"qd_score": archive.qd_score, "elites": rows}, indent=2, ensure_ascii=False))
        return bool(ranked)
    typer.echo(
        f"{len(ranked)} elite(s) over {', '.join(archive.axes)}; QD score {archive.qd_score}; "
        f"{archive.evaluations} judged, {archive.rejected} rejected, {archive.generation} generation(s)"
    )
    for key, e in ranked:
        measured = ", ".join(f"{name} {value:g}" for name, value in e.measures.items())
        typer.echo(f"[{key}] {e.fitness:.3f} {e.title!r} ({e.origin}, {measured}): {e.theme}")
    return bool(ranked)


@app.command()
def explore(
    themes: Annotated[list[str] | None, typer.Argument(help="The themes to explore, in words.")] = None,
    themes_file: Annotated[
        Path | None, typer.Option("--themes", help="A file of themes, one a line (besides any given).")
    ] = None,
    start: Annotated[
        list[str] | None,
        typer.Option(
            "--from", help="Start from this design: a file or an exemplar id (repeatable; themes optional)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="The search's folder: archive.json and every run (default: explore/<theme>)."),
    ] = None,
    axes: Annotated[
        str,
        typer.Option(
            help="Behaviour descriptors, comma-separated: decisions, length, interaction, branching."
        ),
    ] = "decisions,length",
    designs: Annotated[int, typer.Option(min=1, max=50, help="Fresh designs a theme (one seed each).")] = 2,
    generations: Annotated[int, typer.Option(min=0, max=1000, help="Rounds of variation (total).")] = 3,
    batch: Annotated[int, typer.Option(min=0, max=1000, help="Number variations a generation.")] = 6,
    variations: Annotated[
        int, typer.Option(min=0, max=100, help="Stage variations a generation (an agent asked again).")
    ] = 1,
    games: Annotated[
        int, typer.Option(min=20, max=5000, help="Most random playouts a judgement plays.")
    ] = 120,
    seed: Annotated[int, typer.Option(help="Seed of the search, its designs and its playouts.")] = 0,
    players: Annotated[str | None, typer.Option(help="Player count: 3 or a range like 2-4.")] = None,
    minutes: Annotated[int | None, typer.Option(min=5, max=600, help="Target play time.")] = None,
    route: Annotated[
        str | None,
        typer.Option(
            help="The Designer's route: auto, scratch (stage variations need the agents' own structure) "
            "or both."
        ),
    ] = "scratch",
    lm: LmOpt = None,
    max_rounds: Annotated[int, typer.Option(min=0, max=10, help="A design run's repair rounds.")] = 3,
    tune_budget_s: Annotated[
        float, typer.Option(min=0, help="Seconds a design run may tune the numbers of a design that fails.")
    ] = 40.0,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Design runs at once on this machine.")] = 2,
    processes: Annotated[int, typer.Option(min=1, max=256, help="Processes judging designs here.")] = 1,
    ray: RayOpt = False,
    ray_address: RayAddressOpt = None,
    plot: Annotated[
        Path | None, typer.Option(help="Draw the archive as a heat map (.png, .svg or .pdf).")
    ] = None,
    show: Annotated[
        Path | None, typer.Option(help="List the elites of this archive (a file or its folder) and stop.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="With --show: the elites as JSON.")] = False,
) -> None:
    """Fill a MAP-Elites archive of playable designs: cells are behaviour descriptors measured in
    simulation, each holding the fittest design that lands there (fitness: balance, skill rewarded, few
    draws). Candidates: the Designer's fresh runs, the numbers of elites varied as the tuner varies them, and
    an elite's stage asked again by its agent; each is judged by the playable gate. The archive is saved
    after every step: the same command again continues the search (a larger --generations extends it).

    Exit 0 when the archive holds at least one elite, 1 when none passed, 2 on bad input."""
    from genontology.agents import Designer
    from genontology.cli.batch import read_themes
    from genontology.explore import AXES, Archive, plot_archive
    from genontology.explore import explore as search
    from genontology.ontology import get_domain

    if show is not None:
        if plot is not None:
            archive = Archive.load(show)
            plot_archive(archive, [AXES[a] for a in archive.axes], plot)
        finish(_show(show, as_json))
    asked = list(themes or []) + (read_themes(themes_file) if themes_file else [])
    dom = get_domain("tabletop")
    started = [design_or_exemplar(dom, reference) for reference in start or []]
    if not asked and not started:
        raise typer.BadParameter("give one THEME or more, --themes FILE, or --from DESIGN")
    chosen = [a.strip() for a in axes.split(",") if a.strip()]
    if plot is not None:
        from genontology.playtest.plot import plot_format

        plot_format(plot)  # a bad suffix fails before the search, not after it
    from genontology.ontology.io import slug

    folder = out or Path("explore") / slug(asked[0] if asked else started[0].id)
    designer = Designer(lm=lm, seed=seed, route=route, max_rounds=max_rounds, tune_budget_s=tune_budget_s)

    def told(message: str) -> None:
        typer.echo(message, err=True)

    with executor_from(ray, ray_address) as executor:
        archive = search(
            designer,
            asked,
            out=folder,
            start=started,
            axes=chosen,
            designs=designs,
            generations=generations,
            batch=batch,
            variations=variations,
            games=games,
            seed=seed,
            concurrency=concurrency,
            processes=processes,
            executor=executor,
            on_event=told,
            players=players,
            minutes=minutes,
        )
    if plot is not None:
        plot_archive(archive, [AXES[a] for a in archive.axes], plot)
        told(f"wrote {plot}")
    finish(_show(folder, as_json))
