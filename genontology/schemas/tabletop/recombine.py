"""Recombination of games that already play: typed operators over designs, and how far a child lies from its
parents.

GAVEL makes new games by mutating and recombining existing ones and keeping what plays. Here each operator is
a small class that takes a base design and a donor and returns a child, or None where it does not apply: graft
a donor's action with everything it refers to, swap one of the base's actions for a donor's, swap the scoring
(who wins), swap how the game ends, rescale the economy. References follow the ontology (`refs.iter_refs`):
a grafted action brings the components it names (a deck brings its cards), and the resources it names are
mapped onto the base's resources of the same kind where the base has one, so the graft plugs into the base's
economy instead of standing beside it. Operators work on JSON data and return data; whether a child is valid,
plays and is new is for the validator, the gate and `distance` to say.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.refs import iter_refs

Data = dict[str, Any]
THINGS = ("mechanisms", "components", "resources", "actions")
# What a component kind makes uncertain, as `uncertainty` declares it (the rule `uncertainty.undeclared`).
UNCERTAIN = {"die": "dice", "deck": "shuffled_cards", "bag": "blind_draw"}
SCALED = ("gain", "spend", "lose", "score")  # effect kinds whose amount is the economy's


def _set(data: Any, parts: tuple[Any, ...], value: Any) -> None:
    for part in parts[:-1]:
        data = data[part]
    data[parts[-1]] = value


def renamed(data: Data, mapping: dict[str, str]) -> Data:
    """A copy of a design's data with ids renamed by `mapping`: the things and every reference to them."""
    out = copy.deepcopy(data)
    for ref in iter_refs(GameDesign.model_validate(data)):
        if ref.target_id in mapping and ref.parts[0] != "theming":
            _set(out, ref.parts, mapping[ref.target_id])
    for part in THINGS:
        for item in out.get(part, []):
            item["id"] = mapping.get(item["id"], item["id"])
    for phase in out["turn_structure"]["phases"]:
        phase["id"] = mapping.get(phase["id"], phase["id"])
    out["theming"] = {mapping.get(k, k): v for k, v in out.get("theming", {}).items()}
    return out


def ids(data: Data) -> set[str]:
    """Every id a design declares (things and phases)."""
    found = {item["id"] for part in THINGS for item in data.get(part, [])}
    return found | {p["id"] for p in data["turn_structure"]["phases"]}


def _refs_under(design: GameDesign, *prefix: Any) -> Iterator[tuple[str, str]]:
    """(target kind, id) of every reference inside the part of the design at `prefix`."""
    for ref in iter_refs(design):
        if ref.parts[: len(prefix)] == prefix:
            yield ref.target, ref.target_id


def _closure(donor: GameDesign, action: int) -> tuple[set[str], set[str]]:
    """The components and resources a donor's action needs: what it names, and what those name in turn (a
    deck its cards, a market its deck, a card what it costs and does)."""
    index = {c.id: i for i, c in enumerate(donor.components)}
    kept = {r.id: i for i, r in enumerate(donor.resources)}
    components: set[str] = set()
    resources: set[str] = set()
    todo = list(_refs_under(donor, "actions", action))
    while todo:
        target, found = todo.pop()
        if target == "resource" and found not in resources and found in kept:
            resources.add(found)
            todo += list(_refs_under(donor, "resources", kept[found]))  # its coins, what it discounts
        elif target == "component" and found not in components and found in index:
            components.add(found)
            todo += list(_refs_under(donor, "components", index[found]))
    return components, resources


def _kind_map(base: Data, donor: GameDesign, resources: set[str]) -> dict[str, str]:
    """Donor resources mapped onto the base's of the same kind and scope (the first), where there is one."""
    mapping = {}
    for res in donor.resources:
        if res.id in resources:
            same = [r for r in base["resources"] if r["kind"] == res.kind and r["scope"] == res.scope]
            if same:
                mapping[res.id] = same[0]["id"]
    return mapping


def _fresh(base: Data, donor: Data, tag: str) -> dict[str, str]:
    """New ids for the donor's things that clash with the base's."""
    taken = ids(base)
    return {i: f"{i}_{tag}" for i in ids(donor) if i in taken}


