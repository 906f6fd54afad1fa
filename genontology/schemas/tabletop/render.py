"""Render a tabletop design as a readable Markdown rulebook, in the design's own names."""

from __future__ import annotations

from collections.abc import Callable

from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.taxonomy import MECHANISM_CATEGORY

WHO = {
    "self": "you",
    "chosen_opponent": "an opponent of your choice",
    "each_opponent": "each opponent",
    "all_players": "every player",
    "supply": "the supply",
}


def describe_effect(effect: fx.Effect, name: Callable[[str], str]) -> str:
    """One effect as a phrase: `name` turns ids into display names."""
    match effect:
        case fx.Gain():
            return f"{WHO[effect.target]} gain {effect.amount} {name(effect.resource)}"
        case fx.Spend():
            return f"pay {effect.amount} {name(effect.resource)}"
        case fx.Lose():
            return f"{WHO[effect.target]} lose {effect.amount} {name(effect.resource)}"
        case fx.Transfer():
            route = f"from {WHO[effect.source]} to {WHO[effect.recipient]}"
            return f"move {effect.amount} {name(effect.resource)} {route}"
        case fx.Income():
            every = f"{effect.every} " if effect.every > 1 else ""
            held = f"{every}{name(effect.per)}"
            return f"gain {effect.amount} {name(effect.resource)} for every {held} you hold"
        case fx.Draw():
            return f"draw {effect.count} from {name(effect.deck)}"
        case fx.Discard():
            return f"discard {effect.count} {name(effect.deck)} card(s)"
        case fx.Play():
            return f"play {effect.count} {name(effect.deck)} card(s) and resolve them"
        case fx.Roll():
            then = [f"gain that many {name(effect.gain)}"] if effect.gain else []
            then += [f"advance that many spaces on {name(effect.advance)}"] if effect.advance else []
            return f"roll {effect.count} {name(effect.dice)}" + (
                ", then " + " and ".join(then) if then else ""
            )
        case fx.Place():
            where = f" on {name(effect.area)}" if effect.area else ""
            return f"place {effect.count} {name(effect.component)}{where}"
        case fx.Move():
            where = f" on {name(effect.area)}" if effect.area else ""
            return f"move {name(effect.component)} up to {effect.spaces} space(s){where}"
        case fx.Advance():
            who = "" if effect.target == "self" else f" ({WHO[effect.target]})"
            return f"move {effect.steps:+d} on {name(effect.track)}{who}"
        case fx.TakeFromMarket():
            return f"take {effect.count} from {name(effect.market)}"
        case fx.Score():
            return f"score {effect.amount} {name(effect.resource)}"
        case fx.Trade():
            partner = "the supply" if effect.partner == "supply" else "another player"
            return (
                f"trade {effect.give.amount} {name(effect.give.resource)} with {partner} for "
                f"{effect.receive.amount} {name(effect.receive.resource)}"
            )
    raise TypeError(f"unknown effect {effect!r}")


def describe_condition(cond: object, name: Callable[[str], str]) -> str:
    match cond:
        case fx.ResourceAtLeast():
            return f"you have at least {cond.amount} {name(cond.resource)}"
        case fx.HandAtLeast():
            return f"you hold at least {cond.count} {name(cond.deck)} card(s)"
        case fx.SpaceFree():
            return f"{name(cond.area)} is unoccupied"
        case fx.ScoreThreshold():
            return f"a player (or the shared pool) reaches {cond.threshold} {name(cond.resource)}"
        case fx.RoundLimit():
            return f"{cond.rounds} rounds have been played"
        case fx.DeckExhausted():
            return f"{name(cond.deck)} runs out"
        case fx.SupplyDepleted():
            return f"the supply of {name(cond.resource)} runs out"
        case fx.TrackEnd():
            return f"a player reaches the end of {name(cond.track)}"
        case fx.Elimination():
            return f"only one player has {name(cond.resource)} left (players at 0 are out)"
        case fx.HandEmpty():
            return f"a player has no {name(cond.deck)} cards left in hand"
        case fx.HighestScore():
            return f"the player with the most {name(cond.resource)} wins"
        case fx.LowestScore():
            return f"the player with the fewest {name(cond.resource)} wins"
        case fx.LastStanding():
            return "the last player standing wins"
        case fx.FirstToFinish():
            return f"the first player to reach the end of {name(cond.track)} wins"
        case fx.FirstToEmptyHand():
            return f"the first player to empty their hand of {name(cond.deck)} wins"
        case fx.CooperativeGoal():
            reached = f"{name(cond.resource)} has reached {cond.threshold}"
            return f"everyone wins if {reached}; otherwise everyone loses"
    raise TypeError(f"unknown condition {cond!r}")


def render_markdown(design: GameDesign) -> str:
    names = {
        e.id: e.name for e in (*design.resources, *design.components, *design.actions, *design.mechanisms)
    }

    def name(entity_id: str) -> str:
        return names.get(entity_id, entity_id)

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
        out.append(
            f"- {c.count} × **{c.name}** ({c.kind.value}{each})"
            + (f": {c.description}" if c.description else "")
        )
        for e in c.effects:
            out.append(f"  - when played: {describe_effect(e, name)}")
    if design.resources:
        out += ["", "## Resources", ""]
        for r in design.resources:
            limit = f", at most {r.maximum}" if r.maximum else ""
            out.append(
                f"- **{r.name}** ({r.kind.value}, {r.scope.replace('_', ' ')}): start with {r.start}{limit}"
            )
    out += ["", "## Setup", ""] + [f"{i}. {s.description}" for i, s in enumerate(design.setup, 1)]
    actions = {a.id: a for a in design.actions}
    out += ["", f"## Playing a turn ({design.turn_structure.order.value.replace('_', ' ')})", ""]
    for i, phase in enumerate(design.turn_structure.phases, 1):
        out += [f"### {i}. {phase.name}", "", phase.description, ""]
        for e in phase.effects:
            out.append(f"- Automatically: {describe_effect(e, name)}.")
        if phase.actions:
            out.append(
                f"Take {phase.actions_per_turn} of these actions:" if phase.actions_per_turn else "Actions:"
            )
            out.append("")
        for aid in phase.actions:
            action = actions.get(aid)
            if action is None:
                continue
            line = f"- **{action.name}**: {action.description}"
            cost = ", ".join(f"{c.amount} {name(c.resource)}" for c in action.cost)
            detail = ([f"costs {cost}"] if cost else []) + [
                "only if " + describe_condition(pre, name) for pre in action.preconditions
            ]
            if action.limit_per_turn:
                detail.append(f"at most {action.limit_per_turn} per turn")
            effects = "; ".join(describe_effect(e, name) for e in action.effects)
            out.append(line + (f" ({'; '.join(detail)})" if detail else "") + f" → {effects}.")
        out.append("")
    out += ["## End of the game", ""] + [
        f"- The game ends when {describe_condition(e, name)}." for e in design.end_conditions
    ]
    out += ["", "## Victory", ""] + [f"- {describe_condition(v, name).capitalize()}." for v in design.victory]
    for t in design.tie_breakers:
        out.append(f"- Ties: {t.prefer} {name(t.resource)}.")
    if design.provenance:
        pv = design.provenance
        who = ", ".join(str(x) for x in (pv.designer, pv.publisher, pv.year) if x)
        out += ["", "---", "", f"*Origin: {pv.origin}{f' ({who})' if who else ''}.*"]
    return "\n".join(out).rstrip() + "\n"
