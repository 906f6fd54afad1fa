"""The ludeme registries: every member of the Effect, Precondition, EndCondition and VictoryCondition unions
says, in one class, what it names, which edges it adds to the ontology graph, how the rulebook says it, and
what it means in play."""

from __future__ import annotations

import typing
from collections import Counter

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.effects.base import Ludeme, Slot
from genontology.schemas.tabletop.effects.scoring import Counted

REGISTRIES = [
    (fx.Effect, fx.EFFECTS, fx.Ludeme, "apply"),
    (fx.Precondition, fx.PRECONDITIONS, fx.Requirement, "holds"),
    (fx.EndCondition, fx.ENDINGS, fx.Ending, "reached"),
    (fx.VictoryCondition, fx.GOALS, fx.Goal, "standing"),
    (fx.FinalScoring, fx.SCORINGS, fx.Scoring, "points"),
]
EVERY = [cls for _, members, _, _ in REGISTRIES for cls in members]
MEANING = {cls: meaning for _, members, _, meaning in REGISTRIES for cls in members}


def union_members(union: object) -> tuple[type, ...]:
    return typing.get_args(typing.get_args(union)[0])


@pytest.mark.parametrize(
    ("union", "members", "base", "meaning"),
    REGISTRIES,
    ids=["effects", "preconditions", "endings", "goals", "scorings"],
)
def test_each_registry_is_its_union(union, members, base, meaning) -> None:
    assert union_members(union) == members
    assert all(issubclass(cls, base) for cls in members)
    kinds = [typing.get_args(cls.model_fields["kind"].annotation)[0] for cls in members]
    assert len(kinds) == len(set(kinds))  # one class per kind


def sample(cls: type[fx.Term]) -> fx.Term:
    """An instance with every field set: ids named after their field, so a reference can be traced back;
    a carrier carries a sample condition and a sample effect in each list; a kind that counts one of several
    things counts a resource."""
    values: dict[str, object] = {}
    for name, info in cls.model_fields.items():
        annotation = info.annotation
        if name in ONE_OF and name != "resource" and (cls is fx.ForEach or issubclass(cls, Counted)):
            values[name] = info.default
        elif name == "condition":
            values[name] = sample(fx.ResourceAtLeast).model_dump()
        elif name in ("then", "otherwise", "effects", "prize") and cls in fx.EFFECTS:
            values[name] = [sample(fx.Spend if name == "otherwise" else fx.Gain).model_dump()]
        elif name == "options":
            values[name] = [[sample(fx.Gain).model_dump()], [sample(fx.Spend).model_dump()]]
        elif name in SUIT_FIELDS:
            values[name] = ["clubs"] if typing.get_origin(annotation) is list else "clubs"
        elif typing.get_origin(annotation) is list:  # a list that bars (not_...) stays empty, so it can act
            values[name] = [] if name.startswith("not_") else [item_sample(typing.get_args(annotation)[0])]
        elif annotation is bool:
            values[name] = False
        elif name == "kind":
            values[name] = typing.get_args(annotation)[0]
        elif annotation is fx.ResourceAmount:
            values[name] = {"resource": f"{name}_resource", "amount": 2}
        elif typing.get_origin(annotation) is typing.Literal:
            values[name] = typing.get_args(annotation)[-1]
        elif "str" in repr(annotation):  # an Id, or an optional one
            values[name] = f"{name}_id"
        else:
            values[name] = 3
    return cls.model_validate(values)


# Fields of which a kind sets exactly one (what a repetition or a scoring rule counts).
ONE_OF = {"resource", "deck", "areas", "track", "area"}
# Fields that name a suit or a tag of a deck's cards: a name within the deck, not an id of the design, so not
# a reference (the rule deck.tags checks them against the deck).
SUIT_FIELDS = {"suit", "trump", "unbroken", "tag"}


