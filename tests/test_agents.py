"""The agents' orchestration, without a live model: narrowed schemas, routing, the brief, assembly, and
whole runs answered by a recorded-response LM (tests/data/embedded_trace.json, a real embedded run;
re-record with `python tests/record_trace.py` after changing prompts or stage schemas)."""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import re
from pathlib import Path

import dspy
import pytest
from pydantic import ValidationError

from genontology.agents import BriefError, CheckpointError, Designer, Switches, get_plan
from genontology.agents.narrow import unique_id, unique_ids
from genontology.agents.result import DesignResult
from genontology.agents.tabletop import parts as P
from genontology.agents.tabletop.brief import TabletopBrief
from genontology.agents.tabletop.plan import assemble, declared
from genontology.agents.tabletop.wording import action_text, reworded
from genontology.ontology import errors_among, get_domain
from genontology.playtest.evaluate import CURES
from genontology.testing.replay import ReplayEngine

TRACE = Path(__file__).parent / "data" / "embedded_trace.json"
PROMPT = json.loads(TRACE.read_text())["prompt"]
PLAN = get_plan("tabletop")


def replay_lm(**kwargs) -> tuple[dspy.LM, ReplayEngine]:
    engine = ReplayEngine.from_trace(TRACE, **kwargs)
    return dspy.LM("local/replay", engine=engine, cache=False, num_retries=0), engine


def designer(**kwargs) -> tuple[Designer, ReplayEngine]:
    lm, engine = replay_lm()
    kwargs.setdefault("max_rounds", 1)
    kwargs.setdefault("tune_budget_s", 3)  # the recorded fault is structural: tuning only tries, briefly
    kwargs.setdefault("route", "scratch")  # the recorded run's route
    return Designer(lm=lm, switches=Switches(retrieval=False), **kwargs), engine


@functools.cache
def replay_result() -> DesignResult:
    """One first pass of the recorded run, no repairs, critic or playtest: the stage outputs as recorded."""
    lm, _ = replay_lm()
    quiet = Switches(retrieval=False, critic=False, playtest=False)
    return Designer(lm=lm, route="scratch", max_rounds=0, switches=quiet).run(
        PROMPT, players="2-4", minutes=60
    )


# Narrowing: a reference to something undeclared cannot even be parsed.
def test_action_schema_only_names_declared_resources() -> None:
    actions = P.actions(
        {"spores": {"kind": "points", "scope": "per_player"}}, {}, ["grow"], ["spores"], False
    )
    ok = {"name": "Forage", "phase": "main", "mechanism": "grow"}
    good = {**ok, "cost": [], "effects": [{"kind": "gain", "resource": "spores", "amount": 2}]}
    source = {**ok, "cost": [], "amount": 1}
    actions.model_validate({"actions": [good], "sources": {"spores": source}})
    bad = {**good, "effects": [{"kind": "gain", "resource": "gold", "amount": 2}]}
    with pytest.raises(ValidationError):
        actions.model_validate({"actions": [bad], "sources": {"spores": source}})
    with pytest.raises(ValidationError):  # the mechanism too
        actions.model_validate({"actions": [{**good, "mechanism": "fly"}], "sources": {"spores": source}})
    with pytest.raises(ValidationError):  # and the source slot for a resource starting at zero is required
        actions.model_validate({"actions": [good]})


def test_effects_exist_only_for_components_that_exist() -> None:
    no_dice = P.actions({"gold": {"kind": "currency", "scope": "per_player"}}, {}, ["m"], [], False)
    roll = {"kind": "roll", "dice": "d6", "count": 1}
    item = {"name": "Roll", "phase": "main", "mechanism": "m", "cost": []}
    item["effects"] = [roll]
    with pytest.raises(ValidationError):
        no_dice.model_validate({"actions": [item]})
    with_dice = P.actions(
        {"gold": {"kind": "currency", "scope": "per_player"}}, {"d6": "die"}, ["m"], [], False
    )
    with_dice.model_validate({"actions": [item]})


