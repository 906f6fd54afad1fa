"""The music design plan: a Form Architect, a Program Weaver, an Orchestrator and a Theory Critic."""

from genontology.agents.music.plan import MusicBrief, music_plan

__all__ = ["MusicBrief", "music_plan"]
