"""The recombination route: a new game grafted from two that already play, re-themed for the brief.

Design from scratch asks the model for structure; a 135M model cannot earn playability that way. GAVEL's
route starts from games that play: here the exemplars retrieved for the brief (the Chroma store, by theme
and the brief's interaction) that pass the playable gate (`playtest/verdicts.py`) and seat the brief's
players are parents; the typed operators of `schemas/tabletop/recombine.py` make children (swap an
action, graft one, take who wins or how it ends, rescale the economy); a child is kept when it validates
and lies at least `NEW_GAME` from each parent. The model then does what a small model does well: it names
every thing for the brief and writes the concept and a line of theme per mechanism. The Designer validates,
playtests and tunes the result like any design; the trace says which games it descends from.
"""

from __future__ import annotations

import copy
import random
import time
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

from pydantic import BaseModel

from genontology.agents.design_plan import DesignPlan, GroundingError, Parts, Stage
from genontology.agents.narrow import keyed, unique_id, unique_ids
from genontology.agents.tabletop import parts as P
from genontology.agents.tabletop import plan as scratch
from genontology.agents.tabletop.brief import TabletopBrief
from genontology.agents.tabletop.naming import Namer
from genontology.agents.tabletop.wording import component_text, mechanism_text, reworded
from genontology.ontology import errors_among, get_domain
from genontology.ontology.prose import same_name, words
from genontology.retrieval.lexicon import english
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.recombine import applied, distance, operators, renamed

# A child must lie at least this far from each parent (`recombine.distance`, over typed actions and
# components). Distinct published games of the corpus lie closer: Crazy Eights, Mau-Mau and Uno, or Pig,
# Farkle and Pass the Pigs, share every typed action (distance 0); the nearest pair that differs at all,
# Ascension and Star Realms, lies 0.23 apart. So a child is at least as new as those are to each other.
NEW_GAME = 0.25
SEARCH = 12  # exemplars retrieved by theme before the playable and player-count filters
BASES = 3  # the best-matching parents tried as the base
PER_PAIR = 2  # children of one pair of parents judged before the next pair
TRIALS = 6  # children judged by the gate before the first is kept anyway
CHOOSE_S = 30.0  # seconds the gate may spend choosing among children
KINDS = (
    ("mechanism", "mechanisms"),
    ("resource", "resources"),
    ("component", "components"),
    ("action", "actions"),
)


class RecombinationError(GroundingError):
    """No two playable exemplars recombine into a valid new game for this brief."""


@dataclass(frozen=True)
class Descent:
    """Where a recombined design comes from: its parents (base first), what the operators did, and how far
    it lies from each parent."""

    parents: tuple[str, ...]
    operations: tuple[str, ...]
    distances: tuple[float, ...]
    plays: bool | None = None  # whether it passed the gate when chosen (None: not judged)
    tried: int = 0  # children judged before it was chosen

    def note(self) -> str:
        far = ", ".join(f"{p} {d:.2f}" for p, d in zip(self.parents, self.distances, strict=True))
        said = f"recombined {' and '.join(self.parents)}: {'; '.join(self.operations)} (distance {far})"
        if self.plays is None:
            return said
        verdict = (
            "passes the playable gate" if self.plays else "none passed the playable gate; the first kept"
        )
        judged = f"{self.tried} {'child' if self.tried == 1 else 'children'} judged"
        return f"{said}; of {judged}, this {verdict}"


class RecombinedBrief(TabletopBrief):
    """A brief with the child it will re-theme: its structure under neutral ids, and its descent."""

    child: dict[str, Any] | None = None
    descent: dict[str, Any] | None = None