def test_components_have_a_required_slot_for_what_each_mechanism_needs() -> None:
    schema = P.components({"build": "deck_building", "score": "set_collection"})
    deck = {"name": "Spore deck", "kind": "deck", "count": 40}
    die = {"name": "Die", "kind": "die", "count": 2}
    ok = {"by_mechanism": {"build": {"need_1": deck, "extra": []}, "score": {"extra": [die]}}, "shared": []}
    schema.model_validate(ok)
    wrong = {**ok, "by_mechanism": {**ok["by_mechanism"], "build": {"need_1": die, "extra": []}}}
    with pytest.raises(ValidationError):  # deck building needs cards, not dice
        schema.model_validate(wrong)


def test_cooperative_victory_is_a_shared_goal_on_a_raised_shared_pool() -> None:
    resources = {
        "light": {"kind": "progress", "scope": "shared"},
        "coins": {"kind": "currency", "scope": "per_player"},
    }
    reach = {"produces": {"light", "coins"}, "consumes": set(), "sheds": set()}
    turn = P.turn(["main"], reach, {}, resources, "cooperative")
    phase = {"main": {"name": "Main phase", "actions_per_turn": 1}}
    base = {"order": "clockwise", "phases": phase, "end_conditions": [{"kind": "round_limit", "rounds": 8}]}
    turn.model_validate(
        {**base, "victory": [{"kind": "cooperative_goal", "resource": "light", "threshold": 9}]}
    )
    for victory in (
        {"kind": "highest_score", "resource": "coins"},
        {"kind": "cooperative_goal", "resource": "coins", "threshold": 3},
    ):
        with pytest.raises(ValidationError):
            turn.model_validate({**base, "victory": [victory]})


def test_ids_are_slugs_unique_across_the_design() -> None:
    taken: set[str] = set()
    assert unique_ids(["Spore Deck", "spore deck", "Spore-Deck!"], taken) == [
        "spore_deck",
        "spore_deck_2",
        "spore_deck_3",
    ]
    assert unique_id("2 Players", taken) == "x_2_players"
    assert unique_id("copy", set()) != "copy"  # would shadow a pydantic attribute as a field name
    assert unique_id("", set()) == "item"


# Routing: every fault goes to the stage that owns it.
@pytest.mark.parametrize(
    ("code", "path", "stage"),
    [
        ("ref.unknown-resource", "$.actions[2].cost[0].resource", "actions"),
        ("phase.empty", "$.turn_structure.phases[0]", "turn"),
        ("mechanism.orphan", "$.mechanisms[1]", "mechanics"),
        ("mechanism.missing-component", "$.mechanisms[1].components", "components"),
        ("resource.no-source", "$.resources[0]", "actions"),
        ("goal.vague", "$.goal", "turn"),
        ("setup.unplaced", "$.components[3]", "setup"),
        ("mechanism.theming-missing", "$.theming", "theming"),
    ],
)
def test_faults_route_to_the_owning_stage(code: str, path: str, stage: str) -> None:
    owner = PLAN.route(code, path)
    assert owner is not None and owner.name == stage


def test_repairing_a_stage_reruns_the_stages_narrowed_against_it() -> None:
    assert PLAN.dependents(["components"]) == ["components", "actions", "turn", "setup"]
    assert PLAN.dependents(["theming"]) == ["theming"]


# The brief: clear, typed errors for what cannot be designed for.
@pytest.mark.parametrize(
    ("prompt", "constraints", "says"),
    [
        ("", {}, "at least 3 characters"),
        ("   ", {}, "at least a word"),
        ("!!!!!!!!", {}, "at least a word"),
        ("aaaaaaaaaaaa", {}, "repeated character"),
        ("a cave of fungi", {"players": "5-2"}, "5 is more than 2"),
        ("a cave of fungi", {"players": "lots"}, "players must look like"),
        ("a cave of fungi", {"minutes": 0}, "minutes"),
        ("a cave of fungi", {"interaction": "solo", "players": "2-4"}, "solo"),
        ("x" * 1001, {}, "at most 1000"),
    ],
)
def test_absurd_briefs_get_a_clear_error(prompt: str, constraints: dict, says: str) -> None:
    with pytest.raises(BriefError, match=says):
        Designer(lm="replay:" + str(TRACE)).brief(prompt, **constraints)


