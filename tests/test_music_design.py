"""`Designer(domain="music")` end to end on the embedded model, and the CLI's music outputs."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from music21 import converter

from genontology.agents import Designer
from genontology.agents.design_plan import get_plan
from genontology.agents.music.plan import MusicBrief, assemble, related
from genontology.ontology import errors_among, get_domain
from genontology.schemas.music.character import CONVENTIONS, Character
from genontology.schemas.music.model import KeySpec


def test_keys_are_spelled_by_relation() -> None:
    home = KeySpec(tonic="D", mode="minor")
    assert related(home, "relative") == KeySpec(tonic="F", mode="major")
    assert related(home, "dominant") == KeySpec(tonic="A", mode="minor")
    assert related(home, "home") is None


PARTS = {
    "concept": {
        "title": "Storm Song",
        "program": "A storm rises and passes over a sleeping house.",
        "tonic": "F",
        "mode": "major",
        "meter": "3/4",
        "tempo": "andante",
        "bpm": 80,
    },
    "form": {
        "form": {
            "order": "A B A",
            "A": {"texture": "chorale", "dynamic": "p"},
            "B": {"key": "dominant", "texture": "chorale", "dynamic": "f"},
        }
    },
    "phrases": {
        "A": [{"bars": 4, "harmony": ["I", "V", "I"], "cadence": "authentic"}],
        "B": [
            {"bars": 4, "harmony": ["I", "V"], "cadence": "half"},
            {"bars": 4, "harmony": ["IV", "V", "I"], "cadence": "authentic"},
        ],
    },
    "orchestration": {
        "soprano": {"instrument": "soprano", "low": "C4", "high": "G5"},
        "alto": {"instrument": "alto", "low": "G3", "high": "D5"},
        "tenor": {"instrument": "tenor", "low": "C3", "high": "G4"},
        "bass": {"instrument": "bass", "low": "E2", "high": "C4"},
        "melody": {"low": "E4", "span": "an octave", "contour": "arch", "density": "moderate"},
    },
    "scenes": {"A": "The house sleeps.", "B": "Thunder over the roof."},
}


def test_assembly_sums_sections_and_spells_keys() -> None:
    plan = assemble(MusicBrief(prompt="a storm lullaby"), PARTS)
    assert plan["sections"][1]["bars"] == 8
    assert plan["sections"][1]["key"] == {"tonic": "C", "mode": "major"}
    assert [v["role"] for v in plan["voices"]] == ["melody", "inner", "inner", "bass"]
    assert get_domain("music").validate(plan) == []


def test_the_melody_reaches_its_span_within_the_instrument_that_carries_it() -> None:
    plan = assemble(MusicBrief(prompt="a storm lullaby"), PARTS)
    assert (plan["melody"]["low"], plan["melody"]["high"]) == ("E4", "E5")  # an octave above E4
    # A ninth from A4 would pass a soprano's A5: the whole span moves down. The voice carrying the melody
    # is widened to take it (its own range was C4-G5).
    parts = copy.deepcopy(PARTS)
    parts["orchestration"]["melody"] |= {"low": "A4", "span": "a ninth"}
    plan = assemble(MusicBrief(prompt="a storm lullaby"), parts)
    assert (plan["melody"]["low"], plan["melody"]["high"]) == ("G4", "A5")
    assert (plan["voices"][0]["low"], plan["voices"][0]["high"]) == ("C4", "A5")
    assert get_domain("music").validate(plan) == []
    # A checkpoint written before spans gave both ends: resumed, its range stands.
    parts["orchestration"]["melody"] = {"low": "E4", "high": "E5", "contour": "arch", "density": "moderate"}
    plan = assemble(MusicBrief(prompt="a storm lullaby"), parts)
    assert (plan["melody"]["low"], plan["melody"]["high"]) == ("E4", "E5")


@pytest.mark.parametrize(
    ("missing", "fields"),
    [
        ("concept", {"id", "title", "program", "key", "meter", "tempo"}),
        ("form", {"sections", "order"}),
        ("orchestration", {"voices", "melody"}),
    ],
)
def test_a_missing_part_is_a_fault_for_its_stage_never_a_default(missing: str, fields: set[str]) -> None:
    """No C major, 4/4, one-section form or default choir: what a stage did not write is absent, the schema
    says so, and routing sends each fault to that stage."""
    plan = assemble(MusicBrief(prompt="a storm lullaby"), {k: v for k, v in PARTS.items() if k != missing})
    assert not fields & set(plan)
    errors = errors_among(get_domain("music").validate(plan))
    assert errors and {get_plan("music").route(v.code, v.path).name for v in errors} == {missing}


def test_a_section_without_written_phrases_has_none() -> None:
    parts = {**PARTS, "phrases": {"A": PARTS["phrases"]["A"]}}
    plan = assemble(MusicBrief(prompt="a storm lullaby"), parts)
    assert "phrases" not in plan["sections"][1]  # not I-V-I by default
    routed = {
        get_plan("music").route(v.code, v.path).name for v in errors_among(get_domain("music").validate(plan))
    }
    assert routed == {"phrases"}


@pytest.mark.slow
def test_a_lullaby_from_the_embedded_model(tmp_path: Path) -> None:
    result = Designer(domain="music", seed=0, max_rounds=2).run("a lullaby for a stormy night", out=tmp_path)
    assert result.status in ("valid", "valid_with_warnings"), result.errors
    for name in ("plan.json", "program.md", "trace.json", "score.musicxml", "score.mid", "score.png"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert len(converter.parse(tmp_path / "score.mid").parts) == 4
    roles = {s.role for s in result.trace.steps if s.kind == "lm"}
    assert {"program_weaver", "form_architect", "orchestrator"} <= roles
    assert json.loads((tmp_path / "realization.json").read_text())["realizer"] == "model"
    lullaby = CONVENTIONS[Character.lullaby]  # read from the theme, so the concept could only be one
    assert result.design.character == Character.lullaby and result.design.meter in lullaby.meters
    assert result.design.tempo.marking in lullaby.tempi


def test_the_cli_refuses_game_options_for_music(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "genontology", "design", "storm", "--domain", "music", "--players", "3"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "players" in result.stderr and "Traceback" not in result.stderr


def test_a_scene_that_says_nothing_new_is_left_out_not_replaced_by_the_title() -> None:
    parts = {**PARTS, "scenes": {"A": "Storm Song, section A.", "B": PARTS["concept"]["program"]}}
    plan = assemble(MusicBrief(prompt="a storm lullaby"), parts)
    assert plan["scenes"] == {}  # the title and the section again; the program again
    warnings = {v.code for v in get_domain("music").validate(plan)}
    assert warnings == {"scene.missing"}  # said, and routed to the scenes stage as a warning