def parents(brief: TabletopBrief, store: Any) -> list[GameDesign]:
    """Exemplars for the brief that pass the playable gate, seat its players and relate them as it says
    (when it says), best match first: the nearest by theme, then further down the corpus when too few of
    those are left."""
    from genontology.playtest.verdicts import playable

    ok = playable()
    relation = brief.interaction.value if brief.interaction else None

    def fits(design: GameDesign) -> bool:
        seats = design.players.min <= brief.players_min and brief.players_max <= design.players.max
        return design.id in ok and seats and not design.players.roles

    found = [e.design for e in store.search(brief.prompt, SEARCH, interaction=relation) if fits(e.design)]
    if len(found) < 2:
        wider = store.search(brief.prompt, 4 * SEARCH, interaction=relation)
        found += [e.design for e in wider if fits(e.design)]
    return list({d.id: d for d in found}.values())


def children(brief: TabletopBrief, store: Any) -> Iterator[tuple[dict[str, Any], Descent]]:
    """The children of the brief's parents that validate, leave no resource unused that the base used, and
    are new games: best-matching parents first, operators in an order of the brief's own (so that two
    themes with the same parents get different games), at most `PER_PAIR` from one pair of parents (so that
    the next ones differ by more than an operator)."""
    domain = get_domain("tabletop")
    pool = parents(brief, store)
    order = random.Random(zlib.crc32(brief.prompt.encode()))  # two themes with the same parents differ
    for base in pool[:BASES]:
        for donor in pool:
            if donor.id == base.id:
                continue
            mother, father = (d.model_dump(mode="json", exclude_none=True) for d in (base, donor))
            idle = _unused(domain.validate(mother, prose=False))
            steps = list(operators(mother, father))
            order.shuffle(steps)
            made_here = 0
            for step in steps:
                made = applied(mother, father, step)
                if made is None:
                    continue
                child = _for_brief(made[0], brief)
                child, left, _ = domain.autofix(child, domain.validate(child, prose=False))
                if errors_among([v for v in left if not v.code.startswith("prose.")]):
                    continue
                if _unused(left) > idle:  # a graft that does not plug in: what it brings, nothing uses
                    continue
                design = GameDesign.model_validate(child)
                far = (distance(design, base), distance(design, donor))
                if min(far) >= NEW_GAME:
                    yield child, Descent((base.id, donor.id), tuple(made[1]), far)
                    made_here += 1
                    if made_here == PER_PAIR:
                        break


def _unused(violations: list[Any]) -> int:
    """Resources nothing spends, requires, scores or checks (`resource.no-use`)."""
    return sum(v.code == "resource.no-use" for v in violations)


def recombine(brief: TabletopBrief, store: Any) -> tuple[dict[str, Any], Descent]:
    """The first child that passes the playable gate (its verdict only) among the first `TRIALS` and
    within `CHOOSE_S` seconds, else the first child (the Designer tunes it): under neutral ids."""
    from genontology.playtest.evaluate import playtest_design
    from genontology.playtest.game import UnplayableDesign

    began, first = time.perf_counter(), None
    for n, (child, descent) in enumerate(children(brief, store)):
        first = first or (child, descent)
        try:
            plays = playtest_design(GameDesign.model_validate(child), early=True).passed
        except UnplayableDesign:
            plays = False
        if plays:
            return _neutral(child), replace(descent, plays=True, tried=n + 1)
        if n + 1 >= TRIALS or time.perf_counter() - began > CHOOSE_S:
            break
    if first is None:
        found = ", ".join(d.id for d in parents(brief, store)) or "none"
        raise RecombinationError(
            f"no two playable exemplars for this brief recombine into a valid new game (parents: {found})"
        )
    return _neutral(first[0]), replace(first[1], plays=False, tried=n + 1)


def _for_brief(child: dict[str, Any], brief: TabletopBrief) -> dict[str, Any]:
    child = copy.deepcopy(child)
    child["players"] |= {"min": brief.players_min, "max": brief.players_max}
    child["play_time_minutes"] = brief.minutes
    working = scratch.own_title({"title": "", "theme": ""}, brief.prompt)  # not a parent's: it is a new game
    child |= {"title": working, "id": unique_id(working)}
    child["provenance"] = {"origin": "generated"}
    return child


