"""The slices of a tabletop design each stage writes, narrowed at run time to what is already declared.

Ids are never written by the model: the assembler derives them from names, unique by construction, and
every later reference is a Literal over them. Where a rule says something must exist (a deck for deck
building, two tradable goods for trading, an action that produces a resource that starts at zero), the
schema has a required slot for it, so the model fills it in rather than forgets it.

The model writes only what structure cannot say: names, a title and tagline, the theme and setting, a line
of flavour per mechanism. What an action or a phase does, how setup hands things out, the goal and a turn
in brief are rendered from the structure by the assembler. Every text field is words (`WORDS`: no
characters of code, no digits, no colon), so a constrained model cannot leak JSON, a timestamp or a label.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import Field, create_model

from genontology.agents.narrow import Part, choice, keyed, narrow, one_of
from genontology.ontology.prose import CODE_CHARACTERS
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.rules.mechanisms import REQUIREMENTS
from genontology.schemas.tabletop.taxonomy import (
    Complexity,
    ComponentKind,
    Genre,
    Interaction,
    MechanismType,
    ResourceKind,
    TurnOrder,
)

K = ComponentKind
MT = MechanismType
SEGMENTS = ("start", "main", "end")  # when in a turn an action happens; the used ones become phases
SIZED = frozenset({K.track, K.market})


# What the model writes here is words: no characters of code, and no digits or colons either, which the
# embedded model's prose only ever needed for timestamps and labels ("2018-03-24 19:57", "Theme: ...").
WORDS = rf"^[^:0-9{CODE_CHARACTERS}]*$"


def text(lo: int, hi: int, description: str) -> Any:
    return Field(min_length=lo, max_length=hi, pattern=WORDS, description=description)


Name = Annotated[
    str, Field(min_length=3, max_length=32, pattern=WORDS, description="A name of one to four words.")
]


def model(model_name: str, /, **fields: Any) -> type[Part]:
    return create_model(model_name, __base__=Part, **fields)


class Concept(Part):
    title: str = Field(
        min_length=3, max_length=32, pattern=WORDS, description="The game's own name, one to four words."
    )
    tagline: str = text(10, 100, "One sentence that sells the game.")
    theme: str = text(20, 200, "Who the players are and what they are doing.")
    setting: str = text(20, 200, "The world the game takes place in.")
    genre: Genre
    complexity: Complexity


# Mechanics: the mechanisms, and how players relate when the brief leaves it open.
class MechanismDraft(Part):
    type: MechanismType
    name: Name


class RoleDraft(Part):
    name: Name
    description: str = text(10, 140, "What this role does differently.")


def mechanics(interaction: Interaction | None, players_min: int) -> type[Part]:
    together = interaction is None or interaction in (
        Interaction.cooperative,
        Interaction.semi_cooperative,
        Interaction.solo,
    )
    allowed = [
        t.value
        for t in MT
        if (t is not MT.variable_player_powers or interaction is Interaction.asymmetric)
        and (t is not MT.cooperative or together)  # a competitive game has no shared fate
    ]
    fields: dict[str, Any] = {
        "mechanisms": (
            list[narrow(MechanismDraft, type=choice(allowed))],  # type: ignore[misc]
            Field(min_length=2, max_length=4, description="The game's mechanisms, most central first."),
        )
    }
    if interaction is None:
        options = ["competitive", "cooperative", "semi_cooperative"] + (["solo"] if players_min == 1 else [])
        fields["interaction"] = (choice(options), Field(description="How players relate."))
    if interaction is Interaction.asymmetric:
        fields["roles"] = (list[RoleDraft], Field(min_length=2, max_length=4, description="Distinct roles."))
    if interaction is Interaction.team:
        fields["team_size"] = (int, Field(ge=2, le=4, description="Players per team."))
    return model("Mechanics", **fields)


# Economy: resources, with a slot for each one the mechanisms and the interaction require.
class ResourceDraft(Part):
    name: Name
    kind: ResourceKind
    scope: Literal["per_player", "shared"] = Field(description="Each player's own, or one common pool.")
    start: int = Field(ge=0, le=20, description="Amount each player (or the pool) starts with.")


class Named(Part):
    name: Name


class SharedGoal(Part):
    name: Name
    kind: Literal["progress", "points", "good", "influence"]


COOPERATIVE = ("cooperative", "solo")


def economy(interaction: str, types: Iterable[str]) -> type[Part]:
    types = set(types)
    fields: dict[str, Any] = {}
    if interaction in COOPERATIVE:
        fields["shared_goal"] = (
            SharedGoal,
            Field(description="The shared pool everyone builds up together to win; it starts at 0."),
        )
    else:
        fields["score"] = (Named, Field(description="The points each player scores to win; they start at 0."))
    if MT.auction.value in types or MT.market.value in types:
        fields["currency"] = (Named, Field(description="The money players bid or pay with."))
    if MT.trading.value in types:
        tradable = narrow(ResourceDraft, kind=choice(["good", "currency"]), scope=Literal["per_player"])
        fields["tradables"] = (
            list[tradable],  # type: ignore[valid-type]
            Field(min_length=2, max_length=3, description="Goods players trade with each other."),
        )
    fields["others"] = (list[ResourceDraft], Field(max_length=2, description="Any further resources."))
    return model("Economy", **fields)


# Components: per mechanism, a slot for each thing it cannot work without.
class PlainDraft(Part):
    name: Name
    kind: ComponentKind
    count: int = Field(ge=1, le=200, description="How many are in the box.")
    per_player: int | None = Field(None, ge=1, le=20, description="How many each player gets, if any.")


class SizedDraft(PlainDraft):
    size: int = Field(ge=2, le=100, description="Spaces on the track, or face-up slots in the market.")


def component(kinds: Iterable[ComponentKind]) -> Any:
    kinds = list(kinds)
    options = []
    plain = [k.value for k in kinds if k not in SIZED]
    sized = [k.value for k in kinds if k in SIZED]
    if plain:
        options.append(narrow(PlainDraft, "PlainDraft", kind=choice(plain)))
    if sized:
        options.append(narrow(SizedDraft, "SizedDraft", kind=choice(sized)))
    return one_of(options)


def components(mechanisms: dict[str, str]) -> type[Part]:
    every = component(K)
    per_mechanism: dict[str, Any] = {}
    for mid, mtype in mechanisms.items():
        needs = REQUIREMENTS.get(MT(mtype), ())
        slots: dict[str, Any] = {
            f"need_{j + 1}": (component(sorted(n.kinds)), Field(description=f"The {n.what} it needs."))
            for j, n in enumerate(needs)
        }
        slots["extra"] = (list[every], Field(min_length=0 if needs else 1, max_length=1))  # type: ignore[valid-type]
        per_mechanism[mid] = (model(f"For_{mid}", **slots), ...)
    return model(
        "Components",
        by_mechanism=(model("ByMechanism", **per_mechanism), Field(description="What each mechanism uses.")),
        shared=(
            list[every],
            Field(max_length=2, description="Components the whole game shares, e.g. a board."),
        ),  # type: ignore[valid-type]
    )


# Actions: each in a part of the turn and serving a mechanism; a source for every resource starting at 0.
def _ids(comps: dict[str, str], kinds: Iterable[ComponentKind]) -> list[str]:
    wanted = {k.value for k in kinds}
    return [cid for cid, kind in comps.items() if kind in wanted]


# The vocabulary generation offers, in the order offered; each ludeme narrows itself to the declared names.
DRAFTED_EFFECTS = (
    fx.Gain, fx.Lose, fx.Transfer, fx.Trade, fx.Income, fx.Draw, fx.Discard, fx.Play, fx.Roll, fx.Place,
    fx.Move, fx.Advance, fx.TakeFromMarket,
)  # fmt: skip
DRAFTED_ENDINGS = (
    fx.RoundLimit,
    fx.ScoreThreshold,
    fx.Elimination,
    fx.DeckExhausted,
    fx.HandEmpty,
    fx.TrackEnd,
)
DRAFTED_GOALS = (fx.CooperativeGoal, fx.HighestScore, fx.FirstToFinish, fx.FirstToEmptyHand)
DRAFTED_SCORINGS = (fx.Majority, fx.PerRate)


def drafted(kinds: Iterable[type[fx.Term]], d: fx.Drafting) -> Any:
    """The union of what each kind offers, narrowed to what `d` declares: a game without dice cannot roll."""
    return one_of([option for kind in kinds for option in kind.drafts(d)])


def effect(resources: dict[str, dict[str, Any]], comps: dict[str, str], cooperative: bool) -> Any:
    return drafted(DRAFTED_EFFECTS, fx.Drafting(resources, comps, cooperative, carried=DRAFTED_EFFECTS))


def actions(
    resources: dict[str, dict[str, Any]],
    comps: dict[str, str],
    mechanism_ids: list[str],
    needs_source: list[str],
    cooperative: bool,
) -> type[Part]:
    common: dict[str, Any] = {
        "name": (Name, ...),
        "phase": (Literal[SEGMENTS], Field(description="When in the turn: start, main or end.")),
        "mechanism": (choice(mechanism_ids), Field(description="The mechanism this action belongs to.")),
    }
    if resources:
        amount = narrow(fx.ResourceAmount, resource=choice(resources))
        common["cost"] = (
            list[amount],
            Field(max_length=2, description="Resources paid to act; may be empty."),
        )  # type: ignore[valid-type]
    free = model(
        "ActionDraft",
        **common,
        effects=(list[effect(resources, comps, cooperative)], Field(min_length=1, max_length=2)),  # type: ignore[misc]
    )
    source = model("SourceDraft", **common, amount=(int, Field(ge=1, le=5, description="How much it gains.")))
    fields: dict[str, Any] = {"actions": (list[free], Field(min_length=1, max_length=3))}  # type: ignore[valid-type]
    if needs_source:
        fields["sources"] = (
            keyed("Sources", needs_source, source, "An action that gains this resource."),
            Field(description="For each resource that starts at 0, an action that gains it."),
        )
    return model("Actions", **fields)


# Turn: phases for the parts of the turn in use, and end and victory over what play can change.
def turn(
    segments: list[str],
    reach: dict[str, set[str]],
    comps: dict[str, str],
    resources: dict[str, dict[str, Any]],
    interaction: str,
) -> type[Part]:
    phase = model(
        "PhaseDraft",
        name=(Name, ...),
        actions_per_turn=(int, Field(1, ge=1, le=3, description="How many of its actions a player takes.")),
    )
    fields: dict[str, Any] = {
        "order": (TurnOrder, Field(description="How turns pass.")),
        "phases": (keyed("Phases", segments, phase), Field(description="Each part of the turn, as a phase.")),
        "end_conditions": (
            list[_end(reach, comps, resources, interaction)],
            Field(min_length=1, max_length=2),
        ),  # type: ignore[misc]
        "victory": (list[_victory(reach, comps, resources, interaction)], Field(min_length=1, max_length=1)),  # type: ignore[misc]
    }
    scorings = [
        s for kind in DRAFTED_SCORINGS for s in kind.drafts(_drafting(reach, comps, resources, interaction))
    ]
    if (
        scorings
    ):  # points at the end, into what victory counts: a majority to fight over, leftovers to convert
        fields["final_scoring"] = (
            list[one_of(scorings)],  # type: ignore[misc]
            Field(
                default_factory=list,
                max_length=1,
                description="Points scored when the game ends; may be empty.",
            ),
        )
    return model("Turn", **fields)


def _drafting(
    reach: dict[str, set[str]], comps: dict[str, str], resources: dict[str, Any], interaction: str
) -> fx.Drafting:
    return fx.Drafting(resources, comps, interaction in COOPERATIVE, reach, carried=DRAFTED_EFFECTS)


def _end(
    reach: dict[str, set[str]], comps: dict[str, str], resources: dict[str, Any], interaction: str
) -> Any:
    return drafted(DRAFTED_ENDINGS, _drafting(reach, comps, resources, interaction))


def _victory(
    reach: dict[str, set[str]], comps: dict[str, str], resources: dict[str, Any], interaction: str
) -> Any:
    return drafted(DRAFTED_GOALS, _drafting(reach, comps, resources, interaction))


# Setup: the cards dealt from each deck (the rest of setup follows from the components and resources);
# nothing to ask when there is no deck.
def setup(comps: dict[str, str]) -> type[Part] | None:
    decks = _ids(comps, [K.deck])
    if not decks:
        return None
    count = Annotated[int, Field(ge=1, le=10)]
    return model("Setup", deal=(keyed("Deal", decks, count, "Cards dealt to each player."), ...))


def theming(mechanism_ids: list[str]) -> type[Part]:
    line = Annotated[str, text(10, 140, "How the theme shows in it.")]
    return model("Theming", lines=(keyed("ThemingLines", mechanism_ids, line), ...))


def critique(targets: list[str]) -> type[Part]:
    finding = model(
        "CriticFinding",
        severity=(Literal["low", "medium", "high"], Field(description="high: breaks the game.")),
        target=(choice(targets), Field(description="The part of the design at fault.")),
        evidence=(str, Field(min_length=10, max_length=200, description="What in the design shows it.")),
        recommendation=(str, Field(min_length=10, max_length=200, description="What to change.")),
    )
    return model("Critique", findings=(list[finding], Field(max_length=3)))  # type: ignore[valid-type]