def item_sample(annotation: object) -> object:
    """One item of a list field: a literal's first value, a number, or a model with its fields set."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)[0]
    if annotation is fx.ResourceAmount:
        return {"resource": "of_resource", "amount": 2}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {field: "clubs" if field in SUIT_FIELDS else 3 for field in annotation.model_fields}
    return 3


def named_ids(effect: BaseModel | object) -> set[str]:
    """Every id the instance holds (what `sample` wrote), nested ones included."""
    value = effect.model_dump() if isinstance(effect, BaseModel) else effect
    if isinstance(value, dict):
        return set().union(*map(named_ids, value.values()))
    if isinstance(value, list):
        return set().union(*map(named_ids, value))
    return {value} if isinstance(value, str) and value.endswith(("_id", "_resource")) else set()


@pytest.mark.parametrize("cls", EVERY, ids=lambda c: c.__name__)
def test_every_kind_provides_every_facet(cls: type[fx.Term]) -> None:
    for facet in ("sentence", MEANING[cls]):
        assert getattr(cls, facet) is not getattr(cls.__mro__[1], facet), f"{cls.__name__} has no {facet}"
    for slot in cls.REFERENCES:
        assert isinstance(slot, Slot) and slot.attr in cls.model_fields
    effect = sample(cls)
    refs = list(effect.refs(("actions", 0, "effects", 0)))
    # Every id the effect holds is a checked reference, at its own path, and no reference is invented.
    assert {r.target_id for r in refs} == named_ids(effect)
    assert all(r.path.startswith("$.actions[0].effects[0].") for r in refs)
    # Every edge goes to something it names, and the rulebook names everything it refers to.
    assert {target for target, _ in effect.edges()} <= {r.target_id for r in refs}
    if cls in (*fx.EFFECTS, *fx.PRECONDITIONS, *fx.SCORINGS):  # the others are linked by the graph builder
        assert bool(list(effect.edges())) == bool(refs)  # only what names nothing (ending a turn) has none
    else:
        assert effect.subject == next(iter(r.target_id for r in refs), None)
    text = effect.sentence(str.upper)
    assert all(r.target_id.upper() in text for r in refs), text


class CountingTable:
    """A table that records what the effect asked of it: the effect must act through it, nothing else."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    ANSWERS: typing.ClassVar[dict[str, object]] = {
        "amount": 5, "pay": 1, "targets": [0], "parties": [0], "hand_size": 5, "pile_size": 5,
        "discard": ["card"], "roll": 4, "last_roll": [4], "seats": range(2),
        "rounds": 3, "turns": 3, "draw_pile": 2, "depleted": False, "occupancy": 0, "position": 1,
        "finished_first": None, "alive": True, "holdings": 4, "shared_amount": 1,
        "hand_choices": ["hearts_3"] * 5, "suits": ["hearts"], "pile_top": "hearts_5", "suit_of": "hearts",
        "rank_of": 3, "play_to_pile": "hearts_3", "stalled": False, "market_choices": ["gem"],
        "market_hand": "gems", "bank_left": None, "trick": [(1, "hearts_5")] * 2,
        "play_to_trick": "hearts_3", "broken": set(), "final_amount": 5, "map_areas": [],
        "controlled": 2, "presence": 1, "chosen": "1", "controls": True, "tags_of": ("clubs",),
    }  # fmt: skip

    def __getattr__(self, name: str):  # every Table method
        def call(*args, **kwargs):
            self.calls[name] += 1
            return self.ANSWERS.get(name)

        return call


@pytest.mark.parametrize("cls", fx.EFFECTS, ids=lambda c: c.__name__)
def test_every_effect_acts_through_the_table(cls: type[Ludeme]) -> None:
    table = CountingTable()
    effect = sample(cls)
    assert effect.feasible(table, None, 0, Counter()) is True  # a well-stocked table allows everything
    effect.apply(table, None, 0)
    assert table.calls, f"{cls.__name__}.apply did nothing"


@pytest.mark.parametrize(
    "cls", [*fx.PRECONDITIONS, *fx.ENDINGS, *fx.GOALS, *fx.SCORINGS], ids=lambda c: c.__name__
)
def test_every_condition_reads_the_table(cls: type[fx.Term]) -> None:
    table, condition = CountingTable(), sample(cls)
    if isinstance(condition, fx.Requirement):
        condition.holds(table, None, 0)
    elif isinstance(condition, fx.Ending):
        condition.reached(table, None, round_over=True)
    elif isinstance(condition, fx.Scoring):
        assert len(condition.points(table, None)) == 2  # one award per seat
    else:
        condition.standing(table, None, 0)
    assert table.calls, f"{cls.__name__} decided without looking at the game"


