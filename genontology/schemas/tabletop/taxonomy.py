"""The tabletop vocabulary: closed enums that bind a model to the domain's terms, each member described.

The mechanism taxonomy follows Engelstein & Shalev's *Building Blocks of Tabletop Game Design* as used by
the reference system (35 types in 7 categories), plus roll-and-move and racing, which traditional games need.
"""

from __future__ import annotations

from enum import StrEnum


def _describe(enum: type[StrEnum], intro: str, descriptions: dict[str, str]) -> None:
    """Attach one line per member to the enum's docstring, which pydantic puts in the JSON Schema."""
    missing = {m.value for m in enum} - set(descriptions)
    if missing:
        raise ValueError(f"{enum.__name__}: members without a description: {sorted(missing)}")
    enum.__doc__ = intro + "\n" + "\n".join(f"- {k}: {v}" for k, v in descriptions.items())
    enum.descriptions = descriptions  # type: ignore[attr-defined]


class MechanismCategory(StrEnum):
    turn_order = "turn_order"
    action_selection = "action_selection"
    resource_economy = "resource_economy"
    conflict_territory = "conflict_territory"
    cards_deck = "cards_deck"
    information = "information"
    other = "other"


class MechanismType(StrEnum):
    turn_based = "turn_based"
    simultaneous = "simultaneous"
    real_time = "real_time"
    worker_placement = "worker_placement"
    action_points = "action_points"
    card_driven = "card_driven"
    dice_driven = "dice_driven"
    action_selection = "action_selection"
    role_selection = "role_selection"
    roll_and_move = "roll_and_move"
    resource_management = "resource_management"
    trading = "trading"
    drafting = "drafting"
    engine_building = "engine_building"
    market = "market"
    auction = "auction"
    area_control = "area_control"
    combat = "combat"
    negotiation = "negotiation"
    area_movement = "area_movement"
    route_building = "route_building"
    deck_building = "deck_building"
    hand_management = "hand_management"
    set_collection = "set_collection"
    tableau_building = "tableau_building"
    trick_taking = "trick_taking"
    hidden_information = "hidden_information"
    deduction = "deduction"
    bluffing = "bluffing"
    memory = "memory"
    tile_placement = "tile_placement"
    pattern_building = "pattern_building"
    push_your_luck = "push_your_luck"
    cooperative = "cooperative"
    programmed_actions = "programmed_actions"
    variable_player_powers = "variable_player_powers"
    race = "race"


C = MechanismCategory
MT = MechanismType
MECHANISM_CATEGORY: dict[MechanismType, MechanismCategory] = {
    **dict.fromkeys([MT.turn_based, MT.simultaneous, MT.real_time], C.turn_order),
    **dict.fromkeys(
        [
            MT.worker_placement,
            MT.action_points,
            MT.card_driven,
            MT.dice_driven,
            MT.action_selection,
            MT.role_selection,
            MT.roll_and_move,
        ],
        C.action_selection,
    ),
    **dict.fromkeys(
        [MT.resource_management, MT.trading, MT.drafting, MT.engine_building, MT.market, MT.auction],
        C.resource_economy,
    ),
    **dict.fromkeys(
        [MT.area_control, MT.combat, MT.negotiation, MT.area_movement, MT.route_building],
        C.conflict_territory,
    ),
    **dict.fromkeys(
        [MT.deck_building, MT.hand_management, MT.set_collection, MT.tableau_building, MT.trick_taking],
        C.cards_deck,
    ),
    **dict.fromkeys([MT.hidden_information, MT.deduction, MT.bluffing, MT.memory], C.information),
    **dict.fromkeys(
        [
            MT.tile_placement,
            MT.pattern_building,
            MT.push_your_luck,
            MT.cooperative,
            MT.programmed_actions,
            MT.variable_player_powers,
            MT.race,
        ],
        C.other,
    ),
}

