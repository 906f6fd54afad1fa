"""Executors: the local one (inline, threads, processes) and Ray, on a local multi-node Ray cluster.

Ray tests use `ray.cluster_utils.Cluster`: several Ray nodes on this machine, a head with no CPU of its own,
so every task runs on a node that can be taken away. Designs ask `RecordedServer` (the embedded model's
recorded answers over HTTP), which counts requests, as the crash test does.
"""

from __future__ import annotations

import contextvars
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from genontology import get_domain
from genontology.agents import Designer, Switches
from genontology.execution import ExecutorError, LocalExecutor, RayExecutor, executor_for
from genontology.ontology import OutputFolderError
from genontology.ontology.io import claim_output_folder
from genontology.playtest import Tabletop, judge, playtest
from genontology.testing.recorded_server import RecordedServer, recorded_prompts

TRACE = Path(__file__).parent / "data" / "embedded_trace.json"
SMALL_NODE = {"num_cpus": 1, "object_store_memory": 80 * 1024**2}
LABEL: contextvars.ContextVar[str] = contextvars.ContextVar("label", default="unset")


def _square(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x * x


def _label(_: int) -> str:
    return LABEL.get()


def test_local_executor_keeps_order_and_returns_each_failure_as_its_result() -> None:
    for executor in (LocalExecutor(), LocalExecutor(threads=3), LocalExecutor(processes=2)):
        with executor:
            got = dict(executor.unordered(_square, [(i,) for i in range(6)]))
            assert [got[i] for i in (0, 1, 2, 4, 5)] == [0, 1, 4, 16, 25]
            assert isinstance(got[3], ValueError) and str(got[3]) == "three"
            assert executor.map(_square, [(2,), (4,)]) == [4, 16]
            with pytest.raises(ValueError, match="three"):
                executor.map(_square, [(1,), (3,)])


def test_threads_run_in_the_callers_context() -> None:
    LABEL.set("the caller's")  # DSPy's settings (dspy.context) live in a context like this one
    with LocalExecutor(threads=2) as executor:
        assert executor.map(_label, [(1,), (2,)]) == ["the caller's"] * 2
    assert threading.active_count() >= 1


def test_an_unknown_executor_or_ray_not_installed_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ExecutorError, match="unknown executor 'dask'"):
        executor_for("dask")
    monkeypatch.setitem(sys.modules, "ray", None)  # as on a machine without the extra
    with pytest.raises(ExecutorError, match=r"pip install 'genontology\[ray\]'"):
        executor_for("ray")
    code = (
        "import sys; sys.modules['ray'] = None\n"
        "from genontology.cli import main\n"
        "sys.argv = ['genontology', 'playtest', 'stone_age', '--games', '5', '--ray']\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "pip install 'genontology[ray]'" in run.stderr, run.stderr


def test_a_folder_holding_only_earlier_runs_folders_is_an_earlier_runs(tmp_path: Path) -> None:
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / "checkpoint.json").write_text("{}")
    assert claim_output_folder(tmp_path, "checkpoint.json") == tmp_path  # route "both", stopped midway
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputFolderError, match=r"notes\.txt"):
        claim_output_folder(tmp_path, "checkpoint.json")


# A local Ray cluster ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    import ray
    from ray.cluster_utils import Cluster

    # Node deaths found in about a second, not the default fifteen.
    config = {"health_check_period_ms": 300, "health_check_failure_threshold": 3}
    head = {"num_cpus": 0, "object_store_memory": 80 * 1024**2, "_system_config": config}
    made = Cluster(initialize_head=True, head_node_args=head)
    for _ in range(2):
        made.add_node(**SMALL_NODE)
    made.wait_for_nodes()
    executor = RayExecutor(made.address)
    try:
        yield made, executor
    finally:
        executor.close()
        ray.shutdown()
        made.shutdown()


@pytest.mark.slow  # a Ray cluster of three nodes: seconds to start
def test_playouts_and_the_gate_on_ray_match_the_local_executor(cluster: Any) -> None:
    _, executor = cluster
    assert executor.workers == 2
    stone_age = next(d for d in get_domain("tabletop").load_exemplars() if d.id == "stone_age")
    game = Tabletop(stone_age)
    here = playtest(game, games=24, seed=3, bots=("random", "greedy"), skill_games=10)
    assert (
        playtest(game, games=24, seed=3, bots=("random", "greedy"), skill_games=10, executor=executor) == here
    )
    report, gate = judge(game, minutes=60, seed=1, games=60, early=True)
    on_ray = judge(game, minutes=60, seed=1, games=60, early=True, executor=executor)
    assert on_ray[0] == report and on_ray[1].as_dict() == gate.as_dict()


@pytest.mark.slow  # a search on a Ray cluster and here
def test_a_search_on_ray_fills_the_same_archive_as_here(cluster: Any, tmp_path: Path) -> None:
    from genontology.explore import explore

    _, executor = cluster
    by_id = {d.id: d for d in get_domain("tabletop").load_exemplars()}
    start = [by_id["backgammon"], by_id["king_of_tokyo"]]
    designer = Designer(lm=f"replay:{TRACE}")  # never asked: no themes, no stage variations
    quick = dict(start=start, designs=0, generations=1, batch=3, variations=0, games=40, seed=2)
    here = explore(designer, [], out=tmp_path / "here", **quick)
    on_ray = explore(designer, [], out=tmp_path / "ray", executor=executor, **quick)
    assert on_ray.model_dump() == here.model_dump() and here.evaluations == 5


def _stages(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / "checkpoint.json").read_text())
    except (FileNotFoundError, ValueError):
        return {}


