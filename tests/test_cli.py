"""The CLI as a user runs it: a real subprocess, exit codes, JSON output, and no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "genontology", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def catan_file(tmp_path: Path) -> Path:
    out = tmp_path / "catan.json"
    assert run("exemplars", "export", "catan", "--out", str(out)).returncode == 0
    return out


def test_validate_valid_design_exits_0(catan_file: Path) -> None:
    result = run("validate", str(catan_file), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"valid": True, "violations": []}


def test_validate_invalid_design_exits_1_with_violations(catan_file: Path) -> None:
    data = json.loads(catan_file.read_text())
    data["mechanisms"][0]["components"].append("catapult")
    data["goal"] = "Win."
    catan_file.write_text(json.dumps(data))
    result = run("validate", str(catan_file), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert {v["code"] for v in report["violations"]} == {"ref.unknown-component", "goal.vague"}
    assert set(report["violations"][0]) == {"code", "severity", "path", "message", "hint"}


def test_validate_no_prose_checks_structure_only(catan_file: Path) -> None:
    data = json.loads(catan_file.read_text())
    data["components"][1]["name"] = data["components"][0]["name"]  # two components a reader cannot tell apart
    catan_file.write_text(json.dumps(data))
    with_prose = run("validate", str(catan_file), "--json")
    assert with_prose.returncode == 1
    assert {v["code"] for v in json.loads(with_prose.stdout)["violations"]} == {"prose.duplicate-name"}
    assert run("validate", str(catan_file), "--no-prose").returncode == 0


def test_validate_reads_yaml(catan_file: Path, tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(json.loads(catan_file.read_text())))
    assert run("validate", str(path)).returncode == 0


def test_warnings_alone_exit_0(catan_file: Path) -> None:
    data = json.loads(catan_file.read_text())
    data["goal"] = "Win."
    catan_file.write_text(json.dumps(data))
    result = run("validate", str(catan_file))
    assert result.returncode == 0
    assert "goal.vague" in result.stdout and "hint:" in result.stdout


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        ("{not json", ".json", "invalid JSON"),
        ("a: [unclosed", ".yaml", "invalid YAML"),
        ("- just\n- a list\n", ".yaml", "expected a mapping"),
        ("!!python/object/apply:os.system ['echo pwned']", ".yaml", "invalid YAML"),
        (b"\xff\xfe\x00binary", ".json", "not UTF-8"),
    ],
)
def test_unusable_input_exits_2_with_one_line(tmp_path: Path, content, suffix: str, expected: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "/no/such/file.json"),
        ("validate", "."),
        ("schema", "--domain", "cooking"),
        ("exemplars", "export", "no_such_game"),
        ("show", "/no/such.yaml"),
    ],
)
def test_other_usage_errors_exit_2_without_traceback(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.startswith("error: ")


def test_schema_prints_json_schema() -> None:
    result = run("schema", "--domain", "tabletop")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "GameDesign" and "mechanisms" in schema["properties"]


def test_exemplars_list_json() -> None:
    rows = json.loads(run("exemplars", "list", "--json").stdout)
    assert len(rows) >= 60
    assert set(rows[0]) == {"id", "title", "about"}
    assert "players" in rows[0]["about"]


def test_music_commands_work_as_for_games(tmp_path: Path) -> None:
    plan = Path(__file__).parent / "data" / "music_plan.json"
    assert run("validate", "--domain", "music", str(plan)).returncode == 0
    broken = json.loads(plan.read_text())
    broken["order"].append("Z")
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    result = run("validate", "--domain", "music", str(tmp_path / "broken.json"))
    assert result.returncode == 1 and "form.unknown-section" in result.stdout
    rows = json.loads(run("exemplars", "list", "--domain", "music", "--json").stdout)
    assert len(rows) >= 100 and "form" in rows[0]["about"]
    shown = run("show", "--domain", "music", str(plan))
    assert shown.returncode == 0 and "## Section B in C major" in shown.stdout


def test_show_renders_a_rulebook_and_a_graph(catan_file: Path, tmp_path: Path) -> None:
    png = tmp_path / "graph.png"
    result = run("show", str(catan_file), "--graph", str(png))
    assert result.returncode == 0, result.stderr
    for heading in (
        "# Catan",
        "## Components",
        "## Setup",
        "### 1. Production",
        "## End of the game",
        "## Victory",
    ):
        assert heading in result.stdout
    assert "(costs 2 Grain, 3 Ore)" in result.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_show_ranges_prints_what_each_quantity_reaches(catan_file: Path) -> None:
    result = run("show", str(catan_file), "--ranges")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
    assert rows["brick"] == ["each", "player", "0..19"]  # the bank holds 19 and there is no round limit
    assert rows["victory_points"] == ["each", "player", "2..inf"]
    plan = Path(__file__).parent / "data" / "music_plan.json"
    refused = run("show", "--domain", "music", str(plan), "--ranges")
    assert refused.returncode != 0 and "does not compute reachable ranges" in refused.stderr


def test_show_refuses_a_schema_invalid_design(catan_file: Path) -> None:
    data = json.loads(catan_file.read_text())
    del data["actions"]
    catan_file.write_text(json.dumps(data))
    result = run("show", str(catan_file))
    assert result.returncode == 1
    assert "schema.missing" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        (),
        ("validate",),
        ("show",),
        ("schema",),
        ("domains",),
        ("rules",),
        ("exemplars",),
        ("exemplars", "list"),
        ("exemplars", "export"),
        ("lm",),
        ("lm", "check"),
        ("lm", "forms"),
        ("serve",),
        ("serve", "vllm"),
        ("design",),
        ("playtest",),
        ("bench",),
        ("train",),
        ("train", "music-realizer"),
        ("exemplars", "search"),
    ],
)
def test_help_on_every_command(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0 and "Usage" in result.stdout


@pytest.mark.parametrize("command", [("design",), ("playtest",), ("bench",), ("train", "music-realizer")])
def test_help_paragraphs_are_not_broken_mid_sentence(command: tuple[str, ...]) -> None:
    """On a wide terminal each paragraph of a command's help is one line: no hard break from its docstring."""
    from genontology.cli import app
    from genontology.cli.common import reflow

    wide = subprocess.run(
        [sys.executable, "-m", "genontology", *command, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "1000"},
    ).stdout
    group = app
    for name in command[:-1]:
        group = next(g.typer_instance for g in group.registered_groups if g.name == name)
    info = next(c for c in group.registered_commands if (c.name or c.callback.__name__) in command[-1:])
    for paragraph in reflow(info.callback.__doc__).split("\n\n"):
        assert any(paragraph in line for line in wide.splitlines()), paragraph


