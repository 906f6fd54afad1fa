"""Fidelity: our engine beside an independent one (OpenSpiel) on the same games, under uniform random play.

Both engines are measured by one definition, from the sequence of who moves: a turn is a run of consecutive
moves by one player (so turns per game count the changes of the player to move, plus one); a decision is a
move made among more than one legal option; chance (dice, shuffles) is never a move. Seat 0 wins a game when
it is the only winner (in OpenSpiel: the only seat with the highest return); a draw is a game with more than
one winner that ended on its own; a game that hits the move cap is neither. One-player games report their
mean score instead. OpenSpiel (`pip install genontology[fidelity]`) is a benchmark and test extra, never a
runtime dependency: it is imported only when a profile of it is asked for.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass

from genontology.playtest.game import Game

MOVE_CAP = 20_000


@dataclass(frozen=True)
class Profile:
    """One engine's numbers for one game: means per game over `games` uniform random games."""

    engine: str
    games: int
    turns: float
    decisions: float
    seat0_wins: float | None  # None in one-player games, which report their mean final score instead
    draws: float
    score: float | None


@dataclass(frozen=True)
class Benchmark:
    """A game both engines implement: our exemplar, OpenSpiel's game string, the seats, and how the two
    engines' moves correspond where their granularity differs."""

    exemplar: str
    openspiel: str
    players: int
    mapping: str = ""


class _Tally:
    def __init__(self) -> None:
        self.turns: list[int] = []
        self.decisions: list[int] = []
        self.scores: list[float] = []
        self.wins = self.draws = 0

    def profile(self, engine: str, one_player: bool) -> Profile:
        n = len(self.turns)
        return Profile(
            engine,
            n,
            round(statistics.fmean(self.turns), 2),
            round(statistics.fmean(self.decisions), 2),
            None if one_player else round(self.wins / n, 3),
            round(self.draws / n, 3),
            round(statistics.fmean(self.scores), 2) if one_player else None,
        )


def profile_ours(game: Game, games: int, seed: int = 0) -> Profile:
    """Uniform random play of one of our games (a Tabletop, or any Game)."""
    tally = _Tally()
    for g in range(games):
        state = game.start(seed + g)
        rng = random.Random(seed + g + 1_000_003)
        turns = decisions = moves = 0
        last = None
        while not game.over(state) and moves < MOVE_CAP:
            seat, legal = game.to_move(state), game.moves(state)
            turns += seat != last
            decisions += len(legal) > 1
            last = seat
            game.play(state, legal[0] if len(legal) == 1 else rng.choice(legal))
            moves += 1
        tally.turns.append(turns)
        tally.decisions.append(decisions)
        if game.over(state) and game.players > 1:
            outcome = game.outcome(state)
            tally.wins += outcome.finished and outcome.winners == (0,)
            tally.draws += outcome.finished and len(outcome.winners) > 1
        tally.scores.append(game.score(state, 0))
    return tally.profile("genontology", game.players == 1)


def profile_openspiel(game_string: str, games: int, seed: int = 0) -> Profile:
    """Uniform random play of an OpenSpiel game: chance outcomes by their probabilities, every player's move
    uniform over its legal actions."""
    import pyspiel  # the fidelity extra

    game = pyspiel.load_game(game_string)
    players = game.num_players()
    rng = random.Random(seed)
    tally = _Tally()
    for _ in range(games):
        state = game.new_initial_state()
        turns = decisions = moves = 0
        last = None
        while not state.is_terminal() and moves < MOVE_CAP:
            if state.is_chance_node():
                outcomes, weights = zip(*state.chance_outcomes(), strict=True)
                state.apply_action(rng.choices(outcomes, weights)[0])
                continue
            seat, legal = state.current_player(), state.legal_actions()
            turns += seat != last
            decisions += len(legal) > 1
            last = seat
            state.apply_action(rng.choice(legal))
            moves += 1
        returns = state.returns()
        tally.turns.append(turns)
        tally.decisions.append(decisions)
        tally.scores.append(returns[0])
        if state.is_terminal() and players > 1:
            best = max(returns)
            winners = [s for s in range(players) if returns[s] == best]
            tally.wins += winners == [0]
            tally.draws += len(winners) > 1
    return tally.profile("openspiel", players == 1)


def ratio(ours: float | None, theirs: float | None) -> float | None:
    if ours is None or theirs in (None, 0):
        return None
    return round(ours / theirs, 2)  # type: ignore[operator]


def within(ours: Profile, theirs: Profile, turns: float = 0.15, seat0: float = 0.05) -> bool:
    """The issue's target: mean turns within 15% and seat 0's win rate within 0.05 (one-player games: the
    mean score within 15% instead of the win rate)."""
    close_turns = abs(ours.turns - theirs.turns) <= turns * theirs.turns
    if ours.score is not None and theirs.score is not None:
        return close_turns and abs(ours.score - theirs.score) <= turns * max(abs(theirs.score), 1)
    return close_turns and abs((ours.seat0_wins or 0) - (theirs.seat0_wins or 0)) <= seat0


HOLDEM = (
    "universal_poker(betting=nolimit,numPlayers=2,numRounds=4,blind=100 50,firstPlayer=2 1 1 1,"
    "numSuits=4,numRanks=13,numHoleCards=2,numBoardCards=0 3 1 1,stack=20000 20000,bettingAbstraction=fcpa)"
)
# The games both engines implement, at the player counts both support.
BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark("pig", "pig", 2, "roll and hold are one move each in both"),
    Benchmark("backgammon", "backgammon", 2, "OpenSpiel: one move per checker moved; ours: one per turn"),
    Benchmark(
        "hearts", "hearts", 4, "OpenSpiel passes card by card (three moves); ours passes three at once"
    ),
    Benchmark("gin_rummy", "gin_rummy", 2, "draw, discard and knock are separate moves in both"),
    Benchmark("crazy_eights", "crazy_eights(players=4)", 4, "play a card or draw, one move each in both"),
    Benchmark("battleship", "battleship", 2, "OpenSpiel's ship placements are moves; ours happen in setup"),
    Benchmark("klondike", "solitaire", 1, "one card moved (or the stock turned) per move in both"),
    Benchmark(
        "texas_holdem",
        HOLDEM,
        2,
        "OpenSpiel's fcpa bets (fold, call, pot, all-in); ours: call-or-raise, fold",
    ),
)
