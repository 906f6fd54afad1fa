"""The quality-diversity explorer: its archive, its search from designs and from the Designer, its CLI.

The Designer here answers from the embedded model's recorded run (`replay:`, a recorded-response LM, and
`RecordedServer` over HTTP for the CLI): these tests check the search's logic and its plumbing (runs,
variations through an agent, judgements, resumption, the plot); the designs are simulated for real.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from genontology import get_domain
from genontology.agents import Designer, Switches
from genontology.agents.designer import CheckpointError
from genontology.execution import LocalExecutor
from genontology.explore import AXES, Archive, ArchiveError, Elite, explore, fitness, plot_archive
from genontology.explore.search import STRUCTURE
from genontology.testing.recorded_server import RecordedServer, recorded_prompts

TRACE = Path(__file__).parent / "data" / "embedded_trace.json"
QUICK = dict(games=40, seed=0, designs=0, generations=2, batch=3, variations=0)


def _elite(cell: tuple[int, int], value: float, title: str = "A") -> Elite:
    return Elite(
        cell=cell,
        fitness=value,
        measures={"decisions": 0.8, "length": 5.0},
        title=title,
        theme="t",
        origin="numbers",
        generation=0,
        design={"title": title},
    )


def test_the_archive_keeps_the_fittest_of_each_cell_and_reads_back_what_it_wrote(tmp_path: Path) -> None:
    archive = Archive(axes=["decisions", "length"], themes=["t"], seed=0)
    assert archive.insert(_elite((1, 2), 0.5, "first"))
    assert not archive.insert(_elite((1, 2), 0.5, "a tie keeps the one held"))
    assert archive.insert(_elite((1, 2), 0.7, "fitter"))
    assert archive.insert(_elite((0, 0), 0.2))
    assert archive.elites["1,2"].title == "fitter" and archive.qd_score == 0.9
    assert [key for key, _ in archive.ranked()] == ["1,2", "0,0"]
    archive.save(tmp_path)
    assert Archive.load(tmp_path) == archive and not list(tmp_path.glob(".*.tmp"))
    (tmp_path / "archive.json").write_text('{"axes": ')
    with pytest.raises(ArchiveError, match="not a readable archive"):
        Archive.load(tmp_path)
    decisions = AXES["decisions"]
    assert [decisions.bin(v) for v in (0.1, 0.5, 0.9, 1.0)] == [0, 2, 3, 4]
    assert decisions.bin_labels() == ["<0.3", "0.3-0.5", "0.5-0.6", "0.6-0.95", ">=0.95"]


def test_fitness_rewards_balance_skill_and_decisive_games() -> None:
    fair = {"balance": 1.0, "drawishness": 0.0, "gate": {"skill_trace": 0.6}}
    assert fitness(fair) == 1.0
    assert fitness({**fair, "balance": 0.5}) == 0.75
    assert fitness({**fair, "gate": {"skill_trace": None}}) == 0.7
    assert fitness({**fair, "drawishness": 1.0}) == 0.8


def _exemplars(*ids: str) -> list[Any]:
    by_id = {d.id: d for d in get_domain("tabletop").load_exemplars()}
    return [by_id[i] for i in ids]


def _replayed() -> Designer:
    return Designer(lm=f"replay:{TRACE}", route="scratch", max_rounds=0, switches=Switches(critic=False))


@pytest.mark.slow  # three searches of a few dozen gate judgements
def test_a_search_from_designs_fills_cells_and_resumes_to_the_same_archive(tmp_path: Path) -> None:
    start = _exemplars("backgammon", "king_of_tokyo")  # two that the gate judges in seconds
    whole = explore(_replayed(), [], out=tmp_path / "whole", start=start, **QUICK)
    assert whole.generation == 2 and whole.evaluations >= 2 + 3
    assert {e.origin for e in whole.elites.values()} <= {"start", "numbers"}
    for key, elite in whole.elites.items():
        assert elite.passed and 0 <= elite.fitness <= 1
        assert key == Archive.key([AXES[a].bin(elite.measures[a]) for a in whole.axes])
        assert elite.parent is None or elite.origin == "numbers"
    assert len(whole.history) == 3 and whole.history[-1]["qd_score"] == whole.qd_score
    assert [h["generation"] for h in whole.history] == [0, 1, 2]
    assert {e.generation for e in whole.elites.values() if e.origin == "numbers"} <= {1, 2}

    # Stopped after one generation and started again: the same archive as the search run whole, on
    # another executor (the candidates are seeded by the generation, the judgements by the search's seed).
    halves = tmp_path / "halves"
    explore(_replayed(), [], out=halves, start=start, **{**QUICK, "generations": 1})
    with LocalExecutor(processes=2) as processes:
        again = explore(_replayed(), [], out=halves, start=start, executor=processes, **QUICK)
    assert again.model_dump() == whole.model_dump()
    with pytest.raises(ArchiveError, match="holds another search"):
        explore(_replayed(), [], out=halves, start=start[:1], **QUICK)
    figure = plot_archive(again, [AXES[a] for a in again.axes], tmp_path / "archive.png")
    assert figure.read_bytes()[:4] == b"\x89PNG"


@pytest.fixture(scope="module")
def recorded_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A finished run of the recorded design, from scratch, over HTTP, and the server it asked."""
    folder = tmp_path_factory.mktemp("run") / "run"
    with RecordedServer(TRACE) as server:
        designer = Designer(
            lm=f"server:smollm2@{server.url}",
            route="scratch",
            max_rounds=0,
            switches=Switches(critic=False, tune=False),
        )
        result = designer.run(recorded_prompts(TRACE, 1)[0], out=folder, players="2-4")
        yield designer, folder, result, server


