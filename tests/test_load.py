"""Load: 16 designs at once through `run_many`, sharing one Chroma exemplar store and one LM server.

The server is `RecordedServer` (the embedded model's recorded answers over HTTP, with a delay standing for
a model's answer time), so what is tested is ours: ordering, checkpoints, the shared store and client.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from genontology.agents import Designer, Switches
from genontology.retrieval import ExemplarStore
from genontology.testing.recorded_server import RecordedServer, recorded_prompts

TRACE = Path(__file__).parent / "data" / "embedded_trace.json"
THEMES = recorded_prompts(TRACE, 16)  # 16 distinct prompts the recorded answers fit
QUERY = "cave fungi competing for light"


def snapshot(store: ExemplarStore) -> tuple[int, list[str]]:
    return len(store), [e.id for e in store.search(QUERY, 8)]


@pytest.mark.slow  # a real subprocess or 16 runs: seconds, not milliseconds
def test_sixteen_concurrent_designs_share_one_store_and_one_server(tmp_path: Path) -> None:
    store = ExemplarStore.open(tmp_path / "store")
    before = snapshot(store)
    with RecordedServer(TRACE, latency_s=0.05, gather=16) as server:
        designer = Designer(
            lm=f"server:smollm2@{server.url}",
            store=store,
            route="scratch",
            max_rounds=1,
            switches=Switches(playtest=False),
        )
        results = designer.run_many(THEMES, concurrency=16, out=tmp_path / "batch", players="2-4", minutes=60)
        peak = server.peak_in_flight

    assert len(THEMES) == 16 and len(results) == 16
    assert [r.prompt for r in results] == THEMES  # in input order
    assert [r.status for r in results if r.status == "failed"] == [], [r.error for r in results]
    assert peak == 16  # all 16 runs were at the server at once (it holds answers until they are)
    folders = sorted((tmp_path / "batch").iterdir())
    assert len(folders) == 16  # none lost: each run saved whole, in its own folder
    for index, (folder, theme) in enumerate(zip(folders, THEMES, strict=True)):
        assert folder.name.startswith(f"{index:02d}-")
        saved = json.loads((folder / "result.json").read_text())
        assert saved["prompt"] == theme
        assert json.loads((folder / "checkpoint.json").read_text())["finished"]
        assert all(json.loads(p.read_text()) is not None for p in folder.glob("*.json"))
    retrieved = {tuple(s.exemplars) for r in results for s in r.trace.steps if s.exemplars}
    assert retrieved  # the runs used the store

    assert snapshot(store) == before  # the store intact: same size, same answers
    assert snapshot(ExemplarStore.open(tmp_path / "store")) == before  # and on disk, reopened
    (database,) = (tmp_path / "store").rglob("chroma.sqlite3")
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
