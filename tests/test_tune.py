"""Tuning a design's numbers by simulation (playtest/knobs.py, playtest/tune.py, `genontology tune`).

The cases are real games: a published game damaged where numbers can cure it (the end moved to the first
round: the gate fails its length), and where they cannot (a race the first player wins at once: a fault of
structure, which tuning must report, not hide).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from genontology.cli import app
from genontology.playtest.degenerate import first_mover_wins, first_round_end
from genontology.playtest.knobs import FIXED, apply, knobs, put
from genontology.playtest.tune import groups, tune
from genontology.schemas.tabletop.model import GameDesign


@pytest.fixture(scope="module")
def short_no_thanks(exemplar_data: dict[str, dict[str, Any]]) -> GameDesign:
    """No Thanks! ending after its first round: too short for the gate, curable by a round limit."""
    return GameDesign.model_validate(first_round_end(json.loads(json.dumps(exemplar_data["no_thanks"]))))


@pytest.fixture(scope="module")
def rigged_azul(exemplar_data: dict[str, dict[str, Any]]) -> GameDesign:
    data = first_mover_wins(json.loads(json.dumps(exemplar_data["azul"])))
    assert data is not None
    return GameDesign.model_validate(data)


def test_every_exemplar_has_knobs_that_round_trip_and_stay_in_bounds(tabletop: Any) -> None:
    for design in tabletop.load_exemplars():
        found = knobs(design)
        assert found, design.id
        assert apply(design, {k.path: k.value for k in found}) == design  # paths address the right numbers
        for k in found:
            assert not set(map(str, k.path)) & FIXED  # player counts, play time, ranks are never tuned
            assert all(k.low <= level <= k.high for level in k.levels()) and k.value in k.levels()


def test_a_knob_changes_exactly_its_own_number(exemplar_data: dict[str, dict[str, Any]]) -> None:
    catan = GameDesign.model_validate(exemplar_data["catan"])
    threshold = next(k for k in knobs(catan) if k.family == "end_conditions:score_threshold.threshold")
    assert threshold.label == "end_conditions[0:score_threshold].threshold" and threshold.value == 10
    changed = apply(catan, {threshold.path: 15})
    assert changed.end_conditions[0].threshold == 15  # type: ignore[union-attr]
    assert put(catan.model_dump(mode="json"), {threshold.path: 15}) == changed.model_dump(mode="json")
    assert changed.model_copy(update={"end_conditions": catan.end_conditions}) == catan


def test_groups_follow_the_failing_checks_parts(short_no_thanks: GameDesign) -> None:
    everything = groups(short_no_thanks)
    for_length = groups(short_no_thanks, ("end_conditions", "actions"))
    assert {g.part for g in for_length} <= {"end_conditions", "actions"} < {g.part for g in everything}
    assert for_length[0].part == "end_conditions"  # the likeliest cure first


def test_skill_moves_each_action_apart_from_the_others(exemplar_data: dict[str, dict[str, Any]]) -> None:
    catan = GameDesign.model_validate(exemplar_data["catan"])
    alike = {g.key for g in groups(catan, ("actions",))}
    apart = {g.key for g in groups(catan, ("actions",), by_action=True)}
    assert "actions.cost.amount" in alike and "actions[build_city].cost" not in alike
    assert {"actions[build_city].cost", "actions[build_city].effects", "actions[build_road].cost"} <= apart
    assert "actions.cost.amount" not in apart


def test_tuning_cures_a_number_and_changes_only_what_the_gate_needed(short_no_thanks: GameDesign) -> None:
    result = tune(short_no_thanks, budget_s=60, seed=0)
    assert [c.name for c in result.before.gate.failed] == ["length"]  # type: ignore[union-attr]
    assert result.accepted and result.passed
    assert [c.knob for c in result.changes] == ["end_conditions[0:round_limit].rounds"]
    assert result.design.end_conditions[0].rounds > 1  # type: ignore[union-attr]
    stages = [t.stage for t in result.trials]
    assert stages[-2:] == ["recheck", "recheck"] and result.after.seed == 20_000  # on fresh seeds, twice
    record = result.as_record()
    assert record["accepted"] and record["changes"] and record["evaluations"] == result.evaluations
    assert "end_conditions[0:round_limit].rounds 1 ->" in result.summary()


def test_tuning_reports_a_structural_fault_and_changes_nothing(rigged_azul: GameDesign) -> None:
    result = tune(rigged_azul, budget_s=30, evaluations=24, seed=0)
    assert not result.accepted and not result.passed
    assert result.design == rigged_azul and not result.changes
    assert "structural" in result.reason and result.evaluations > 4
    assert all(f.tried and f.tried.endswith("not cured.") and f.check for f in result.findings())


def test_cli_tune_writes_the_tuned_design_a_diff_and_the_evidence(
    tmp_path: Path, short_no_thanks: GameDesign, rigged_azul: GameDesign
) -> None:
    source = tmp_path / "short.json"
    source.write_text(short_no_thanks.model_dump_json())
    out = tmp_path / "tuned"
    run = CliRunner().invoke(app, ["tune", str(source), "--budget-s", "60", "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert "passes the gate" in run.output
    tuned = GameDesign.model_validate_json((out / "design.json").read_text())
    assert tuned.end_conditions[0].rounds > 1  # type: ignore[union-attr]
    assert '-      "rounds": 1\n+      "rounds": 2' in (out / "design.diff").read_text()
    assert json.loads((out / "tuning.json").read_text())["accepted"]
    assert (out / "rulebook.md").read_text().startswith("#")

    rigged = tmp_path / "rigged.json"
    rigged.write_text(rigged_azul.model_dump_json())
    failed = CliRunner().invoke(app, ["tune", str(rigged), "--budget-s", "20", "--evaluations", "12"])
    assert failed.exit_code == 1 and "structural" in failed.output
    unknown = subprocess.run(
        [sys.executable, "-m", "genontology", "tune", "no-such-game"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert unknown.returncode == 2 and unknown.stderr.startswith("error: no-such-game: no such file")
