"""`genontology playtest`: play a design (a file, or a shipped exemplar by id) in simulation and judge it."""

from __future__ import annotations

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


@app.command("playtest")
def playtest_command(
    design: Annotated[str, typer.Argument(help="A design file (JSON or YAML), or a shipped exemplar's id.")],
    games: Annotated[int, typer.Option(min=1, max=10000, help="Random playouts to run.")] = 200,
    bots: Annotated[
        str,
        typer.Option(
            help="Game-playing bots, comma-separated: random is the baseline; greedy, flat-mc, ismcts probe."
        ),
    ] = "random,greedy",
    skill_games: Annotated[int, typer.Option(min=1, help="Games per skill and dominance probe.")] = 40,
    seed: Annotated[int, typer.Option(help="Seed of the first playout; playout i uses seed + i.")] = 0,
    players: Annotated[int | None, typer.Option(min=1, max=20, help="Seats (default: min(4, max)).")] = None,
    max_turns: Annotated[int, typer.Option(min=1, help="Turns after which a playout is a timeout.")] = 400,
    processes: Annotated[int, typer.Option(min=1, max=256, help="Worker processes for playouts.")] = 1,
    ray: RayOpt = False,
    ray_address: RayAddressOpt = None,
    domain: DomainOpt = DEFAULT_DOMAIN,
    gate: Annotated[
        bool,
        typer.Option(
            "--gate",
            help="Judge by the playable gate: each check's value, interval and threshold, the skill ladder,"
            " the duels; --games is then the most random playouts, played only as the checks need.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            help="Write a figure: seat wins with intervals, lengths against the stated play time, action"
            " usage, and with --gate the skill ladder."
        ),
    ] = None,
) -> None:
    """Simulated playouts of a design: completion, length, seat balance, decisions, lead changes, drama,
    decisiveness, clarity, action shares and each bot's skill gap; with --gate, judged by the playable gate.

    Exit 0 when the design passes the gate (or was not judged), 1 when it fails it (a design that cannot end
    is reported, never hangs), 2 on bad input or a domain that has no game engine."""
    from genontology.agents.design_plan import get_plan
    from genontology.playtest import make_bot
    from genontology.playtest.evaluate import measure_design, playtest_design
    from genontology.playtest.plot import plot_format, plot_report

    dom = domain_named(domain)
    if get_plan(dom.name).simulate is None:
        raise UsageFailure(f"the {dom.name} domain has no game to play in simulation")
    if plot is not None:
        plot_format(plot)  # a bad figure path fails before minutes of playouts, not after
    names = tuple(b.strip() for b in bots.split(",") if b.strip())
    try:
        for name in names:
            make_bot(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--bots") from None
    parsed = design_or_exemplar(dom, design)
    common = dict(games=games, seed=seed, players=players, max_turns=max_turns, processes=processes)
    with executor_from(ray, ray_address) as executor:  # the same seeds give the same numbers on Ray
        if gate:
            result = playtest_design(parsed, **common, executor=executor)
        else:
            result = measure_design(parsed, bots=names, skill_games=skill_games, **common, executor=executor)
    typer.echo(json.dumps(result.as_dict(), indent=2) if as_json else result.text())
    if plot is not None:
        plot_report(result, parsed.play_time_minutes, plot)
        if not as_json:
            typer.echo(f"figure: {plot}")
    finish(result.passed)