def _neutral(child: dict[str, Any]) -> dict[str, Any]:
    """The child with ids that say only what a thing is ("resource_2"): the parents' ids carry their words,
    which a small model asked to name the thing would copy."""
    mapping = {}
    for kind, part in KINDS:
        mapping |= {item["id"]: f"{kind}_{n}" for n, item in enumerate(child[part], 1)}
    phases = child["turn_structure"]["phases"]
    mapping |= {p["id"]: f"phase_{n}" for n, p in enumerate(phases, 1)}
    return renamed(child, mapping)


def ground(brief: BaseModel, store: Any) -> tuple[BaseModel, str]:
    """The plan's grounding step: the brief as read (its interaction), with the child it will re-theme."""
    read, note = scratch.read(brief)
    child, descent = recombine(read, store)  # type: ignore[arg-type]
    asked = read.model_dump(include=set(TabletopBrief.model_fields))
    grounded = RecombinedBrief(**asked, child=child, descent=asdict(descent))
    return grounded, "; ".join(n for n in (note, descent.note()) if n)


# Stages: the concept as from scratch, then names for every thing, then a line of theme per mechanism.
def _child(brief: BaseModel) -> dict[str, Any]:
    child = getattr(brief, "child", None)
    if child is None:
        raise RecombinationError("this brief has no child: the recombination plan grounds it first")
    return child


def _things(child: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(kind, item) for everything a name is asked for, phases last."""
    found = [(kind, item) for kind, part in KINDS for item in child[part]]
    return found + [("phase", p) for p in child["turn_structure"]["phases"]]


def things_view(brief: BaseModel, parts: Parts) -> dict[str, str]:
    """What each thing is, by its neutral id, for the names stage."""
    lines = []
    for kind, item in _things(_child(brief)):
        what = item.get("type") or item.get("kind") or ""
        lines.append(f"- {item['id']}: a {kind}" + (f" ({str(what).replace('_', ' ')})" if what else ""))
    return {"concept": scratch.concept_view(parts), "things": "\n".join(lines)}


def _names_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    things = [item["id"] for _, item in _things(_child(brief))]
    return keyed("Names", things, P.Name, "Its name in this game.")


def _theming_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    return P.theming([m["id"] for m in _child(brief)["mechanisms"]])


def _mechanisms_view(brief: BaseModel, parts: Parts) -> dict[str, str]:
    names = parts.get("names", {})
    mechanisms = _child(brief)["mechanisms"]
    lines = [f"- {m['id']} ({m['type']}): {names.get(m['id'], m['type'])}" for m in mechanisms]
    return {"concept": scratch.concept_view(parts), "mechanisms": "\n".join(lines)}


# The names stage answers for names only: a structural or playtest fault has no stage to go back to here (the
# child's structure is the parents'), so the loop tunes it and stops instead of asking for names again.
NAMED = (
    *(f"$.{part}[*].name" for part in ("mechanisms", "resources", "components", "actions")),
    "$.turn_structure.phases[*].name",
)
STAGES = (
    scratch.STAGES[0],  # the concept
    Stage(
        "names",
        "theme_weaver",
        "Name each thing of the game in the world of the concept: one to four words, every name its own.",
        _names_out,
        things_view,
        owns=NAMED,
        needs=("concept",),
        max_tokens=600,
    ),
    Stage(
        "theming",
        "theme_weaver",
        "For each mechanism, one line on how the theme shows in it.",
        _theming_out,
        _mechanisms_view,
        owns=("$.theming",),
        needs=("names",),
        max_tokens=450,
    ),
)


def assemble(brief: BaseModel, parts: Parts) -> dict[str, Any]:
    """The child re-themed: each thing under the model's name (or one made from the theme's nouns where the
    model's has a fault, clashes, or is a parent's), ids from the names, the concept's title and words, and
    the rules text written again from the structure."""
    b: TabletopBrief = brief  # type: ignore[assignment]
    child = copy.deepcopy(_child(brief))
    given = parts.get("names", {})
    namer = Namer(b.prompt)
    descent = getattr(brief, "descent", None) or {}
    namer.taken |= {same_name(n) for n in _parent_names(descent.get("parents", []))}
    concept = parts.get("concept")
    title = scratch.own_title(concept, b.prompt) if concept else ""
    namer.taken.add(same_name(title))  # a thing named as the game is not told apart from it
    said: dict[str, str] = {}
    for kind, item in _things(child):
        asked = {**item, "name": given.get(item["id"], ""), "segment": "main"}
        item["name"] = said[item["id"]] = namer.name(kind, asked, said.get)
    taken: set[str] = set()
    new_ids = dict(zip(said, unique_ids(said.values(), taken), strict=True))
    child["theming"] = _lines(parts.get("theming", {}).get("lines", {}), {*said.values(), title}, b.prompt)
    child = renamed(child, new_ids)
    for key in ("title", "tagline", "theme", "setting", "genre", "complexity", "id"):
        child.pop(key, None)
    if concept:
        child |= {k: concept[k] for k in scratch.CONCEPT_FIELDS} | {"id": unique_id(title), "title": title}
    child["provenance"] = {"origin": "generated", "parents": list(descent.get("parents", []))}
    return _described(child)


READABLE = 3  # words of English or of the theme a line of theme needs, of three letters or more


def _lines(lines: dict[str, str], names: set[str], theme: str) -> dict[str, str]:
    """The theme's lines worth a reader's time: words (a small model also writes "A-B-C D-E-F"), not a name
    again, not another mechanism's line again (it writes one line for all); a mechanism may go without."""
    heard = {same_name(n) for n in names}
    own = set(words(theme))
    kept: dict[str, str] = {}
    for mechanism, line in lines.items():
        readable = [w for w in words(line) if len(w) > 2 and (w in own or english(w))]
        if len(readable) >= READABLE and same_name(line) not in heard:
            kept[mechanism] = line
            heard.add(same_name(line))
    return kept


