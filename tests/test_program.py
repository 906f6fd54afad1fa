"""The Designer as a DSPy program: one named predictor per stage, demonstrations that reach the stage they
belong to, compilation by DSPy's BootstrapFewShot, and programs saved and loaded. Runs are answered by the
recorded-response LM (tests/data/embedded_trace.json, a real embedded run), which tests the orchestration
only: whether compiling helps is measured in BENCHMARKS.md, not here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dspy
import pytest
from typer.testing import CliRunner

from genontology.agents import Designer, DesignProgram, ProgramError, Switches, compile_program, get_plan
from genontology.agents.program import examples, fitness, read_trainset
from genontology.cli import app
from genontology.testing.replay import ReplayEngine

TRACE = Path(__file__).parent / "data" / "embedded_trace.json"
PROMPT = json.loads(TRACE.read_text())["prompt"]
PLAN = get_plan("tabletop")
BRIEF = {"prompt": PROMPT, "players": "2-4", "minutes": 60}
QUIET = Switches(retrieval=False, critic=False, playtest=False)  # the recorded first pass is clean


def replay(**kwargs: bool) -> tuple[dspy.LM, ReplayEngine]:
    engine = ReplayEngine.from_trace(TRACE, **kwargs)
    return dspy.LM("local/replay", engine=engine, cache=False, num_retries=0), engine


def test_each_stage_and_the_critic_is_a_named_predictor_with_its_role_s_instructions() -> None:
    program = DesignProgram(PLAN)
    names = [name for name, _ in program.named_predictors()]
    assert names == [f"stages['{s.name}']" for s in (*PLAN.stages, PLAN.critic)]
    for stage in PLAN.stages:
        assert program.instructions(stage) == PLAN.roles[stage.role].instructions(stage.task)
    assert program.demos == 0 and program.source == "uncompiled"


def test_compiling_bootstraps_a_demonstration_per_stage_less_those_showing_a_refused_name() -> None:
    lm, _ = replay()
    designer = Designer(lm=lm, route="scratch", max_rounds=0, switches=QUIET)
    refused = Designer(lm=replay()[0], route="scratch", max_rounds=0, switches=QUIET).run(**BRIEF).refused()
    assert "Theme" in refused  # the recorded model titled its game "Theme"; the assembly refused it
    compiled = compile_program(designer, examples([BRIEF]))
    steps = json.loads(TRACE.read_text())["steps"]
    first = [s for s in steps if s["kind"] == "lm" and s["round"] == 0 and not s.get("error")]
    asked = {s["stage"] for s in first}
    showing = {s["stage"] for s in first if any(json.dumps(name) in s["raw"] for name in refused)}
    assert asked - showing and "concept" in showing, "the recorded run lends no stage"
    for name, predictor in compiled.stages.items():  # each stage asked once lends its answer, if clean
        assert len(predictor.demos) == (name in asked - showing), name
    lent = sorted(asked - showing)[0]
    demo = compiled.stages[lent].demos[0]
    assert demo[lent] and set(demo.keys()) - {lent, "augmented"}  # the stage's inputs and answer, as JSON
    assert "precedents" not in demo  # the run's retrieved precedents stay out of a demonstration
    assert designer.program.demos == 0  # the student was compiled on a copy
    assert "BootstrapFewShot" in compiled.source


def test_a_stage_asked_again_in_a_repair_round_lends_one_plain_demonstration(monkeypatch) -> None:
    """DSPy hashes the traces of a predictor called more than once in a run, and pickle cannot name the
    types a stage's answer is narrowed to at run time; the repair round of the recorded run asks two stages
    again. The metric is forced to lend (the recorded design fails the gate): what is tested is the trace."""
    from genontology.agents import program as program_module

    monkeypatch.setattr(program_module, "fitness", lambda example, prediction, trace=None: True)
    lm, _ = replay()
    recorded = {"max_rounds": 1, "switches": Switches(retrieval=False), "tune_budget_s": 3}  # as it was run
    designer = Designer(lm=lm, route="scratch", **recorded)
    compiled = compile_program(designer, examples([BRIEF]))
    assert compiled.demos >= 1
    for predictor in compiled.stages.values():
        assert len(predictor.demos) <= 1 and all(json.dumps(dict(d.items())) for d in predictor.demos)


def test_a_run_that_is_not_clean_or_does_not_play_lends_nothing_and_a_refused_title_costs() -> None:
    from genontology.agents.result import DesignResult
    from genontology.agents.trace import Step, Trace
    from genontology.ontology.violations import Severity, Violation

    fault = Violation(code="ref.unknown", severity=Severity.error, path="$", message="m", hint="h")

    def score(errors: int, passed: bool | None, trace: object = None, wrote: str = "Glowworm Hollow") -> Any:
        answer = Step(kind="lm", stage="concept", output={"concept": {"title": wrote}})
        result = DesignResult(
            prompt="glowworms",
            status="valid",
            data={"title": "Glowworm Hollow"},
            design=object(),  # type: ignore[arg-type]
            violations=[fault] * errors,
            critique=[],
            trace=Trace(steps=[answer]),
            usage={},
            rounds=0,
            playtest=None if passed is None else {"gate": {"passed": passed}},
        )
        return fitness(None, dspy.Prediction(result=result), trace)

    assert score(0, True) == 1.0 and score(0, None) == 1.0
    assert score(0, False) == 0.5 and score(2, True) == 0.0
    assert score(0, False, trace=[]) is False and score(0, True, trace=[]) is True
    assert score(0, True, wrote="Theme") == 0.75  # the assembly replaced the model's title
    assert score(0, False, wrote="Theme") == 0.375


def test_a_stage_shows_its_demonstration_and_only_its_own(tmp_path: Path) -> None:
    program = DesignProgram(PLAN)
    demo = {"brief": "Theme: lanterns adrift on a night river", "concept": {"title": "Lantern Drift Regatta"}}
    program.stages["concept"].demos = [dspy.Example(**demo)]
    lm, engine = replay(by_stage=True)  # the demonstration changes the prompt: answer by stage
    result = Designer(lm=lm, route="scratch", max_rounds=0, switches=QUIET, program=program).run(**BRIEF)
    shown = [json.dumps(m) for m in engine.asked if "Lantern Drift Regatta" in json.dumps(m)]
    assert len(shown) == 1 and "Invent the game's concept" in shown[0]
    assert result.usage["program"] == "uncompiled" and result.status != "failed"


def test_a_saved_program_loads_with_its_demonstrations_and_is_refused_elsewhere(tmp_path: Path) -> None:
    program = DesignProgram(PLAN)
    program.stages["turn"].demos = [dspy.Example(actions="gather", turn={"phases": [{"name": "Dusk"}]})]
    program.source = "by hand"
    path = program.save_json(tmp_path / "program.json")
    loaded = Designer(lm=replay()[0], route="scratch", program=path).program
    assert loaded.stages["turn"].demos[0]["turn"] == {"phases": [{"name": "Dusk"}]}
    assert loaded.fingerprint() == program.fingerprint() and "by hand" in loaded.source
    with pytest.raises(ProgramError, match="for 'tabletop', not 'music'"):
        Designer("music", lm=replay()[0], program=path)
    recombine = Designer(lm=replay()[0], program=path, route="recombine")  # another route: uncompiled
    assert recombine.program.demos == 0 and recombine._program_for("scratch").demos == 1
    (tmp_path / "bad.json").write_text('{"format": 1, "domain": "tabletop"}')
    with pytest.raises(ProgramError, match="not a genontology program"):
        Designer(lm=replay()[0], program=tmp_path / "bad.json")
    with pytest.raises(ProgramError, match="not a readable program"):
        Designer(lm=replay()[0], program=tmp_path / "missing.json")


def test_a_trainset_is_briefs_as_json_or_json_lines(tmp_path: Path) -> None:
    lines = tmp_path / "briefs.jsonl"
    lines.write_text(json.dumps(BRIEF) + "\n" + json.dumps("a heist in a clockwork museum") + "\n")
    found = read_trainset(lines)
    assert [e.prompt for e in found] == [PROMPT, "a heist in a clockwork museum"]
    assert found[0].inputs().toDict() == BRIEF
    (tmp_path / "empty.json").write_text("[]")
    with pytest.raises(ProgramError, match="no briefs"):
        read_trainset(tmp_path / "empty.json")
    (tmp_path / "bad.json").write_text('[{"players": "2-4"}]')
    with pytest.raises(ProgramError, match="needs a prompt"):
        read_trainset(tmp_path / "bad.json")


def test_compile_command_writes_a_program_that_design_loads(tmp_path: Path) -> None:
    trainset = tmp_path / "briefs.json"
    trainset.write_text(json.dumps([BRIEF]))
    out = tmp_path / "program.json"
    args = ["compile", "--trainset", str(trainset), "--out", str(out), "--lm", f"replay:{TRACE}"]
    ran = CliRunner().invoke(
        app, [*args, "--max-rounds", "0", "--tune-budget-s", "0", "--no-retrieval", "--json"]
    )
    # The recorded design has no structural error but fails the playable gate: it lends nothing, exit 1.
    assert ran.exit_code == 1, ran.output
    assert json.loads(ran.stdout)["demos"]["concept"] == 0
    assert DesignProgram.load_json(out, lambda route: PLAN).demos == 0