@dataclass(frozen=True)
class Graft:
    """Graft donor actions into the base: the actions, the components they need (with their setup), their
    resources mapped onto the base's of the same kind or brought along, into the base's first acting phase
    and the mechanism of their kind. Several actions of one donor are grafted at once, so what they share
    comes once."""

    actions: tuple[str, ...]

    def apply(self, base: Data, donor: Data) -> tuple[Data, str] | None:
        source = GameDesign.model_validate(donor)
        where = [i for i, a in enumerate(source.actions) if a.id in self.actions]
        if len(where) != len(self.actions) or not any(
            p.get("actions") for p in base["turn_structure"]["phases"]
        ):
            return None
        components: set[str] = set()
        resources: set[str] = set()
        for i in where:
            needs = _closure(source, i)
            components, resources = components | needs[0], resources | needs[1]
        mapping = _kind_map(base, source, resources)
        new_id = {**_fresh(base, donor, "x"), **mapping}
        moved = renamed(donor, new_id)
        child = copy.deepcopy(base)
        grafted = [copy.deepcopy(moved["actions"][i]) for i in where]
        if {a["id"] for a in grafted} & ids(child):
            return None
        child["actions"] += grafted
        first = next(p for p in child["turn_structure"]["phases"] if p.get("actions"))
        first["actions"] += [a["id"] for a in grafted]
        brought = {new_id.get(c, c) for c in components}
        child["components"] += [c for c in moved["components"] if c["id"] in brought]
        new_resources = {new_id.get(r, r) for r in resources if r not in mapping}
        child["resources"] += [r for r in moved["resources"] if r["id"] in new_resources]
        _graft_setup(child, moved, brought, new_resources)
        for action in grafted:
            _graft_mechanism(child, moved, action["id"], brought)
        kinds = {c["kind"] for c in child["components"]}
        declared = child.get("uncertainty", [])
        child["uncertainty"] = declared + [
            u for k, u in UNCERTAIN.items() if k in kinds and u not in declared
        ]
        names = ", ".join(f"'{a['name']}'" for a in grafted)
        return child, f"grafted {names} from {source.title}"


def _graft_setup(child: Data, moved: Data, components: set[str], resources: set[str]) -> None:
    """The donor's setup for what was brought: its steps, narrowed to the brought components and resources;
    a brought component its steps did not place (the donor placed it with something left behind) gets a
    step of its own."""
    placed: set[str] = set()
    for step in moved.get("setup", []):
        kept = {
            "components": [c for c in step.get("components", []) if c in components],
            "resources": [r for r in step.get("resources", []) if r in resources],
            "deal": [d for d in step.get("deal", []) if d["deck"] in components],
            "flip": [f for f in step.get("flip", []) if f in components],
        }
        if any(kept.values()):
            child["setup"].append({"description": step.get("description", ""), **kept})
            placed |= {*kept["components"], *kept["flip"], *(d["deck"] for d in kept["deal"])}
    held = {i["component"] for c in moved["components"] if c["id"] in placed for i in c.get("contents", [])}
    for comp in moved["components"]:
        if comp["id"] in components - placed - held and len(child["setup"]) < 16:
            child["setup"].append({"description": "", "components": [comp["id"]]})


def _graft_mechanism(child: Data, moved: Data, action: str, components: set[str]) -> None:
    """The grafted action joins the base's mechanism of its donor mechanism's kind, or that mechanism comes
    with it, narrowed to what was brought."""
    mechanism = next((m for m in moved["mechanisms"] if action in m.get("actions", [])), None)
    if mechanism is None:
        return
    same = next((m for m in child["mechanisms"] if m["type"] == mechanism["type"]), None)
    used = [c for c in mechanism.get("components", []) if c in components]
    if same is not None:
        same.setdefault("actions", []).append(action)
        same.setdefault("components", []).extend(c for c in used if c not in same.get("components", []))
    elif len(child["mechanisms"]) < 8:
        child["mechanisms"].append({**mechanism, "actions": [action], "components": used})


@dataclass(frozen=True)
class Drop:
    """Remove one of the base's actions (a swap is a drop and a graft)."""

    action: str

    def apply(self, base: Data, donor: Data) -> tuple[Data, str] | None:
        child = copy.deepcopy(base)
        gone = next((a for a in child["actions"] if a["id"] == self.action), None)
        if gone is None or len(child["actions"]) < 3:
            return None
        child["actions"].remove(gone)
        for phase in child["turn_structure"]["phases"]:
            phase["actions"] = [a for a in phase.get("actions", []) if a != self.action]
        for mechanism in child["mechanisms"]:
            mechanism["actions"] = [a for a in mechanism.get("actions", []) if a != self.action]
        return child, f"dropped '{gone['name']}'"


def _resources_only(design: GameDesign, part: str) -> set[str] | None:
    """The resources a part of the design refers to, or None where it refers to anything else."""
    targets = {(t, i) for n in range(len(getattr(design, part))) for t, i in _refs_under(design, part, n)}
    if any(t != "resource" for t, _ in targets):
        return None
    return {i for _, i in targets}


@dataclass(frozen=True)
class Swap:
    """Take the donor's `part` (victory with its final scoring and tie-breakers, or end conditions), its
    resources mapped onto the base's of the same kind; None where one cannot be mapped."""

    part: str  # "victory" or "end_conditions"

    def apply(self, base: Data, donor: Data) -> tuple[Data, str] | None:
        source = GameDesign.model_validate(donor)
        parts = ("victory", "final_scoring", "tie_breakers") if self.part == "victory" else (self.part,)
        needed: set[str] = set()
        for part in parts:
            found = _resources_only(source, part)
            if found is None:
                return None
            needed |= found
        mapping = _kind_map(base, source, needed)
        if set(mapping) != needed:
            return None
        moved = renamed(donor, mapping)
        child = copy.deepcopy(base)
        if all(child.get(p) == moved.get(p) for p in parts):
            return None
        for part in parts:
            child[part] = copy.deepcopy(moved.get(part, []))
        what = "who wins" if self.part == "victory" else "how the game ends"
        return child, f"took {what} from {source.title}"


