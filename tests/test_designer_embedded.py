"""The pipeline for real: the embedded model (SmolLM2-135M via llama.cpp) and the Chroma exemplar store,
through the Python API and the CLI. Slow: each design takes about 40 s on 2 cores."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from child import run_python
from test_notebook import execute_notebook, outputs_text

from genontology.agents import Designer, get_plan

pytestmark = pytest.mark.slow
CLI = [sys.executable, "-m", "genontology"]


def test_embedded_model_designs_a_valid_game(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENONTOLOGY_HOME", str(tmp_path / "home"))
    result = Designer(route="scratch", max_rounds=2, tune_budget_s=10).run(
        "rival tea merchants on the silk road", players="2-5", minutes=75, out=tmp_path / "run"
    )
    assert not result.errors, [str(v) for v in result.errors]
    assert (
        result.design is not None and result.design.players.max == 5 and result.design.play_time_minutes == 75
    )
    lm_steps = [s for s in result.trace.steps if s.kind == "lm"]
    assert {s.role for s in lm_steps} == {"theme_weaver", "mechanics_architect", "component_designer"}
    assert all(s.input_tokens > 0 and s.output_tokens > 0 for s in lm_steps)  # a model answered, not a cache
    assert any(s.exemplars for s in lm_steps)  # grounded on the store
    assert result.usage["calls"] == len([s for s in result.trace.steps if s.kind in ("lm", "critique")])
    assert "## Mechanisms" in result.to_markdown()


def test_cli_recombines_two_games_that_play_into_a_new_one(tmp_path: Path) -> None:
    """The recombination route for real: parents from the Chroma store that pass the gate, the embedded
    model naming every thing, then validation, the playtest and tuning as for any design."""
    env = {**os.environ, "GENONTOLOGY_HOME": str(tmp_path / "home")}
    out = tmp_path / "out"
    theme = ["otters fishing in a mountain stream", "--players", "2-4", "--minutes", "30"]
    options = ["--route", "recombine", "--max-rounds", "1", "--tune-budget-s", "10", "--json"]
    done = subprocess.run(
        [*CLI, "design", *theme, "--out", str(out), *options],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["errors"] == 0
    design = json.loads((out / "design.json").read_text())
    assert len(design["provenance"]["parents"]) == 2
    trace = json.loads((out / "trace.json").read_text())
    assert "recombined" in trace["steps"][0]["detail"]
    assert [s["stage"] for s in trace["steps"] if s["kind"] == "lm"][:3] == ["concept", "names", "theming"]
    assert any(s["kind"] == "playtest" for s in trace["steps"])
    assert "Made by recombining" in (out / "rulebook.md").read_text()


def test_a_killed_cli_design_resumes_and_writes_design_rulebook_and_trace(tmp_path: Path) -> None:
    """The CLI from end to end, killed once: a run stopped by SIGKILL after three stages resumes without
    asking them again, under the settings it started with, and writes the design, rulebook and trace."""
    env = {**os.environ, "GENONTOLOGY_HOME": str(tmp_path / "home")}
    out = tmp_path / "out"
    args = ["--out", str(out), "--route", "scratch", "--players", "1-4", "--minutes", "45"]
    # Repair rounds and retrieval are the API test's; the defaults run whole in CI's `make design`.
    args += ["--no-retrieval", "--no-critic", "--max-rounds", "0", "--tune-budget-s", "10"]
    run = subprocess.Popen([*CLI, "design", "nomads herding yaks across the steppe", *args], env=env)
    checkpoint = out / "checkpoint.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        if checkpoint.exists() and len(json.loads(checkpoint.read_text())["parts"]) >= 3:
            break
        time.sleep(0.2)
    run.send_signal(signal.SIGKILL)  # no chance to clean up: only the atomic checkpoint remains
    run.wait()
    done_before = set(json.loads(checkpoint.read_text())["parts"])
    assert len(done_before) >= 3 and not (out / "design.json").exists()

    resumed = subprocess.run(
        [*CLI, "design", "--resume", str(out), "--json"], capture_output=True, text=True, env=env, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    summary = json.loads(resumed.stdout)
    assert summary["status"] in ("valid", "valid_with_warnings") and summary["errors"] == 0
    design = json.loads((out / "design.json").read_text())
    assert design["players"]["min"] == 1 and design["play_time_minutes"] == 45
    assert (out / "rulebook.md").read_text().startswith("# ")
    trace = json.loads((out / "trace.json").read_text())
    asked = [s["stage"] for s in trace["steps"] if s["kind"] == "lm"]
    # Every stage once (the finished ones were not asked again), under the settings the run started with
    # (no critic, no exemplars), though `--resume` was given none of them; setup asks only for a deal.
    decks = any(c["kind"] == "deck" for c in design["components"])
    expected = {s.name for s in get_plan("tabletop").stages} - (set() if decks else {"setup"})
    assert len(asked) == len(set(asked)) and set(asked) == expected and asked[:2] == ["concept", "mechanics"]
    assert not [s for s in trace["steps"] if s["kind"] == "critique"]
    assert not [s for s in trace["steps"] if s["kind"] == "lm" and s.get("exemplars")]
    playtests = [s for s in trace["steps"] if s["kind"] == "playtest"]
    assert playtests  # the playtest stayed on, as it started
    failed = {s["round"] for s in playtests if "fails the playable" in s["detail"]}
    assert failed <= {s["round"] for s in trace["steps"] if s["kind"] == "tune"}  # each failed round tuned
    validated = subprocess.run([*CLI, "validate", str(out / "design.json")], capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout
    assert "component_designer" in outputs_text(execute_notebook(out / "trace.json"))


def test_concurrent_embedded_calls_leave_stdout_alone() -> None:
    """llama.cpp silences itself by swapping file descriptors; two threads at once once left stdout at
    /dev/null for the rest of the process (a batch printed nothing). The engine serializes them."""
    script = (
        "import threading\n"
        "from genontology.generators.check import check_backend\n"
        "threads = [threading.Thread(target=check_backend, args=('embedded',)) for _ in range(2)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print('stdout still works')\n"
    )
    done = run_python(script, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "stdout still works" in done.stdout
