"""An OpenAI-compatible HTTP server that answers from a recorded trace.

It tests and measures what lies around a model: the HTTP transport, concurrent runs sharing one server, a
client killed mid-run, keys in headers. It is not a model: it says again what a real one said (the
embedded model's recorded run, matched by stage as `ReplayEngine(by_stage=True)` does), after an optional
latency that stands for a hosted model's answer time.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from genontology.generators.engine import response_schema
from genontology.generators.lm_errors import LMError
from genontology.testing.replay import ReplayEngine


def recorded_prompts(trace: str | Path, count: int) -> list[str]:
    """The recorded theme written `count` different ways (its words capitalised differently): distinct
    prompts that the recorded answers still fit. A recorded answer names the recorded theme's things (a
    name the model got wrong is made from the theme's own nouns), so another theme's narrowed stage schemas
    would refuse it; letter case changes neither the theme's nouns nor its schemas."""
    words = str(json.loads(Path(trace).read_text())["prompt"]).split()
    if count > 2 ** len(words):
        raise ValueError(f"a theme of {len(words)} words can be written {2 ** len(words)} ways, not {count}")
    return [
        " ".join(w.capitalize() if index >> i & 1 else w.lower() for i, w in enumerate(words))
        for index in range(count)
    ]


class RecordedServer:
    """Serve `/v1/chat/completions` on 127.0.0.1 from `trace`. The first requests get the scripted
    `failures` (status, body) instead; `authorizations` keeps each request's Authorization header.

    `gather=n` holds the first requests until n are in flight at once (or `gather_timeout_s` passes), so
    a test of concurrency observes it whatever the machine's speed: a client that sends one request at a
    time never gathers n, however fast it is."""

    def __init__(
        self,
        trace: str | Path | dict[str, Any],
        *,
        latency_s: float = 0.0,
        failures: Sequence[tuple[int, str]] = (),
        gather: int = 1,
        gather_timeout_s: float = 120.0,
    ) -> None:
        self.engine = ReplayEngine.from_trace(trace, by_stage=True)
        self.latency_s = latency_s
        self.failures = list(failures)
        self.authorizations: list[str] = []
        self.requests = 0
        self.in_flight = self.peak_in_flight = 0  # answers being prepared at once: the load it saw
        self.gather, self.gather_timeout_s = gather, gather_timeout_s
        self._lock = threading.Condition()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def _reply(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any] | str]:
        with self._lock:
            self.requests += 1
            self.authorizations.append(authorization)
            scripted = self.failures.pop(0) if self.failures else None
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            self._lock.notify_all()
            if not self._lock.wait_for(lambda: self.peak_in_flight >= self.gather, self.gather_timeout_s):
                self.gather = 0  # never gathered: wait no more, and let the test see the peak it got
        try:
            if scripted is not None:
                return scripted
            time.sleep(self.latency_s)
            schema = response_schema(body.get("response_format"))  # what the client asked for, if anything
            answer = self.engine.generate(body.get("messages") or [], schema, None)
        except LMError as exc:
            return 500, str(exc)
        finally:
            with self._lock:
                self.in_flight -= 1
        return 200, {
            "choices": [{"message": {"role": "assistant", "content": answer.text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": answer.input_tokens, "completion_tokens": answer.output_tokens},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                status, reply = server._reply(body, self.headers.get("Authorization", ""))
                data = (reply if isinstance(reply, str) else json.dumps(reply)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> RecordedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
