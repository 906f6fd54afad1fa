"""Playtesting by simulation: designs compiled to executable games and played out by agents.

`Tabletop(design)` interprets a tabletop design; `playtest(game, agents=("random", "greedy"))` plays it and
measures it (playout.py); `playable(report, minutes)` applies the playable gate (gate.py); the agents are in
agents.py. Playouts and the gate know only the Game protocol (game.py), so another domain's game plugs in.
"""

from genontology.playtest.agents import AGENTS, MonteCarloAgent, greedy_agent, make_agent, random_agent
from genontology.playtest.game import PASS, Game, Outcome, UnplayableDesign
from genontology.playtest.gate import Check, Gate, playable
from genontology.playtest.playout import Duel, Playout, Report, Skill, play_many, play_one, playtest
from genontology.playtest.tabletop import Tabletop

__all__ = [
    "AGENTS",
    "PASS",
    "Check",
    "Duel",
    "Game",
    "Gate",
    "MonteCarloAgent",
    "Outcome",
    "Playout",
    "Report",
    "Skill",
    "Tabletop",
    "UnplayableDesign",
    "greedy_agent",
    "make_agent",
    "play_many",
    "play_one",
    "playable",
    "playtest",
    "random_agent",
]
