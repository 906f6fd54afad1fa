"""The exemplar store on a real embedded Chroma database with the offline MiniLM model."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from genontology import get_domain
from genontology.retrieval import ExemplarRejected, ExemplarStore, StoreError, reindex, render_for_prompt

SHIPPED = len(get_domain("tabletop").load_exemplars())  # every shipped exemplar is indexed

pytestmark = pytest.mark.slow
QUERIES = yaml.safe_load((Path(__file__).parent / "data" / "retrieval_queries.yaml").read_text())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ExemplarStore:
    return ExemplarStore.open(tmp_path_factory.mktemp("store") / "exemplars")


def recall_at_5(store: ExemplarStore) -> float:
    total = 0.0
    for item in QUERIES:
        got = {e.id for e in store.search(item["query"], 5)}
        expected = item["expected"][:5]
        total += len(got & set(expected)) / len(expected)
    return total / len(QUERIES)


def test_recall_at_5_on_the_labelled_queries(store: ExemplarStore) -> None:
    assert len(QUERIES) >= 12
    assert recall_at_5(store) >= 0.8


def test_results_are_typed_exemplars(store: ExemplarStore) -> None:
    (top,) = store.search("cooperative game against a spreading disease", 1)
    assert top.id == "pandemic" and top.design.title == "Pandemic" and top.source == "corpus"
    assert 0 < top.score <= 1.5


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (
            {"mechanisms": ["deck_building"]},
            lambda d: "deck_building" in {m.type.value for m in d.mechanisms},
        ),
        (
            {"categories": ["information"]},
            lambda d: any(
                m.type.value in ("hidden_information", "deduction", "bluffing", "memory")
                for m in d.mechanisms
            ),
        ),
        ({"players": 7}, lambda d: d.players.min <= 7 <= d.players.max),
        ({"interaction": "cooperative"}, lambda d: d.players.interaction.value == "cooperative"),
        ({"complexity": "heavy"}, lambda d: d.complexity.value == "heavy"),
    ],
)
def test_facet_filters_are_hard(store: ExemplarStore, filters: dict, check) -> None:
    results = store.search("a game", 10, **filters)
    assert results and all(check(e.design) for e in results)


def test_by_mechanisms_and_similar_to(store: ExemplarStore) -> None:
    deck_builders = {"ascension", "dominion", "star_realms", "friday"}
    assert {e.id for e in store.by_mechanisms(["deck_building"], 5)} == deck_builders
    catan = next(e.design for e in store.search("Catan", 1))
    similar = store.similar_to(catan, 5)
    assert "catan" not in {e.id for e in similar} and len(similar) == 5


def test_diversity_spreads_the_results(store: ExemplarStore) -> None:
    plain = store.search("dice rolling game", 5)
    diverse = store.search("dice rolling game", 5, diversity=0.7)
    assert plain[0].id == diverse[0].id and len({e.id for e in diverse}) == 5

    def mean_overlap(results) -> float:
        sets = [{m.type for m in e.design.mechanisms} for e in results]
        pairs = [(a, b) for i, a in enumerate(sets) for b in sets[i + 1 :]]
        return sum(len(a & b) / len(a | b) for a, b in pairs) / len(pairs)

    assert mean_overlap(diverse) <= mean_overlap(plain)


def test_prompt_rendering_respects_the_token_budget(store: ExemplarStore) -> None:
    results = store.search("worker placement", 5)
    text = render_for_prompt(results, token_budget=60)
    assert 0 < len(text) // 4 <= 60 and text.startswith("- ")
    assert render_for_prompt(results, token_budget=1000).count("\n") == 4


def test_reopening_does_not_reindex_or_duplicate(store: ExemplarStore) -> None:
    again = ExemplarStore.open(store.path)
    assert len(again) == len(store) == SHIPPED


def test_corpus_change_reindexes_without_duplicates_and_keeps_user_exemplars(
    tmp_path: Path, monkeypatch, exemplar_data
) -> None:
    path = tmp_path / "exemplars"
    first = ExemplarStore.open(path)
    user = dict(exemplar_data["catan"], id="catan_seafarers", title="Catan: Seafarers")
    first.add(user)
    trimmed = tuple(d for d in first.domain.load_exemplars() if d.id != "pig")
    second = ExemplarStore.open(path, dataclasses.replace(first.domain, load_exemplars=lambda: trimmed))
    assert len(second) == SHIPPED - 1 + 1  # the shipped ones less pig, and the user's own
    assert "pig" not in {e.id for e in second.search("pig dice push your luck", 10)}
    assert "catan_seafarers" in {e.id for e in second.search("Catan Seafarers island", 3)}


def test_invalid_exemplar_is_refused_and_nothing_written(store: ExemplarStore, exemplar_data) -> None:
    bad = dict(exemplar_data["catan"], id="broken_catan")
    bad["mechanisms"] = [dict(bad["mechanisms"][0], components=["catapult"]), *bad["mechanisms"][1:]]
    before = len(store)
    with pytest.raises(ExemplarRejected) as info:
        store.add(bad)
    assert any(v.code == "ref.unknown-component" for v in info.value.violations)
    assert len(store) == before


def test_add_many_is_all_or_nothing(tmp_path: Path, exemplar_data) -> None:
    store = ExemplarStore.open(tmp_path / "exemplars")
    good = [dict(exemplar_data["pig"], id=f"pig_{i}", title=f"Pig {i}") for i in range(3)]
    bad = dict(exemplar_data["pig"], id="pig_bad", players={"min": 3, "max": 2, "interaction": "competitive"})
    with pytest.raises(ExemplarRejected):
        store.add_many([*good, bad])
    assert len(store) == SHIPPED
    assert store.add_many(good) == 3 and len(store) == SHIPPED + 3


def test_store_rebuilds_itself_after_its_folder_is_deleted(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "exemplars"
    ExemplarStore.open(path)
    shutil.rmtree(path)
    assert len(ExemplarStore.open(path)) == SHIPPED


def test_corrupt_store_is_a_clear_error_and_reindex_recovers(tmp_path: Path) -> None:
    path = tmp_path / "exemplars"
    path.mkdir()
    (path / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="reindex"):
        ExemplarStore.open(path)
    rebuilt = reindex(path)
    assert len(rebuilt) == SHIPPED
    assert any(p.name.startswith("exemplars.old-") for p in tmp_path.iterdir())  # set aside, not deleted


ADDER = """
import json, sys
from genontology.retrieval import ExemplarStore
store = ExemplarStore.open(sys.argv[1])
base = json.loads(sys.argv[2])
for i in range(3):
    store.add(dict(base, id=f"{sys.argv[3]}_{i}", title=f"{sys.argv[3]} variant {i}"))
