"""Playouts and what they measure, with Ludii's metric names where they fit.

`playtest(game, games=N, seed=S, bots=("random", "greedy"))` plays N seeded games among equal random bots
(completion, timeouts, duration, seat advantage and balance, drawishness, decision moves, branching, lead
changes, each action's share of play and of the winners' play), then, for every other bot named, the same
seeds with that bot in one seat (every seat in a cooperative game) against random: the skill gap is its
win rate less the random seat's on the same seeds. Any Game (see game.py) can be played; nothing here knows a
domain. Playouts spread over processes when asked; the numbers do not depend on how many.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from genontology.execution import Executor, LocalExecutor
from genontology.playtest.bots import make_bot
from genontology.playtest.game import PASS, Game, Outcome, action_of, arguments_text
from genontology.playtest.metrics import decisiveness, drama

MAX_MOVES = 5000


@dataclass
class Playout:
    outcome: Outcome
    turns: int
    moves: int
    decisions: int  # moves with more than one legal option
    branching: float
    played: list[Counter[str]]  # per seat: how often each action was played
    chosen: list[Counter[str]]  # per seat: the same, counting only moves made among alternatives
    lead_changes: int = 0
    history: list[tuple[float, ...]] = field(default_factory=list)  # every seat's score at each turn's end


def play_one(
    game: Game, seed: int, lineup: Sequence[str] | None = None, max_moves: int = MAX_MOVES
) -> Playout:
    """One seeded game; `lineup` names each seat's bot (default: all random)."""
    bots = [make_bot(name) for name in lineup or ["random"] * game.players]
    state = game.start(seed)
    rng = random.Random(seed + 1)
    moves = decisions = options = changes = 0
    history: list[tuple[float, ...]] = []
    played: list[Counter[str]] = [Counter() for _ in range(game.players)]
    chosen: list[Counter[str]] = [Counter() for _ in range(game.players)]
    leader, turn = None, game.turns(state)
    while not game.over(state) and moves < max_moves:
        legal = game.moves(state)
        options += len(legal)
        decisions += len(legal) > 1
        seat = game.to_move(state)
        move = legal[0] if len(legal) == 1 else bots[seat](game, state, rng)
        if move != PASS:
            played[seat][move] += 1
            if len(legal) > 1:
                chosen[seat][move] += 1
        game.play(state, move)
        moves += 1
        if game.turns(state) != turn or game.over(state):
            turn = game.turns(state)
            history.append(scores := tuple(game.score(state, s) for s in range(game.players)))
            now = _leader(scores)
            changes += now is not None and leader is not None and now != leader
            leader = now if now is not None else leader
    outcome = game.outcome(state) if game.over(state) else Outcome((), False, "timeout")
    branching = options / max(moves, 1)
    return Playout(outcome, game.turns(state), moves, decisions, branching, played, chosen, changes, history)


def _leader(scores: tuple[float, ...]) -> int | None:
    best = max(scores)
    return scores.index(best) if len(scores) > 1 and scores.count(best) == 1 else None


def _play_chunk(game: Game, jobs: list[tuple[int, tuple[str, ...]]]) -> list[Playout]:
    return [play_one(game, seed, lineup) for seed, lineup in jobs]


class Runner:
    """Plays (seed, lineup) jobs of one game, in order, on an executor kept for the runner's life (by default
    `processes` local worker processes), so that the many small batches of sequential sampling do not each
    start a pool; on Ray the game is shipped to the workers once. The numbers do not depend on the executor
    or its number of workers: each playout is seeded on its own."""

    def __init__(self, game: Game, processes: int = 1, executor: Executor | None = None) -> None:
        self.game = game
        self._own = executor is None  # an executor the caller gave stays open for the caller
        self.executor = executor or LocalExecutor(processes)
        self._shared: Any = None

    def __call__(self, jobs: list[tuple[int, tuple[str, ...]]]) -> list[Playout]:
        n = min(self.executor.workers, len(jobs))
        if not jobs or (n <= 1 and self.executor.in_process):  # on a cluster, one worker is not this process
            return _play_chunk(self.game, jobs)
        if self._shared is None:
            self._shared = self.executor.share(self.game)
        chunks = [jobs[i::n] for i in range(n)]
        done = self.executor.map(_play_chunk, [(self._shared, chunk) for chunk in chunks])
        results: list[Playout] = [None] * len(jobs)  # type: ignore[list-item]
        for i, chunk in enumerate(done):
            results[i::n] = chunk
        return results

    def close(self) -> None:
        if self._own:
            self.executor.close()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def play_many(
    game: Game, jobs: list[tuple[int, tuple[str, ...]]], processes: int = 1, executor: Executor | None = None
) -> list[Playout]:
    """Play (seed, lineup) jobs, in order, over `processes` worker processes (or on `executor`)."""
    with Runner(game, processes, executor) as run:
        return run(jobs)


