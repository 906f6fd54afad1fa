"""Every example script still speaks the current API: each is imported (its `__main__` part, which runs a
model, is not), so a renamed class or a removed argument fails here rather than in a reader's hands."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_imports_against_the_current_api(script: Path) -> None:
    assert '__name__ == "__main__"' in script.read_text()  # importing must not run a design
    spec = importlib.util.spec_from_file_location(f"example_{script.stem}", script)
    assert spec and spec.loader
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
