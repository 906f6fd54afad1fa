"""`genontology design --themes FILE`: a batch of designs with a progress bar and a summary at the end."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from genontology.cli.common import UsageFailure


def read_themes(path: Path) -> list[str]:
    """One theme a line; blank lines and lines starting with # are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageFailure(f"{path}: cannot read the themes ({exc})") from None
    themes = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not themes:
        raise UsageFailure(f"{path}: no theme in it (one a line)")
    return themes


def design_batch(
    designer: Any, themes_file: Path, out: Path, concurrency: int, executor: Any, constraints: dict[str, Any]
) -> bool:
    """Run the batch; True when every design came out without errors."""
    themes = read_themes(themes_file)
    where = f"Ray ({executor.workers} CPUs)" if executor is not None else f"{concurrency} at once here"
    typer.echo(f"batch: {len(themes)} theme(s), {where}, into {out}/", err=True)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("designs", total=len(themes))

        def progress(p: Any) -> None:
            bar.update(task, completed=p.done, description=p.line())

        results = designer.run_many(
            themes, concurrency, out=out, executor=executor, on_progress=progress, **constraints
        )
    for index, r in enumerate(results):
        line = f"{index:02d} {r.status}: {r.prompt!r}"
        if r.status == "failed":
            line += f": {r.error}"
        elif r.playtest is not None:
            line += f"; the playable gate {'passes' if r.playtest['gate']['passed'] else 'fails'}"
        typer.echo(line)
    by_status = {s: sum(r.status == s for r in results) for s in dict.fromkeys(r.status for r in results)}
    walls = [r.usage["wall_s"] for r in results if r.usage.get("wall_s")]
    median = f", median {statistics.median(walls):.1f} s a design" if walls else ""
    typer.echo(f"summary: {', '.join(f'{n} {s}' for s, n in by_status.items())}{median}; wrote {out}/")
    return all(r.status in ("valid", "valid_with_warnings") for r in results)
