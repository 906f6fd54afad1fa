"""What every ludeme of the tabletop vocabulary shares: id types, references, relations, and the table that an
effect acts on.

A ludeme (Ludii's word) is one concept, one class, carrying its grammar and its semantics: its Pydantic
fields (what a design may say), the references it makes (`refs`), the ontology graph's edges it implies
(`edges`), its sentence in the rulebook (`sentence`), whether it can happen now (`feasible`) and what it does
(`apply`). Conditions are ludemes too: a precondition says whether it `holds`, an end condition whether the
game has `reached` it, a victory condition how a seat stands by it and whether it `decides` the winners. The
engine implements `Table`; the ludeme says what to do with it, so adding a kind touches one class and its
tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from genontology.ontology import graph as g
from genontology.ontology.intervals import Interval, total
from genontology.ontology.narrowing import choice, narrow
from genontology.ontology.violations import PathPart, json_path
from genontology.schemas.tabletop.taxonomy import ComponentKind

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
    Field(
        description="A stable id: lower-case slug of letters, digits and underscores, starting with a letter."
    ),
]
Amount = Annotated[int, Field(ge=1, le=999, description="A positive quantity.")]
Count = Annotated[int, Field(ge=1, le=20, description="How many items.")]
Player = Literal[
    "self", "chosen_opponent", "each_opponent", "all_players", "left_neighbour", "right_neighbour"
]
Party = Literal["self", "chosen_opponent", "each_opponent", "supply", "left_neighbour", "right_neighbour"]

NONE = type(None)  # a field narrowed to nothing: it must stay unset

PRODUCES, CONSUMES, TRIGGERS, USES = g.PRODUCES, g.CONSUMES, g.TRIGGERS, g.USES
# Relations an effect adds to the ontology graph beyond the core's (produces, consumes, triggers, uses).
REQUIRES = "requires"
SHEDS = "sheds"

K = ComponentKind
DECK = frozenset({K.deck})
DICE = frozenset({K.die})
TRACK = frozenset({K.track})
MARKET = frozenset({K.market})
MOVERS = frozenset({K.pawn, K.worker, K.marker, K.token})
AREAS = frozenset({K.area})

# Who an effect reaches, as the rulebook says it.
WHO = {
    "self": "you",
    "chosen_opponent": "an opponent of your choice",
    "each_opponent": "each opponent",
    "all_players": "every player",
    "left_neighbour": "the player on your left",
    "right_neighbour": "the player on your right",
    "supply": "the supply",
}

Target = Literal["component", "action", "resource", "mechanism"]
Name = Callable[[str], str]  # an id to its display name


@dataclass(frozen=True)
class Ref:
    """A reference at `path` to the id `target_id`, which must name a `target` of one of `kinds`."""

    parts: tuple[PathPart, ...]
    target_id: str
    target: Target
    kinds: frozenset[ComponentKind] | None = None

    @property
    def path(self) -> str:
        return json_path(*self.parts)


class Node(BaseModel):
    """Base of every schema object: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class ResourceAmount(Node):
    resource: Id = Field(description="Id of a declared resource.")
    amount: Amount


class Slot(NamedTuple):
    """One field of an effect that names something: what it must name and the graph edges it implies."""

    attr: str
    target: Target
    kinds: frozenset[ComponentKind] | None
    relations: tuple[str, ...]


def resource_slot(attr: str, *relations: str) -> Slot:
    return Slot(attr, "resource", None, relations)


def component_slot(attr: str, kinds: frozenset[ComponentKind], *relations: str) -> Slot:
    return Slot(attr, "component", kinds, relations)


def target_choice(table: Table, state: Any, seat: int, *parties: str) -> dict[str, list[str]]:
    """An opponent to choose, when any of `parties` is the chosen opponent."""
    return {"target": table.opponents(state, seat)} if "chosen_opponent" in parties else {}


