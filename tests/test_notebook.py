"""examples/inspect_trace.ipynb runs top to bottom on a trace the embedded model made (the recorded one here;
the slow CLI test runs it again on a fresh trace)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).parent.parent
NOTEBOOK = ROOT / "examples" / "inspect_trace.ipynb"


def execute_notebook(trace: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    os.environ["GENONTOLOGY_TRACE"] = str(trace.resolve())
    try:
        NotebookClient(
            notebook, timeout=120, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
        ).execute()
    finally:
        os.environ.pop("GENONTOLOGY_TRACE", None)
    return notebook


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    chunks = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            chunks.append(output.get("text", "") + str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(chunks)


def test_inspect_trace_notebook_runs_on_a_recorded_embedded_trace() -> None:
    text = outputs_text(execute_notebook(ROOT / "tests" / "data" / "embedded_trace.json"))
    assert "mechanics_architect" in text  # tokens per role
    assert "round" in text and "concept" in text  # the step table and the evolution
    assert "--- raw answer" in text
