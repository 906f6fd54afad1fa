"""What a reader sees of a generated design: rules text written from the structure, names a reader can tell
apart, a title that names the game, and the interaction the theme's words state."""

from __future__ import annotations

import pytest

from genontology.agents.tabletop import parts as P
from genontology.agents.tabletop.naming import PEOPLE, fault
from genontology.agents.tabletop.plan import declared, own_title
from genontology.agents.tabletop.reading import read_interaction
from genontology.agents.tabletop.wording import action_text, goal_text, setup_steps
from genontology.ontology.prose import code_fragment, same_name, words
from genontology.retrieval.lexicon import nearest
from genontology.schemas.tabletop.taxonomy import Interaction


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("}}, 2, 3 }}  # The setup of the components", True),
        ('the "setup": place_cards', True),
        ("a_game_of_strategy_and_loot", True),
        ("Aeropelus, 2018-03-24 19:57:56.183", True),
        ("Trade two spores for a glowing cap; rivals may block you.", False),
        ("Age II: the hands pass to the right (as in age I).", False),
        ("A 1920s jazz club, 3 floors high.", False),
    ],
)
def test_code_fragments_are_found_and_prose_is_left_alone(text: str, code: bool) -> None:
    assert (code_fragment(text) is not None) is code


FUNGI = "bioluminescent fungi competing in a cave ecosystem"


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Candy Land IV", "tells things apart by a numeral"),
        ("Ticket to Ride", "is a published game's title"),
        ("Spice Road", "is a published game's title"),  # two words of "Century: Spice Road"
        ("CamelMachets", "runs its words together"),
        ("Achilles-The-Fighting-Gods", "runs its words together"),
        ("DRAWING", "runs its words together"),
        ("Amarakai", "is not made of English words or the theme's"),
        ("A Heist on a Floating Sky Casino", "is too long for a name"),
        ("trade-making", "says only what kind of thing it is"),
        ("Reward", "says only what kind of thing it is"),
        ("Glowcap", None),  # two English words run into one: a coined name is a name
        ("Spore Market", None),
        ("Ruler of the Gods", None),
        ("Fungi", None),
    ],
)
def test_a_name_that_names_nothing_of_this_game_is_told_apart(name: str, why: str | None) -> None:
    assert fault(name, FUNGI) == why


def test_names_at_fault_or_taken_are_made_from_the_theme_nouns_without_asking_the_model() -> None:
    parts = {
        "mechanics": {
            "mechanisms": [
                {"type": "trading", "name": "Spore Market"},
                {"type": "drafting", "name": "Mau-Mau"},
            ]
        },
        "economy": {
            "score": {"name": "Candy Land II"},
            "currency": {"name": "spore market"},  # the mechanism's name again, in another case
            "others": [{"name": "Glowcaps", "kind": "good", "scope": "per_player", "start": 1}],
        },
        "components": {"shared": [{"name": "CamelMachets", "kind": "deck", "count": 40}]},
        "turn": {"phases": {"start": {"name": "Glowcaps"}, "main": {"name": "Dusk"}}},
    }
    d = declared(parts, FUNGI)
    given = {
        "mechanisms": [m["name"] for m in d.mechanisms.values()],
        "resources": [r["name"] for r in d.resources.values()],
        "components": [c["name"] for c in d.components.values()],
        "phases": [p["name"] for p in d.phases.values()],
    }
    every = [n for names in given.values() for n in names]
    assert given["mechanisms"][0] == "Spore Market" and given["resources"][2] == "Glowcaps"  # kept
    assert given["phases"][1] == "Dusk"
    assert len({same_name(n) for n in every}) == len(every)  # across kinds: a phase named like a resource
    made = [given["mechanisms"][1], *given["resources"][:2], given["components"][0], given["phases"][0]]
    assert all(fault(n, FUNGI) is None for n in made), made
    assert given["mechanisms"][1].endswith(" Draft") and given["components"][0].endswith(" Cards")
    theme_nouns = set(nearest(FUNGI, 40, avoid=PEOPLE))
    assert all(words(n)[0] in theme_nouns or words(n)[0].rstrip("s") in theme_nouns for n in made), made
    assert declared(parts, FUNGI) == d  # the same names every time: ids made from them stay put


