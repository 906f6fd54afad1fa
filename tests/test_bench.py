"""The evaluation harness: conditions are Designer configurations, the ICC is the textbook one, the judge is
blind, and a benchmark writes its records, report and plots, then resumes without asking anything again.
Orchestration runs on a scripted recorded-response LM; the embedded model runs the tiny configuration."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import dspy
import pytest

from genontology import get_domain
from genontology.agents.design_plan import FreeForm
from genontology.evaluation import (
    CONDITIONS,
    Bench,
    BenchInputError,
    ConditionError,
    Judge,
    designer_for,
    icc2_1,
    load_prompts,
    parse_conditions,
    write_report,
)
from genontology.evaluation.judge import NoRubric
from genontology.evaluation.stats import icc2_1_interval
from genontology.schemas.tabletop import GameDesign
from genontology.testing.replay import ReplayEngine

TABLETOP = get_domain("tabletop")
CATAN = next(d for d in TABLETOP.load_exemplars() if d.id == "catan")
PLAYABLE = next(d for d in TABLETOP.load_exemplars() if d.id == "king_of_tokyo")  # passes the calibrated gate


def test_icc_matches_shrout_and_fleiss() -> None:
    """Shrout & Fleiss (1979), table 2: six targets, four judges; ICC(2,1) = 0.29."""
    ratings = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    assert icc2_1(ratings) == pytest.approx(0.2898, abs=1e-4)
    assert icc2_1([[7, 7], [3, 3], [5, 5]]) == pytest.approx(1.0)
    assert icc2_1([[5, 5], [5, 5]]) is None and icc2_1([[1, 2]]) is None


def test_icc_interval_matches_mcgraw_and_wong() -> None:
    """The same data: R's psych::ICC reports ICC2 0.29 with the 95% interval [0.019, 0.76]."""
    ratings = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    found = icc2_1_interval(ratings)
    assert found is not None and (found.subjects, found.ratings) == (6, 4)
    assert found.low == pytest.approx(0.019, abs=2e-3) and found.high == pytest.approx(0.76, abs=5e-3)
    narrower = icc2_1_interval(ratings * 5)  # more designs, same agreement: a narrower interval
    assert narrower is not None and narrower.high - narrower.low < found.high - found.low
    assert icc2_1_interval([[7, 7], [3, 3], [5, 5]]).low is None  # perfect agreement: no interval to give


def test_conditions_are_designer_configurations() -> None:
    c1, c2, c3, c4, c5, c6 = (designer_for(CONDITIONS[f"C{i}"]) for i in range(1, 7))
    assert [s.name for s in c1.plan.stages] == ["design"] and c1.plan.stages[0].lenient
    assert c1.plan.stages[0].output(None, {}) == FreeForm and c1.max_rounds == 0
    assert c2.plan.stages[0].output(None, {}) is GameDesign and not c2.switches.repair
    assert set(c3.plan.roles) == {"designer"} and c3.plan.critic is None and c3.switches.repair
    assert [s.name for s in c3.plan.stages] == [s.name for s in c4.plan.stages]
    assert c4.switches.retrieval and c4.switches.critic and not c4.switches.playtest
    assert c5.switches.playtest and not c5.switches.tune and len(c5.plan.roles) > 1
    assert c6.switches.playtest and c6.switches.tune  # the Designer's default
    assert [c.name for c in parse_conditions("c5, C1")] == ["C5", "C1"]
    c7 = designer_for(CONDITIONS["C7"])
    assert [s.name for s in c7.plan.stages] == ["concept", "names", "theming"] and c7.plan.ground is not None
    with pytest.raises(ConditionError, match="C8"):
        parse_conditions("C1,C8")


def test_prompts_from_lines_json_lines_and_lists(tmp_path: Path) -> None:
    lines = tmp_path / "p.txt"
    lines.write_text(
        'moths at a lantern fair\n\n{"prompt": "salt traders", "players": "2-3", "minutes": 30}\n'
    )
    first, second = load_prompts(lines)
    assert first.prompt == "moths at a lantern fair" and second.constraints == {
        "players": "2-3",
        "minutes": 30,
    }
    listed = tmp_path / "p.json"
    listed.write_text(json.dumps([{"prompt": "a"}, "b"]))
    assert [p.prompt for p in load_prompts(listed)] == ["a", "b"]
    for bad in ('[{"players": 2}]', "{not json", ""):
        lines.write_text(bad)
        with pytest.raises(BenchInputError):
            load_prompts(lines)
    with pytest.raises(BenchInputError):
        load_prompts(tmp_path / "missing.txt")


def test_the_judge_never_sees_where_a_design_comes_from() -> None:
    judge = Judge(TABLETOP, dspy.LM("local/none", engine=ReplayEngine.script([]), cache=False))
    text = judge.blind_text(CATAN.model_dump(mode="json"))
    assert "Settlers" in text or "Catan" in text
    assert "Teuber" not in text and "Kosmos" not in text and "published" not in text
    assert judge.blind_text({"title": "half a design"}).startswith("{")  # unparseable: shown as its JSON


def test_music_designs_are_judged_on_their_own_rubric() -> None:
    music = get_domain("music")
    plan = music.load_exemplars()[0]
    answer = {m: 6 for m in music.extras["rubric"]} | {"consistency_errors": 0}
    engine = ReplayEngine.script([json.dumps({"scores": answer})])
    judge = Judge.for_domain(music, dspy.LM("local/script", engine=engine, cache=False))
    assert judge.score(plan.model_dump(mode="json")) == answer
    assert "composer" in engine.asked[0][0]["content"] and "fun" not in judge.metrics


