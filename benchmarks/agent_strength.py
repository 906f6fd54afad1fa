"""How strong is our searching agent? Information-set MCTS (`ismcts:N`) against uniform random play, and
against OpenSpiel's own search at the same number of iterations, on the games both engines implement with the
same rules (the fidelity table's games on target, see BENCHMARKS.md).

Pig (perfect information): head to head against OpenSpiel's MCTS bot. Hearts and crazy eights (hidden hands,
four players): OpenSpiel's information-set MCTS cannot play them (2.0.2: crazy eights has no
`ResampleFromInfostate`; in hearts its C++ `ISMCTSBot` crashes outside seat 0 and its Python one fails in
rollouts from the states it resamples), so our searcher plays three random seats in our engine, its seat
rotating, beside a random player in the same seats and games as the baseline (a four-player game's share
without skill: about one in four, ties counted 1/k).

On Pig the game is played in OpenSpiel's engine; when our agent is to move, its state is rebuilt in
ours (the scores and the turn total; the turn's roll count is ours' only difference: a turn of more than
ten rolls, about 1 in 6,000 under random play, is cut short in our encoding) and our agent's answer is played
in OpenSpiel. Seats alternate. OpenSpiel's bot: `mcts.MCTSBot` with UCT c=2 and one random rollout per
simulation to the end of the game (ours: rollouts capped at 60 moves and scored by the standing).

    python benchmarks/agent_strength.py [--game pig|hearts|crazy_eights] [--games 40] [--budgets 8,32]

Needs the fidelity extra (`pip install genontology[fidelity]`: OpenSpiel).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
import pyspiel
from open_spiel.python.algorithms import mcts

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology import get_domain
from genontology.playtest.bots import InformationSetMCTS
from genontology.playtest.fidelity import BENCHMARKS
from genontology.playtest.playout import credit, play_one
from genontology.playtest.stats import rate
from genontology.playtest.tabletop import Tabletop

MOVES = {"roll": 0, "hold": 1}  # ours -> OpenSpiel's action ids


def ours_from(game: Tabletop, os_state: pyspiel.State, seed: int) -> object:
    """Our engine's state for OpenSpiel's Pig state: the scores, the turn total and the seat to move."""
    found = re.search(r"Scores: (\d+) (\d+), Turn total: (\d+)", str(os_state))
    assert found, str(os_state)
    first, second, total = (int(x) for x in found.groups())
    state = game.start(seed)
    seat = os_state.current_player()
    state.own[0]["banked"], state.own[1]["banked"] = first, second
    state.own[seat]["turn_total"] = total
    state.seat, state.first, state.legal = seat, 0, None
    return state


def ours_move(game: Tabletop, agent: InformationSetMCTS, os_state: pyspiel.State, rng: random.Random) -> int:
    state = ours_from(game, os_state, rng.randrange(1 << 30))
    assert game.to_move(state) == os_state.current_player() and sorted(game.moves(state)) == sorted(MOVES)
    return MOVES[agent(game, state, rng)]


def os_bot(os_game: pyspiel.Game, budget: int, seed: int) -> mcts.MCTSBot:
    rs = np.random.RandomState(seed)
    evaluator = mcts.RandomRolloutEvaluator(n_rollouts=1, random_state=rs)
    return mcts.MCTSBot(os_game, 2.0, budget, evaluator, solve=False, random_state=rs)


def play(os_game: pyspiel.Game, seats: list, seed: int) -> list[float]:
    """One game in OpenSpiel's engine; `seats[p](state)` gives player p's action. Returns each player's share
    of the win: 1 for the only player with the highest return, 1/k each for a k-way tie."""
    rng = random.Random(seed)
    state = os_game.new_initial_state()
    while not state.is_terminal():
        if state.is_chance_node():
            outcomes, probs = zip(*state.chance_outcomes(), strict=True)
            state.apply_action(rng.choices(outcomes, probs)[0])
        else:
            state.apply_action(seats[state.current_player()](state))
    returns = state.returns()
    best = [p for p, r in enumerate(returns) if r == max(returns)]
    return [1 / len(best) if p in best else 0.0 for p in range(len(returns))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--game", choices=("pig", "hearts", "crazy_eights"), default="pig")
    parser.add_argument("--games", type=int, default=40)
    parser.add_argument("--budgets", default="8,32")
    args = parser.parse_args()
    bench = next(b for b in BENCHMARKS if b.exemplar == args.game)
    design = next(e for e in get_domain("tabletop").load_exemplars() if e.id == bench.exemplar)
    game = Tabletop.compile(design, players=bench.players)
    os_game = pyspiel.load_game(bench.openspiel)
    print(f"{machine()}; {design.title}, {bench.players} players, {args.games} games a row, seats rotating")
    print("| iterations | agent | opponent | agent's win share [95% interval] | s a game |")
    print("|---:|---|---|---|---:|")
    for budget in (int(b) for b in args.budgets.split(",")):
        if args.game == "pig":
            rows = {
                "ismcts vs random": lambda i, b=budget: _ours_vs(game, os_game, b, i, None),
                "openspiel mcts vs random": lambda i, b=budget: _os_vs(os_game, b, i),
                "ismcts vs openspiel mcts": lambda i, b=budget: _ours_vs(game, os_game, b, i, b),
            }
        else:
            rows = {
                "ismcts vs random": lambda i, b=budget: _ours_among_random(game, f"ismcts:{b}", i),
                "random vs random": lambda i: _ours_among_random(game, "random", i),
            }
        for name, one in rows.items():
            began = time.perf_counter()
            wins = sum(one(i) for i in range(args.games))
            share = rate(wins, args.games)
            agent, opponent = name.split(" vs ")
            print(
                f"| {budget} | {agent} | {opponent} | {share.value:.2f} [{share.low:.2f}, {share.high:.2f}]"
                f" | {(time.perf_counter() - began) / args.games:.2f} |",
                flush=True,
            )


def _ours_vs(game: Tabletop, os_game: pyspiel.Game, budget: int, i: int, os_budget: int | None) -> float:
    rng = random.Random(i)
    agent = InformationSetMCTS(iterations=budget)
    mine = lambda s: ours_move(game, agent, s, rng)  # noqa: E731
    if os_budget is None:
        other = lambda s: rng.choice(s.legal_actions())  # noqa: E731
    else:
        other = os_bot(os_game, os_budget, i).step
    seats = [mine, other] if i % 2 == 0 else [other, mine]
    return play(os_game, seats, i)[i % 2]


def _os_vs(os_game: pyspiel.Game, budget: int, i: int) -> float:
    rng = random.Random(i)
    bot = os_bot(os_game, budget, i).step
    other = lambda s: rng.choice(s.legal_actions())  # noqa: E731
    seats = [bot, other] if i % 2 == 0 else [other, bot]
    return play(os_game, seats, i)[i % 2]


def _ours_among_random(game: Tabletop, bot: str, i: int) -> float:
    """Game i in our engine: `bot` in seat i mod players, random play in the others."""
    seat = i % game.players
    lineup = ["random"] * game.players
    lineup[seat] = bot
    return credit(play_one(game, i, lineup), seat)


if __name__ == "__main__":
    main()
