"""Player rules: counts, interaction and its consequences, the goal, and declared uncertainty."""

from __future__ import annotations

import re
from collections.abc import Iterator

from genontology.ontology.rules import Finding
from genontology.ontology.violations import Fix, Severity, json_path
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.rules.base import rule
from genontology.schemas.tabletop.taxonomy import ComponentKind, Interaction, MechanismType, Uncertainty

K = ComponentKind
COOPERATIVE = Interaction.cooperative


@rule("players.min-exceeds-max")
def min_exceeds_max(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """The fewest players is not more than the most players."""
    p = design.players
    if p.min > p.max:
        yield Finding(
            json_path("players", "min"),
            f"min players {p.min} is more than max players {p.max}",
            "swap them or correct one of them",
        )


@rule("players.recommended-out-of-range")
def recommended_out_of_range(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Recommended player counts lie within the supported range."""
    p = design.players
    if p.min > p.max:
        return
    outside = [n for n in p.recommended if not p.min <= n <= p.max]
    if outside:
        inside = sorted({n for n in p.recommended if p.min <= n <= p.max})
        path = json_path("players", "recommended")
        yield Finding(
            path,
            f"recommended counts {outside} lie outside {p.min}-{p.max} players",
            f"recommend only counts from {p.min} to {p.max}",
            fix=Fix(op="set", path=path, value=inside, description="drop counts outside the range"),
        )


@rule("players.missing-roles")
def missing_roles(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Asymmetric games and variable player powers declare the distinct roles players take (at least two)."""
    needs = design.players.interaction is Interaction.asymmetric or any(
        m.type is MechanismType.variable_player_powers for m in design.mechanisms
    )
    if needs and len(design.players.roles) < 2:
        yield Finding(
            json_path("players", "roles"),
            f"players take different roles, but {len(design.players.roles)} role(s) are declared",
            "declare at least two roles with what each does differently",
        )


@rule("players.missing-team-size")
def missing_team_size(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A team game says how big a team is, and the player range allows two teams."""
    p = design.players
    if p.interaction is not Interaction.team:
        return
    if p.team_size is None:
        yield Finding(
            json_path("players", "team_size"),
            "a team game without a team size",
            "set team_size to the number of players per team",
        )
    elif p.max < 2 * p.team_size:
        yield Finding(
            json_path("players", "team_size"),
            f"teams of {p.team_size} need at least {2 * p.team_size} players, but max is {p.max}",
            "lower team_size or raise players.max",
        )


@rule("players.solo-min")
def solo_min(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A solo game can be played by one player."""
    if design.players.interaction is Interaction.solo and design.players.min != 1:
        yield Finding(
            json_path("players", "min"),
            f"a solo game with min players {design.players.min}",
            "set players.min to 1, or choose another interaction",
        )


def _hostile(effect: fx.Ludeme) -> bool:
    return (isinstance(effect, fx.Lose) and effect.target in ("chosen_opponent", "each_opponent")) or (
        isinstance(effect, fx.Transfer) and effect.source in ("chosen_opponent", "each_opponent")
    )


def _opponent_attacks(design: GameDesign) -> Iterator[tuple[str, str]]:
    groups = [("actions", a.name, a.effects, i) for i, a in enumerate(design.actions)]
    groups += [("components", c.name, c.effects, i) for i, c in enumerate(design.components)]
    for section, name, effects, i in groups:
        for j, effect in enumerate(effects):
            if any(_hostile(part) for part in effect.parts()):
                yield json_path(section, i, "effects", j), name


@rule("coop.player-conflict")
def cooperative_conflict(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """In a cooperative game players face the game, not each other: no effect takes from an opponent."""
    if design.players.interaction is not COOPERATIVE:
        return
    for path, name in _opponent_attacks(design):
        yield Finding(
            path,
            f"'{name}' takes from another player in a cooperative game",
            "target the shared threat instead (a shared resource), or make the game competitive",
        )


@rule("victory.interaction-mismatch")
def victory_interaction_mismatch(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Victory matches interaction: a cooperative game has a shared goal, not a single winner; a
    competitive, team or asymmetric game names who wins, not a shared goal."""
    interaction = design.players.interaction
    for i, victory in enumerate(design.victory):
        competitive = isinstance(victory, fx.COMPETITIVE_VICTORIES)
        if interaction is COOPERATIVE and competitive:
            yield Finding(
                json_path("victory", i),
                f"a cooperative game with a competitive victory ({victory.kind})",
                "use a cooperative_goal on a shared resource",
            )
        if (
            interaction in (Interaction.competitive, Interaction.team, Interaction.asymmetric)
            and not competitive
        ):
            yield Finding(
                json_path("victory", i),
                f"a {interaction.value} game with a shared cooperative goal",
                "name how a single winner is decided, or make the interaction cooperative",
            )


VAGUE_GOALS = re.compile(
    r"^(to )?(win|win the game|have fun|score( the most)? points|get( the most)? points|be the best|beat "
    r"(the )?(other|opponent)s?( players)?)\.?$"
)


@rule("goal.vague", Severity.warning)
def vague_goal(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """The goal is specific enough to act on: it says what to achieve, not just "win" or "score points"."""
    goal = " ".join(design.goal.lower().split())
    if VAGUE_GOALS.match(goal) or len(goal.split()) < 5:
        yield Finding(
            json_path("goal"),
            f"the goal '{design.goal}' is too vague to act on",
            "say what players must achieve and how it is counted, in the game's own terms",
        )


BACKING: dict[Uncertainty, frozenset[ComponentKind]] = {
    Uncertainty.dice: frozenset({K.die}),
    Uncertainty.shuffled_cards: frozenset({K.deck}),
    Uncertainty.blind_draw: frozenset({K.bag}),
    Uncertainty.hidden_information: frozenset({K.deck, K.card, K.screen, K.tile, K.token}),
}


@rule("uncertainty.unbacked")
def unbacked_uncertainty(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Declared uncertainty comes from a component: dice from dice, shuffled cards from a deck, blind draws
    from a bag, hidden information from cards, tiles, face-down tokens or a screen."""
    kinds = {c.kind for c in design.components}
    for i, source in enumerate(design.uncertainty):
        backing = BACKING.get(source)
        if backing and not kinds & backing:
            yield Finding(
                json_path("uncertainty", i),
                f"uncertainty from {source.value} but no "
                f"{' or '.join(sorted(k.value for k in backing))} component",
                f"declare the component, or drop '{source.value}' from uncertainty",
            )


@rule("uncertainty.undeclared", Severity.warning)
def undeclared_uncertainty(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Randomness that components bring (dice, bags) is declared as a source of uncertainty."""
    kinds = {c.kind for c in design.components}
    missing = [
        u
        for u, kind in ((Uncertainty.dice, K.die), (Uncertainty.blind_draw, K.bag))
        if kind in kinds and u not in design.uncertainty
    ]
    if missing:
        value = [u.value for u in design.uncertainty] + [u.value for u in missing]
        yield Finding(
            json_path("uncertainty"),
            f"the design has {', '.join(m.value for m in missing)} "
            "components but does not declare that uncertainty",
            "add it to uncertainty",
            fix=Fix(
                op="set",
                path=json_path("uncertainty"),
                value=value,
                description="declare the uncertainty the components bring",
            ),
        )
