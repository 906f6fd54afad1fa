"""The tabletop design plan: eight stages by three roles, a critic, and the deterministic assembly.

Before any stage, the brief takes the interaction its theme states, when the user gave none (reading.py).
Order: concept (Weaver) -> mechanics -> economy (Architect) -> components (Component Designer) -> actions
(Architect; each names its mechanism and part of the turn) -> turn (Architect: phases, end, victory) ->
setup (Component Designer: the deal) -> theming (Weaver). Each stage's schema is narrowed to what came
before; a stage with nothing to ask (no deck to deal) is not asked. The rules text is written by the
assembly from the structure (wording.py), and display names are unique by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter

from genontology.agents.design_plan import DesignPlan, Parts, Stage
from genontology.agents.narrow import unique_id, unique_ids
from genontology.agents.tabletop import parts as P
from genontology.agents.tabletop.brief import TabletopBrief
from genontology.agents.tabletop.naming import Namer, fault
from genontology.agents.tabletop.reading import FUNCTION_WORDS, read_interaction
from genontology.agents.tabletop.roles import ROLES
from genontology.agents.tabletop.wording import (
    action_text,
    component_text,
    core_loop_text,
    goal_text,
    mechanism_text,
    phase_text,
    reworded,
    setup_steps,
)
from genontology.ontology import graph as g
from genontology.ontology.echo import tell
from genontology.schemas.tabletop import effects as fx
from genontology.schemas.tabletop.design_graph import SHEDS, effect_edges
from genontology.schemas.tabletop.rules.mechanisms import REQUIREMENTS
from genontology.schemas.tabletop.rules.prose import borrowed, title_fault
from genontology.schemas.tabletop.taxonomy import MechanismType

# The concept the Theme Weaver writes first; the concept stage owns exactly these (and the id made from them).
# The goal and the turn in brief are written from the turn's structure, so the turn stage owns them.
CONCEPT_FIELDS = ("title", "tagline", "theme", "setting", "genre", "complexity")
TITLE_WORDS = 6  # a title may be longer than a thing's name: "The Last Lantern of the Deep"
CONCEPT_PATHS = ("$.id", *(f"$.{name}" for name in CONCEPT_FIELDS))


@dataclass(frozen=True)
class Declared:
    """What earlier stages declared, by id. Ids come from names, unique across the whole design."""

    mechanisms: dict[str, dict[str, Any]]
    resources: dict[str, dict[str, Any]]
    components: dict[str, dict[str, Any]]
    actions: dict[str, dict[str, Any]]
    roles: dict[str, dict[str, Any]]
    phases: dict[str, dict[str, Any]]

    @property
    def kinds(self) -> dict[str, str]:
        return {cid: c["kind"] for cid, c in self.components.items()}

    @property
    def names(self) -> dict[str, str]:
        """Display names by id, of everything the rules text names."""
        groups = (self.mechanisms, self.resources, self.components, self.actions)
        return {i: x["name"] for group in groups for i, x in group.items()}


def _resources(economy: dict[str, Any]) -> list[dict[str, Any]]:
    """The economy's slots as resources, required ones first."""
    out = []
    if economy.get("score"):
        out.append({**economy["score"], "kind": "points", "scope": "per_player", "start": 0})
    if economy.get("shared_goal"):
        out.append({**economy["shared_goal"], "scope": "shared", "start": 0})
    if economy.get("currency"):
        out.append({**economy["currency"], "kind": "currency", "scope": "per_player", "start": 0})
    return out + list(economy.get("tradables", [])) + list(economy.get("others", []))


def _components(stage: dict[str, Any]) -> list[dict[str, Any]]:
    """Components in declaration order, each remembering the mechanism it was declared for."""
    out = []
    for mid, slots in stage.get("by_mechanism", {}).items():
        for value in slots.values():
            out += [{**item, "mechanism": mid} for item in (value if isinstance(value, list) else [value])]
    return out + [{**item, "mechanism": None} for item in stage.get("shared", [])]


def _actions(stage: dict[str, Any]) -> list[dict[str, Any]]:
    """Source actions first (each gains the resource it is the source of), then the others."""
    sources = [
        {
            **{k: v for k, v in src.items() if k != "amount"},
            "effects": [{"kind": "gain", "resource": rid, "amount": src["amount"]}],
        }
        for rid, src in stage.get("sources", {}).items()
    ]
    return sources + list(stage.get("actions", []))