_describe(
    MechanismType,
    "The kind of mechanism, from a fixed taxonomy of 37 types in 7 categories.",
    {
        "turn_based": "players act one at a time in a fixed or changing order",
        "simultaneous": "all players choose or act at the same time, then resolve together",
        "real_time": "players act as fast as they can against a clock or each other",
        "worker_placement": "players send limited workers to exclusive action spaces to claim their actions",
        "action_points": "each turn grants a budget of points to spend on a menu of actions",
        "card_driven": "the cards a player plays decide which actions or events happen",
        "dice_driven": "dice results decide which actions are available or how strong they are",
        "action_selection": "players pick one of several open actions each turn",
        "role_selection": "players choose a role that grants an action to all and a privilege to the chooser",
        "roll_and_move": "a die roll decides how far a piece moves along a path",
        "resource_management": "players gather, store and convert limited resources",
        "trading": "players exchange resources with each other or with the bank",
        "drafting": "players take cards or tiles in turn from a shared or passed selection",
        "engine_building": "early acquisitions make later turns produce more",
        "market": "players buy from a display whose offer changes as items are taken",
        "auction": "players bid a currency for items or privileges",
        "area_control": "players compete for majority or presence in regions of a board",
        "combat": "players attack one another's pieces or resources",
        "negotiation": "players make deals and promises with each other",
        "area_movement": "pieces move between regions of a board",
        "route_building": "players claim connections to link locations on a board",
        "deck_building": "players start with a small deck and buy cards to improve it during play",
        "hand_management": "players decide when and how to use a limited hand of cards",
        "set_collection": "players score for collecting matching or varied sets",
        "tableau_building": "players build a personal display of cards whose powers combine",
        "trick_taking": "players each play a card to a trick and the strongest card wins it",
        "hidden_information": "some game state is known to only some players",
        "deduction": "players infer hidden facts from clues",
        "bluffing": "players misrepresent what they hold or intend",
        "memory": "players must remember information revealed earlier",
        "tile_placement": "players place tiles to build a shared or personal map",
        "pattern_building": "players arrange pieces into patterns that score",
        "push_your_luck": "players repeat a risky action for more reward until they stop or bust",
        "cooperative": "all players win or lose together against the game",
        "programmed_actions": "players plan a sequence of actions in secret, then execute it",
        "variable_player_powers": "each player has a distinct ability or faction",
        "race": "the first player to reach a goal or the end of a track wins",
    },
)

for _type in MechanismType:
    if _type not in MECHANISM_CATEGORY:
        raise ValueError(f"mechanism type {_type} has no category")


class ComponentKind(StrEnum):
    board = "board"
    player_board = "player_board"
    area = "area"
    action_space = "action_space"
    track = "track"
    deck = "deck"
    card = "card"
    market = "market"
    tile = "tile"
    token = "token"
    coin = "coin"
    die = "die"
    worker = "worker"
    pawn = "pawn"
    marker = "marker"
    bag = "bag"
    timer = "timer"
    screen = "screen"


_describe(
    ComponentKind,
    "The physical kind of a component.",
    {
        "board": "a shared game board",
        "player_board": "a personal mat or board for one player",
        "area": "a region or location on a board that pieces can occupy",
        "action_space": "a spot on a board where a worker claims an action",
        "track": "a numbered track that markers move along (scores, progress, turns)",
        "deck": "a stack of cards drawn from (a draw pile with its discard pile)",
        "card": "a card type; decks hold cards",
        "market": "a face-up display of cards or tiles to take or buy, refilled from a deck",
        "tile": "a tile placed to build a map or pattern",
        "token": "a generic counter or chit",
        "coin": "money tokens",
        "die": "a die",
        "worker": "a piece sent to action spaces",
        "pawn": "a piece that moves on a board or track",
        "marker": "a cube or disc marking a position or ownership",
        "bag": "an opaque bag drawn from blind",
        "timer": "a sand timer or clock",
        "screen": "a screen that hides a player's information",
    },
)

