"""Playtesting by simulation: designs compiled to executable games and played out by bots.

`Tabletop(design)` interprets a tabletop design; `playtest(game, bots=("random", "greedy"))` plays it and
measures it (playout.py); `playable(report, minutes)` applies the playable gate (gate.py); the bots are in
bots.py. Playouts and the gate know only the Game protocol (game.py), so another domain's game plugs in.
"""

from genontology.playtest.bots import BOTS, MonteCarloBot, greedy_bot, make_bot, random_bot
from genontology.playtest.game import PASS, Game, Outcome, UnplayableDesign
from genontology.playtest.gate import Check, Gate, playable
from genontology.playtest.playout import Duel, Playout, Report, Skill, play_many, play_one, playtest
from genontology.playtest.tabletop import Tabletop

__all__ = [
    "BOTS",
    "PASS",
    "Check",
    "Duel",
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
    "make_bot",
    "play_many",
    "play_one",
    "playable",
    "playtest",
    "random_bot",
]