def test_generation_offers_kinds_that_narrow_themselves_to_declared_names() -> None:
    """The agents' stage schemas are each ludeme's own `drafts`: subclasses that name only what the design
    declares, offered only when the design has what they need."""
    from pydantic import ValidationError

    from genontology.agents.tabletop.parts import (
        DRAFTED_EFFECTS,
        DRAFTED_ENDINGS,
        DRAFTED_GOALS,
        DRAFTED_SCORINGS,
    )
    from genontology.schemas.tabletop.taxonomy import ComponentKind

    components = {f"a_{kind.value}": kind.value for kind in ComponentKind}
    resources = {"coins": {"scope": "per_player"}, "harmony": {"scope": "shared"}}
    everything = {"produces", "consumes", "sheds"}
    reach = {how: set(components) | set(resources) for how in everything}
    for cooperative in (False, True):
        rich = fx.Drafting(resources, components, cooperative, reach)
        for kind in (*DRAFTED_EFFECTS, *DRAFTED_ENDINGS, *DRAFTED_GOALS, *DRAFTED_SCORINGS):
            options = kind.drafts(rich)
            assert all(issubclass(option, kind) for option in options)
            offered = bool(options)
            if kind in (fx.Transfer, fx.Elimination, *fx.GOALS, *fx.SCORINGS):
                continue  # offered by interaction: checked below
            assert offered, kind.__name__
        assert bool(fx.CooperativeGoal.drafts(rich)) is cooperative
        assert bool(fx.HighestScore.drafts(rich)) is not cooperative
        assert bool(fx.Transfer.drafts(rich)) is not cooperative
        assert all(bool(kind.drafts(rich)) is not cooperative for kind in DRAFTED_SCORINGS)
    bare = fx.Drafting({"coins": {"scope": "per_player"}})
    assert not fx.Roll.drafts(bare) and not fx.Draw.drafts(bare) and not fx.Trade.drafts(bare)
    (gain,) = fx.Gain.drafts(bare)
    assert gain.model_validate({"kind": "gain", "resource": "coins", "amount": 1})
    with pytest.raises(ValidationError):
        gain.model_validate({"kind": "gain", "resource": "gold", "amount": 1})


def enum_strings(schema: object) -> set[str]:
    """Every string value an `enum` or `const` of a JSON schema allows, at any depth."""
    found: set[str] = set()
    if isinstance(schema, dict):
        found.update(v for v in schema.get("enum", []) if isinstance(v, str))
        if isinstance(schema.get("const"), str):
            found.add(schema["const"])
        for value in schema.values():
            found |= enum_strings(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= enum_strings(value)
    return found


@pytest.mark.parametrize("cls", EVERY, ids=[c.__name__ for c in EVERY])
def test_every_kind_narrows_itself_to_declared_names(cls) -> None:
    """Every kind of the vocabulary, offered to generation or not yet, has a narrowed form (so generation can
    use it): offered when the design declares what it names, and naming nothing else."""
    from genontology.schemas.tabletop.taxonomy import ComponentKind

    components = {f"a_{kind.value}": kind.value for kind in ComponentKind}
    resources = {"coins": {"scope": "per_player", "start": 3}, "harmony": {"scope": "shared"}}
    reach = {how: set(components) | set(resources) for how in ("produces", "consumes", "sheds")}
    declared = set(components) | set(resources)
    vocabulary = enum_strings(cls.model_json_schema())  # its own kind tags and fixed words
    options = [
        option
        for cooperative in (False, True)
        for option in cls.drafts(fx.Drafting(resources, components, cooperative, reach))
    ]
    assert options, f"{cls.__name__} has no narrowed form for a design that declares everything"
    for option in options:
        assert issubclass(option, cls)
        named = enum_strings(option.model_json_schema()) - vocabulary
        assert named <= declared, named - declared
        if "tag" in option.model_fields:  # a generated deck's cards carry no tags to ask for
            with pytest.raises(ValidationError):
                TypeAdapter(option.model_fields["tag"].annotation).validate_python("blue")


def test_a_carrier_carries_only_the_kinds_generation_lets_it() -> None:
    from pydantic import ValidationError

    d = fx.Drafting({"coins": {}}, {"a_deck": "deck"}, carried=(fx.Gain,))
    (choose,) = fx.Choose.drafts(d)
    gain = {"kind": "gain", "resource": "coins", "amount": 1}
    choose.model_validate({"kind": "choose", "options": [[gain], [gain, gain]]})
    with pytest.raises(ValidationError):  # drawing is a plain effect, but not one this carrier may carry
        choose.model_validate({"kind": "choose", "options": [[gain], [{"kind": "draw", "deck": "a_deck"}]]})
    with pytest.raises(ValidationError):  # a choice has two options at least
        choose.model_validate({"kind": "choose", "options": [[gain]]})
    assert not fx.If.drafts(fx.Drafting({}, {}, carried=(fx.Gain,)))  # nothing declared: nothing to carry
