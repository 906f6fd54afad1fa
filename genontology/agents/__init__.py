"""The agents: roles as data, staged narrowed generation, and the Designer's validate-and-repair loop."""

from genontology.agents.design_plan import DesignPlan, PlanError, RoleSpec, Stage, get_plan, register_plan
from genontology.agents.designer import BriefError, CheckpointError, Designer, RunState, Switches
from genontology.agents.program import DesignProgram, ProgramError, compile_program
from genontology.agents.result import DesignResult
from genontology.agents.trace import Step, Trace, redact

__all__ = [
    "BriefError",
    "CheckpointError",
    "DesignPlan",
    "DesignProgram",
    "DesignResult",
    "Designer",
    "PlanError",
    "ProgramError",
    "RoleSpec",
    "RunState",
    "Stage",
    "Step",
    "Switches",
    "Trace",
    "compile_program",
    "get_plan",
    "redact",
    "register_plan",
]
