"""Failure paths against real local HTTP servers: down, 500 then 200, 429, truncated JSON, refusal.

The servers here are scripted (they answer from a list), which tests the retry and error layer; whether
the pipeline works is tested against real models in test_backends.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dspy
import pytest

from genontology.generators import LMError, LMOutputError, LMUnavailable, UsageLedger, call_lm, resolve_lm
from genontology.generators.check import ProposeIdea
from genontology.generators.serve import free_port

VALID = json.dumps({"idea": {"title": "Spore Wars", "players": 3, "mechanism": "area control"}})


def completion(content: str, finish: str = "stop") -> dict:
    return {
        "choices": [{"message": {"role": "assistant", "content": content}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7},
    }


class ScriptedServer:
    """Answers each POST with the next scripted (status, body, headers) and records request bodies."""

    def __init__(self, script: list[tuple[int, object, dict[str, str]]]) -> None:
        self.script, self.requests = list(script), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                status, body, headers = outer.script.pop(0) if outer.script else (500, "script exhausted", {})
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted() -> Iterator:
    servers: list[ScriptedServer] = []

    def make(*script: tuple[int, object, dict[str, str]]) -> ScriptedServer:
        servers.append(ScriptedServer(list(script)))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def ask(url: str, ledger: UsageLedger, retries: int = 3, **options: object):
    lm = resolve_lm(f"server:smollm2@{url}", cache=False, **options)
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        return call_lm(
            lambda: dspy.Predict(ProposeIdea)(theme="fungi"),
            lm=lm,
            label="idea",
            ledger=ledger,
            retries=retries,
            backoff_s=0.01,
            max_backoff_s=0.05,
        )


def test_server_down_gives_lm_unavailable_after_retries() -> None:
    ledger = UsageLedger()
    with pytest.raises(LMUnavailable, match="cannot reach") as info:
        ask(f"http://127.0.0.1:{free_port()}", ledger, retries=2)
    assert info.value.attempts == 3
    assert ledger.totals()["failures"] == 1 and ledger.records[0].attempts == 3


def test_500_then_200_is_retried_and_succeeds(scripted) -> None:
    server = scripted((500, "overloaded", {}), (200, completion(VALID), {}))
    ledger = UsageLedger()
    result = ask(server.url, ledger)
    assert result.idea.title == "Spore Wars"
    assert len(server.requests) == 2
    totals = ledger.totals()
    assert (totals["calls"], totals["retries"], totals["input_tokens"], totals["output_tokens"]) == (
        1,
        1,
        11,
        7,
    )


def test_schema_is_sent_as_response_format(scripted) -> None:
    server = scripted((200, completion(VALID), {}))
    ask(server.url, UsageLedger())
    sent = server.requests[0]["response_format"]
    assert sent["type"] == "json_schema"
    assert "idea" in json.dumps(sent["json_schema"]["schema"])


def test_seed_temperature_and_max_tokens_reach_the_server(scripted) -> None:
    server = scripted((200, completion(VALID), {}))
    ask(server.url, UsageLedger(), temperature=0.7, seed=11, max_tokens=321)
    sent = server.requests[0]
    assert (sent["temperature"], sent["seed"], sent["max_tokens"]) == (0.7, 11, 321)


def test_429_is_retried(scripted) -> None:
    server = scripted((429, "slow down", {"Retry-After": "0"}), (200, completion(VALID), {}))
    assert ask(server.url, UsageLedger()).idea.players == 3


def test_truncated_json_is_an_output_error_with_the_raw_text(scripted) -> None:
    server = scripted((200, completion('{"idea": {"title": "Spo'), {}))
    with pytest.raises(LMOutputError) as info:
        ask(server.url, UsageLedger())
    assert info.value.raw_text == '{"idea": {"title": "Spo'
    assert len(server.requests) == 1  # a malformed answer is not a transient fault


def test_answer_cut_at_the_token_limit_is_refused(scripted) -> None:
    server = scripted((200, completion(VALID, finish="length"), {}))
    with pytest.raises(LMOutputError, match="token limit"):
        ask(server.url, UsageLedger())


def test_refusal_is_not_retried(scripted) -> None:
    server = scripted((401, "bad key", {}))
    with pytest.raises(LMError) as info:
        ask(server.url, UsageLedger())
    assert not isinstance(info.value, LMUnavailable)
    assert len(server.requests) == 1


def test_garbage_body_is_a_server_error_and_retried(scripted) -> None:
    server = scripted((200, "<html>proxy</html>", {}), (200, completion(VALID), {}))
    assert ask(server.url, UsageLedger()).idea.mechanism == "area control"
    assert len(server.requests) == 2
