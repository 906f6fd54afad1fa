"""Recombination of games that play: the typed operators, the distance that says a child is a new game, and
the route that re-themes a child (schemas/tabletop/recombine.py, agents/tabletop/recombination.py)."""

from __future__ import annotations

from typing import Any

import pytest

from genontology.ontology import errors_among
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.recombine import (
    Drop,
    Graft,
    Rescale,
    Swap,
    applied,
    distance,
    ids,
    nearest_distances,
    renamed,
    signature,
)


def _errors(tabletop: Any, data: dict[str, Any]) -> list[Any]:
    return errors_among(tabletop.validate(data, prose=False))


def test_renaming_every_id_keeps_the_game_and_its_signature(tabletop, design_of) -> None:
    data = design_of("splendor")
    mapping = {i: f"thing_{n}" for n, i in enumerate(sorted(ids(data)))}
    moved = renamed(data, mapping)
    assert _errors(tabletop, moved) == [] and ids(moved) == set(mapping.values())
    assert renamed(moved, {v: k for k, v in mapping.items()}) == data
    before, after = GameDesign.model_validate(data), GameDesign.model_validate(moved)
    assert signature(before) == signature(after) and distance(before, after) == 0.0


def test_a_graft_brings_what_the_action_needs_and_plugs_into_the_base_economy(tabletop, design_of) -> None:
    """Century: Spice Road's order claiming grafted into Sushi Go: the market, the deck behind it and the
    order cards come along with their setup; the spices it costs are brought (Sushi Go has no goods), the
    points it gives land on Sushi Go's points."""
    base, donor = design_of("sushi_go"), design_of("century_spice_road")
    buy = next(
        a["id"] for a in donor["actions"] if any(e["kind"] == "take_from_market" for e in a["effects"])
    )
    child, said = applied(base, donor, Graft((buy,)))  # type: ignore[misc]
    assert _errors(tabletop, child) == [], [str(v) for v in _errors(tabletop, child)]
    assert said == [
        f"grafted '{next(a['name'] for a in donor['actions'] if a['id'] == buy)}' from Century: Spice Road"
    ]
    kinds = {c["kind"] for c in child["components"]}
    assert {"market", "deck"} <= kinds and "shuffled_cards" in child["uncertainty"]
    grafted = child["actions"][-1]
    phase_actions = {a for p in child["turn_structure"]["phases"] for a in p.get("actions", [])}
    assert grafted["id"] in phase_actions
    points = [r["id"] for r in base["resources"] if r["kind"] == "points"]
    assert not any(r["kind"] == "points" and r["id"] not in points for r in child["resources"])
    parent = GameDesign.model_validate(base)
    assert distance(GameDesign.model_validate(child), parent) > 0


def test_a_swap_of_who_wins_maps_resources_by_kind_or_does_not_apply(design_of) -> None:
    child, said = Swap("victory").apply(design_of("for_sale"), design_of("hearts"))  # type: ignore[misc]
    assert child["victory"] == [{"kind": "lowest_score", "resource": "cheques"}]  # Hearts' points: cheques
    assert said == "took who wins from Hearts"
    assert Swap("victory").apply(design_of("pig"), design_of("blackjack")) is None  # Pig has no money


def test_drop_keeps_a_game_of_at_least_two_actions_and_rescale_moves_every_number(design_of) -> None:
    pig = design_of("pig")
    assert Drop(pig["actions"][0]["id"]).apply(pig, pig) is None  # Pig would be left with one action
    doubled, _ = Rescale(2.0).apply(design_of("for_sale"), pig)  # type: ignore[misc]
    assert doubled["resources"][0]["start"] == 2 * design_of("for_sale")["resources"][0]["start"]


