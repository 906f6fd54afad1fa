"""`genontology train music-realizer`: train the realizer on music21's chorales, reproducibly by seed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from genontology.cli.common import app
from genontology.ontology.io import data_home

train_app = typer.Typer(help="Train the models that genontology uses.", no_args_is_help=True)
app.add_typer(train_app, name="train")


def default_weights() -> Path:
    """Where training writes unless told: the user's data folder, never the installed package."""
    return data_home() / "models" / "music-realizer.pt"


@train_app.command("music-realizer")
def music_realizer(
    out: Annotated[
        Path | None,
        typer.Option(help="Weights file to write (default: $GENONTOLOGY_HOME/models/music-realizer.pt)."),
    ] = None,
    epochs: Annotated[int, typer.Option(min=1, max=500, help="Passes over the training windows.")] = 30,
    seed: Annotated[int, typer.Option(help="Seed for initialization, masking and batch order.")] = 0,
    limit: Annotated[int | None, typer.Option(min=1, help="Read only the first N corpus files.")] = None,
) -> None:
    """Train the SATB realizer (CUDA when present, else CPU) and write its weights (fp16, about 1 MB).

    The shipped weights are never overwritten: realize with the new ones through --weights or
    $GENONTOLOGY_REALIZER."""
    from genontology.generators.music import neural

    target = out or default_weights()
    if target.resolve() == neural.packaged_weights().resolve():
        raise typer.BadParameter(
            f"{target} is the weights file shipped inside the package; write your own elsewhere",
            param_hint="--out",
        )
    if target.is_dir():
        raise typer.BadParameter(f"{target} is a folder; give a file path for the weights")
    try:  # checked before minutes of training, not after
        target.parent.mkdir(parents=True, exist_ok=True)
        writable = os.access(target.parent, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        raise typer.BadParameter(f"cannot write the weights to {target}: its folder is not writable")
    report = neural.train_from_corpus(target, epochs=epochs, seed=seed, limit=limit, log=typer.echo)
    typer.echo(json.dumps(report, indent=2))
    typer.echo(f"weights written to {target}; use them with GENONTOLOGY_REALIZER={target}")
