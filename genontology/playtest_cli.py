"""`genontology playtest`: play a tabletop design (a file, or a shipped exemplar by id) and judge it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def playtest_command(
    design: Annotated[str, typer.Argument(help="A design file (JSON or YAML), or a shipped exemplar's id.")],
    games: Annotated[int, typer.Option(min=1, max=10000, help="Random playouts to run.")] = 200,
    agents: Annotated[
        str, typer.Option(help="Agents, comma-separated: random is the baseline; greedy, mcts probe skill.")
    ] = "random,greedy",
    skill_games: Annotated[int, typer.Option(min=1, help="Games per skill and dominance probe.")] = 40,
    seed: Annotated[int, typer.Option(help="Seed of the first playout; playout i uses seed + i.")] = 0,
    players: Annotated[int | None, typer.Option(min=1, max=20, help="Seats (default: min(4, max)).")] = None,
    max_turns: Annotated[int, typer.Option(min=1, help="Turns after which a playout is a timeout.")] = 400,
    processes: Annotated[int, typer.Option(min=1, max=256, help="Worker processes for playouts.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Write a figure: win rate per seat, lengths, action usage.")
    ] = None,
) -> None:
    """Simulated playouts of a design: completion, length, seat balance, decisions, lead changes, action
    shares, skill gap and dominant actions, judged by the playable gate.

    Exit 0 when the design passes the gate, 1 when it fails it (a design that cannot end is reported, never
    hangs), 2 on bad input."""
    from genontology.ontology import DesignFileError, get_domain, has_errors, load_design_file
    from genontology.playtest import make_agent
    from genontology.playtest.evaluate import playtest_design
    from genontology.playtest.plot import plot_format, plot_report

    if plot is not None:
        plot_format(plot)  # a bad figure path fails before minutes of playouts, not after
    names = tuple(a.strip() for a in agents.split(",") if a.strip())
    try:
        for name in names:
            make_agent(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--agents") from None
    tabletop = get_domain("tabletop")
    path = Path(design)
    if path.exists():
        data = load_design_file(path)
        violations = tabletop.validate(data)
        if has_errors(violations):
            raise DesignFileError(
                f"{design}: not a valid design ({violations[0]}); run `genontology validate`"
            )
        parsed = tabletop.parse(data)
    else:
        found = [d for d in tabletop.load_exemplars() if d.id == design]
        if not found:
            raise DesignFileError(f"{design}: no such file, and no exemplar has this id")
        parsed = found[0]
    result = playtest_design(
        parsed,
        games=games,
        seed=seed,
        agents=names,
        skill_games=skill_games,
        players=players,
        max_turns=max_turns,
        processes=processes,
    )
    typer.echo(json.dumps(result.as_dict(), indent=2) if as_json else result.text())
    if plot is not None:
        plot_report(result.report, parsed.title, plot)
        if not as_json:
            typer.echo(f"figure: {plot}")
    raise typer.Exit(0 if result.passed else 1)