def test_a_domain_without_a_rubric_is_refused_before_anything_runs(tmp_path: Path) -> None:
    bare = dataclasses.replace(TABLETOP, name="bare", extras={})
    with pytest.raises(NoRubric, match="--judge-repeats 0"):
        Judge.for_domain(bare, dspy.LM("local/none", engine=ReplayEngine.script([]), cache=False))


def test_the_judge_can_be_another_model(tmp_path: Path) -> None:
    designer_engine, judge_engine = ReplayEngine.script([]), ReplayEngine.script([scores(5), scores(6)])
    bench = Bench(
        [],
        [],
        tmp_path,
        lm=dspy.LM("local/designer", engine=designer_engine, cache=False),
        judge_lm=dspy.LM("local/judge", engine=judge_engine, cache=False),
        judge_repeats=2,
        exemplars=1,
    )
    (record,) = bench.run()
    assert judge_engine.calls == 2 and designer_engine.calls == 0
    assert len(json.loads((tmp_path / "judge" / "EX" / f"{record['index']}.json").read_text())) == 2


def scores(base: int) -> str:
    metrics = {m: min(10, base + i % 3) for i, m in enumerate(TABLETOP.extras["rubric"])}
    return json.dumps({"scores": {**metrics, "consistency_errors": base % 4}})


def test_a_bench_records_measures_judges_reports_and_resumes(tmp_path: Path) -> None:
    cut_off = '{"design": {"title": "Spore Wars", "players": {"min": 2, "max": 4'  # the raw LM, truncated
    whole = json.dumps({"design": PLAYABLE.model_dump(mode="json")})
    script = [cut_off, whole, *(scores(b) for b in (3, 4, 6, 7, 8, 8))]
    engine = ReplayEngine.script(script)
    lm = dspy.LM("local/script", engine=engine, cache=False, num_retries=0)
    prompts = load_prompts(None)[:1]
    lines: list[str] = []
    bench = Bench(parse_conditions("C1,C2"), prompts, tmp_path, lm=lm, judge_repeats=2, exemplars=1)
    bench.on_progress = lines.append
    records = bench.run()
    assert engine.calls == len(script)
    raw, schema, exemplar = records
    assert raw["parsed"] and raw["repaired"] and not raw["schema_valid"] and raw["errors"] > 0
    assert schema["schema_valid"] and schema["errors"] == 0 and schema["playtest"]["passed"]
    assert exemplar["group"] == "EX" and exemplar["usage"] == {}
    assert (tmp_path / "designs" / "C1" / "00.json").is_file() and (
        tmp_path / "judge" / "C2" / "0.json"
    ).is_file()
    report = write_report(tmp_path, records, bench.metrics, "test").read_text()
    assert "| **ICC(2,1)** |" in report and "| C1 | 1 | 100% (1 repaired) | 0% |" in report
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["icc"]["fun"]["icc"] is not None and summary["groups"]["C2"]["playable"] == 1
    assert (tmp_path / "errors_by_condition.png").is_file() and (tmp_path / "judge_vs_playtest.png").is_file()
    assert any(line.startswith("[C1 0] invalid") for line in lines)
    # Resume: everything is on disk, so a rerun asks the model nothing.
    again = ReplayEngine.script([])
    rerun = Bench(
        parse_conditions("C1,C2"),
        prompts,
        tmp_path,
        lm=dspy.LM("local/script", engine=again, cache=False),
        judge_repeats=2,
        exemplars=1,
    ).run()
    assert again.calls == 0 and rerun == records


def test_bench_cli_refuses_bad_options(tmp_path: Path) -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "genontology", "bench", "--conditions", "C9", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "C9" in bad.stderr
    a_file = tmp_path / "taken.txt"
    a_file.write_text("not a folder")
    for args, says in (
        (["--out", str(a_file)], "is a file"),
        (["--prompts", str(tmp_path / "no.txt")], "no.txt"),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "genontology", "bench", "--conditions", "C1", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert run.returncode == 2 and says in run.stderr and "Traceback" not in run.stderr
    assert a_file.read_text() == "not a folder"  # nothing overwritten


@pytest.mark.slow
def test_tiny_bench_with_the_embedded_model(tmp_path: Path) -> None:
    """The CI configuration: one prompt, one exemplar, two judge scorings each, C1 (the raw model's free
    JSON, parsed leniently: the one path a recorded response cannot show with real text).

    C2 fills the whole design schema in one constrained call, about 6 minutes on the 135M model on
    two cores; it has its own replayed test above, and `genontology bench` runs it embedded by default.
    C3 to C6 are the Designer with its plan and switches set (`test_conditions_are_designer_configurations`),
    which the embedded design tests run whole; here they would add a minute and no path of the bench's own.
    """
    args = [
        "--conditions",
        "C1",
        "--n",
        "1",
        "--judge-repeats",
        "2",
        "--exemplars",
        "1",
        "--out",
        str(tmp_path),
    ]
    run = subprocess.run(
        [sys.executable, "-m", "genontology", "bench", *args], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    records = sorted((tmp_path / "designs").glob("*/*.json"))
    assert len(records) == 1 + 1
    report = (tmp_path / "report.md").read_text()
    for group in ("C1", "EX"):
        assert f"| {group} |" in report
    judged = list((tmp_path / "judge").glob("*/*.json"))
    assert judged and all(len(json.loads(p.read_text())) == 2 for p in judged)
    before = {p: p.read_text() for p in records}
    again = subprocess.run(
        [sys.executable, "-m", "genontology", "bench", *args], capture_output=True, text=True
    )
    assert again.returncode == 0 and {p: p.read_text() for p in records} == before
