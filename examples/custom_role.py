"""Adding a specialist to a domain without touching the core: a Pitch Writer who rewrites the tagline.

A role is data (persona, anxiety); a stage is one narrowed LM call by that role, owning the JSON paths it
answers for (where the loop routes their faults); `apply` says how its output enters the design.
`DesignPlan.with_role` returns a new plan; the Designer runs it as usual.

    .venv/bin/python examples/custom_role.py
"""

from typing import Any

from pydantic import BaseModel, Field

from genontology.agents import Designer, RoleSpec, Stage, get_plan

PITCH_WRITER = RoleSpec(
    name="pitch_writer",
    title="Pitch Writer",
    persona="You write the line on the front of the box for a publisher.",
    anxiety="Would a shop owner understand what this game is in five seconds?",
)


class Pitch(BaseModel):
    tagline: str = Field(min_length=10, max_length=120, description="One line for the front of the box.")


def pitch_inputs(brief: BaseModel, parts: dict[str, dict[str, Any]]) -> dict[str, str]:
    concept = parts.get("concept", {})
    mechanisms = parts.get("mechanics", {}).get("mechanisms", [])
    return {
        "game": f"{concept.get('title', '')}: {concept.get('theme', '')}",
        "mechanisms": ", ".join(m["type"] for m in mechanisms),
    }


def apply_pitch(design: dict[str, Any], output: dict[str, Any]) -> None:
    design["tagline"] = output["tagline"]


PITCH = Stage(
    "pitch",
    "pitch_writer",
    "Write the box tagline: what players do, in the theme's words.",
    output=lambda brief, parts: Pitch,
    inputs=pitch_inputs,
    owns=("$.tagline",),
    needs=("mechanics",),
    apply=apply_pitch,
    max_tokens=120,
)

if __name__ == "__main__":
    plan = get_plan("tabletop").with_role(PITCH_WRITER, PITCH)
    result = Designer(plan=plan, on_event=print).run("smugglers running contraband through a mountain pass")
    pitch = next(s for s in result.trace.steps if s.stage == "pitch")
    print(result)
    print("tagline by the Pitch Writer:", result.data["tagline"], "|", pitch.output)