class Table(Protocol):
    """What an engine offers the effects: amounts and transfers, cards, markets, tracks, dice and presence.
    `state` is the engine's own; `seat` is the player the effect acts for."""

    def amount(self, state: Any, seat: int, resource: str) -> int: ...
    def final_amount(self, state: Any, seat: int, resource: str) -> int: ...  # with final scoring, if now
    def gain(self, state: Any, seat: int, resource: str, amount: int, from_bank: bool = True) -> None: ...
    def pay(self, state: Any, seat: int, resource: str, amount: int, to_bank: bool = True) -> int: ...
    def targets(self, state: Any, who: str) -> list[int]: ...
    def parties(self, state: Any, party: str) -> list[int | None]: ...
    def hand_size(self, state: Any, seat: int, deck: str) -> int: ...
    def pile_size(self, state: Any, seat: int, deck: str) -> int: ...
    def draw(self, state: Any, seat: int, deck: str, count: int) -> None: ...
    def discard(self, state: Any, seat: int, deck: str, count: int, tag: str | None = None) -> list[str]: ...
    def tags_of(self, card: str) -> tuple[str, ...]: ...  # a card type's tags, or a suited card's suit
    def resolve_card(self, state: Any, seat: int, card: str) -> None: ...
    def market_hand(self, market: str) -> str: ...
    def take(
        self, state: Any, seat: int, market: str, count: int, into: str | None = None, resolve: bool = False
    ) -> None: ...
    def gain_card(self, state: Any, seat: int, card: str, into: str, count: int) -> None: ...
    def roll(self, state: Any, dice: str, count: int) -> int: ...
    def last_roll(self, state: Any, dice: str) -> list[int]: ...
    def end_turn(self, state: Any) -> None: ...
    def extra_actions(self, state: Any, count: int) -> None: ...
    def place(self, state: Any, seat: int, where: str, count: int) -> None: ...
    # A map: areas joined by adjacency; where a seat's pieces are, moving them, and what each seat controls.
    def map_areas(self) -> list[str]: ...
    def routes(self, state: Any, seat: int, steps: int) -> list[str]: ...  # "from>to", a piece's moves
    def near(self, state: Any, seat: int) -> list[str]: ...  # areas the seat holds and their neighbours
    def move_piece(self, state: Any, seat: int, route: str | None) -> None: ...
    def controls(self, state: Any, seat: int, area: str) -> bool: ...
    def controlled(self, state: Any, seat: int) -> int: ...
    def presence(self, state: Any, seat: int, area: str) -> int: ...
    # What the move being resolved chose for `key` if it is among `options`, else one of them at random.
    def chosen(self, state: Any, key: str, options: list[str]) -> str: ...
    def pass_hand(self, state: Any, seat: int, deck: str, to: str) -> None: ...
    def bid(self, state: Any, seat: int, auction: Any, amount: int) -> None: ...  # settled at the round end
    def advance(self, state: Any, seat: int, track: str, steps: int) -> None: ...
    # What a player can choose among: opponents (as seat_N), cards in a market row or in hand.
    def opponents(self, state: Any, seat: int) -> list[str]: ...
    def market_choices(self, state: Any, seat: int, market: str) -> list[str]: ...
    def hand_choices(self, state: Any, seat: int, deck: str) -> list[str]: ...
    # Suited cards: a card's suit and rank, a deck's suits, the face-up top of its discard pile, the suit
    # named to follow (after a wild card), and playing one chosen card from hand onto that pile.
    def suit_of(self, card: str) -> str | None: ...
    def rank_of(self, card: str) -> int | None: ...
    def suits(self, deck: str) -> list[str]: ...
    def pile_top(self, state: Any, deck: str) -> str | None: ...
    def named_suit(self, state: Any, deck: str) -> str | None: ...
    def name_suit(self, state: Any, deck: str, suits: list[str]) -> None: ...
    def play_to_pile(self, state: Any, seat: int, deck: str, cards: list[str]) -> str | None: ...
    # Tricks and gifts: the current trick as (seat, card) in order of play, the suits played to tricks so far,
    # playing the move's card (one of `cards`) to it, closing it (its taker leads next), giving a card.
    def trick(self, state: Any, deck: str) -> list[tuple[int, str]]: ...
    def broken(self, state: Any, deck: str) -> set[str]: ...
    def play_to_trick(self, state: Any, seat: int, deck: str, cards: list[str]) -> str | None: ...
    def close_trick(self, state: Any, deck: str, taker: int) -> None: ...
    def give(self, state: Any, seat: int, deck: str, to: str) -> None: ...
    # What the conditions read: seats, rounds and turns, piles, banks, tracks, who is still in.
    def seats(self, state: Any) -> range: ...
    def rounds(self, state: Any) -> int: ...
    def turns(self, state: Any) -> int: ...
    def shared_amount(self, state: Any, resource: str) -> int: ...
    def holdings(self, state: Any, seat: int) -> int: ...
    def draw_pile(self, state: Any, deck: str) -> int: ...
    def depleted(self, state: Any, resource: str) -> bool: ...
    def bank_left(self, state: Any, resource: str) -> int | None: ...
    def occupancy(self, state: Any, area: str) -> int: ...
    def position(self, state: Any, seat: int, track: str) -> int: ...
    def finished_first(self, state: Any) -> int | None: ...
    def alive(self, state: Any, seat: int) -> bool: ...
    def stalled(self, state: Any) -> bool: ...
    def eliminate(self, state: Any, seat: int) -> None: ...