@pytest.mark.slow  # a Ray cluster, a node taken away mid-batch
def test_a_node_removed_mid_batch_loses_nothing_and_asks_no_finished_stage_again(
    cluster: Any, tmp_path: Path
) -> None:
    made, executor = cluster
    doomed = made.add_node(**SMALL_NODE)  # three nodes, one task each at first; this one goes
    made.wait_for_nodes()
    prompts = recorded_prompts(TRACE, 4)
    out = tmp_path / "batch"
    with RecordedServer(TRACE, latency_s=0.4) as server:
        designer = Designer(
            lm=f"server:smollm2@{server.url}",
            route="scratch",
            max_rounds=0,
            switches=Switches(critic=False, playtest=False),
        )
        box: list[Any] = []
        batch = threading.Thread(
            target=lambda: box.append(designer.run_many(prompts, out=out, executor=executor, players="2-4"))
        )
        batch.start()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and batch.is_alive():
            started = [_stages(f) for f in out.glob("*")] if out.exists() else []
            if sum(len(s.get("parts", {})) >= 2 and not s.get("finished") for s in started) >= 3:
                break  # three runs under way, one of them on the doomed node
            time.sleep(0.05)
        assert batch.is_alive(), "the batch ended before a node could be taken away"
        before = {f.name: _stages(f).get("parts", {}) for f in out.glob("*")}
        made.remove_node(doomed)
        batch.join(timeout=300)
        assert not batch.is_alive()
        asked = server.requests

    results = box[0]
    assert [r.prompt for r in results] == prompts
    assert [r.status for r in results if r.status == "failed"] == [], [r.error for r in results]
    lm_steps = 0
    for folder in sorted(out.iterdir()):
        state = _stages(folder)
        assert state["finished"] and (folder / "design.json").is_file()
        parts = before.get(folder.name, {})
        assert {name: state["parts"][name] for name in parts} == parts  # finished stages kept unchanged
        stages = [s["stage"] for s in state["trace"]["steps"] if s["kind"] == "lm"]
        assert sorted(stages) == sorted(set(stages))  # no stage asked twice
        lm_steps += len(stages)
    assert len(list(out.iterdir())) == 4
    # Every request is in some run's trace, but the one the doomed node was waiting for when it went.
    assert lm_steps <= asked <= lm_steps + 1


@pytest.mark.slow  # two CLI processes, one killed
def test_a_batch_whose_driver_was_killed_resumes_where_it_stopped(tmp_path: Path) -> None:
    import signal

    themes = tmp_path / "themes.txt"
    themes.write_text("# a batch\n" + "\n".join(recorded_prompts(TRACE, 3)) + "\n")
    out = tmp_path / "batch"
    with RecordedServer(TRACE, latency_s=0.5) as server:
        lm = ["--lm", f"server:smollm2@{server.url}", "--route", "scratch", "--no-critic", "--no-playtest"]
        command = [sys.executable, "-m", "genontology", "design", "--themes", str(themes), "--out", str(out)]
        command += [*lm, "--max-rounds", "0", "--players", "2-4", "--concurrency", "2"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if out.exists() and any(len(_stages(f).get("parts", {})) >= 2 for f in out.iterdir()):
                break
            time.sleep(0.05)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        before = {f.name: _stages(f).get("parts", {}) for f in out.iterdir()}
        asked = server.requests
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
        asked_again = server.requests - asked

    assert rerun.returncode in (0, 1), rerun.stderr
    assert "summary: 3 " in rerun.stdout and "failed" not in rerun.stdout, rerun.stdout
    folders = sorted(out.iterdir())
    assert len(folders) == 3 and [f.name[:3] for f in folders] == ["00-", "01-", "02-"]
    new_stages = 0
    for folder in folders:
        state = _stages(folder)
        assert state["finished"]
        parts = before.get(folder.name, {})
        assert {name: state["parts"][name] for name in parts} == parts
        stages = [s["stage"] for s in state["trace"]["steps"] if s["kind"] == "lm"]
        assert sorted(stages) == sorted(set(stages))
        new_stages += len(set(stages) - set(parts))
    assert asked_again == new_stages  # the restarted batch asked only what no run had finished


@pytest.mark.slow  # a bench's designs as Ray tasks (last: its workers load the store, and stay warm)
def test_a_bench_on_ray_records_what_it_records_here(cluster: Any, tmp_path: Path) -> None:
    from genontology.evaluation import Bench, parse_conditions
    from genontology.evaluation.prompts import BenchPrompt

    _, executor = cluster  # C4 and C5: the conditions whose stages the recorded run answers
    items = [BenchPrompt(recorded_prompts(TRACE, 1)[0], {"players": "2-4"})]
    lines: list[str] = []
    with RecordedServer(TRACE) as server:
        quick = dict(lm=f"server:smollm2@{server.url}", judge_repeats=0, exemplars=0, max_rounds=0)
        here = Bench(parse_conditions("C4,C5"), items, tmp_path / "here", **quick).run()
        on_ray = Bench(
            parse_conditions("C4,C5"),
            items,
            tmp_path / "ray",
            executor=executor,
            on_progress=lines.append,
            **quick,
        ).run()
        asked = server.requests
        again = Bench(parse_conditions("C4,C5"), items, tmp_path / "ray", executor=executor, **quick).run()
        assert server.requests == asked  # every record was on disk: nothing asked again

    def measured(records: list[dict[str, Any]]) -> list[Any]:
        return [(r["group"], r["index"], r.get("status"), r.get("errors")) for r in records]

    assert measured(on_ray) == measured(here) == measured(again) and len(lines) == 2
    assert [r["status"] for r in on_ray] == ["valid_with_warnings"] * 2  # runs the recorded answers fit
    assert len(list((tmp_path / "ray" / "designs").rglob("*.json"))) == 2
