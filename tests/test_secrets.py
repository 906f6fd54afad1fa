"""A planted API key never reaches a trace, a checkpoint, a saved file, a log line or an error message.

The key is planted where users keep theirs (the environment) and has no recognisable shape, so only the
value net can catch it. The server (`RecordedServer`, answering from the embedded model's recorded run) checks
that the key really was sent, and echoes it back in its error bodies, as some providers do: without that,
a search that finds nothing would prove nothing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from genontology.redaction import REDACTED, redact, redact_logs, redact_text, remember
from genontology.testing.recorded_server import RecordedServer

TRACE = Path(__file__).parent / "data" / "embedded_trace.json"
KEY = "planted-7f3a9c-f00d-4b1e-not-a-real-key"
THEME = "bioluminescent fungi competing in a cave ecosystem"


def design_cli(server: RecordedServer, out: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, VLLM_API_KEY=KEY, GENONTOLOGY_LM="")
    command = [sys.executable, "-m", "genontology", "design", THEME, "--players", "2-4", "--minutes", "60"]
    command += ["--lm", f"vllm:smollm2@{server.url}", "--route", "scratch", "--out", str(out), "--no-critic"]
    command += ["--no-playtest"]  # the key travels with LM calls; simulation would only add a minute
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def leaks(folder: Path, *streams: str) -> list[str]:
    found = [p.name for p in folder.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()]
    return found + [f"stream {i}" for i, text in enumerate(streams) if KEY in text]


@pytest.mark.slow  # a real subprocess or 16 runs: seconds, not milliseconds
def test_a_run_that_recovers_writes_no_key(tmp_path: Path) -> None:
    echoed = f'{{"error": "overloaded; request authorized with key={KEY}"}}'
    with RecordedServer(TRACE, failures=[(503, echoed)]) as server:
        ran = design_cli(server, tmp_path / "run")
    assert ran.returncode in (0, 1), ran.stderr
    assert server.authorizations and all(a == f"Bearer {KEY}" for a in server.authorizations)
    assert {"design.json", "trace.json", "result.json", "checkpoint.json"} <= {
        p.name for p in (tmp_path / "run").iterdir()
    }
    assert leaks(tmp_path / "run", ran.stdout, ran.stderr) == []


@pytest.mark.slow  # a real subprocess or 16 runs: seconds, not milliseconds
def test_a_run_that_fails_on_the_echoing_server_reports_without_the_key(tmp_path: Path) -> None:
    echoed = f'{{"error": "overloaded; request authorized with key={KEY}"}}'
    with RecordedServer(TRACE, failures=[(503, echoed)] * 20) as server:
        ran = design_cli(server, tmp_path / "run")
    assert ran.returncode == 2
    assert "error:" in ran.stderr and "overloaded" in ran.stderr and REDACTED in ran.stderr
    assert (tmp_path / "run" / "checkpoint.json").exists()
    assert leaks(tmp_path / "run", ran.stdout, ran.stderr) == []


def test_values_of_secret_variables_are_redacted_whatever_their_shape(monkeypatch) -> None:
    monkeypatch.setenv("MY_SERVICE_API_KEY", KEY)
    monkeypatch.setenv("MAX_TOKENS", "12345678")  # a count, not a secret
    assert redact_text(f"failed with {KEY}!") == f"failed with {REDACTED}!"
    assert redact_text("12345678 tokens") == "12345678 tokens"
    assert redact({"messages": [f"x {KEY}"], "api_key": "short", "input_tokens": 9}) == {
        "messages": [f"x {REDACTED}"],
        "api_key": REDACTED,
        "input_tokens": 9,
    }


def test_a_key_handed_to_an_engine_is_redacted_and_short_values_are_not() -> None:
    remember("handed-over-key-0042")
    remember("1")  # would blank every digit 1 in every output
    assert redact_text("echo handed-over-key-0042 1") == f"echo {REDACTED} 1"


def test_log_records_are_redacted_whichever_logger_writes_them(monkeypatch, caplog) -> None:
    monkeypatch.setenv("SOME_PROVIDER_TOKEN", KEY)
    original = logging.getLogRecordFactory()
    try:
        redact_logs()
        redact_logs()  # idempotent
        with caplog.at_level(logging.WARNING):
            logging.getLogger("LiteLLM").warning("retrying with headers %s", {"Authorization": KEY})
        assert KEY not in caplog.text and REDACTED in caplog.text
    finally:
        logging.setLogRecordFactory(original)


@pytest.mark.parametrize("shape", ["sk-abcdefgh12345678", "Bearer abc.def-123456789", "hf_abcdefghijkl"])
def test_key_shapes_are_redacted_without_being_planted(shape: str) -> None:
    assert redact_text(f"got {shape} back") == f"got {REDACTED} back"
