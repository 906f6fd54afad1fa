"""Property-based tests: the validator and the playtest engine never crash or hang on any input their
schemas admit. Inputs are drawn from each domain's own JSON Schema (tests/schema_strategies.py), so they
are exactly what a model constrained by that schema can send; the deadline is the "never hangs"."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from schema_strategies import instances

from genontology.ontology import Violation, get_domain, has_errors
from genontology.playtest import Tabletop, UnplayableDesign
from genontology.playtest.playout import play_one

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    derandomize=True,  # the same examples on every run: a CI failure reproduces locally
)
TABLETOP = get_domain("tabletop")


@pytest.mark.parametrize("name", ["tabletop", "music"])
def test_the_validator_returns_violations_for_anything_the_schema_admits(name: str) -> None:
    domain = get_domain(name)

    @PROPERTY_SETTINGS
    @given(instances(domain.json_schema()))
    def check(data: dict) -> None:
        violations = domain.validate(data)
        assert all(isinstance(v, Violation) and v.code and v.message for v in violations)
        try:
            domain.parse(data)
        except ValidationError:  # the model rejected it: the validator must have said why
            assert has_errors(violations)

    check()


def test_the_validator_survives_values_outside_the_schema() -> None:
    """What a lenient parser or a hand-written file sends: any JSON at all."""
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=30,
    )
    keys = st.sampled_from(sorted(TABLETOP.json_schema()["properties"]))

    @PROPERTY_SETTINGS
    @given(st.dictionaries(keys, json_values, max_size=12))
    def check(data: dict) -> None:
        violations = TABLETOP.validate(data)
        assert violations and all(isinstance(v, Violation) for v in violations)

    check()


def test_the_playtest_engine_refuses_or_finishes_anything_the_schema_admits() -> None:
    seen = Counter()

    @PROPERTY_SETTINGS
    @given(data=instances(TABLETOP.json_schema()), seed=st.integers(0, 2**16))
    def check(data: dict, seed: int) -> None:
        try:
            design = TABLETOP.parse(data)
        except ValidationError:
            assume(False)
        try:
            game = Tabletop.compile(design, max_turns=60)
        except UnplayableDesign as exc:  # a typed refusal, never a crash in the middle of a game
            assert has_errors(TABLETOP.validate(data)), exc
            seen["refused"] += 1
            return
        finished(game, seed, "random")
        seen["played"] += 1

    check()
    assert seen["refused"] >= 20, seen  # the property was exercised, not filtered away


def numbers(value: object, path: tuple = ()) -> list[tuple]:
    """Paths to every integer in a design: counts, costs, amounts, thresholds, starts, rounds."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in numbers(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in numbers(v, (*path, i))]
    return [path] if isinstance(value, int) and not isinstance(value, bool) else []


@st.composite
def varied_exemplars(draw: st.DrawFn, exemplars: dict[str, dict]) -> dict:
    """A shipped game with some of its numbers changed: the designs a model that got the structure right
    but the numbers wrong would send, which is where an interpreter meets zeros, empties and extremes."""
    data = copy.deepcopy(exemplars[draw(st.sampled_from(sorted(exemplars)))])
    for path in draw(st.lists(st.sampled_from(numbers(data)), min_size=1, max_size=6)):
        *parents, last = path
        target = data
        for key in parents:
            target = target[key]
        target[last] = draw(st.integers(0, 30))
    return data


def test_the_playtest_engine_finishes_every_valid_variation_of_the_exemplars(exemplar_data: dict) -> None:
    played = Counter()

    @PROPERTY_SETTINGS
    @given(
        data=varied_exemplars(exemplar_data),
        seed=st.integers(0, 2**16),
        bot=st.sampled_from(["random", "greedy"]),
    )
    def check(data: dict, seed: int, bot: str) -> None:
        try:
            design = TABLETOP.parse(data)
        except ValidationError:
            assume(False)
        assume(not has_errors(TABLETOP.validate(data)))
        finished(Tabletop(design, max_turns=60), seed, bot)
        played[design.id] += 1

    check()
    assert sum(played.values()) >= 30 and len(played) >= 10, played  # many games, not a filtered few


def finished(game: Tabletop, seed: int, bot: str) -> None:
    playout = play_one(game, seed, [bot] * game.players, max_moves=600)
    assert playout.moves <= 600 and playout.turns <= 60 + 1
    assert playout.outcome.reason  # ended by a condition, the turn cap or the move cap: always ended
