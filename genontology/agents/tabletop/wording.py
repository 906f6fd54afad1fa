"""Rules text that the structure says: written from the design, deterministically, never asked of the model.

What an action costs and does, what a phase allows, what a mechanism is and which actions use it, what a
component is for, how setup hands things out, the goal and a turn in brief all follow from the typed parts;
a small model asked to write them copies its instructions or leaks code instead. The sentences are the
ludemes' own (`sentence`), so the rulebook and the design say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.render import as_sentence
from genontology.schemas.tabletop.taxonomy import MechanismType

Name = Callable[[str], str]
EFFECT = TypeAdapter(fx.Effect)
ENDING = TypeAdapter(fx.EndCondition)
GOAL = TypeAdapter(fx.VictoryCondition)
WHEN = {"start": "At the start of your turn", "main": "On your turn", "end": "At the end of your turn"}


def said(adapter: TypeAdapter[Any], items: list[dict[str, Any]], name: Name) -> list[str]:
    """Each item's rulebook phrase; an item the vocabulary cannot read is left out (validation reports it)."""
    phrases = []
    for item in items:
        try:
            phrases.append(adapter.validate_python(item).sentence(name))
        except (ValidationError, KeyError, TypeError):
            continue
    return phrases


def listing(words: list[str], last: str = "or") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def action_text(action: dict[str, Any], name: Name) -> str:
    """What the action costs and does: "Pay 2 Coins: you gain 1 Spore; draw 1 from Cave deck."."""
    does = "; ".join(said(EFFECT, action.get("effects", []), name)) or "nothing happens"
    cost = [f"{c['amount']} {name(c['resource'])}" for c in action.get("cost", [])]
    return as_sentence(f"pay {listing(cost, 'and')}: {does}" if cost else does)


def mechanism_text(kind: str, actions: list[str]) -> str:
    """The mechanism's kind as the taxonomy explains it, and the actions through which players use it."""
    what = MechanismType.descriptions[kind]  # type: ignore[attr-defined]
    label = kind.replace("_", " ").capitalize()
    return as_sentence(f"{label}: {what}" + (f", through {listing(actions)}" if actions else ""))


def component_text(mechanism: str | None) -> str:
    """What a component is for, when it serves one mechanism; its kind and count the rulebook says anyway."""
    return as_sentence(f"for {mechanism}") if mechanism else ""


def phase_text(segment: str, count: int, actions: list[str]) -> str:
    if not actions:
        return as_sentence(f"{WHEN.get(segment, 'On your turn')}, nothing is chosen")
    what = f"take {count} action{'s' if count > 1 else ''}: {listing(actions)}"
    return as_sentence(f"{WHEN.get(segment, 'On your turn')}, {what}")


def core_loop_text(phases: list[tuple[str, int, list[str]]]) -> str:
    """A turn in brief from its phases: (phase name, actions a player takes, action names)."""
    steps = [
        f"take {count} action{'s' if count > 1 else ''} in {phase} ({listing(acts)})"
        for phase, count, acts in phases
        if acts
    ]
    return as_sentence("on your turn, " + "; then ".join(steps)) if steps else "Play passes each turn."


def goal_text(victory: list[dict[str, Any]], ends: list[dict[str, Any]], name: Name) -> str:
    """Who wins and when the game ends: "The player with the most Spores wins; the game ends when ..."."""
    wins = said(GOAL, victory, name)
    over = said(ENDING, ends, name)
    text = "; ".join(wins) or "win by the victory conditions"
    return as_sentence(text + (f"; the game ends when {listing(over)}" if over else ""))


def component_step_text(component: dict[str, Any], shown: str, dealt: int | None) -> str:
    """How setup puts one component in play: dealt, shuffled, handed out, laid out or placed."""
    kind = component["kind"]
    if dealt is not None:
        text = f"shuffle the {shown} and deal {dealt} to each player"
    elif kind == "deck":
        text = f"shuffle the {shown} and put it face down"
    elif component.get("per_player"):
        text = f"give each player {component['per_player']} {shown}"
    elif kind == "market":
        text = f"lay out the {shown} with {component.get('size', 4)} cards face up"
    elif kind == "track":
        text = f"place the {shown} and put each player's marker on its first space"
    elif kind in ("board", "area"):
        text = f"place the {shown} in the middle of the table"
    else:
        text = f"put the {component['count']} {shown} within reach"
    return as_sentence(text)


def resources_step_text(resources: dict[str, dict[str, Any]], name: Name) -> str:
    """What each player, and each shared pool, starts with."""
    own = [f"{r['start']} {name(i)}" for i, r in resources.items() if r["start"] and r["scope"] != "shared"]
    pools = [
        f"{name(i)} starts at {r['start']}"
        for i, r in resources.items()
        if r["start"] and r["scope"] == "shared"
    ]
    said_ = ([f"each player starts with {listing(own, 'and')}"] if own else []) + pools
    return as_sentence("; ".join(said_) if said_ else "every resource starts at 0")


def setup_steps(
    components: dict[str, dict[str, Any]],
    resources: dict[str, dict[str, Any]],
    deal: dict[str, int],
    name: Name,
) -> list[dict[str, Any]]:
    """A setup step per component, saying how it is put in play, and one for the starting resources."""
    steps = []
    for cid, c in components.items():
        step: dict[str, Any] = {
            "description": component_step_text(c, name(cid), deal.get(cid)),
            "components": [cid],
        }
        if cid in deal:
            step["deal"] = [{"deck": cid, "count": deal[cid]}]
        steps.append(step)
    if resources:
        steps.append({"description": resources_step_text(resources, name), "resources": list(resources)})
    return steps


def reworded(data: dict[str, Any]) -> dict[str, Any]:
    """A built design's rules text written again from its structure, where the text states its numbers
    (what actions cost and do, how many actions a phase allows, who wins and when, what setup hands out):
    after tuning changed the numbers, the rulebook says the new ones."""
    named = ("mechanisms", "components", "resources", "actions")
    names = {x["id"]: x.get("name", x["id"]) for part in named for x in data.get(part, [])}
    phases = data.get("turn_structure", {}).get("phases", [])
    names |= {p["id"]: p.get("name", p["id"]) for p in phases}

    def name(entity_id: str) -> str:
        return names.get(entity_id, entity_id)

    for action in data.get("actions", []):
        action["description"] = action_text(action, name)
    loop = []
    for phase in phases:
        count, acts = phase.get("actions_per_turn", 1), [name(a) for a in phase.get("actions", [])]
        said_when = str(phase.get("description", ""))
        segment = next((seg for seg, when in WHEN.items() if said_when.startswith(when)), "main")
        phase["description"] = phase_text(segment, count, acts)
        loop.append((name(phase["id"]), count, acts))
    if "victory" in data and "end_conditions" in data:
        data["goal"] = goal_text(data["victory"], data["end_conditions"], name)
    if phases:
        data["core_loop"] = core_loop_text(loop)
    components = {c["id"]: c for c in data.get("components", [])}
    resources = {r["id"]: r for r in data.get("resources", [])}
    for step in data.get("setup", []):
        dealt = {d["deck"]: d["count"] for d in step.get("deal", [])}
        if step.get("resources"):
            step["description"] = resources_step_text(
                {i: resources[i] for i in step["resources"] if i in resources}, name
            )
        elif len(step.get("components", [])) == 1 and step["components"][0] in components:
            cid = step["components"][0]
            step["description"] = component_step_text(components[cid], name(cid), dealt.get(cid))
    return data
