"""Render a tabletop design as a readable Markdown rulebook, in the design's own names."""

from __future__ import annotations

from genontology.ontology.prose import same_name
from genontology.schemas.tabletop.effects.scoring import counted_by_victory
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.taxonomy import MECHANISM_CATEGORY


def as_sentence(text: str) -> str:
    """A phrase as a sentence: its first letter raised (the names inside keep their case), a full stop."""
    return text[:1].upper() + text[1:] + "."


def render_markdown(design: GameDesign) -> str:
    names = {
        e.id: e.name for e in (*design.resources, *design.components, *design.actions, *design.mechanisms)
    }

    def name(entity_id: str) -> str:
        return names.get(entity_id, entity_id)

    neighbours: dict[str, list[str]] = {}  # a map's adjacency holds both ways, whichever side lists it
    for c in design.components:
        for other in c.adjacent:
            neighbours.setdefault(c.id, []).append(other)
            neighbours.setdefault(other, []).append(c.id)
    neighbours = {area: list(dict.fromkeys(listed)) for area, listed in neighbours.items()}

    p = design.players
    out = [f"# {design.title}", "", f"*{design.tagline}*", ""]
    out += [
        f"**Players:** {p.min}-{p.max} ({p.interaction.value.replace('_', ' ')})"
        + (f", best with {', '.join(map(str, p.recommended))}" if p.recommended else "")
        + f" · **Time:** {design.play_time_minutes} min"
        + f" · **Complexity:** {design.complexity.value.replace('_', ' ')}"
        + f" · **Genre:** {design.genre.value}",
        "",
    ]
    out += [
        "## Theme",
        "",
        design.theme,
        "",
        design.setting,
        "",
        "## Goal",
        "",
        design.goal,
        "",
        "## A turn in brief",
        "",
        design.core_loop,
        "",
    ]
    if p.roles:
        out += ["## Roles", ""] + [f"- **{r.name}**: {r.description}" for r in p.roles] + [""]
    out += ["## Mechanisms", ""]
    for m in design.mechanisms:
        out.append(
            f"- **{m.name}** ({m.type.value.replace('_', ' ')}, "
            f"{MECHANISM_CATEGORY[m.type].value.replace('_', ' ')}): {m.description}"
        )
        if design.theming.get(m.id):
            out.append(f"  *{design.theming[m.id]}*")
    out += ["", "## Components", ""]
    for c in design.components:
        each = f", {c.per_player} per player" if c.per_player else ""
        if c.faces:
            each += ", faces " + " ".join(str(f) for f in c.faces)
        elif c.sides:
            each += f", d{c.sides}"
        if c.suits and c.ranks:
            each += f", ranks {c.first_rank}-{c.first_rank + c.ranks - 1} in each suit: " + ", ".join(c.suits)
        if c.kind.value == "deck" and not c.reshuffle:
            each += ", never reshuffled"
        if c.tags:
            each += ", " + ", ".join(tag.replace("_", " ") for tag in c.tags)
        if c.hand_limit:
            each += f", hand limit {c.hand_limit}: discard down to it at the end of your turn"
        if c.returns:
            each += ", pieces return at the end of each round"
        if neighbours.get(c.id):
            each += ", next to " + ", ".join(name(a) for a in neighbours[c.id])
        out.append(
            f"- {c.count} × **{c.name}** ({c.kind.value}{each})"
            + (f": {c.description}" if c.description else "")
        )
        for e in c.effects:
            out.append(f"  - when played: {e.sentence(name)}")
    if design.resources:
        out += ["", "## Resources", ""]
        for r in design.resources:
            limit = f", at most {r.maximum}" if r.maximum else ""
            if r.discounts:
                limit += f"; each one lowers every cost in {name(r.discounts)} by 1"
            if r.enlarges:
                limit += f"; each one raises your hand limit of {name(r.enlarges)} by 1"
            out.append(
                f"- **{r.name}** ({r.kind.value}, {r.scope.replace('_', ' ')}): start with {r.start}{limit}"
            )
    out += ["", "## Setup", ""] + [f"{i}. {s.description}" for i, s in enumerate(design.setup, 1)]
    actions = {a.id: a for a in design.actions}
    out += ["", f"## Playing a turn ({design.turn_structure.order.value.replace('_', ' ')})", ""]
    if design.turn_structure.first_player == "random":
        out += ["A player chosen at random takes the first turn.", ""]
    elif design.turn_structure.first_player == "rotating":
        out += ["The start player passes to the left at the end of every round.", ""]
    if design.turn_structure.order.value == "simultaneous":
        out += [
            "Everyone chooses in secret; the choices are revealed and resolved together, in seat order.",
            "",
        ]
    for i, phase in enumerate(design.turn_structure.phases, 1):
        rounds = ""
        if phase.last_round is not None:
            first, last = phase.first_round, phase.last_round
            rounds = f" (round {first} only)" if first == last else f" (rounds {first} to {last})"
        elif phase.first_round > 1:
            rounds = f" (from round {phase.first_round})"
        out += [f"### {i}. {phase.name}{rounds}", "", phase.description, ""]
        for e in phase.effects:
            out.append(f"- Automatically: {e.sentence(name)}.")
        if phase.actions:
            if phase.actions_from:
                out.append(f"Take one of these actions for each {name(phase.actions_from)} you have:")
            else:
                out.append(
                    f"Take {phase.actions_per_turn} of these actions:"
                    if phase.actions_per_turn
                    else "Actions:"
                )
            out.append("")
        for aid in phase.actions:
            action = actions.get(aid)
            if action is None:
                continue
            cost = ", ".join(f"{c.amount} {name(c.resource)}" for c in action.cost)
            detail = ([f"costs {cost}"] if cost else []) + [
                "only if " + pre.sentence(name) for pre in action.preconditions
            ]
            if action.limit_per_turn:
                detail.append(f"at most {action.limit_per_turn} per turn")
            effects = "; ".join(e.sentence(name) for e in action.effects)
            # A description written from the effects (a generated design's) is not said twice.
            restated = same_name(effects) in same_name(action.description)
            line = f"- **{action.name}**" + ("" if restated else f": {action.description}")
            out.append(line + (f" ({'; '.join(detail)})" if detail else "") + f" → {effects}.")
        out.append("")
    out += ["## End of the game", ""] + [
        f"- The game ends when {e.sentence(name)}." for e in design.end_conditions
    ]
    if design.final_scoring:
        points = counted_by_victory(design.victory)  # where a rule that names no resource adds its points
        rules = [r.model_copy(update={"into": r.into or points}) for r in design.final_scoring]
        out += ["", "## Final scoring", ""] + [f"- {as_sentence(r.sentence(name))}" for r in rules]
    out += ["", "## Victory", ""] + [f"- {as_sentence(v.sentence(name))}" for v in design.victory]
    for t in design.tie_breakers:
        out.append(f"- Ties: {t.prefer} {name(t.resource)}.")
    if design.provenance:
        pv = design.provenance
        who = ", ".join(str(x) for x in (pv.designer, pv.publisher, pv.year) if x)
        out += ["", "---", "", f"*Origin: {pv.origin}{f' ({who})' if who else ''}.*"]
        if pv.simplifications:
            out += ["", f"*Simplified from the original: {pv.simplifications}*"]
        if pv.parents:
            out += ["", f"*Made by recombining games that play: {', '.join(pv.parents)}.*"]
    return "\n".join(out).rstrip() + "\n"