def test_brief_accepts_the_usual_player_forms() -> None:
    assert TabletopBrief(prompt="fungi", players="2-4").players_max == 4
    assert TabletopBrief(prompt="fungi", players=3).players_min == 3
    assert TabletopBrief(prompt="fungi", players=(1, 5)).players_max == 5


# Whole runs, answered by the recorded-response LM.
def test_replayed_run_reproduces_the_recorded_design_and_trace(tmp_path: Path) -> None:
    d, engine = designer()
    result = d.run(PROMPT, players="2-4", minutes=60, out=tmp_path)
    recorded = [s for s in json.loads(TRACE.read_text())["steps"] if s["kind"] in ("lm", "critique")]
    assert engine.calls == len(recorded) == result.usage["calls"]
    assert result.status == json.loads(TRACE.read_text())["status"]
    assert not result.errors
    assert get_domain("tabletop").parse(result.data) == result.design
    for name in ("design.json", "rulebook.md", "trace.json", "result.json", "checkpoint.json"):
        assert (tmp_path / name).is_file()
    assert json.loads((tmp_path / "design.json").read_text()) == result.data
    steps = result.trace.steps
    assert {s.stage for s in steps if s.kind == "lm"} >= {"concept", "mechanics", "actions", "turn"}
    assert all(s.messages and s.raw and s.output is not None for s in steps if s.kind == "lm" and not s.error)
    # The repair round asked again exactly the stages the route named and those narrowed against them.
    routed = next(s for s in steps if s.kind == "route" and s.round == 1)
    again = d.plan.dependents(list(json.loads(routed.detail)))
    assert {s.stage for s in steps if s.kind == "lm" and s.round == 1} == set(again)
    assert result.trace.tokens_by_role().keys() >= {
        "theme_weaver",
        "mechanics_architect",
        "component_designer",
    }
    assert 0 in result.trace.violations_by_round()


def test_valid_rounds_are_playtested_and_the_critic_and_loop_act_on_the_report(tmp_path: Path) -> None:
    d, _ = designer()
    result = d.run(PROMPT, players="2-4", minutes=60, out=tmp_path)
    played = [s for s in result.trace.steps if s.kind == "playtest"]
    assert played and all("simulated games" in s.detail for s in played)
    assert result.playtest is not None and {"gate", "seat_wins", "drama"} <= result.playtest.keys()
    assert {"checks", "ladder", "duels"} <= result.playtest["gate"].keys()
    assert json.loads((tmp_path / "playtest.json").read_text()) == result.playtest
    assert result.summary()["playable"] == result.playtest["gate"]["passed"]
    critic = next(s for s in result.trace.steps if s.kind == "critique")
    assert "simulated games" in json.dumps(critic.messages)  # the Balance Critic saw the report
    first = next(s for s in result.trace.steps if s.kind == "playtest" and s.round == 0)
    failed = re.findall(r"(?:: |; )([a-z ]+): ", first.detail.partition("fails the playable gate")[2])
    assert failed, "the recorded design passes the gate: the routing of its failures is not exercised"
    routed = next(s for s in result.trace.steps if s.kind == "route" and s.round == 1)
    owners = {d.plan.owner(f"$.{CURES[check][0]}").name for check in failed}  # type: ignore[union-attr]
    assert owners <= set(json.loads(routed.detail))  # each failed check went to the stage that owns its cure