def held(table: Table, state: Any, seat: int, deck: str, tag: str | None = None) -> list[str]:
    """The cards of a deck in the seat's hand; only those with `tag`, if one is given."""
    hand = table.hand_choices(state, seat, deck)
    return hand if tag is None else [card for card in hand if tag in table.tags_of(card)]


def alike(table: Table, state: Any, seat: int, deck: str, count: int) -> list[str]:
    """The tags of which the seat holds at least `count` cards of a deck: the sets it could lay down."""
    tally = Counter(tag for card in table.hand_choices(state, seat, deck) for tag in table.tags_of(card))
    return sorted(tag for tag, n in tally.items() if n >= count)


Tag = Annotated[
    Id | None, Field(description="Only cards with this tag (a colour, a set, a suit of the deck's cards).")
]
Alike = Annotated[
    bool,
    Field(description="The cards must share one tag, of the player's choice (five cards of one colour)."),
]


def cards(of: Any, name: Name) -> str:
    """How the rulebook says the cards an effect or condition on a hand is about: `5 matching Player deck
    cards`, `1 blue Player deck card(s)`."""
    if of.tag:
        return f"{of.tag.replace('_', ' ')} {name(of.deck)} card(s)"
    return f"matching {name(of.deck)} cards (of one tag)" if of.alike else f"{name(of.deck)} card(s)"


@dataclass(frozen=True)
class Drafting:
    """What a design being generated has declared so far. Each ludeme narrows itself to these names
    (`drafts`), so that a model writing under constrained decoding can name nothing that does not exist."""

    resources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # id -> its declared fields
    components: Mapping[str, str] = field(default_factory=dict)  # id -> its ComponentKind's value
    cooperative: bool = False
    reach: Mapping[str, set[str]] = field(default_factory=dict)  # produces/consumes/sheds -> ids reached
    carried: tuple[type, ...] = ()  # the plain effect kinds a carrier may carry; all of them when empty

    def ids(self, kinds: Iterable[ComponentKind]) -> list[str]:
        wanted = {k.value for k in kinds}
        return [cid for cid, kind in self.components.items() if kind in wanted]

    def reached(self, how: str, ids: Iterable[str]) -> list[str]:
        """Those of `ids` that some action reaches by `how` (produces, consumes, sheds)."""
        return [i for i in ids if i in self.reach.get(how, set())]

    def names(self, slot: Slot) -> list[str]:
        """What a field that names something may name: the declared resources, or components of its kinds."""
        if slot.target == "resource":
            return list(self.resources)
        if slot.target == "component":
            return self.ids(slot.kinds) if slot.kinds is not None else list(self.components)
        return []  # actions and mechanisms are not declared to a stage that writes effects


def untagged(cls: type[BaseModel]) -> dict[str, Any]:
    """A kind's card-tag fields narrowed away for generation: a generated deck's cards carry no tags, so there
    is none to ask for (`deck.tags` would refuse any) and no set of one tag to make."""
    fields = cls.model_fields
    if "tag" not in fields:
        return {}
    return {"tag": NONE, **({"alike": Literal[False]} if "alike" in fields else {})}


