"""The realizers on CPU: the trained model shipped with the package, the rule-based baseline, the random
floor; the score files they write; and the training command's reproducibility."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from child import run_python
from music21 import converter

from genontology.generators.music import evaluate, neural, realize, realize_as, realize_to_folder
from genontology.schemas.music.model import CompositionPlan

PLAN = CompositionPlan.model_validate_json((Path(__file__).parent / "data" / "music_plan.json").read_text())


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, float]]:
    return {name: evaluate(PLAN, *realize(PLAN, name)) for name in ("model", "rules", "random")}  # type: ignore[arg-type]


def test_the_rule_based_realizer_writes_textbook_voice_leading(measured) -> None:
    rules = measured["rules"]
    assert rules["melody_chord_tones"] == 1.0
    assert rules["range_violations_per_100"] == 0.0
    assert rules["crossings_per_100"] == 0.0
    assert rules["cadences_realized"] >= 0.8
    assert rules["parallels_per_100"] < 5


def test_random_notes_are_the_floor(measured) -> None:
    assert measured["random"]["melody_chord_tones"] < 0.6
    assert measured["random"]["cadences_realized"] < 0.5


def test_the_shipped_model_learned_harmony(measured) -> None:
    model = measured["model"]
    assert neural.packaged_weights().stat().st_size < 5_000_000
    assert model["range_violations_per_100"] == 0.0  # out-of-range notes are never sampled
    assert model["chord_tones_all_voices"] > measured["random"]["chord_tones_all_voices"] + 0.3
    assert model["cadences_realized"] > measured["random"]["cadences_realized"]


def test_the_model_mends_its_parallels_in_context() -> None:
    from genontology.generators.music import metrics
    from genontology.generators.music.grid import build_grid

    grid, model = build_grid(PLAN), neural.load()
    mended = [metrics.measure(grid, neural.realize_model(model, grid, seed=s)) for s in range(3)]
    sampled = [metrics.measure(grid, neural.realize_model(model, grid, seed=s, mend=False)) for s in range(3)]
    # Sampled all at once, the voices make 4-15 parallels per 100 beats here; mended, at most one or two.
    assert sum(m["parallels_per_100"] for m in sampled) > 10
    assert all(m["parallels_per_100"] < 3 for m in mended)
    assert all(m["cadences_realized"] >= sampled[i]["cadences_realized"] for i, m in enumerate(mended))


def test_the_model_harmonizes_a_given_melody() -> None:
    from genontology.generators.music.grid import build_grid

    grid = build_grid(PLAN)
    _, rules = realize(PLAN, "rules")
    lines = neural.realize_model(neural.load(), grid, seed=1, melody=rules[0])
    assert lines[0] == rules[0]
    assert all(len(line) == len(grid.beats) for line in lines)
    assert lines[1] != rules[1] or lines[2] != rules[2]  # the lower voices are the model's own


def test_realize_to_folder_writes_a_score_that_reads_back(tmp_path: Path) -> None:
    names = realize_to_folder(PLAN, tmp_path, "rules")
    assert names == ["score.musicxml", "score.mid", "score.png", "realization.json"]
    beats = json.loads((tmp_path / "realization.json").read_text())["beats"]
    for name in ("score.musicxml", "score.mid"):
        score = converter.parse(tmp_path / name)
        assert len(score.parts) == 4
        assert len(score.parts[3].flatten().notes) == beats  # the bass: one note per beat
    assert not list(tmp_path.glob(".*tmp"))


@pytest.mark.slow
def test_training_is_reproducible_with_a_seed(tmp_path: Path) -> None:
    reports = [
        neural.train_from_corpus(tmp_path / f"w{i}.pt", epochs=1, seed=3, limit=4, log=lambda m: None)
        for i in range(2)
    ]
    assert reports[0]["final_loss"] == reports[1]["final_loss"]
    first, second = (torch.load(tmp_path / f"w{i}.pt", weights_only=True)["state"] for i in range(2))
    assert all(torch.equal(first[k], second[k]) for k in first)
    # Trained on CUDA where there is one, stored for any machine (a CPU-only run cannot tell the difference).
    assert all(t.device.type == "cpu" for t in first.values())


def test_without_weights_the_rules_write_the_notes_and_say_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GENONTOLOGY_REALIZER", str(tmp_path / "missing.pt"))
    realize_to_folder(PLAN, tmp_path)
    assert json.loads((tmp_path / "realization.json").read_text())["realizer"] == "rules"


def test_weights_named_in_the_call_come_before_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GENONTOLOGY_REALIZER", str(tmp_path / "missing.pt"))
    assert realize_as(PLAN, "model", weights=neural.packaged_weights())[2] == "model"
    monkeypatch.delenv("GENONTOLOGY_REALIZER")
    assert realize_as(PLAN, "model", weights=tmp_path / "missing.pt")[2] == "rules"


def _train(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "genontology", "train", "music-realizer", *args],
        capture_output=True,
        text=True,
    )


def test_training_refuses_bad_targets_and_empty_data_in_one_line(tmp_path: Path) -> None:
    for args, says in (
        (["--out", str(tmp_path)], "is a folder"),
        (["--out", "/proc/nope/w.pt"], "not writable"),
        (["--out", str(tmp_path / "w.pt"), "--limit", "1", "--epochs", "1"], "no four-part chorale"),
        (["--out", str(neural.packaged_weights()), "--epochs", "1"], "shipped inside the package"),
    ):
        result = _train(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "w.pt").exists()


def test_training_writes_to_the_user_data_folder_by_default(tmp_path: Path, monkeypatch) -> None:
    from genontology.cli.train import default_weights

    monkeypatch.setenv("GENONTOLOGY_HOME", str(tmp_path))
    assert default_weights() == tmp_path / "models" / "music-realizer.pt"
    assert "site-packages" not in str(default_weights())


def test_training_and_generation_transpose_by_one_formula() -> None:
    """A piece moved to C for training, and the C model moved back for generation, land on the same pitches
    for all twelve tonics: for F sharp the two formulas once disagreed by an octave."""
    for tonic in range(12):
        to_c, back = neural.shift_to_c(tonic), neural.shift_from_c(tonic)
        assert (tonic + to_c) % 12 == 0 and -6 < to_c <= 6
        assert to_c + back == 0, tonic


@pytest.mark.slow
def test_the_speed_benchmark_measures_every_device_it_finds() -> None:
    script = Path(__file__).parent.parent / "benchmarks" / "music_speed.py"
    args = ["--chorales", "3", "--epochs", "2", "--plans", "2"]
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-500:]
    windows = int(re.search(r"\((\d+) windows\)", done.stdout).group(1))
    assert windows == int(neural.windows(neural.training_rows(3))["notes"].shape[0])  # the data it names
    rows = [line for line in done.stdout.splitlines() if line.startswith(("| cpu:", "| cuda:"))]
    assert len(rows) == 1 + torch.cuda.is_available()
    epoch_s, per_s, gen_ms = (float(cell.split()[0]) for cell in rows[0].split("|")[2:5])
    # The throughput is the windows over the epoch time it reports, to the rounding of both (two decimals of
    # seconds, whole windows a second): not a number of its own.
    assert abs(per_s * epoch_s - windows) <= per_s * 0.005 + epoch_s
    assert 0 < gen_ms < 60_000
    assert rows[0].split("|")[5].strip() == "train 1.0x, generate 1.0x"  # the CPU against itself


def test_the_realizer_loads_without_the_lm_stack() -> None:
    # A GPU box that only realizes plans needs torch and music21, not DSPy: the generators package is lazy.
    probe = (
        "import sys\n"
        "from genontology.generators.music import neural, realize\n"
        "assert 'dspy' not in sys.modules, 'realizer import loaded dspy'\n"
        "from genontology.generators import call_lm, LMError\n"
        "assert 'dspy' in sys.modules and callable(call_lm)\n"
        "import genontology.generators as g\n"
        "try:\n"
        "    g.no_such_name\n"
        "except AttributeError as e:\n"
        "    assert 'no_such_name' in str(e)\n"
        "else:\n"
        "    raise SystemExit('unknown name did not raise')\n"
    )
    done = run_python(probe)
    assert done.returncode == 0, done.stderr[-800:]


@pytest.mark.parametrize(
    ("a0", "a1", "b0", "b1", "expected"),
    [
        (60, 62, 60, 62, True),  # parallel unisons
        (60, 62, 60, 50, True),  # a unison to an octave: consecutive perfect consonances of one kind
        (72, 74, 60, 62, True),  # parallel octaves
        (67, 69, 60, 62, True),  # parallel fifths
        (79, 69, 60, 62, True),  # a twelfth to a fifth
        (60, 62, 65, 67, False),  # fourths with the lower voice on top (crossed): not fifths
        (60, 60, 53, 55, False),  # a voice that holds its note
        (64, 65, 60, 62, False),  # a third to a third
    ],
)
def test_one_definition_of_parallels_for_the_realizer_and_the_measure(a0, a1, b0, b1, expected) -> None:
    from genontology.generators.music import metrics, rule_based

    assert metrics.parallel(a0, a1, b0, b1) is expected
    # The rule-based realizer's voice-leading cost charges exactly the parallels the measure counts: 20 for
    # a parallel, more than all the motion here costs (two held voices below make none of their own).
    prev, cur = (a0, b0, b0 - 12, b0 - 24), (a1, b1, b0 - 12, b0 - 24)
    assert (rule_based._transition(prev, cur) >= 20) is expected


def test_the_realizer_reads_its_weights_once_per_process_and_path(tmp_path: Path, monkeypatch) -> None:
    weights = tmp_path / "w.pt"
    weights.write_bytes(neural.packaged_weights().read_bytes())
    reads = []
    monkeypatch.setattr(neural, "load", lambda path=None: reads.append(path) or object())
    neural._loaded.cache_clear()
    assert neural.loaded(weights) is neural.loaded(weights) and len(reads) == 1
    os.utime(weights, ns=(1, 1))  # the file changed (retrained in place): read again
    neural.loaded(weights)
    assert len(reads) == 2
    neural._loaded.cache_clear()