def test_an_action_is_named_for_what_it_does_and_to_what() -> None:
    parts = {
        "economy": {"currency": {"name": "Spores"}},
        "actions": {
            "sources": {"spores": {"name": "Candy Land", "phase": "main", "mechanism": "m", "amount": 2}}
        },
    }
    d = declared(parts, FUNGI)
    assert [a["name"] for a in d.actions.values()] == ["Gather Spores"]


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("Glowcap", True),
        ("Theme", False),
        ("Title: Fungi", False),
        ("Bioluminescent fungi competing in a cave", False),
        ("Hanabi", False),  # a published game's name, copied from a precedent
        ("Themyrax Amarakai", False),  # words of no language
    ],
)
def test_a_title_that_is_a_label_the_theme_or_borrowed_gives_way_to_a_working_title(
    title: str, kept: bool
) -> None:
    concept = {"title": title, "theme": "Fungi glow and fight for the cave floor."}
    prompt = "bioluminescent fungi competing in a cave ecosystem"
    assert own_title(concept, prompt) == (title if kept else "Bioluminescent Fungi")


def test_rules_text_is_written_from_the_structure() -> None:
    names = {"coins": "Coins", "spores": "Spores", "cave_deck": "Cave deck", "pawns": "Pawns"}.get
    action = {
        "cost": [{"resource": "coins", "amount": 2}],
        "effects": [
            {"kind": "gain", "resource": "spores", "amount": 1},
            {"kind": "draw", "deck": "cave_deck"},
        ],
    }
    assert action_text(action, names) == "Pay 2 Coins: you gain 1 Spores; draw 1 from Cave deck."
    goal = goal_text(
        [{"kind": "highest_score", "resource": "spores"}], [{"kind": "round_limit", "rounds": 5}], names
    )
    assert goal.startswith("The player with the most Spores wins; the game ends when 5 rounds")
    steps = setup_steps(
        {"cave_deck": {"kind": "deck", "count": 30}, "pawns": {"kind": "pawn", "count": 8, "per_player": 2}},
        {"coins": {"scope": "per_player", "start": 3}, "spores": {"scope": "per_player", "start": 0}},
        {"cave_deck": 5},
        names,
    )
    assert [s["description"] for s in steps] == [
        "Shuffle the Cave deck and deal 5 to each player.",
        "Give each player 2 Pawns.",
        "Each player starts with 3 Coins.",
    ]
    assert steps[0]["deal"] == [{"deck": "cave_deck", "count": 5}]


def test_stage_schemas_ask_only_for_what_structure_cannot_say() -> None:
    assert set(P.Concept.model_fields) == {"title", "tagline", "theme", "setting", "genre", "complexity"}
    assert (
        "description" not in P.MechanismDraft.model_fields and "description" not in P.PlainDraft.model_fields
    )
    assert P.setup({"board": "board"}) is None  # no deck: nothing to deal, nothing to ask
    with pytest.raises(ValueError, match="pattern"):
        P.Concept.model_validate(
            {"title": "Theme: Fungi", "tagline": "x" * 12, "theme": "y" * 20, "setting": "z" * 20}
            | {"genre": "family", "complexity": "light"}
        )


def test_a_competitive_game_offers_no_cooperative_mechanism() -> None:
    def types(interaction: Interaction | None) -> set[str]:
        schema = P.mechanics(interaction, 2).model_json_schema()
        return set(schema["$defs"]["MechanismDraft"]["properties"]["type"]["enum"])

    assert "cooperative" not in types(Interaction.competitive)
    assert "cooperative" in types(Interaction.cooperative) and "cooperative" in types(None)


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        ("rival tea merchants on the silk road", Interaction.competitive),
        ("poets challenging each other to verse battles", Interaction.competitive),
        ("firefighters saving a burning city block together", Interaction.cooperative),
        ("astronomers collaborating on a star map", Interaction.cooperative),
        ("a museum after dark", None),
        ("medieval monks illuminating manuscripts", None),
    ],
)
def test_the_interaction_a_theme_states_is_read_by_meaning(theme: str, expected: Interaction | None) -> None:
    """By meaning, with the shipped sentence model: "challenging" and "collaborating" are not among the
    reading's own words (these two are from the benchmark's held-out set)."""
    assert read_interaction(theme)[0] is expected


def test_a_run_reads_the_interaction_and_says_so_in_its_trace() -> None:
    from pathlib import Path

    from genontology.agents import Designer, Switches, get_plan

    plan = get_plan("tabletop")
    given, said = plan.read(plan.brief(prompt="rival wizards", interaction="cooperative"))
    assert given.interaction is Interaction.cooperative and said == ""  # the user's word stands
    trace = Path(__file__).parent / "data" / "embedded_trace.json"
    quiet = Switches(retrieval=False, critic=False, playtest=False)
    result = Designer(lm=f"replay:{trace}", route="scratch", max_rounds=0, switches=quiet).run(
        "bioluminescent fungi competing in a cave ecosystem", players="2-4", minutes=60
    )
    first = result.trace.steps[0]
    assert first.kind == "read" and "competitive" in first.detail and "competing" in first.detail
    assert result.design is not None and result.design.players.interaction is Interaction.competitive