class Term(Node):
    """A word of the vocabulary that names things: what it refers to (`REFERENCES`, from which `refs` and
    `edges` follow unless a class overrides them) and how the rulebook says it (`sentence`)."""

    REFERENCES: ClassVar[tuple[Slot, ...]] = ()  # the fields that name something, in document order

    def refs(self, base: tuple[PathPart, ...]) -> Iterator[Ref]:
        """Every id this names, at its path below `base`, with what it must point to."""
        for slot in self.REFERENCES:
            value = getattr(self, slot.attr)
            if value:
                yield Ref((*base, slot.attr), value, slot.target, slot.kinds)

    def edges(self) -> Iterator[tuple[str, str]]:
        """(id, relation) for each edge from the action, phase or card type that carries it."""
        for slot in self.REFERENCES:
            value = getattr(self, slot.attr)
            if value:
                for relation in slot.relations:
                    yield value, relation

    def sentence(self, name: Name) -> str:
        """The term as a phrase of the rulebook, in the design's names."""
        raise NotImplementedError

    @classmethod
    def drafts(cls, d: Drafting) -> list[Any]:
        """This kind narrowed to what `d` declares, as the models a generating stage may offer: every field
        that names something (`REFERENCES`) becomes a choice among the declared names, and a kind whose
        required name has nothing to name is not offered. A kind narrows further where a rule asks more (a
        score that play must raise, a goal only for a cooperative game); what generation offers is the
        agents' choice among these."""
        overrides: dict[str, Any] = untagged(cls)
        for slot in cls.REFERENCES:
            names = d.names(slot)
            required = cls.model_fields[slot.attr].is_required()
            if not names and required:
                return []
            overrides[slot.attr] = choice(names) if required else (choice(names) | None if names else NONE)
        return [narrow(cls, **overrides)] if overrides else [cls]


# Abstract interpretation (rules/quantities.py): what one resolution of an effect can do to the quantities a
# player holds (a resource, a position on a track), for the acting player ("self") and for any other
# ("others"), as intervals.
Holder = Literal["self", "others"]
Key = tuple[str, Holder]
Delta = dict[Key, Interval]
WHOM: dict[str, tuple[Holder, ...]] = {
    "self": ("self",),
    "all_players": ("self", "others"),
    "chosen_opponent": ("others",),
    "each_opponent": ("others",),
    "left_neighbour": ("others",),
    "right_neighbour": ("others",),
    "supply": (),
}
RISES, FALLS = Interval(0, None), Interval(None, 0)


def changes(quantity: str, whom: str, by: Interval) -> Delta:
    """`quantity` held by `whom` (a Player or Party) changes by `by`."""
    return {(quantity, holder): by for holder in WHOM[whom]}


class Reach(Protocol):
    """What a transfer function may ask of the analysis: the most a quantity reaches as far as known yet
    (None: no bound), the change of taking one card of a deck or market (resolving its effects, paying its
    price), the total a roll can show, and the most players at the table."""

    players: int

    def most(self, quantity: str) -> int | None: ...
    def card(self, source: str, resolve: bool = True, pay: bool = False) -> Delta: ...
    def rolled(self, dice: str, count: int) -> Interval: ...


class Ludeme(Term):
    """An effect: one kind of thing that happens in play. Every member of the Effect union defines `kind`
    and overrides `sentence` and `apply`; `feasible` is true unless the effect needs something the player
    may lack; `choices` names what the player decides (the engine honours the move's arguments in the
    table's operations: a chosen opponent, a chosen card)."""

    def parts(self) -> Iterator[Ludeme]:
        """This effect and every effect it carries (a conditional's branches), for rules that look at each."""
        yield self

    def choices(self, table: Table, state: Any, seat: int) -> dict[str, list[str]]:
        """The choices this effect leaves to the player, as argument name -> options (the move's arguments):
        which opponent, which card. Empty when the effect is fully determined or left to chance."""
        return {}

    def feasible(self, table: Table, state: Any, seat: int, drawn: Counter[str]) -> bool:
        """Whether the effect can happen now; `drawn` counts cards drawn earlier in the same action, per deck
        (effects run in order, so a card drawn first can be played later in the action)."""
        return True

    def apply(self, table: Table, state: Any, seat: int) -> None:
        """Do it."""
        raise NotImplementedError

    def transfer(self, at: Reach) -> Delta:
        """What one resolution does to the quantities players hold (the abstract semantics of `apply`).
        By default, from the graph's relations: a quantity it produces may rise without bound and one it
        consumes may fall, for anyone; a kind that knows better says exactly (so the analysis decides only
        where a transfer is precise, and otherwise says nothing)."""
        out: list[Delta] = []
        for slot in self.REFERENCES:
            value = getattr(self, slot.attr)
            if value and (slot.target == "resource" or slot.kinds == TRACK):
                if PRODUCES in slot.relations:
                    out.append(changes(value, "all_players", RISES))
                if CONSUMES in slot.relations:
                    out.append(changes(value, "all_players", FALLS))
        return total(*out)