def test_a_failed_playtest_is_tuned_within_one_budget_and_the_loop_hears_what_tuning_tried(
    tmp_path: Path,
) -> None:
    d, _ = designer()
    result = d.run(PROMPT, players="2-4", minutes=60, out=tmp_path)
    tuned = [s for s in result.trace.steps if s.kind == "tune"]
    assert [s.round for s in tuned] == [0, 1] and tuned[0].detail.startswith("Tuning (")
    assert "structural" in tuned[0].detail  # the recorded fault: numbers cannot give the players a choice
    assert tuned[1].detail.startswith("Not tuned: the run's tuning budget (3 s) is spent")  # one budget a run
    assert sum(s.latency_s for s in tuned) < 3 + 5
    assert result.tuning is None and not (tmp_path / "tuning.json").exists()  # the final design was not tuned
    assert result.summary()["playable"] is False
    routed = next(s for s in result.trace.steps if s.kind == "route" and s.round == 1)
    critic = next(s for s in result.trace.steps if s.kind == "critique")
    assert "Tuning the numbers (" in json.dumps(critic.messages)  # the Balance Critic saw what tuning tried
    assert routed.detail  # and the failed checks, with it, went back to their stages


class ScriptedTuning:
    """A tuner's answer fixed in advance, for the Designer's orchestration alone (the tuner itself is tested
    on real games in test_tune.py): the round limits set to 5, and a playtest that passes."""

    accepted = True
    passed = True

    def setting_json(self) -> list[list[object]]:
        return [[["end_conditions", 0, "rounds"], 5], [["end_conditions", 1, "rounds"], 5]]

    def summary(self) -> str:
        return "Tuning (scripted): the round limits to 5."

    def evidence(self) -> str:
        return "The design passes the playable gate. " + self.summary()

    def findings(self) -> list[dict[str, str]]:
        return []

    def as_dict(self) -> dict[str, object]:
        return {"gate": {"passed": True, "checks": []}, "games": 40}

    def as_record(self) -> dict[str, object]:
        return {"accepted": True, "setting": self.setting_json(), "changes": [], "evaluations": 3}


def test_an_accepted_tuning_goes_into_the_design_its_text_and_a_resumed_run(tmp_path: Path) -> None:
    lm, _ = replay_lm()
    plan = dataclasses.replace(PLAN, tune=lambda design, brief, simulation, budget: ScriptedTuning())
    d = Designer(lm=lm, plan=plan, max_rounds=1, switches=Switches(retrieval=False, critic=False))
    result = d.run(PROMPT, players="2-4", minutes=60, out=tmp_path)
    assert [e["rounds"] for e in result.data["end_conditions"]] == [5, 5]
    assert "5 rounds have been played" in result.data["goal"]  # the rules text says the tuned numbers
    assert result.summary()["tuned"] is True and result.summary()["playable"] is True
    assert json.loads((tmp_path / "design.json").read_text()) == result.data
    assert not errors_among(result.violations)
    again = Designer(lm=replay_lm()[0], plan=plan).resume(tmp_path)  # a finished run, rebuilt from its parts
    assert again.data == result.data
    off = Designer(lm=replay_lm()[0], plan=plan, max_rounds=0, switches=Switches(retrieval=False, tune=False))
    assert not any(s.kind == "tune" for s in off.run(PROMPT, players="2-4", minutes=60).trace.steps)


def test_the_playtest_switch_turns_simulation_off() -> None:
    lm, _ = replay_lm()
    quiet = Switches(retrieval=False, critic=False, playtest=False)
    off = Designer(lm=lm, route="scratch", max_rounds=0, switches=quiet)
    result = off.run(PROMPT, players="2-4", minutes=60)
    assert result.playtest is None and not any(s.kind == "playtest" for s in result.trace.steps)


