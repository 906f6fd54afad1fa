"""Playtesting by simulation: designs compiled to executable games and played out by agents.

Work in progress (issue 6): the tabletop engine and random playouts with their metrics exist; the greedy and
search agents, the playable gate, plots and the Designer integration do not yet.
"""

from genontology.playtest.game import PASS, Game, Outcome
from genontology.playtest.playout import Playout, Report, play_one, playtest
from genontology.playtest.tabletop import Tabletop

__all__ = ["PASS", "Game", "Outcome", "Playout", "Report", "Tabletop", "play_one", "playtest"]