def test_playtest_and_bench_take_a_domain(tmp_path: Path) -> None:
    music = run("playtest", "lullaby", "--domain", "music")
    assert music.returncode == 2 and "no game to play" in music.stderr and "Traceback" not in music.stderr
    unknown = run("bench", "--domain", "knitting", "--out", str(tmp_path))
    assert unknown.returncode == 2 and "knitting" in unknown.stderr


def test_rules_lists_codes_and_principles() -> None:
    result = run("rules", "--json")
    rules = json.loads(result.stdout)
    assert len(rules) >= 25
    assert {"code", "severity", "principle"} <= set(rules[0])


def test_wrong_lm_spec_is_one_line_and_exit_2() -> None:
    result = run("lm", "check", "--lm", "gpt5")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unknown LM spec 'gpt5'; accepted forms:" in result.stderr


def test_dead_server_is_one_actionable_line() -> None:
    from genontology.generators.serve import free_port

    result = run("lm", "check", "--lm", f"vllm:smollm2@http://127.0.0.1:{free_port()}")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot reach" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_entry_point_script_is_installed() -> None:
    script = Path(sys.executable).parent / "genontology"
    result = subprocess.run([str(script), "domains"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "tabletop" in result.stdout


@pytest.mark.parametrize("theme", ["", "!!!!", "zzzzzzzzzz"])
def test_design_refuses_an_empty_or_absurd_theme_in_one_line(theme: str, tmp_path) -> None:
    done = run("design", theme, "--out", str(tmp_path / "x"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: cannot design for this request") and "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()
