"""Run Python code in a fresh interpreter: for what only a new process shows (imports, exit hooks, fds)."""

from __future__ import annotations

import subprocess
import sys


def run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
