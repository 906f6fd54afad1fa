"""Broken designs: realistic faults of quantity, each kind applied to every shipped exemplar it fits.

A reviewer of a board game would flag each of these: an amount asked for that play can never reach, a deal
or a market larger than its deck, a deck that does not add up, a bank that cannot fund setup, an end met
before play, cards asked of a hand they never reach, a trade with itself, victories that contradict, a
shared pool as a score. `broken()` builds them from the exemplars (the first few each kind fits), with the
codes that count as catching each; `tests/test_quantities.py` requires every one caught as an error, and
`benchmarks/broken_designs.py` reports the rate.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from genontology.schemas.tabletop.corpus import load_exemplars
from genontology.schemas.tabletop.model import Component, GameDesign
from genontology.schemas.tabletop.ranges import Ranges, analyse, cards_in

Data = dict[str, Any]
PER_KIND = 4  # exemplars each kind is applied to


@dataclass(frozen=True)
class Broken:
    kind: str
    exemplar: str
    data: Data
    caught_by: frozenset[str]

    @property
    def name(self) -> str:
        return f"{self.kind}@{self.exemplar}"


def _bounded(d: Data, r: Ranges, scope: str = "per_player") -> list[tuple[Data, int]]:
    """Resources (with their reachable maximum) whose range is bounded and which play raises."""
    found = []
    for res in d["resources"]:
        most = r.values[res["id"]].hi
        if res.get("scope", "per_player") == scope and most is not None and most < 999 and r.rises(res["id"]):
            found.append((res, most))
    return found


def cost_beyond_reach(d: Data, r: Ranges) -> bool:
    for res, most in _bounded(d, r):
        for action in d["actions"]:
            for cost in action.get("cost", []):
                if cost["resource"] == res["id"]:
                    cost["amount"] = min(999, most + 1)
                    return True
    return False


def precondition_beyond_reach(d: Data, r: Ranges) -> bool:
    for res, most in _bounded(d, r):
        d["actions"][0].setdefault("preconditions", []).append(
            {"kind": "resource_at_least", "resource": res["id"], "amount": min(999, most + 1)}
        )
        return True
    return False


def threshold_beyond_reach(d: Data, r: Ranges) -> bool:
    if r.rounds is None or len(d["end_conditions"]) >= 4:
        return False
    for res, most in _bounded(d, r):
        if res.get("maximum") is None and most < 9999:
            end = {"kind": "score_threshold", "resource": res["id"], "threshold": most + 1}
            d["end_conditions"].append(end)
            return True
    return False


def goal_beyond_reach(d: Data, r: Ranges) -> bool:
    for i, v in enumerate(d["victory"]):
        if v["kind"] == "cooperative_goal":
            most = r.values[v["resource"]].hi
            if most is not None and r.rises(v["resource"]) and most < 9999:
                d["victory"][i]["threshold"] = most + 1
                return True
    return False


def _decks(d: Data) -> Iterator[Data]:
    return (c for c in d["components"] if c["kind"] == "deck" and not c.get("personal"))


def deal_beyond_deck(d: Data, r: Ranges) -> bool:
    for step in d["setup"]:
        for deal in step.get("deal", []):
            deck = next((c for c in _decks(d) if c["id"] == deal["deck"]), None)
            if deck is not None:
                held = cards_in(Component.model_validate(deck))
                deal["count"] = min(20, held // d["players"]["max"] + 1)
                return held // d["players"]["max"] + 1 <= 20
    return False


def market_beyond_deck(d: Data, r: Ranges) -> bool:
    for market in d["components"]:
        deck = next((c for c in _decks(d) if c["id"] == market.get("source")), None)
        if market["kind"] == "market" and deck is not None:
            held = cards_in(Component.model_validate(deck))
            if held < 200:
                market["size"] = held + 1
                return True
    return False


def contents_off(d: Data, r: Ranges) -> bool:
    for deck in _decks(d):
        if deck.get("contents"):
            deck["count"] += 3
            return True
    return False


def bank_short(d: Data, r: Ranges) -> bool:
    for res in d["resources"]:
        if res.get("start", 0) > 0 and res.get("scope", "per_player") == "per_player":
            res["supply"] = res["start"] * d["players"]["max"] - 1
            return True
    return False


def threshold_met_at_start(d: Data, r: Ranges) -> bool:
    for end in d["end_conditions"]:
        if end["kind"] == "score_threshold":
            res = next(x for x in d["resources"] if x["id"] == end["resource"])
            res["start"] = end["threshold"]
            res.pop("maximum", None)
            return True
    return False


def empty_hand_never_dealt(d: Data, r: Ranges) -> bool:
    for end in d["end_conditions"]:
        if end["kind"] == "hand_empty" and end.get("who", "any") == "any" and d["players"]["min"] >= 2:
            for step in d["setup"]:
                step["deal"] = [x for x in step.get("deal", []) if x["deck"] != end["deck"]]
            return True
    return False


def hand_never_reached(d: Data, r: Ranges) -> bool:
    """A precondition on cards of a new deck that nothing deals or draws."""
    if len(d["components"]) >= 24:
        return False
    d["components"].append({"id": "relic_deck", "name": "Relic cards", "kind": "deck", "count": 12})
    d["actions"][0].setdefault("preconditions", []).append({"kind": "hand_at_least", "deck": "relic_deck"})
    d["mechanisms"][0].setdefault("components", []).append("relic_deck")
    d["setup"][0].setdefault("components", []).append("relic_deck")
    return True


def trade_with_itself(d: Data, r: Ranges) -> bool:
    for action in d["actions"]:
        for effect in action["effects"]:
            if effect["kind"] == "trade":
                effect["receive"]["resource"] = effect["give"]["resource"]
                return True
    return False


def most_and_fewest(d: Data, r: Ranges) -> bool:
    for v in d["victory"]:
        if v["kind"] == "highest_score" and len(d["victory"]) < 3:
            d["victory"].append({"kind": "lowest_score", "resource": v["resource"]})
            return True
    return False


def shared_score(d: Data, r: Ranges) -> bool:
    if d["players"]["interaction"] != "competitive":
        return False
    for v in d["victory"]:
        if v["kind"] == "highest_score":
            next(x for x in d["resources"] if x["id"] == v["resource"])["scope"] = "shared"
            return True
    return False


def solo_with_opponents(d: Data, r: Ranges) -> bool:
    for action in d["actions"]:
        for effect in action["effects"]:
            if effect.get("target") in ("chosen_opponent", "each_opponent") or effect.get("source") in (
                "chosen_opponent",
                "each_opponent",
            ):
                d["players"].update(min=1, max=1, recommended=[1])
                return True
    return False


def track_beyond_reach(d: Data, r: Ranges) -> bool:
    """A race given a round limit too short for any marker to reach the end of its track."""
    races = [c for c in d["end_conditions"] + d["victory"] if c["kind"] in ("track_end", "first_to_finish")]
    if not races or r.rounds is not None or len(d["end_conditions"]) >= 4:
        return False
    d["end_conditions"].append({"kind": "round_limit", "rounds": 2})
    after = analyse(GameDesign.model_validate(d))
    track = next(c for c in d["components"] if c["id"] == races[0]["track"])
    most = after.values[track["id"]].hi
    return most is not None and after.rises(track["id"]) and most < (track.get("size") or 0)


Builder = Callable[[Data, Ranges], bool]
KINDS: dict[str, tuple[Builder, frozenset[str]]] = {
    "cost beyond reach": (cost_beyond_reach, frozenset({"reach.cost", "action.cost-exceeds-maximum"})),
    "precondition beyond reach": (precondition_beyond_reach, frozenset({"reach.precondition"})),
    "threshold beyond reach": (threshold_beyond_reach, frozenset({"reach.threshold", "end.never-triggers"})),
    "goal beyond reach": (goal_beyond_reach, frozenset({"reach.threshold", "victory.unreachable"})),
    "deal beyond deck": (deal_beyond_deck, frozenset({"deck.short", "end.met-at-start", "deck.hand-limit"})),
    "market beyond deck": (market_beyond_deck, frozenset({"deck.short"})),
    "contents off count": (contents_off, frozenset({"deck.contents"})),
    "bank short of setup": (bank_short, frozenset({"bank.short"})),
    "threshold met at start": (threshold_met_at_start, frozenset({"end.met-at-start"})),
    "empty hand never dealt": (empty_hand_never_dealt, frozenset({"end.met-at-start"})),
    "hand never reached": (hand_never_reached, frozenset({"reach.precondition"})),
    "trade with itself": (trade_with_itself, frozenset({"trade.same-resource"})),
    "most and fewest": (most_and_fewest, frozenset({"victory.contradiction"})),
    "shared pool as score": (shared_score, frozenset({"victory.shared-score"})),
    "solo against opponents": (
        solo_with_opponents,
        frozenset({"target.no-other-player", "coop.player-conflict"}),
    ),
    "track beyond reach": (track_beyond_reach, frozenset({"reach.threshold"})),
}


def _well_formed(data: Data) -> bool:
    """A fault of quantity, not of form: the mutated design still fits the schema."""
    try:
        GameDesign.model_validate(data)
    except ValidationError:
        return False
    return True


def broken(per_kind: int = PER_KIND) -> list[Broken]:
    """Each kind applied to the first `per_kind` exemplars (by id) it fits."""
    exemplars = sorted(load_exemplars(), key=lambda e: e.id)
    ranges = {e.id: analyse(e) for e in exemplars}
    out = []
    for kind, (build, codes) in KINDS.items():
        made = 0
        for e in exemplars:
            data = copy.deepcopy(e.model_dump(mode="json", exclude_none=True))
            if made < per_kind and build(data, ranges[e.id]) and _well_formed(data):
                out.append(Broken(kind, e.id, data, codes))
                made += 1
    return out