def _parent_names(ids: list[str]) -> list[str]:
    """Every display name of the parents: a child's thing named as a parent's is the parent's word, not the
    brief's."""
    corpus = {d.id: d for d in get_domain("tabletop").load_exemplars()}
    return [
        x.name
        for i in ids
        if i in corpus
        for group in (corpus[i].mechanisms, corpus[i].resources, corpus[i].components, corpus[i].actions)
        for x in group
    ] + [corpus[i].title for i in ids if i in corpus]


def _described(data: dict[str, Any]) -> dict[str, Any]:
    """The parents' text replaced by text written from the structure: what each mechanism is, what each
    component is for, one setup step per component, and (`reworded`) actions, phases, goal and setup."""
    names = {x["id"]: x["name"] for _, part in KINDS for x in data[part]}
    for mechanism in data["mechanisms"]:
        acts = [names[a] for a in mechanism.get("actions", []) if a in names]
        mechanism["description"] = mechanism_text(mechanism["type"], acts)
    serves = {c: m["name"] for m in data["mechanisms"] for c in m.get("components", [])}
    for component in data["components"]:
        component["description"] = component_text(serves.get(component["id"]))
    steps = []  # one component a step (with its deal and flip), and the resources: each step `reworded` says
    for step in data["setup"]:
        touched = [
            *step.get("components", []),
            *(d["deck"] for d in step.get("deal", [])),
            *step.get("flip", []),
        ]
        for c in dict.fromkeys(touched):
            deal = [d for d in step.get("deal", []) if d["deck"] == c]
            flip = [f for f in step.get("flip", []) if f == c]
            steps.append({"description": "", "components": [c], "deal": deal, "flip": flip})
        if step.get("resources"):
            steps.append({"description": "", "resources": step["resources"]})
    data["setup"] = steps[:16]
    return reworded(data)


def recombination_plan() -> DesignPlan:
    """The tabletop plan's recombination route: grounded on playable exemplars, the model names and themes."""
    base = scratch.tabletop_plan()
    return DesignPlan(
        domain="tabletop",
        brief=RecombinedBrief,
        roles=base.roles,
        stages=STAGES,
        assemble=assemble,
        critic=None,  # its findings would go to stages that only name things
        simulate=base.simulate,
        tune=base.tune,
        retune=base.retune,
        read=None,
        ground=ground,
    )
