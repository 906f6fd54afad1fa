"""Degenerate variants of good games: the negatives the playable gate is calibrated against (issue 24).

Each kind of damage takes a design (as data) and breaks what only play can show, while the structure stays
valid: the structural validator passes every variant kept, so a gate that rejects it does so by simulation.
Each kind names the check that should catch it. A kind that does not fit a design returns None.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Data = dict[str, Any]
GAINS = ("gain", "score")
OTHERS = ("chosen_opponent", "each_opponent", "left_neighbour", "right_neighbour")


def _victory_resource(d: Data) -> str | None:
    return next((v["resource"] for v in d["victory"] if v["kind"] in ("highest_score", "lowest_score")), None)


def _competitive(d: Data) -> bool:
    return d["players"]["interaction"] == "competitive" and d["players"]["max"] > 1


def luck_decides(d: Data) -> Data | None:
    """The winner is whoever rolls best: each turn ends with a die roll that is the only score."""
    if not _competitive(d):
        return None
    d["components"].append({"id": "fate_die", "name": "Fate die", "kind": "die", "count": 1})
    d["resources"].append({"id": "fate", "name": "Fate", "kind": "points"})
    d["turn_structure"]["phases"].append(
        {
            "id": "fate_roll",
            "name": "Fate",
            "description": "Roll the fate die and add it to your fate.",
            "effects": [{"kind": "roll", "dice": "fate_die", "gain": "fate"}],
        }
    )
    d["mechanisms"][0].setdefault("components", []).append("fate_die")
    d["setup"][0].setdefault("components", []).append("fate_die")
    d["victory"] = [{"kind": "highest_score", "resource": "fate"}]
    d["final_scoring"], d["tie_breakers"] = [], []
    if "dice" not in d.get("uncertainty", []) and len(d.get("uncertainty", [])) < 5:
        d.setdefault("uncertainty", []).append("dice")
    return d


def free_dominant(d: Data) -> Data | None:
    """One action made free and strictly better: the best scoring action again, without cost or condition,
    paying three times as much."""
    scored = _victory_resource(d)
    for action in d["actions"]:
        gains = [
            e for e in action["effects"] if e.get("resource") == scored and e["kind"] in ("gain", "score")
        ]
        if gains and len(d["actions"]) < 20:
            windfall = copy.deepcopy(action)
            windfall.update(id="windfall", name="Windfall", cost=[], preconditions=[], limit_per_turn=None)
            for e in windfall["effects"]:
                if e in gains:
                    e["amount"] = min(999, e["amount"] * 3)
            d["actions"].append(windfall)
            for phase in d["turn_structure"]["phases"]:
                if action["id"] in phase.get("actions", []):
                    phase["actions"].append("windfall")
            for m in d["mechanisms"]:
                if action["id"] in m.get("actions", []):
                    m["actions"].append("windfall")
            return d
    return None


def first_round_end(d: Data) -> Data | None:
    """The game ends after its first round."""
    d["end_conditions"] = [{"kind": "round_limit", "rounds": 1}]
    return d


def identical_actions(d: Data) -> Data | None:
    """Every action does what the first does, at its cost: choosing among them is no choice."""
    if len(d["actions"]) < 2:
        return None
    first = d["actions"][0]
    for action in d["actions"][1:]:
        action.update(
            cost=copy.deepcopy(first.get("cost", [])),
            preconditions=copy.deepcopy(first.get("preconditions", [])),
            effects=copy.deepcopy(first["effects"]),
        )
    return d


def no_choices(d: Data) -> Data | None:
    """Each phase allows one action and effects aim at everyone, not at a chosen opponent."""
    for phase in d["turn_structure"]["phases"]:
        if phase.get("actions"):
            phase["actions"], phase["actions_per_turn"] = phase["actions"][:1], 1
            phase.pop("actions_from", None)
    for action in d["actions"]:
        for e in action["effects"]:
            for key in ("target", "source"):
                if e.get(key) == "chosen_opponent":
                    e[key] = "each_opponent"
    return d


def no_interaction(d: Data) -> Data | None:
    """An interactive game played side by side: nothing reaches another player."""
    touched = False
    for action in d["actions"]:
        kept = []
        for e in action["effects"]:
            if e.get("target") in OTHERS or e.get("recipient") in OTHERS:
                touched = True
                continue
            if e.get("source") in OTHERS:
                e["source"], touched = "supply", True
            if e.get("partner") == "player":
                e["partner"], touched = "supply", True
            kept.append(e)
        action["effects"] = kept or [{"kind": "end_turn"}]
    return d if touched else None


def endless(d: Data) -> Data | None:
    """The only end is far beyond play: twenty times the round limit, or a threshold a hundred times on."""
    ends = []
    for e in d["end_conditions"]:
        if e["kind"] == "round_limit":
            ends.append({**e, "rounds": min(200, e["rounds"] * 20)})
        elif e["kind"] == "score_threshold":
            ends.append({**e, "threshold": min(9999, e["threshold"] * 100)})
    if not ends:
        return None
    d["end_conditions"] = ends
    return d


def first_mover_wins(d: Data) -> Data | None:
    """A race the first player wins on their first turn: the threshold is what one action scores."""
    scored = _victory_resource(d)
    if not _competitive(d) or scored is None:
        return None
    best = max(
        (
            e["amount"]
            for a in d["actions"]
            for e in a["effects"]
            if e.get("resource") == scored and "amount" in e
        ),
        default=0,
    )
    start = next((r.get("start", 0) for r in d["resources"] if r["id"] == scored), 0)
    if best == 0:
        return None
    d["end_conditions"] = [{"kind": "score_threshold", "resource": scored, "threshold": start + best}]
    d["final_scoring"] = []
    return d


@dataclass(frozen=True)
class Damage:
    name: str
    make: Callable[[Data], Data | None]
    caught_by: str | None  # the gate check that should reject it (None: no check aims at it, see below)


DAMAGES = (
    Damage("luck decides", luck_decides, "skill"),
    Damage("free dominant action", free_dominant, "no dominant action"),
    Damage("ends in the first round", first_round_end, "length"),
    Damage("identical actions", identical_actions, "skill"),
    Damage("no choices", no_choices, "skill"),
    # Removing what reaches another player leaves the races for shared supplies and markets: a game like
    # that is Azul or Sagrada, not a broken one. No check aims at it; what the gate does with it is reported.
    Damage("no interaction", no_interaction, None),
    Damage("endless", endless, "completes"),
    Damage("first mover wins", first_mover_wins, "balance"),
)


def damaged(design: Data, damage: Damage) -> Data | None:
    """The variant of `design` with `damage`, if it fits, changes something, and leaves the structure free of
    errors."""
    from genontology import get_domain

    variant = damage.make(copy.deepcopy(design))
    if variant is None or variant == design:  # nothing to break: a game with no choices to remove
        return None
    variant["id"] = f"{design['id']}_{damage.name.replace(' ', '_')}"[:40]
    domain = get_domain("tabletop")
    if any(v.severity.value == "error" for v in domain.validate(variant)):
        return None
    return variant
