"""The playable gate's parts: intervals, sequential sampling, Ludii's metrics, the ladder and the duels."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from genontology import get_domain
from genontology.playtest.bots import make_bot
from genontology.playtest.degenerate import DAMAGES, damaged
from genontology.playtest.evaluate import playtest_design
from genontology.playtest.game import Outcome
from genontology.playtest.gate import SKILL_FLOOR, judge
from genontology.playtest.ladder import sequential
from genontology.playtest.metrics import decisiveness, drama, survey
from genontology.playtest.playout import Playout
from genontology.playtest.stats import mean, rate

EXAMPLES = {d.id: d for d in get_domain("tabletop").load_exemplars()}


def test_wilson_intervals_match_the_textbook_and_stay_in_range() -> None:
    half = rate(5, 10)
    assert (round(half.low, 3), round(half.high, 3)) == (0.237, 0.763)
    none = rate(0, 10)
    assert none.low == 0.0 and round(none.high, 3) == 0.278  # not the empty interval a normal one gives
    assert rate(0, 0).games == 0 and (rate(0, 0).low, rate(0, 0).high) == (0.0, 1.0)
    assert mean([1.0]).low == float("-inf")  # one game says nothing of its spread


def test_an_interval_clears_a_threshold_only_when_wholly_on_one_side() -> None:
    assert rate(19, 20).clears(0.5) and rate(1, 20).clears(0.5)
    assert not rate(10, 20).clears(0.5)


def test_sequential_sampling_stops_early_on_clear_cases_and_at_the_cap_on_close_ones() -> None:
    batches: list[int] = []

    def always_won(first: int, count: int) -> list[float]:
        batches.append(count)
        return [1.0] * count

    def coin(first: int, count: int) -> list[float]:
        batches.append(count)
        return [float((first + i) % 2) for i in range(count)]

    def share(credits: list[float]) -> object:
        return rate(sum(credits), len(credits))

    clear = sequential(always_won, share, 0.3, batch=8, cap=64)  # type: ignore[arg-type]
    assert clear.games == 8 and batches == [8]
    batches.clear()
    close = sequential(coin, share, 0.5, batch=8, cap=20)  # type: ignore[arg-type]
    assert close.games == 20 and batches == [8, 8, 4] and close.value == 0.5


def _game(winner: int, *history: tuple[float, ...]) -> Playout:
    return Playout(Outcome((winner,), True, "score"), len(history), 0, 0, 1.0, [], [], 0, list(history))


def test_drama_is_how_far_behind_the_winner_was() -> None:
    led_throughout = _game(0, (2, 0), (4, 1), (6, 2))
    comeback = _game(1, (4, 0), (8, 4), (8, 10))
    assert drama([led_throughout]) == 0.0
    # behind by 4 of 10 on each of the first two turns
    assert drama([comeback]) == pytest.approx(0.4)


def test_decisiveness_is_the_losers_best_lead_and_the_turns_after_the_winner_passed_it() -> None:
    game = _game(1, (3, 0), (3, 4), (3, 9), (3, 10))
    threshold, moves = decisiveness([game])
    assert threshold == pytest.approx(0.3)  # the loser once led by 3 of 10
    assert moves == pytest.approx(0.5)  # the winner's lead passed it at turn 3 of 4: half the game left


@dataclass
class RaceState:
    rng: random.Random
    scores: list[float]
    seat: int = 0
    moves: int = 0


class Race:
    """A toy race for testing the gate's logic apart from the engine: each move adds what `gains` says to the
    mover's score (an `attack(target=seat_k)` takes a point from seat k instead); highest score after
    `rounds` rounds wins."""

    cooperative = False

    def __init__(
        self, gains: dict[str, Callable[[random.Random], float]], players: int = 2, attack: bool = False
    ):
        self.gains, self.players, self.attack, self.rounds = gains, players, attack, 10

    def start(self, seed: int) -> RaceState:
        return RaceState(random.Random(seed), [0.0] * self.players)

    def to_move(self, state: RaceState) -> int:
        return state.seat

    def moves(self, state: RaceState) -> list[str]:
        aimed = (
            [f"attack(target=seat_{s})" for s in range(self.players) if s != state.seat]
            if self.attack
            else []
        )
        return [*self.gains, *aimed]

    def play(self, state: RaceState, move: str) -> None:
        if move.startswith("attack"):
            state.scores[int(move.rstrip(")").rpartition("_")[2])] -= 1
        else:
            state.scores[state.seat] += self.gains[move](state.rng)
        state.seat, state.moves = (state.seat + 1) % self.players, state.moves + 1

    def over(self, state: RaceState) -> bool:
        return state.moves >= self.rounds * self.players

    def outcome(self, state: RaceState) -> Outcome:
        best = max(state.scores)
        winners = tuple(s for s, x in enumerate(state.scores) if x == best)
        return Outcome(winners, True, "rounds", draw=len(winners) > 1)

    def score(self, state: RaceState, seat: int) -> float:
        return state.scores[seat]

    def turns(self, state: RaceState) -> int:
        return state.moves

    def clone(self, state: RaceState, rng: random.Random, seat: int | None = None) -> RaceState:
        return RaceState(rng, list(state.scores), state.seat, state.moves)

    def settle(self, state: RaceState, seat: int) -> None:
        pass


def test_a_move_that_is_always_best_is_found_dominant() -> None:
    race = Race({"step": lambda rng: 1, "leap": lambda rng: 2})
    _, gate = judge(race, minutes=2)  # type: ignore[arg-type]
    checks = {c.name: c for c in gate.checks}
    assert checks["skill"].passed  # choosing well (leaping) beats choosing at random
    assert not checks["no dominant action"].passed and "always leap" in checks["no dominant action"].measured
    assert gate.warnings == [checks["no dominant action"]] and gate.passed  # advisory: see gate.py


def test_a_game_of_pure_luck_shows_no_skill_at_any_rung() -> None:
    coin = {"heads": lambda rng: rng.random() < 0.5, "tails": lambda rng: rng.random() < 0.5}
    _, gate = judge(Race(coin), minutes=2)  # type: ignore[arg-type]
    assert not {c.name: c for c in gate.checks}["skill"].passed
    assert all(r.estimate.low <= SKILL_FLOOR for r in gate.ladder)
    assert "no dominant action" not in {c.name for c in gate.checks}  # no skilled agent to duel


def test_the_gate_is_reproducible_and_plays_only_what_it_needs() -> None:
    race = Race({"step": lambda rng: 1, "leap": lambda rng: 2})
    first, again = judge(race, minutes=2, seed=3), judge(race, minutes=2, seed=3)  # type: ignore[arg-type]
    assert first[1].as_dict() == again[1].as_dict()
    assert first[0].games < 200  # the random-play checks were decided before the cap


def test_the_early_verdict_is_the_full_one_and_stops_at_the_first_rung_that_shows_skill() -> None:
    for race in (Race({"step": lambda rng: 1, "leap": lambda rng: 2}), Race({"a": _coin, "b": _coin})):
        _, full = judge(race, minutes=2)  # type: ignore[arg-type]
        _, early = judge(race, minutes=2, early=True)  # type: ignore[arg-type]
        assert early.passed == full.passed
        assert early.ladder == full.ladder[: len(early.ladder)]  # the same rungs, as far as it played
        shown = [r.estimate.low > SKILL_FLOOR for r in early.ladder]
        assert shown == [False] * (len(shown) - 1) + [True] or not any(shown)  # it stops once shown
    assert len(early.ladder) == len(full.ladder)  # no rung shows skill in a game of coins: all are played


def _coin(rng: random.Random) -> float:
    return float(rng.random() < 0.5)


def test_restricted_agents_pick_arguments_by_pattern() -> None:
    race = Race({"step": lambda rng: 1}, players=3, attack=True)
    state = race.start(0)
    state.scores = [0.0, 5.0, 2.0]
    rng = random.Random(0)
    assert make_bot("always:attack:leader")(race, state, rng) == "attack(target=seat_1)"  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown pattern"):
        make_bot("always:attack:weakest")


def test_the_survey_sees_interaction_and_which_actions_are_alternatives() -> None:
    alone = survey(Race({"step": lambda rng: 1, "leap": lambda rng: 2}), seed=0)  # type: ignore[arg-type]
    assert alone.interaction == 0.0 and alone.contested == {"step", "leap"}
    fighting = survey(Race({"step": lambda rng: 1}, players=3, attack=True), seed=0)  # type: ignore[arg-type]
    assert 0.3 < fighting.interaction < 0.9 and fighting.contested == {"step", "attack"}
    only_attacks = survey(Race({}, players=3, attack=True), seed=0)  # type: ignore[arg-type]
    assert only_attacks.contested == frozenset()  # a choice of target, never of action


def _one(rng: random.Random) -> float:
    return 1.0


def _two(rng: random.Random) -> float:
    return 2.0


def test_worker_processes_do_not_change_the_verdict_or_any_number() -> None:
    race = Race({"step": _one, "leap": _two})  # named functions: a worker process receives the game pickled
    one = judge(race, minutes=2, seed=1)  # type: ignore[arg-type]
    two = judge(race, minutes=2, seed=1, processes=2)  # type: ignore[arg-type]
    assert one[1].as_dict() == two[1].as_dict() and one[0] == two[0]


# A small calibration, so that the gate cannot rot: published games the full calibration passes, and one
# degenerate variant of each kind it rejects by the check meant for the kind (the full run and its numbers:
# benchmarks/gate_calibration.py, BENCHMARKS.md). Chosen among the fastest to judge.
PASSING = ["backgammon", "candy_land", "skull", "king_of_tokyo"]
REJECTED = {
    "luck decides": "candy_land",
    "free dominant action": "cluedo",
    "ends in the first round": "carcassonne",
    "identical actions": "scrabble",
    "no choices": "yacht",
    "endless": "contract_bridge",
    "first mover wins": "concentration",
}


@pytest.mark.parametrize("exemplar", PASSING)
def test_published_games_of_the_calibration_pass_the_gate(exemplar: str) -> None:
    result = playtest_design(EXAMPLES[exemplar])
    assert result.passed, result.text()


@pytest.mark.parametrize("kind", sorted(REJECTED))
def test_degenerate_variants_are_caught_by_the_check_meant_for_their_kind(kind: str) -> None:
    damage = next(d for d in DAMAGES if d.name == kind)
    data = damaged(EXAMPLES[REJECTED[kind]].model_dump(mode="json", exclude_none=True), damage)
    assert data is not None and damage.caught_by is not None
    result = playtest_design(get_domain("tabletop").parse(data))
    assert result.gate is not None
    flagged = {c.name for c in result.gate.failed + result.gate.warnings}
    assert damage.caught_by in flagged, result.text()
