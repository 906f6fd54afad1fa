"""`genontology playtest`: play a tabletop design (a file, or a shipped exemplar by id) with random agents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def playtest_command(
    design: Annotated[str, typer.Argument(help="A design file (JSON or YAML), or a shipped exemplar's id.")],
    games: Annotated[int, typer.Option(min=1, max=10000, help="Playouts to run.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the first playout; playout i uses seed + i.")] = 0,
    players: Annotated[int | None, typer.Option(min=1, max=20, help="Seats (default: min(4, max)).")] = None,
    max_turns: Annotated[int, typer.Option(min=1, help="Turns after which a playout is a timeout.")] = 400,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Random playouts of a design: completion, length, seat balance, decision moves, action shares.

    Exit 1 when fewer than 90% of playouts finish (a design that cannot end is reported, never hangs)."""
    from genontology.ontology import DesignFileError, get_domain, has_errors, load_design_file
    from genontology.playtest import Tabletop, playtest

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
    game = Tabletop(parsed, players=players, max_turns=max_turns)
    report = playtest(game, games=games, seed=seed)
    if as_json:
        typer.echo(json.dumps({"design": parsed.id, "players": game.players, **report.as_dict()}, indent=2))
    else:
        r = report
        lines = [
            f"{parsed.title} ({game.players} players, {games} random playouts, first seed {seed})",
            f"  completion {r.completion:.0%}  timeouts {r.timeouts:.0%}  ends: {r.reasons}",
            f"  turns {r.duration_turns:.1f} ± {r.duration_turns_sd:.1f}  moves {r.duration_moves:.1f}",
            f"  seat wins {r.seat_wins}  balance {r.balance:.2f}  drawishness {r.drawishness:.2f}",
            f"  decision moves {r.decision_moves:.0%}  branching {r.branching:.2f}",
        ]
        typer.echo("\n".join(lines))
        top = ", ".join(f"{a} {s:.0%}" for a, s in list(report.action_share.items())[:5])
        typer.echo(f"  most played actions: {top}")
    raise typer.Exit(0 if report.completion >= 0.9 else 1)