@pytest.mark.parametrize("missing", ["concept", "turn", "setup"])
def test_a_missing_stage_output_is_a_fault_routed_to_its_stage_never_a_default(missing: str) -> None:
    """Assembly fills in nothing: the fields a missing stage owns are absent, the schema says so at their
    paths, and routing sends each of those faults back to the stage that did not answer (setup is asked only
    for a design with a deck to deal, so the recorded design gets one here)."""
    parts = {s.stage: s.output for s in replay_result().trace.steps if s.kind == "lm" and s.output}
    if missing == "setup":
        deck = {"name": "Spore deck", "kind": "deck", "count": 30}
        parts["components"] = {**parts["components"], "shared": [*parts["components"]["shared"], deck]}
    brief = TabletopBrief(prompt=PROMPT, players="2-4", minutes=60)
    data = assemble(brief, {k: v for k, v in parts.items() if k != missing})
    errors = errors_among(get_domain("tabletop").validate(data))
    assert errors and {PLAN.route(v.code, v.path).name for v in errors} == {missing}
    owned = [p.removeprefix("$.") for p in PLAN.stage(missing).owns if p.count(".") == 1 and "[" not in p]
    assert not set(owned) & set(data)  # neither invented nor taken from the theme


def test_rules_text_written_again_from_the_structure_says_the_new_numbers() -> None:
    data = replay_result().data
    assert reworded(copy.deepcopy(data)) == data  # assembly's own text, word for word
    rounds = [e.get("rounds") for e in data["end_conditions"]]
    assert rounds[0] and str(rounds[0] + 7) not in data["goal"]
    again = reworded(
        copy.deepcopy(data) | {"end_conditions": [{"kind": "round_limit", "rounds": rounds[0] + 7}]}
    )
    assert f"{rounds[0] + 7} rounds" in again["goal"]
    costly = next((i, a) for i, a in enumerate(data["actions"]) if a.get("cost"))
    changed = copy.deepcopy(data)
    changed["actions"][costly[0]]["cost"][0]["amount"] = 9
    assert "Pay 9 " in reworded(changed)["actions"][costly[0]]["description"]


def test_a_number_an_autofix_changes_is_the_number_the_rules_text_states() -> None:
    def overpriced(brief: object, parts: dict) -> dict:
        data = PLAN.assemble(brief, parts)  # type: ignore[arg-type]
        action = next(a for a in data.get("actions", []) if a.get("cost"))
        action["cost"][0]["amount"] = 999  # more than anyone can hold: reach.cost sets what can be held
        action["description"] = action_text(action, lambda i: i)
        return data

    lm, _ = replay_lm()
    quiet = Switches(retrieval=False, critic=False, playtest=False)
    plan = dataclasses.replace(PLAN, assemble=overpriced)
    result = Designer(lm=lm, plan=plan, max_rounds=0, switches=quiet).run(PROMPT, players="2-4", minutes=60)
    fixed = next(s for s in result.trace.steps if s.kind == "fix")
    assert "pay what can be held" in fixed.detail
    action = next(a for a in result.data["actions"] if a.get("cost"))
    amount = action["cost"][0]["amount"]
    assert amount < 999 and "999" not in action["description"] and f"Pay {amount} " in action["description"]


def test_assembly_is_deterministic_and_ids_resolve() -> None:
    d, _ = designer()
    result = d.run(PROMPT, players="2-4", minutes=60)
    parts = {s.stage: s.output for s in result.trace.steps if s.kind == "lm" and s.output}
    brief = TabletopBrief(prompt=PROMPT, players="2-4", minutes=60)
    before = copy.deepcopy(parts)
    assembled = assemble(brief, dict(reversed(parts.items())))
    assert parts == before  # assembly reads the stage outputs, never changes them
    assert assembled == assemble(brief, parts)  # nor depends on the order they arrived in
    ids = declared(parts)
    design = result.design
    assert {a.id for a in design.actions} == set(ids.actions)
    every_phase_action = [a for p in design.turn_structure.phases for a in p.actions]
    assert sorted(every_phase_action) == sorted(ids.actions)  # every action in exactly one phase