def _asked(folder: Path) -> list[str]:
    state = json.loads((folder / "checkpoint.json").read_text())
    return [s["stage"] for s in state["trace"]["steps"] if s["kind"] == "lm"]


@pytest.mark.slow  # a design run over HTTP, then its variation
def test_a_variation_asks_the_stage_again_through_its_agent_and_the_stages_after_it(
    recorded_run: Any, tmp_path: Path
) -> None:
    designer, folder, result, server = recorded_run
    source = (folder / "checkpoint.json").read_text()
    assert designer.stages_to_vary(folder)[:2] == ["concept", "mechanics"]
    asked = server.requests
    variant = designer.vary(folder, "actions", "Offer other actions.", out=tmp_path / "variant")
    dependents = designer.plan.dependents(["actions"])
    assert dependents[0] == "actions" and len(dependents) >= 2  # the turn is narrowed against the actions
    assert server.requests - asked == len(dependents)
    assert _asked(tmp_path / "variant") == dependents
    assert (folder / "checkpoint.json").read_text() == source  # the run varied from is left as it was
    assert variant.status == result.status and (tmp_path / "variant" / "design.json").is_file()
    assert variant.usage["calls"] == len(dependents)  # its own cost, not the run's it came from
    asked = server.requests
    assert (
        designer.vary(folder, "actions", "Offer other actions.", out=tmp_path / "variant").data
        == variant.data
    )
    assert server.requests == asked  # a finished variant is read back, not asked again
    with pytest.raises(CheckpointError, match="no stage 'critique'"):
        designer.vary(folder, "critique", "?", out=tmp_path / "other")


@pytest.mark.slow  # a variation by an agent and its judgement, inside a search
def test_a_search_varies_an_elites_stage_and_judges_the_variant(recorded_run: Any, tmp_path: Path) -> None:
    designer, folder, _, _ = recorded_run
    out = tmp_path / "search"
    (out / "designs").mkdir(parents=True)
    shutil.copytree(folder, out / "designs" / "run")
    archive = Archive(axes=["decisions", "length"], themes=[], seed=0, seeded=True)
    backgammon = _exemplars("backgammon")[0].model_dump(mode="json")
    archive.insert(_elite((4, 1), 0.5).model_copy(update={"folder": "designs/run", "design": backgammon}))
    archive.save(out)
    grown = explore(designer, [], out=out, **{**QUICK, "generations": 1, "batch": 0, "variations": 1})
    varied = list((out / "variations").glob("g1-0-*"))
    assert len(varied) == 1 and (varied[0] / "design.json").is_file()
    stage = varied[0].name.split("-", 2)[2]
    assert stage in STRUCTURE and _asked(varied[0])[0] == stage  # asked again, first
    assert grown.evaluations == 1 and grown.history[-1]["candidates"] == 1


@pytest.mark.slow  # a design run and a search through the CLI, over HTTP
def test_the_cli_explores_from_a_theme_and_an_exemplar_plots_and_shows_the_archive(tmp_path: Path) -> None:
    out = tmp_path / "search"
    with RecordedServer(TRACE) as server:
        command = [sys.executable, "-m", "genontology", "explore", recorded_prompts(TRACE, 1)[0]]
        command += ["--out", str(out), "--lm", f"server:smollm2@{server.url}", "--players", "2-4"]
        command += ["--designs", "1", "--generations", "1", "--batch", "2", "--games", "40"]
        command += ["--from", "king_of_tokyo", "--max-rounds", "0", "--tune-budget-s", "0"]
        command += ["--plot", str(tmp_path / "map.png")]
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    archive = Archive.load(out)
    assert archive.evaluations == 2 + 2 and archive.elites and archive.generation == 1
    assert len(list((out / "designs" / "seed-0").iterdir())) == 1  # the run, resumable there
    assert (tmp_path / "map.png").read_bytes()[:4] == b"\x89PNG"
    assert "QD score" in run.stdout
    shown = subprocess.run(
        [sys.executable, "-m", "genontology", "explore", "--show", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    listed = json.loads(shown.stdout)
    assert listed["qd_score"] == archive.qd_score and len(listed["elites"]) == len(archive.elites)