@dataclass
class Skill:
    """A bot in one seat (every seat, cooperating) against random bots, on the baseline's seeds."""

    bot: str
    games: int
    win_rate: float
    baseline: float  # the same seats' win rate when every seat is random
    gap: float
    top_choice: str | None  # the action the bot chose most, among alternatives, in the games it won
    top_choice_share: float


@dataclass
class Report:
    """Metrics over playouts (Ludii's names where they fit); `skill` holds one entry per non-random bot."""

    games: int
    players: int
    completion: float
    timeouts: float
    duration_turns: float
    duration_turns_sd: float
    duration_moves: float
    seat_wins: list[float]
    balance: float
    drawishness: float
    decision_moves: float
    branching: float
    lead_changes: float
    seat0_advantage: float  # seat 0's win share less its fair share
    drama: float
    decisiveness_threshold: float
    decisiveness_moves: float
    action_share: dict[str, float]  # by action, whatever its arguments
    argument_share: dict[str, dict[str, float]]  # per action with choices: each choice's share of its plays
    winner_action_share: dict[str, float]  # share of each action among the winners' moves
    top_user_wins: dict[str, float]  # how often the seat that played an action most went on to win
    reasons: dict[str, int]
    lengths: list[int]  # turns of each finished playout
    skill: dict[str, Skill] = field(default_factory=dict)
    clarity: float | None = None  # Ludii's narrowness (metrics.py), when measured
    interaction: float | None = None  # share of moves changing another seat's score or holdings (metrics.py)

    @property
    def best_skill(self) -> Skill | None:
        return max(self.skill.values(), key=lambda s: s.gap, default=None)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def evidence(self, limit: int = 4) -> str:
        """The report in a few plain sentences, as evidence for a critic."""
        lines = [
            f"{self.games} simulated games with {self.players} random players: {self.completion:.0%} finished"
            f" ({', '.join(f'{k} {v}' for k, v in self.reasons.items())}),"
            f" {self.duration_turns:.0f} turns on average; seat wins {self.seat_wins};"
            f" {self.decision_moves:.0%} of moves were real choices; {self.lead_changes:.1f} lead changes.",
        ]
        for action, share in list(self.action_share.items())[:limit]:
            wins = self.top_user_wins.get(action)
            users = f"; its heaviest user wins {wins:.0%}" if wins is not None else ""
            lines.append(f"action {action} is {share:.0%} of all moves{users}.")
        for s in self.skill.values():
            lines.append(
                f"a {s.bot} player wins {s.win_rate:.0%} against random ones (random: {s.baseline:.0%});"
                f" in the games it won, {s.top_choice_share:.0%} of its choices were {s.top_choice}."
            )
        return "\n".join(lines)


def summarize(runs: list[Playout], players: int) -> Report:
    done = [r for r in runs if r.outcome.finished]
    wins = [0.0] * players
    for r in done:
        for seat in r.outcome.winners:
            wins[seat] += 1 / len(r.outcome.winners)
    shares = [w / len(done) for w in wins] if done else [0.0] * players
    fair = 1 / players
    moves = sum((c for r in runs for c in r.played), Counter())
    played = by_action(moves)
    by_winners = by_action(sum((r.played[s] for r in done for s in r.outcome.winners), Counter()))
    turns = [r.turns for r in done] or [0]
    threshold, after = decisiveness(runs)
    return Report(
        games=len(runs),
        players=players,
        completion=len(done) / len(runs),
        timeouts=1 - len(done) / len(runs),
        duration_turns=statistics.fmean(turns),
        duration_turns_sd=statistics.pstdev(turns),
        duration_moves=statistics.fmean(r.moves for r in runs),
        seat_wins=[round(s, 3) for s in shares],
        balance=round(1 - max(abs(s - fair) for s in shares) / (1 - fair), 3) if players > 1 else 1.0,
        drawishness=sum(r.outcome.draw for r in done) / len(done) if done else 0.0,
        decision_moves=sum(r.decisions for r in runs) / max(sum(r.moves for r in runs), 1),
        branching=statistics.fmean(r.branching for r in runs),
        lead_changes=statistics.fmean(r.lead_changes for r in runs),
        seat0_advantage=round(shares[0] - fair, 3),
        drama=drama(runs),
        decisiveness_threshold=threshold,
        decisiveness_moves=after,
        action_share=_shares(played),
        argument_share=_argument_shares(moves),
        winner_action_share=_shares(by_winners),
        top_user_wins=_top_user_wins(done, list(played)),
        reasons=dict(Counter(r.outcome.reason for r in runs)),
        lengths=[r.turns for r in done],
    )


