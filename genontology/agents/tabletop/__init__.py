"""The tabletop design plan: roles, narrowed stage schemas, assembly."""

from genontology.agents.tabletop.brief import TabletopBrief
from genontology.agents.tabletop.plan import tabletop_plan

__all__ = ["TabletopBrief", "tabletop_plan"]