def test_distance_counts_typed_actions_and_components_not_names(exemplars) -> None:
    """Games that are variants of one another share every typed action (0); games of other families share
    nothing (near 1). The nearest distinct games of the corpus set the route's bar for a new game."""
    from genontology.agents.tabletop.recombination import NEW_GAME

    assert distance(exemplars["crazy_eights"], exemplars["uno"]) == 0.0
    assert distance(exemplars["pig"], exemplars["splendor"]) > 0.9
    nearest = nearest_distances(list(exemplars.values()))
    assert 0 < min(d for d in nearest if d > 0) < NEW_GAME  # Ascension and Star Realms, 0.23


@pytest.fixture(scope="module")
def exemplars(tabletop) -> dict[str, GameDesign]:
    return {d.id: d for d in tabletop.load_exemplars()}


# The route --------------------------------------------------------------------------------------------------
THEME = "lantern keepers racing across a frozen lake at night"
WORDS = "Frost Lantern Sled Glow Drift Pine Harbor Aurora Ember Snow Wind Beacon Shore Crystal Torch Hollow"


@pytest.fixture(autouse=True)
def judge_one_child(monkeypatch) -> None:
    """The gate judges one child here (seconds each); choosing among several is the benchmark's to measure."""
    from genontology.agents.tabletop import recombination

    monkeypatch.setattr(recombination, "TRIALS", 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from genontology.retrieval import ExemplarStore

    return ExemplarStore.open(tmp_path_factory.mktemp("store") / "exemplars")


def _names(count: int) -> list[str]:
    words = WORDS.split()
    return [f"{a} {b}" for a in words for b in words if a != b][:count]


def test_the_route_grafts_two_games_that_play_into_a_new_one(store) -> None:
    from genontology.agents.tabletop.brief import TabletopBrief
    from genontology.agents.tabletop.recombination import NEW_GAME, parents, recombine
    from genontology.playtest.verdicts import playable

    brief = TabletopBrief(prompt=THEME, players="2-4", minutes=30)
    found = parents(brief, store)
    assert len(found) >= 2 and all(p.id in playable() for p in found)
    assert all(p.players.min <= 2 and p.players.max >= 4 for p in found)
    child, descent = recombine(brief, store)
    assert set(descent.parents) <= {p.id for p in found} and min(descent.distances) >= NEW_GAME
    assert descent.tried == 1 and descent.plays in (True, False) and "judged" in descent.note()
    assert all(
        i.split("_")[0] in ("mechanism", "resource", "component", "action", "phase") for i in ids(child)
    )
    assert child["players"]["min"] == 2 and child["players"]["max"] == 4 and child["play_time_minutes"] == 30


def _recombination_answers(store: Any, theme: str, minutes: int) -> tuple[list[str], Any, dict[str, str]]:
    """What a model would answer the recombination route for `theme` (2-4 players): the concept, a name per
    thing of the child, a line per mechanism (the first one not words, as the 135M model writes at times)."""
    import json

    from genontology.agents.tabletop.brief import TabletopBrief
    from genontology.agents.tabletop.plan import read
    from genontology.agents.tabletop.recombination import recombine

    child, descent = recombine(read(TabletopBrief(prompt=theme, players="2-4", minutes=minutes))[0], store)
    things = sorted(ids(child), key=lambda i: (i.split("_")[0], int(i.split("_")[1])))
    names = dict(zip(things, _names(len(things)), strict=True))
    concept = {
        "title": "Lanterns on the Ice",
        "tagline": "Race your lanterns across the frozen lake before the dawn.",
        "theme": "Lantern keepers race across a frozen lake at night.",
        "setting": "A frozen lake under the northern lights.",
        "genre": "family",
        "complexity": "light",
    }
    lines = {m["id"]: "The lanterns glow across the ice." for m in child["mechanisms"]}
    lines[child["mechanisms"][0]["id"]] = "A-B-C D-E-F"  # what the 135M model writes at times: not words
    script = [
        json.dumps({"concept": concept}),
        json.dumps({"names": names}),
        json.dumps({"theming": {"lines": lines}}),
    ]
    return script, descent, names


def test_the_designer_re_themes_the_child_and_says_where_it_comes_from(store, tabletop, tmp_path) -> None:
    """A recorded-response LM (orchestration only): the concept, a name per thing, a line per mechanism; a
    Designer on another route resumes the run on its own."""

    import dspy

    from genontology.agents import Designer, Switches
    from genontology.testing.replay import ReplayEngine

    script, descent, names = _recombination_answers(store, THEME, minutes=30)
    engine = ReplayEngine.script(script)
    lm = dspy.LM("local/script", engine=engine, cache=False, num_retries=0)
    quiet = Switches(retrieval=False, playtest=False)
    designer = Designer(lm=lm, store=store, route="auto", max_rounds=0, switches=quiet)  # recombines here
    result = designer.run(THEME, players="2-4", minutes=30, out=tmp_path / "run")
    assert engine.calls == 3 and result.status in ("valid", "valid_with_warnings"), result.errors
    design = result.design.model_dump(mode="json")
    assert (
        design["provenance"]["parents"] == list(descent.parents) and design["title"] == "Lanterns on the Ice"
    )
    shown = {x["name"] for part in ("mechanisms", "resources", "components", "actions") for x in design[part]}
    assert shown & set(names.values())  # the model's names, where they have no fault
    parent_names = {x.name for p in tabletop.load_exemplars() if p.id in descent.parents for x in p.actions}
    assert not shown & parent_names and "recombined" in result.trace.steps[0].detail
    assert "Made by recombining" in result.to_markdown()
    assert list(design["theming"].values()) == ["The lanterns glow across the ice."]  # once, and words
    idle = ReplayEngine.script([])
    resumer = Designer(lm=dspy.LM("local/script", engine=idle, cache=False), store=store)
    again = resumer.resume(tmp_path / "run")
    assert idle.calls == 0 and again.design == result.design


def test_route_both_runs_every_route_and_keeps_the_better_design(store, tmp_path) -> None:
    """Route "both", answered by a recorded-response LM (orchestration only): the recombination's answers,
    then the recorded embedded run's first pass from scratch. Each route's run is saved in its own
    subfolder, the better design is kept, saved at the top and resumable there."""
    import json
    from pathlib import Path

    import dspy

    from genontology.agents import Designer, Switches
    from genontology.testing.replay import ReplayEngine

    trace = json.loads((Path(__file__).parent / "data" / "embedded_trace.json").read_text())
    recorded = [s["raw"] for s in trace["steps"] if s.get("raw") and not s.get("error")]
    script, _, _ = _recombination_answers(store, trace["prompt"], minutes=60)
    engine = ReplayEngine.script([*script, *recorded])
    lm = dspy.LM("local/script", engine=engine, cache=False, num_retries=0)
    quiet = Switches(retrieval=False, critic=False, playtest=False)
    designer = Designer(lm=lm, store=store, route="both", max_rounds=0, switches=quiet)
    result = designer.run(trace["prompt"], players="2-4", minutes=60, out=tmp_path / "run")
    out = tmp_path / "run"
    runs = {r: json.loads((out / r / "result.json").read_text()) for r in ("recombine", "scratch")}
    assert runs["recombine"]["calls"] == 3 and runs["scratch"]["calls"] > 3  # each route ran whole
    standing = {r: (run["errors"], run["warnings"]) for r, run in runs.items()}  # no playtest here
    kept = min(standing, key=standing.__getitem__)  # the first of equals
    step = result.trace.steps[-1]
    assert step.kind == "route" and step.detail.startswith(f"kept the {kept} route")
    assert "recombine: " in step.detail and "scratch: " in step.detail
    top = json.loads((out / "design.json").read_text())
    assert top == json.loads((out / kept / "design.json").read_text()) == result.data
    idle = ReplayEngine.script([])
    again = Designer(lm=dspy.LM("local/script", engine=idle, cache=False), store=store).resume(out)
    assert idle.calls == 0 and again.design == result.design
