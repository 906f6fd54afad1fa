"""Playtesting by simulation: designs compiled to executable games and played out by bots.

`Tabletop(design)` interprets a tabletop design; `playtest(game, bots=("random", "greedy"))` plays it and
measures it (playout.py, metrics.py); `judge(game, minutes)` plays what the playable gate needs and applies
it (gate.py, with the skill ladder and duels of ladder.py); the bots are in bots.py. Playouts and the gate
know only the Game protocol (game.py), so another domain's game plugs in.
"""

from genontology.playtest.bots import BOTS, MonteCarloBot, greedy_bot, make_bot, random_bot
from genontology.playtest.game import PASS, Game, Outcome, UnplayableDesign
from genontology.playtest.gate import Check, Gate, judge
from genontology.playtest.playout import Playout, Report, Skill, play_many, play_one, playtest
from genontology.playtest.tabletop import Tabletop

__all__ = [
    "BOTS",
    "PASS",
    "Check",
    "Game",
    "Gate",
    "MonteCarloBot",
    "Outcome",
    "Playout",
    "Report",
    "Skill",
    "Tabletop",
    "UnplayableDesign",
    "greedy_bot",
    "judge",
    "make_bot",
    "play_many",
    "play_one",
    "playtest",
    "random_bot",
]