def test_a_killed_run_resumes_without_redoing_finished_stages(tmp_path: Path) -> None:
    class Killed(Exception):
        pass

    seen: list[str] = []

    def kill_at_actions(message: str) -> None:
        seen.append(message)
        if message.endswith("-> actions"):
            raise Killed

    d, _ = designer(on_event=kill_at_actions)
    with pytest.raises(Killed):
        d.run(PROMPT, players="2-4", minutes=60, out=tmp_path)
    state = json.loads((tmp_path / "checkpoint.json").read_text())
    assert set(state["parts"]) == {"concept", "mechanics", "economy", "components"}
    assert state["pending"][0] == "actions"

    fresh, engine = designer()
    result = fresh.resume(tmp_path)
    total = len([s for s in json.loads(TRACE.read_text())["steps"] if s["kind"] in ("lm", "critique")])
    assert engine.calls == total - 4  # the four finished stages were not asked again
    assert not result.errors
    assert (tmp_path / "design.json").is_file()


def test_resume_refuses_a_folder_without_a_checkpoint(tmp_path: Path) -> None:
    d, _ = designer()
    with pytest.raises(CheckpointError, match="nothing to resume"):
        d.resume(tmp_path)
    (tmp_path / "checkpoint.json").write_text("{not json")
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        d.resume(tmp_path)


def test_the_call_budget_stops_the_run_and_the_result_says_so() -> None:
    d, engine = designer(max_calls=3)
    result = d.run(PROMPT, players="2-4", minutes=60)
    assert engine.calls == 3
    assert result.status == "invalid"  # three stages do not make a game, and the result does not pretend
    assert result.errors


def test_repair_off_stops_after_the_first_pass() -> None:
    lm, _ = replay_lm()
    # The playtest stays (a failed one must not start a repair round); tuning, not the point, is off.
    d = Designer(lm=lm, route="scratch", switches=Switches(retrieval=False, repair=False, tune=False))
    result = d.run(PROMPT, players="2-4", minutes=60)
    assert result.rounds == 0
    assert not [s for s in result.trace.steps if s.kind == "route"]


def test_batch_keeps_input_order_and_survives_a_failure() -> None:
    d, _ = designer()
    results = d.run_many(
        [PROMPT, "a completely different theme", PROMPT], concurrency=2, players="2-4", minutes=60
    )
    assert [r.prompt for r in results] == [PROMPT, "a completely different theme", PROMPT]
    assert [r.status for r in results][1] == "failed" and "no answer recorded" in (results[1].error or "")
    assert results[0].status != "failed" and results[2].status != "failed"


def test_trace_redacts_secrets(tmp_path: Path) -> None:
    from genontology.agents.trace import redact

    data = {
        "api_key": "sk-abcdefghijk",
        "headers": {"Authorization": "Bearer abcdefghijkl"},
        "input_tokens": 5,
    }
    data["text"] = "my key is sk-live_0123456789abcdef ok"
    clean = redact(data)
    assert clean["api_key"] == "[redacted]" and clean["headers"]["Authorization"] == "[redacted]"
    assert "sk-live" not in clean["text"] and clean["input_tokens"] == 5


def test_a_custom_role_joins_a_plan_and_its_stage_output_enters_the_design() -> None:
    from pydantic import BaseModel

    from genontology.agents import RoleSpec, Stage

    class Pitch(BaseModel):
        tagline: str

    role = RoleSpec("pitch_writer", "Pitch Writer", "You write box copy.", "Is it clear in five seconds?")
    stage = Stage(
        "pitch",
        "pitch_writer",
        "Write the tagline.",
        output=lambda brief, parts: Pitch,
        inputs=lambda brief, parts: {},
        owns=("$.tagline",),
        needs=("mechanics",),
        apply=lambda design, out: design.update(tagline=out["tagline"]),
    )
    plan = PLAN.with_role(role, stage)
    assert "pitch_writer" in plan.roles and plan.stages[-1].name == "pitch"
    assert (
        "pitch" in plan.dependents(["mechanics"]) and PLAN.stages[-1].name != "pitch"
    )  # the original is intact
    d, _ = designer()
    parts = {
        s.stage: s.output for s in d.run(PROMPT, players="2-4").trace.steps if s.kind == "lm" and s.output
    }
    brief = TabletopBrief(prompt=PROMPT, players="2-4")
    assert (
        plan.build(brief, {**parts, "pitch": {"tagline": "Glow or be eaten."}})["tagline"]
        == "Glow or be eaten."
    )