@dataclass(frozen=True)
class Rescale:
    """Multiply the economy's numbers (starting amounts, costs, gains, thresholds) by `factor`: a game of
    bigger or smaller sums, which tuning then settles."""

    factor: float

    def apply(self, base: Data, donor: Data) -> tuple[Data, str] | None:
        child = copy.deepcopy(base)
        for res in child["resources"]:
            res["start"] = self._scaled(res.get("start", 0), 0)
            for bound in ("maximum", "supply"):
                if res.get(bound) is not None:
                    res[bound] = self._scaled(res[bound], 1)
        for action in child["actions"]:
            for cost in action.get("cost", []):
                cost["amount"] = self._scaled(cost["amount"], 1)
            for effect in action.get("effects", []):
                if isinstance(effect.get("amount"), int) and effect["kind"] in (
                    "gain",
                    "spend",
                    "lose",
                    "score",
                ):
                    effect["amount"] = self._scaled(effect["amount"], 1)
        for part in ("end_conditions", "victory"):
            for cond in child.get(part, []):
                if isinstance(cond.get("threshold"), int):
                    cond["threshold"] = self._scaled(cond["threshold"], 1)
        return (child, f"rescaled the economy by {self.factor:g}") if child != base else None

    def _scaled(self, value: int, least: int) -> int:
        return min(9999, max(least, round(value * self.factor)))


Operator = Graft | Drop | Swap | Rescale


def operators(base: Data, donor: Data) -> Iterator[Operator | tuple[Operator, ...]]:
    """The operators worth trying between two designs, the likeliest to make a new game first: swap a
    mechanism (its actions for the donor's mechanism's), swap an action, graft one, take who wins or how it
    ends, then a rescale (alone it only changes numbers). Grafts come before drops, so a small game keeps
    two actions throughout."""

    def by_mechanism(design: Data) -> list[list[str]]:
        return [list(m["actions"]) for m in design["mechanisms"] if m.get("actions")]

    for theirs in by_mechanism(donor):
        for ours in by_mechanism(base):
            yield (Graft(tuple(theirs)), *(Drop(a) for a in ours))
    for their in (a["id"] for a in donor["actions"]):
        for our in (a["id"] for a in base["actions"]):
            yield (Graft((their,)), Drop(our))
    for their in (a["id"] for a in donor["actions"]):
        yield Graft((their,))
    yield Swap("victory")
    yield Swap("end_conditions")
    for factor in (2.0, 0.5):
        yield Rescale(factor)


def applied(base: Data, donor: Data, step: Operator | tuple[Operator, ...]) -> tuple[Data, list[str]] | None:
    """The child of one operator (or a sequence of them) on `base` with `donor`, with what each did."""
    child, said = base, []
    for op in step if isinstance(step, tuple) else (step,):
        done = op.apply(child, donor)
        if done is None:
            return None
        child, what = done
        said.append(what)
    return child, said


# Distance -------------------------------------------------------------------------------------------------
def signature(design: GameDesign) -> Counter[str]:
    """A design's actions and components as the ontology types them, without names or ids: an action by
    the kinds of the resources it costs and the kinds of its effects and of what they touch; a component by
    its kind and the mechanism kind it serves. Two games share an action when these agree."""
    kinds = {r.id: str(r.kind) for r in design.resources} | {c.id: str(c.kind) for c in design.components}
    serves = {c: str(m.type) for m in design.mechanisms for c in m.components}
    found: Counter[str] = Counter()
    for i, action in enumerate(design.actions):
        pays = sorted(kinds.get(c.resource, "?") for c in action.cost)
        does = sorted(
            str(getattr(part, "kind", type(part).__name__)) for e in action.effects for part in e.parts()
        )
        touches = sorted({kinds.get(t, "?") for _, t in _refs_under(design, "actions", i)})
        found[f"action:{'+'.join(pays)}>{'+'.join(does)}@{'+'.join(touches)}"] += 1
    for comp in design.components:
        found[f"component:{comp.kind}:{serves.get(comp.id, '')}"] += 1
    return found


def distance(a: GameDesign, b: GameDesign) -> float:
    """1 minus the multiset Jaccard similarity of two designs' signatures: 0 for the same actions and
    components, 1 for none in common."""
    x, y = signature(a), signature(b)
    union = sum((x | y).values())
    return 1.0 - sum((x & y).values()) / union if union else 0.0


def nearest_distances(designs: list[GameDesign]) -> list[float]:
    """Each design's distance to its nearest other design: how far apart distinct games of a corpus lie."""
    return [min(distance(d, e) for e in designs if e.id != d.id) for d in designs]