# Component kinds that count as "cards" for mechanisms that need cards.
CARD_KINDS = frozenset({ComponentKind.deck, ComponentKind.card, ComponentKind.market})
PLACE_KINDS = frozenset(
    {
        ComponentKind.board,
        ComponentKind.area,
        ComponentKind.action_space,
        ComponentKind.player_board,
        ComponentKind.track,
    }
)
PIECE_KINDS = frozenset(
    {
        ComponentKind.worker,
        ComponentKind.pawn,
        ComponentKind.marker,
        ComponentKind.tile,
        ComponentKind.token,
        ComponentKind.card,
        ComponentKind.coin,
    }
)


class ResourceKind(StrEnum):
    currency = "currency"
    good = "good"
    points = "points"
    health = "health"
    influence = "influence"
    action = "action"
    progress = "progress"
    threat = "threat"


_describe(
    ResourceKind,
    "What a resource is for.",
    {
        "currency": "money spent to buy, bid or pay",
        "good": "a material or commodity produced, converted and spent",
        "points": "victory points or score",
        "health": "life or strength that can be lost",
        "influence": "standing, favour or power",
        "action": "a budget of actions or time",
        "progress": "advancement toward a shared or personal goal",
        "threat": "danger that rises and can make players lose",
    },
)


class Genre(StrEnum):
    strategy = "strategy"
    party = "party"
    family = "family"
    thematic = "thematic"
    abstract = "abstract"
    war = "war"
    dexterity = "dexterity"
    euro = "euro"
    ameritrash = "ameritrash"


_describe(
    Genre,
    "Broad genre, as players would shelve the game.",
    {
        "strategy": "long-term planning decides the winner",
        "party": "light, social, many players",
        "family": "simple rules for mixed ages",
        "thematic": "story and setting drive play",
        "abstract": "little or no theme; pure rules",
        "war": "simulated military conflict",
        "dexterity": "physical skill matters",
        "euro": "indirect interaction, economy, points",
        "ameritrash": "direct conflict, dice, drama",
    },
)


class Complexity(StrEnum):
    light = "light"
    medium_light = "medium_light"
    medium = "medium"
    medium_heavy = "medium_heavy"
    heavy = "heavy"


_describe(
    Complexity,
    "Rules weight, from a children's game to a heavy strategy game.",
    {
        "light": "taught in five minutes",
        "medium_light": "a few interacting rules",
        "medium": "several systems to learn",
        "medium_heavy": "many interacting systems",
        "heavy": "a long teach and deep planning",
    },
)


class Interaction(StrEnum):
    competitive = "competitive"
    cooperative = "cooperative"
    team = "team"
    semi_cooperative = "semi_cooperative"
    asymmetric = "asymmetric"
    solo = "solo"


_describe(
    Interaction,
    "How players relate to each other.",
    {
        "competitive": "every player for themselves",
        "cooperative": "all players win or lose together against the game",
        "team": "players form teams that compete",
        "semi_cooperative": "players must cooperate to avoid a shared loss but only one wins",
        "asymmetric": "players take different roles with different goals or rules",
        "solo": "one player against the game",
    },
)


class TurnOrder(StrEnum):
    clockwise = "clockwise"
    simultaneous = "simultaneous"
    real_time = "real_time"
    variable = "variable"


_describe(
    TurnOrder,
    "How turns pass between players.",
    {
        "clockwise": "players take turns in seat order",
        "simultaneous": "all players act at once each round",
        "real_time": "no turns; everyone acts continuously",
        "variable": "turn order changes during play (by bids, position or roles)",
    },
)


class Uncertainty(StrEnum):
    dice = "dice"
    shuffled_cards = "shuffled_cards"
    blind_draw = "blind_draw"
    hidden_information = "hidden_information"
    player_choices = "player_choices"


_describe(
    Uncertainty,
    "Where uncertainty comes from.",
    {
        "dice": "die rolls",
        "shuffled_cards": "draws from a shuffled deck",
        "blind_draw": "draws from a bag",
        "hidden_information": "hidden hands, roles or screens",
        "player_choices": "what the other players will do",
    },
)