def test_an_unusable_answer_is_recorded_and_asked_once_more() -> None:
    steps = json.loads(TRACE.read_text())["steps"]
    recorded = [s["raw"] for s in steps if s.get("raw") and not s.get("error")]
    engine = ReplayEngine.script(['{"concept": {"title": "cut off', *recorded])
    lm = dspy.LM("local/script", engine=engine, cache=False, num_retries=0)
    switches = Switches(retrieval=False, tune=False)  # tuning is another test's
    result = Designer(lm=lm, route="scratch", max_rounds=1, switches=switches).run(PROMPT, players="2-4")
    failed = [s for s in result.trace.steps if s.error]
    assert len(failed) == 1 and failed[0].stage == "concept" and "not valid JSON" in failed[0].error
    assert failed[0].raw.startswith('{"concept"')  # the unusable answer is kept for inspection
    retry = next(s for s in result.trace.steps if s.kind == "lm" and not s.error)
    assert "could not be used" in retry.messages[-1]["content"]
    assert not result.errors


def test_resuming_a_finished_run_asks_nothing(tmp_path: Path) -> None:
    d, _ = designer()
    first = d.run(PROMPT, players="2-4", minutes=60, out=tmp_path)
    again, engine = designer()
    second = again.resume(tmp_path)
    assert engine.calls == 0
    assert second.data == first.data and second.status == first.status


def test_resume_keeps_the_settings_the_run_started_with(tmp_path: Path) -> None:
    class Killed(Exception):
        pass

    def kill_at_turn(message: str) -> None:
        if message.endswith("-> turn"):
            raise Killed

    lm, _ = replay_lm()
    started = Designer(
        lm=lm,
        route="scratch",
        max_rounds=0,
        switches=Switches(retrieval=False, critic=False),
        on_event=kill_at_turn,
    )
    with pytest.raises(Killed):
        started.run(PROMPT, players="2-4", minutes=60, out=tmp_path)
    fresh, engine = designer(max_rounds=3)  # defaults differ: critic on, three rounds
    result = fresh.resume(tmp_path)
    assert not [s for s in result.trace.steps if s.kind == "critique"] and result.rounds == 0
    assert engine.calls == 2  # turn and theming (the recorded design has no deck: setup asks nothing)


def test_every_part_of_a_design_has_one_owning_stage() -> None:
    """Routing reads `Stage.owns`: every top-level field of a game is repaired by some stage, and no two
    stages claim the same prefix (the longest-prefix rule could not choose between them)."""
    from genontology.schemas.tabletop.model import GameDesign

    claimed = [prefix for stage in PLAN.stages for prefix in stage.owns]
    assert len(claimed) == len(set(claimed)), sorted(p for p in claimed if claimed.count(p) > 1)
    unowned = {name for name in GameDesign.model_fields if PLAN.owner(f"$.{name}") is None}
    assert unowned == {"play_time_minutes", "provenance"}  # from the brief, and the run's own record
    assert PLAN.owner("$.actions[3].cost[0].resource").name == "actions"


def test_the_auto_route_designs_from_scratch_when_nothing_recombines(monkeypatch) -> None:
    from genontology.agents.tabletop import recombination

    monkeypatch.setattr(recombination, "parents", lambda brief, store: [])
    d, _ = designer(route="auto", max_rounds=0, store=object())
    result = d.run(PROMPT, players="2-4", minutes=60)
    assert "not the recombine route: no two playable exemplars" in result.trace.steps[0].detail
    assert "mechanics" in {s.stage for s in result.trace.steps if s.kind == "lm"}
    with pytest.raises(BriefError, match="no route 'sideways'"):
        Designer(route="sideways")
