"""A CLI run killed hard (SIGKILL: no handler, no cleanup) in the middle, then resumed.

The CLI is a real subprocess talking HTTP to `RecordedServer`, which answers from the embedded model's
recorded run with a delay, so the kill lands while stages are being asked and checkpoints written.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from genontology.ontology.io import write_atomic
from genontology.testing.recorded_server import RecordedServer

TRACE = Path(__file__).parent / "data" / "embedded_trace.json"
THEME = "bioluminescent fungi competing in a cave ecosystem"


def cli(*args: str, url: str) -> list[str]:
    lm = ["--lm", f"server:smollm2@{url}", "--route", "scratch", "--no-critic", "--max-rounds", "0"]
    lm += ["--no-playtest"]  # what is asked and checkpointed is the point, not the simulation after it
    return [sys.executable, "-m", "genontology", "design", *args, *lm]


def finished_stages(folder: Path) -> dict[str, dict]:
    try:
        return json.loads((folder / "checkpoint.json").read_text())["parts"]
    except (FileNotFoundError, KeyError):
        return {}


@pytest.mark.slow  # a real subprocess or 16 runs: seconds, not milliseconds
def test_sigkill_mid_run_then_resume_reuses_finished_stages(tmp_path: Path) -> None:
    run = tmp_path / "run"
    with RecordedServer(TRACE, latency_s=0.6) as server:
        process = subprocess.Popen(
            cli(THEME, "--players", "2-4", "--minutes", "60", "--out", str(run), url=server.url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while len(finished_stages(run)) < 3 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert process.poll() is None, f"the run ended before the kill: {process.stderr.read()!r}"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL

        # Every file is whole: each JSON parses, and the checkpoint is a run that can go on.
        for path in run.glob("*.json"):
            json.loads(path.read_text())
        before = finished_stages(run)
        state = json.loads((run / "checkpoint.json").read_text())
        assert len(before) >= 3 and state["pending"] and not state["finished"]
        # A temp file as a kill inside write_atomic leaves it: the resume must clear it.
        (run / ".checkpoint.json.killed.tmp").write_text('{"half": ')
        asked = server.requests

        resumed = subprocess.run(
            cli("--resume", str(run), url=server.url), capture_output=True, text=True, timeout=300
        )
    assert resumed.returncode in (0, 1), resumed.stderr
    after = json.loads((run / "checkpoint.json").read_text())
    assert after["finished"]
    assert {name: after["parts"][name] for name in before} == before  # reused unchanged
    asked_for = [s["stage"] for s in after["trace"]["steps"] if s["kind"] == "lm"]
    assert sorted(asked_for) == sorted(set(asked_for))  # no stage asked twice
    # Only the unfinished stages were asked (setup is not, for a design with no deck to deal).
    resumed_stages = set(asked_for) - set(before)
    assert server.requests - asked == len(resumed_stages)
    assert resumed_stages <= set(state["pending"]) and set(state["pending"]) - resumed_stages <= {"setup"}
    assert not list(run.glob(".*.tmp"))
    for name in ("design.json", "trace.json", "result.json", "rulebook.md"):
        assert (run / name).stat().st_size > 0
    json.loads((run / "design.json").read_text())


def test_write_atomic_killed_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    """A child process killed inside write_atomic, between writing its temp file and renaming it."""
    target = tmp_path / "design.json"
    write_atomic(target, '{"version": "old"}')
    code = (
        "import os, signal, genontology.ontology.io as io\n"
        "real = os.replace\n"
        "def die(*a):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "io.os.replace = die\n"
        f"io.write_atomic({str(target)!r}, '{{\"version\": \"new\"' + ' ' * 100000 + '}}')\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert json.loads(target.read_text()) == {"version": "old"}
    leftovers = list(tmp_path.glob(".*.tmp"))
    assert len(leftovers) == 1 and os.path.getsize(leftovers[0]) > 100000
    from genontology.ontology.io import remove_partial_writes

    assert remove_partial_writes(tmp_path) == [leftovers[0].name]
    assert [p.name for p in tmp_path.iterdir()] == ["design.json"]