"""


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path, exemplar_data) -> None:
    path = tmp_path / "exemplars"
    ExemplarStore.open(path)
    base = json.dumps(exemplar_data["catan"])
    procs = [
        subprocess.Popen([sys.executable, "-c", ADDER, str(path), base, name]) for name in ("alpha", "beta")
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    store = ExemplarStore.open(path)
    assert len(store) == SHIPPED + 6
    found = {e.id for e in store.search("variant of Catan", 20, mechanisms=["trading"])}
    assert {f"{n}_{i}" for n in ("alpha", "beta") for i in range(3)} <= found


def test_cli_search_and_add(tmp_path: Path, exemplar_data) -> None:
    env_store = str(tmp_path / "exemplars")

    def run(*a):
        return subprocess.run(
            [sys.executable, "-m", "genontology", "exemplars", *a, "--store", env_store],
            capture_output=True,
            text=True,
            timeout=300,
        )

    result = run("search", "trick taking card game", "-k", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "hearts"
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            dict(
                exemplar_data["catan"],
                goal="Win.",
                players={"min": 5, "max": 4, "interaction": "competitive"},
            )
        )
    )
    refused = run("add", str(bad))
    assert (
        refused.returncode == 1 and "nothing written" in refused.stderr and "Traceback" not in refused.stderr
    )
