"""Matches between agents, played only as long as they need to be: the skill ladder and the dominance duels.

A match plays seeded games in batches and stops as soon as the interval of what it measures lies wholly on
one side of the threshold the gate compares it with (or at a cap): a clear case costs one batch, a close one
gets more games. Each game's credit is a number; the estimate is a Wilson rate (credits in [0, 1]) or a mean
with a normal interval (differences in [-1, 1]).

- The skill ladder (Ludii's skill trace): at each rung a strong agent against weaker copies, the strong one
  rotating through the seats (a cooperative or one-player game: a team of strong agents against a team of weak
  ones on the same seeds). The rungs are random against greedy, then information-set MCTS at budget w against
  2w, doubling. A rung's value is the strong agent's win share less a fair share (or the team's gain).
- A duel: a restricted agent (`always:ACTION`, or `always:ACTION:PATTERN` choosing its arguments by a
  pattern: aimed at the leader, spending least) against the skilled agent in two seats, the rest random,
  each pair of seats in both orders; its value is the restricted agent's win share less the skilled one's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from genontology.playtest.playout import Runner, credit
from genontology.playtest.stats import Estimate, mean, rate, shifted

# (weak, strong, most games, a fallback): greedy and the smallest search against random first, the probes
# of skill the gate relies on; then budget doublings, each a rung of the skill trace. The fallback probe, 16
# iterations against random, is played only where no rung before it showed skill: the calibration found
# trick-taking and bluffing games (Whist, Euchre, Coup) whose skill the first two probes cannot show in 96
# games and it shows in 8-32, while a game whose winner a die decides stays within the noise for it too
# (BENCHMARKS.md); played everywhere, it doubled the gate's time for no change of verdict.
RUNGS = (
    ("random", "greedy", 32, False),
    ("random", "ismcts:4", 32, False),
    ("random", "ismcts:16", 32, True),
    ("ismcts:4", "ismcts:8", 12, False),
    ("ismcts:8", "ismcts:16", 12, False),
)
# A search rung is played only where a game is short enough: the mean moves of a random game times the
# iterations an average seat spends a move, at most this. It depends on the design alone, so the same seed
# gives the same gate.
SEARCH_WORK = 1600


@dataclass(frozen=True)
class Rung:
    weak: str
    strong: str
    estimate: Estimate  # the strong agent's advantage


def sequential(
    play: Callable[[int, int], list[float]],
    estimate: Callable[[list[float]], Estimate],
    threshold: float,
    batch: int,
    cap: int,
) -> Estimate:
    """Play `batch` games at a time (`play(first, count)` gives their credits) until the estimate's interval
    clears `threshold` or `cap` games are played."""
    credits: list[float] = []
    while len(credits) < cap:
        credits += play(len(credits), min(batch, cap - len(credits)))
        if estimate(credits).clears(threshold):
            break
    return estimate(credits)


def _team_gap(run: Runner, weak: str, strong: str, seed: int, first: int, count: int) -> list[float]:
    seeds = range(seed + first, seed + first + count)
    teams = [run([(s, (name,) * run.game.players) for s in seeds]) for name in (strong, weak)]
    return [credit(a, 0) - credit(b, 0) for a, b in zip(*teams, strict=True)]


def rung(run: Runner, weak: str, strong: str, seed: int, threshold: float, cap: int) -> Rung:
    """One rung of the ladder, played by `run` until its interval clears `threshold` (or `cap` games)."""
    game, n = run.game, run.game.players
    if game.cooperative or n == 1:

        def gaps(first: int, count: int) -> list[float]:
            return _team_gap(run, weak, strong, seed, first, count)

        return Rung(weak, strong, sequential(gaps, mean, threshold, batch=8, cap=cap))

    def shares(first: int, count: int) -> list[float]:
        indices = range(first, first + count)
        played = run([(seed + i, tuple(strong if s == i % n else weak for s in range(n))) for i in indices])
        return [credit(r, i % n) for i, r in zip(indices, played, strict=True)]

    def advantage(credits: list[float]) -> Estimate:
        return shifted(rate(sum(credits), len(credits)), 1 / n)

    return Rung(weak, strong, sequential(shares, advantage, threshold, batch=2 * n, cap=cap))


def duel(run: Runner, name: str, skilled: str, seed: int, threshold: float, cap: int) -> Estimate:
    """A restricted agent (`always:ACTION[:PATTERN]`) against `skilled`: its win share less the skilled
    one's."""
    n = run.game.players
    if run.game.cooperative or n == 1:
        return sequential(
            lambda first, count: _team_gap(run, skilled, name, seed, first, count),
            mean,
            threshold,
            batch=8,
            cap=cap,
        )

    def seats(i: int) -> tuple[int, int]:  # each of the pair moves first equally often, at every seat
        one, other = (i // 2) % n, (i // 2 + 1) % n
        return (one, other) if i % 2 == 0 else (other, one)

    def lineup(i: int) -> tuple[str, ...]:
        names = ["random"] * n
        names[seats(i)[0]], names[seats(i)[1]] = name, skilled
        return tuple(names)

    def gaps(first: int, count: int) -> list[float]:
        indices = range(first, first + count)
        played = run([(seed + i, lineup(i)) for i in indices])
        return [credit(r, seats(i)[0]) - credit(r, seats(i)[1]) for i, r in zip(indices, played, strict=True)]

    return sequential(gaps, mean, threshold, batch=2 * n, cap=cap)


def iterations(agent: str) -> int:
    """The search budget in an agent's name (`ismcts:8`: 8), 0 for agents that do not search."""
    _, _, budget = agent.partition(":")
    return int(budget) if budget.isdigit() else 0


def affordable(weak: str, strong: str, players: int, mean_moves: float) -> bool:
    """Whether a rung fits the search budget for a game of `mean_moves` moves (one strong seat)."""
    per_move = (iterations(strong) + (players - 1) * iterations(weak)) / players
    return mean_moves * per_move <= SEARCH_WORK
