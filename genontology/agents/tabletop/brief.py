"""What the user asks for, in typed form: the theme and the constraints the design must honour."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from genontology.agents.design_plan import meaningful_prompt, plain_text
from genontology.schemas.tabletop.taxonomy import Interaction


class TabletopBrief(BaseModel):
    """A design request. `players` accepts 3, "2-4" or (2, 4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: str = Field(min_length=3, max_length=1000, description="The theme to design for.")
    players_min: int = Field(2, ge=1, le=12)
    players_max: int = Field(4, ge=1, le=20)
    minutes: int = Field(60, ge=5, le=600, description="Target play time.")
    interaction: Interaction | None = Field(
        None, description="Imposed interaction; None lets the Architect choose."
    )
    constraints: str = Field("", max_length=500, description="Further wishes, in words.")

    @model_validator(mode="before")
    @classmethod
    def _players(cls, data: Any) -> Any:
        if isinstance(data, dict) and "players" in data:
            data = dict(data)
            players = data.pop("players")
            if isinstance(players, str):
                match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", players)
                if not match:
                    raise ValueError(f"players must look like 3 or 2-4, got {players!r}")
                low, high = int(match[1]), int(match[2] or match[1])
            elif isinstance(players, int):
                low = high = players
            else:
                low, high = players
            data.update(players_min=low, players_max=high)
        return data

    @field_validator("prompt")
    @classmethod
    def _meaningful(cls, prompt: str) -> str:
        return meaningful_prompt(prompt, "bioluminescent fungi in a cave")

    @field_validator("prompt", "constraints", mode="before")
    @classmethod
    def _plain(cls, text: Any) -> Any:
        return plain_text(text)

    @model_validator(mode="after")
    def _consistent(self) -> TabletopBrief:
        if self.players_min > self.players_max:
            raise ValueError(f"players: {self.players_min} is more than {self.players_max}")
        if self.interaction is Interaction.solo and self.players_min != 1:
            raise ValueError("a solo game needs players to start at 1")
        if self.interaction is Interaction.team and self.players_max < 4:
            raise ValueError("a team game needs room for two teams of two (players up to at least 4)")
        return self

    def describe(self) -> str:
        players = (
            f"{self.players_min}"
            if self.players_min == self.players_max
            else f"{self.players_min}-{self.players_max}"
        )
        parts = [f"Theme: {self.prompt}", f"Players: {players}", f"Play time: {self.minutes} minutes"]
        if self.interaction:
            parts.append(f"Interaction: {self.interaction.value}")
        if self.constraints:
            parts.append(f"Constraints: {self.constraints}")
        return "\n".join(parts)