def declared(parts: Parts, theme: str = "") -> Declared:
    """What the stages declared so far, each thing under a name a reader can read and tell apart from every
    other (naming.py: the model's name, or one made from the theme's nouns), and an id made from it."""
    namer = Namer(theme)
    taken: set[str] = set()
    said: dict[str, str] = {}  # display names by id, as they are given

    def named(kind: str, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        items = [{**i, "name": namer.name(kind, i, said.get)} for i in items]
        found = dict(zip(unique_ids((i["name"] for i in items), taken), items, strict=True))
        said.update({i: x["name"] for i, x in found.items()})
        return found

    mech = parts.get("mechanics", {})
    mechanisms = named("mechanism", mech.get("mechanisms", []))
    resources = named("resource", _resources(parts.get("economy", {})))
    components = named("component", _components(parts.get("components", {})))
    actions = named("action", _actions(parts.get("actions", {})))
    roles = named("role", mech.get("roles", []))
    turn_phases = parts.get("turn", {}).get("phases", {})
    phase_ids = unique_ids(turn_phases, taken)
    phases = {
        pid: {**phase, "name": namer.name("phase", {**phase, "segment": segment}, said.get)}
        for pid, (segment, phase) in zip(phase_ids, turn_phases.items(), strict=True)
    }
    return Declared(mechanisms, resources, components, actions, roles, phases)


def needs_source(d: Declared) -> list[str]:
    return [rid for rid, r in d.resources.items() if r["start"] == 0]


def segments(d: Declared) -> list[str]:
    used = {a["phase"] for a in d.actions.values()}
    return [s for s in P.SEGMENTS if s in used]


def reach(d: Declared) -> dict[str, set[str]]:
    """What the actions produce, consume and shed, by the domain's own graph semantics."""
    graph = g.new_graph()
    graph.add_nodes_from([*d.actions, *d.resources, *d.components])
    adapter = TypeAdapter(fx.Effect)
    for aid, action in d.actions.items():
        for e in action.get("effects", []):
            effect_edges(graph, aid, adapter.validate_python(e))
        for cost in action.get("cost", []):
            g.relate(graph, aid, cost["resource"], g.COSTS)
    by: dict[str, set[str]] = {"produces": set(), "consumes": set(), "sheds": set()}
    for _, target, relation in graph.edges(keys=True):
        key = {g.PRODUCES: "produces", g.CONSUMES: "consumes", g.COSTS: "consumes", SHEDS: "sheds"}.get(
            relation
        )
        if key:
            by[key].add(target)
    return by


def interaction(brief: TabletopBrief, parts: Parts) -> str:
    if brief.interaction is not None:
        return brief.interaction.value
    return str(parts.get("mechanics", {}).get("interaction", "competitive"))


def read(brief: BaseModel) -> tuple[BaseModel, str]:
    """The brief with the interaction its theme states, when the user gave none (reading.py), and a note for
    the trace saying what was read and from which words."""
    b = _brief(brief)
    if b.interaction is not None:
        return b, ""
    found, phrase, similarity = read_interaction(b.prompt)
    if found is None:
        return b, f"the theme does not say how players relate (closest: {phrase!r}, {similarity:.2f})"
    note = f"interaction {found.value}, read from the theme's words {phrase!r} ({similarity:.2f})"
    return b.model_copy(update={"interaction": found}), note


# Compact views of what earlier stages declared, as the next role reads them.
def names_view(d: Declared) -> str:
    """Names already taken, so that a later stage names its things otherwise."""
    return ", ".join(d.names.values()) or "none yet"


def concept_view(parts: Parts) -> str:
    c = parts.get("concept")
    return f"{c['title']}: {c['tagline']}\nTheme: {c['theme']}" if c else ""


def mechanisms_view(d: Declared) -> str:
    return "\n".join(f"- {i} ({m['type']}): {m['name']}" for i, m in d.mechanisms.items())


def resources_view(d: Declared) -> str:
    return "\n".join(
        f"- {i} ({r['kind']}, {r['scope']}, starts at {r['start']})" for i, r in d.resources.items()
    )


def components_view(d: Declared) -> str:
    lines = []
    for i, c in d.components.items():
        extra = "".join(
            f", {label} {c[key]}"
            for key, label in (("per_player", "per player"), ("size", "size"))
            if c.get(key)
        )
        owner = f" for {c['mechanism']}" if c.get("mechanism") else ""
        lines.append(f"- {i} ({c['kind']} x{c['count']}{extra}){owner}")
    return "\n".join(lines)


def actions_view(d: Declared) -> str:
    def effect(e: dict[str, Any]) -> str:
        return " ".join(str(v) for v in e.values() if v is not None)

    lines = []
    for i, a in d.actions.items():
        cost = ", ".join(f"{c['amount']} {c['resource']}" for c in a.get("cost", [])) or "free"
        lines.append(
            f"- {i} ({a['phase']} of turn, cost {cost}): {'; '.join(effect(e) for e in a['effects'])}"
        )
    return "\n".join(lines)


def needs_view(d: Declared) -> str:
    lines = []
    for i, m in d.mechanisms.items():
        needs = REQUIREMENTS.get(MechanismType(m["type"]), ())
        if needs:
            lines.append(f"- {i} needs " + " and ".join(n.what for n in needs))
    return "\n".join(lines)


def _brief(brief: BaseModel) -> TabletopBrief:
    assert isinstance(brief, TabletopBrief)
    return brief


def _cooperative(brief: BaseModel, parts: Parts) -> bool:
    return interaction(_brief(brief), parts) in P.COOPERATIVE


# Each stage's narrowed output schema, from the brief and what is declared so far.
def _mechanics_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    b = _brief(brief)
    return P.mechanics(b.interaction, b.players_min)


def _economy_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    types = [m["type"] for m in declared(parts, _brief(brief).prompt).mechanisms.values()]
    return P.economy(interaction(_brief(brief), parts), types)


def _components_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    return P.components({i: m["type"] for i, m in declared(parts, _brief(brief).prompt).mechanisms.items()})


def _actions_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    d = declared(parts, _brief(brief).prompt)
    return P.actions(d.resources, d.kinds, list(d.mechanisms), needs_source(d), _cooperative(brief, parts))


def _turn_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    d = declared(parts, _brief(brief).prompt)
    return P.turn(segments(d), reach(d), d.kinds, d.resources, interaction(_brief(brief), parts))


def _setup_out(brief: BaseModel, parts: Parts) -> type[BaseModel] | None:
    return P.setup(declared(parts, _brief(brief).prompt).kinds)


def _theming_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    return P.theming(list(declared(parts, _brief(brief).prompt).mechanisms))


CRITIC_TARGETS = (
    "mechanisms",
    "resources",
    "components",
    "actions",
    "turn_structure",
    "end_conditions",
    "setup",
)


def _critic_out(brief: BaseModel, parts: Parts) -> type[BaseModel]:
    return P.critique(list(CRITIC_TARGETS))


def _inputs(*views: str) -> Any:
    def build(brief: BaseModel, parts: Parts) -> dict[str, str]:
        d = declared(parts, _brief(brief).prompt)
        every = {
            "brief": lambda: brief.describe(),  # type: ignore[attr-defined]
            "names": lambda: names_view(d),
            "concept": lambda: concept_view(parts),
            "interaction": lambda: interaction(_brief(brief), parts),
            "mechanisms": lambda: mechanisms_view(d),
            "resources": lambda: resources_view(d),
            "components": lambda: components_view(d),
            "actions": lambda: actions_view(d),
            "needs": lambda: needs_view(d),
        }
        return {view: every[view]() for view in views}

    return build


def _by_theme(store: Any, brief: BaseModel, parts: Parts) -> list[Any]:
    return list(store.search(_brief(brief).prompt, 2, diversity=0.3))


def _by_mechanisms(store: Any, brief: BaseModel, parts: Parts) -> list[Any]:
    types = [m["type"] for m in declared(parts, _brief(brief).prompt).mechanisms.values()]
    if not types:
        return _by_theme(store, brief, parts)
    return list(store.by_mechanisms(types[:1], 2)) or list(store.search(" ".join(types).replace("_", " "), 2))


STAGES = (
    Stage(
        "concept",
        "theme_weaver",
        "Invent the game's concept for the brief: a title that names the game (not the theme), a tagline, "
        "who the players are and the world they play in.",
        lambda brief, parts: P.Concept,
        _inputs("brief"),
        owns=CONCEPT_PATHS,
        retrieve=_by_theme,
        max_tokens=350,
    ),
    Stage(
        "mechanics",
        "mechanics_architect",
        "Choose 2 to 4 different mechanisms that give players real choices and fit the theme.",
        _mechanics_out,
        _inputs("brief", "concept"),
        owns=("$.mechanisms", "$.players"),
        retrieve=_by_theme,
        max_tokens=450,
    ),
    Stage(
        "economy",
        "mechanics_architect",
        "Name the resources the mechanisms run on, in the game's own words, each name its own.",
        _economy_out,
        _inputs("concept", "mechanisms", "interaction", "names"),
        owns=("$.resources",),
        needs=("mechanics",),
        max_tokens=400,
    ),
    Stage(
        "components",
        "component_designer",
        "List the components in the box: for each mechanism what it needs, then anything shared.",
        _components_out,
        _inputs("brief", "mechanisms", "needs", "names"),
        owns=("$.components", "$.uncertainty", "$.mechanisms[*].components"),
        needs=("mechanics",),
        retrieve=_by_mechanisms,
        max_tokens=1000,
    ),
    Stage(
        "actions",
        "mechanics_architect",
        "Define the actions players choose between. Make them trade costs against gains.",
        _actions_out,
        _inputs("mechanisms", "resources", "components", "names"),
        owns=("$.actions", "$.mechanisms[*].actions"),
        needs=("economy", "components"),
        retrieve=_by_mechanisms,
        max_tokens=1000,
    ),
    Stage(
        "turn",
        "mechanics_architect",
        "Name each part of the turn; say how the game ends, what scores at the end, who wins.",
        _turn_out,
        _inputs("interaction", "resources", "actions"),
        owns=(
            "$.turn_structure",
            "$.end_conditions",
            "$.final_scoring",
            "$.victory",
            "$.tie_breakers",
            "$.goal",
            "$.core_loop",
        ),
        needs=("actions",),
        max_tokens=500,
    ),
    Stage(
        "setup",
        "component_designer",
        "Say how many cards of each deck every player is dealt at the start.",
        _setup_out,
        _inputs("components"),
        owns=("$.setup",),
        needs=("components", "economy"),
        max_tokens=120,
    ),
    Stage(
        "theming",
        "theme_weaver",
        "For each mechanism, one line on how the theme shows in it.",
        _theming_out,
        _inputs("concept", "mechanisms"),
        owns=("$.theming",),
        needs=("mechanics",),
        max_tokens=450,
    ),
)

CRITIC = Stage(
    "critique",
    "balance_critic",
    "Find what breaks when players optimize: dominant actions, runaway leaders, dead turns. When a playtest "
    "report is given, base findings on it and quote its numbers. Report only real problems; an empty list "
    "is a fine answer.",
    _critic_out,
    _inputs("mechanisms", "resources", "actions"),
    retrieve=_by_mechanisms,
    max_tokens=500,
)

# Faults whose cure lies upstream of the path where they show.
ROUTES = {
    "mechanism.missing-component": "components",
    "mechanism.missing-currency": "economy",
    "mechanism.trading-needs-two-resources": "economy",
    "victory.goal-not-shared": "economy",
    "resource.no-source": "actions",
    "reach.circular": "economy",
    "victory.unreachable": "actions",
    "component.per-player-shortfall": "components",
    "uncertainty.unbacked": "components",
    "track.missing-size": "components",
    "setup.unplaced": "setup",
}


def _clean(item: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None and k not in drop}


def assemble(brief: BaseModel, parts: Parts) -> dict[str, Any]:
    """The design from the stage outputs, by rule, not by guessing: ids from names, links by id, and the
    rules text written from the structure (wording.py).

    Only what the stages wrote goes in: a missing stage output (a failed or skipped stage) leaves its fields
    out, so the schema reports them at the paths that stage owns and the loop sends the fault back to it."""
    b = _brief(brief)
    d = declared(parts, _brief(brief).prompt)
    names = d.names

    def name(entity_id: str) -> str:
        return names.get(entity_id, entity_id)

    concept = parts.get("concept")
    turn = parts.get("turn")
    kinds = {c["kind"] for c in d.components.values()}
    uncertainty = [
        u for k, u in (("die", "dice"), ("deck", "shuffled_cards"), ("bag", "blind_draw")) if k in kinds
    ]
    actions = [
        {"id": i, **_clean(a, ("phase", "mechanism")), "description": action_text(a, name)}
        for i, a in d.actions.items()
    ]
    phases = []
    for (pid, phase), segment in zip(d.phases.items(), (turn or {}).get("phases", {}), strict=True):
        allowed = [aid for aid, a in d.actions.items() if a["phase"] == segment]
        count = phase.get("actions_per_turn", 1)
        described = phase_text(segment, count, [name(a) for a in allowed])
        phases.append({"id": pid, **phase, "description": described, "actions": allowed})
    players: dict[str, Any] = {
        "min": b.players_min,
        "max": b.players_max,
        "interaction": interaction(b, parts),
    }
    if d.roles:
        players["roles"] = [{"id": i, **r} for i, r in d.roles.items()]
    if parts.get("mechanics", {}).get("team_size"):
        players["team_size"] = parts["mechanics"]["team_size"]
    written: dict[str, Any] = {}
    if concept:
        title = own_title(concept, b.prompt)
        written |= {k: concept[k] for k in CONCEPT_FIELDS} | {"id": unique_id(title), "title": title}
    if turn:
        loop = [(p["name"], p["actions_per_turn"], [name(a) for a in p["actions"]]) for p in phases]
        written |= {
            "turn_structure": {"order": turn["order"], "phases": phases},
            "end_conditions": turn["end_conditions"],
            "final_scoring": turn.get("final_scoring", []),
            "victory": turn["victory"],
            "goal": goal_text(turn["victory"], turn["end_conditions"], name),
            "core_loop": core_loop_text(loop),
        }
    if (d.components or d.resources) and ("setup" in parts or "deck" not in kinds):  # decks wait for the deal
        deal = parts.get("setup", {}).get("deal", {})
        written["setup"] = setup_steps(d.components, d.resources, deal, name)
    mechanisms = []
    for mid, m in d.mechanisms.items():
        uses = [aid for aid, a in d.actions.items() if a["mechanism"] == mid]
        mechanisms.append(
            {
                "id": mid,
                **m,
                "description": mechanism_text(m["type"], [name(a) for a in uses]),
                "components": [cid for cid, c in d.components.items() if c["mechanism"] == mid],
                "actions": uses,
            }
        )
    components = [
        {
            "id": i,
            **_clean(c, ("mechanism",)),
            "description": component_text(name(c["mechanism"]) if c.get("mechanism") else None),
        }
        for i, c in d.components.items()
    ]
    return {
        **written,
        "play_time_minutes": b.minutes,
        "players": players,
        "uncertainty": uncertainty,
        "mechanisms": mechanisms,
        "theming": parts.get("theming", {}).get("lines", {}),
        "components": components,
        "resources": [{"id": i, **r} for i, r in d.resources.items()],
        "actions": actions,
        "provenance": {"origin": "generated"},
    }


def own_title(concept: dict[str, Any], prompt: str) -> str:
    """The concept's title, unless it is a label, the theme again (a small model copies "Theme" from its
    brief), a published game's name (copied from a precedent) or no name at all (naming.py): then a working
    title from the theme's first two content words ("Bioluminescent Fungi"), at no call to the model."""
    title = concept["title"]
    faults = (
        title_fault(title, concept["theme"]),
        title_fault(title, prompt),
        fault(title, prompt, TITLE_WORDS),
    )
    if not any(faults) and not borrowed(title):
        return title
    content = [w for w in re.findall(r"[A-Za-z']+", prompt) if w.lower() not in FUNCTION_WORDS]
    return " ".join(w[:1].upper() + w[1:] for w in content[:2]) or title


def simulate(design: BaseModel, brief: BaseModel) -> Any:
    """The playtest the Designer runs on each valid round: the calibrated playable gate (at most 200 random
    playouts, played as its checks need, then the skill ladder and the duels)."""
    from genontology.playtest.evaluate import playtest_design

    return playtest_design(design)  # type: ignore[arg-type]


def tune(design: BaseModel, brief: BaseModel, simulation: Any, budget_s: float) -> Any:
    """Tune the numbers of a valid design whose playtest failed (playtest/tune.py), within `budget_s`."""
    from genontology.playtest.tune import tune as tune_numbers

    return tune_numbers(design, before=simulation, budget_s=budget_s)  # type: ignore[arg-type]


def retune(data: dict[str, Any], setting: list[list[Any]]) -> dict[str, Any]:
    """A built design with a tuned setting in it, and its rules text saying the new numbers."""
    from genontology.playtest.knobs import put

    return reworded(put(data, {tuple(path): value for path, value in setting}))


# The titles of the schemas the model is shown: a name that copies one is a label, not a name.
tell("tabletop", [c.__name__ for c in vars(P).values() if isinstance(c, type) and issubclass(c, P.Part)])


def tabletop_plan() -> DesignPlan:
    return DesignPlan(
        domain="tabletop",
        brief=TabletopBrief,
        roles=ROLES,
        stages=STAGES,
        assemble=assemble,
        critic=CRITIC,
        routes=ROUTES,
        simulate=simulate,
        tune=tune,
        retune=retune,
        read=read,
        routes_to={"recombine": _recombination},
    )


def _recombination() -> DesignPlan:
    from genontology.agents.tabletop.recombination import recombination_plan

    return recombination_plan()