def by_action(moves: Counter[str]) -> Counter[str]:
    """Move counts summed per action, whatever the move's arguments."""
    counts: Counter[str] = Counter()
    for move, n in moves.items():
        counts[action_of(move)] += n
    return counts


def _argument_shares(moves: Counter[str]) -> dict[str, dict[str, float]]:
    """For each action played with arguments, the share of its plays each choice had (`card=ruby_mine`)."""
    per: dict[str, Counter[str]] = {}
    for move, n in moves.items():
        if arguments_text(move):
            per.setdefault(action_of(move), Counter())[arguments_text(move)] += n
    return {action: _shares(counts) for action, counts in sorted(per.items())}


def _shares(counts: Counter[str]) -> dict[str, float]:
    total = sum(counts.values()) or 1
    return {a: round(n / total, 3) for a, n in counts.most_common()}


def _top_user_wins(done: list[Playout], actions: list[str]) -> dict[str, float]:
    rates = {}
    per_seat = [[by_action(c) for c in r.played] for r in done]  # each seat's plays per action, per game
    for action in actions:
        won = games = 0
        for r, seats in zip(done, per_seat, strict=True):
            uses = [c[action] for c in seats]
            top = max(uses)
            if top and uses.count(top) == 1 and not r.outcome.draw:
                games += 1
                won += uses.index(top) in r.outcome.winners
        if games:
            rates[action] = round(won / games, 3)
    return rates


def _skill(game: Game, bot: str, seed: int, games: int, base: list[Playout], run: Runner) -> Skill:
    """`bot` in seat i % players of game i (all seats when cooperative), the others random."""

    def lineup(i: int) -> tuple[str, ...]:
        if game.cooperative or game.players == 1:
            return (bot,) * game.players
        return tuple(bot if s == i % game.players else "random" for s in range(game.players))

    runs = run([(seed + i, lineup(i)) for i in range(games)])
    seat_of = [0 if game.cooperative else i % game.players for i in range(games)]
    rate = _win_share(runs, seat_of)
    baseline = _win_share(base[:games], seat_of)
    won = by_action(
        sum((r.chosen[s] for r, s in zip(runs, seat_of, strict=True) if s in r.outcome.winners), Counter())
    )
    top, count = won.most_common(1)[0] if won else (None, 0)
    share = round(count / max(sum(won.values()), 1), 3)
    return Skill(bot, games, round(rate, 3), round(baseline, 3), round(rate - baseline, 3), top, share)


def credit(run: Playout, seat: int) -> float:
    """What a game gives `seat`: a win, or 1/k of a k-way tie, else nothing."""
    winners = run.outcome.winners
    return 1 / len(winners) if seat in winners and run.outcome.draw else float(seat in winners)


def _win_share(runs: list[Playout], seats: list[int]) -> float:
    """Wins credited to `seats[i]` in game i."""
    return sum(credit(r, seat) for r, seat in zip(runs, seats, strict=True)) / max(len(runs), 1)


def playtest(
    game: Game,
    games: int = 100,
    seed: int = 0,
    bots: Sequence[str] = ("random",),
    skill_games: int | None = None,
    processes: int = 1,
    executor: Executor | None = None,
) -> Report:
    """Random playouts, and a skill gap for each bot named besides random (on `skill_games` seeds), over
    `processes` local processes or on `executor`. The playable gate's own probes (the skill ladder,
    dominance duels) are in gate.py."""
    for name in bots:
        make_bot(name)  # fail on a misspelt bot before playing anything
    with Runner(game, processes, executor) as run:
        base = run([(seed + i, ("random",) * game.players) for i in range(games)])
        report = summarize(base, game.players)
        n = min(games, skill_games or games)
        report.skill = {a: _skill(game, a, seed, n, base, run) for a in bots if a != "random"}
    return report
