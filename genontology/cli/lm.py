"""`genontology lm ...` and `serve ...`: language-model backends, checked or started."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from genontology.cli.common import JsonOpt, LmOpt, app, echo_json

lm_app = typer.Typer(help="Language-model backends.", no_args_is_help=True)
app.add_typer(lm_app, name="lm")
serve_app = typer.Typer(help="Start a local model server and wait until it is healthy.", no_args_is_help=True)
app.add_typer(serve_app, name="serve")


@lm_app.command("check")
def lm_check(lm: LmOpt = None, as_json: JsonOpt = False) -> None:
    """Send one schema-constrained request to a backend and report the answer, tokens and time."""
    from genontology.generators.check import check_backend

    report = check_backend(lm)
    if as_json:
        echo_json(report)
        return
    typer.echo(
        f"{report['model']}: schema-valid answer in {report['seconds']:.1f} s "
        f"({report['usage']['input_tokens']} tokens in, {report['usage']['output_tokens']} out)"
    )
    typer.echo(json.dumps(report["answer"], ensure_ascii=False))


@lm_app.command("forms")
def lm_forms() -> None:
    """List the accepted LM spec forms."""
    from genontology.generators.resolve import ACCEPTED

    for form in ACCEPTED:
        typer.echo(form)


@serve_app.command("vllm")
def serve_vllm_command(
    model_dir: Annotated[Path, typer.Argument(help="A local Hugging Face model directory.")],
    port: Annotated[int, typer.Option(help="Port to listen on (127.0.0.1).")] = 8000,
    python: Annotated[
        str | None, typer.Option(help="Python of the vLLM environment (default .venv-vllm).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Served model name (default: the folder name).")] = None,
) -> None:
    """Start vLLM's OpenAI-compatible server on MODEL_DIR and keep it running until Ctrl-C."""
    from genontology.generators.serve import serve_vllm

    server = serve_vllm(model_dir, port=port, python=python, served_name=name)
    served = name or model_dir.name
    typer.echo(
        f"vLLM is serving {served} at {server.url}; use --lm vllm:{served}@{server.url}  (Ctrl-C stops)"
    )
    try:
        server.process.wait()
    finally:
        server.stop()
