"""How a composition plan is read: as program notes, as a graph, and by retrieval (text and facets)."""

from __future__ import annotations

import networkx as nx

from genontology.ontology import graph as g
from genontology.ontology.violations import json_path
from genontology.schemas.music import theory as T
from genontology.schemas.music.model import CompositionPlan
from genontology.schemas.music.vocabulary import Cadence, Mode, Texture

FOLLOWS = "follows"
CONTAINS = "contains"
IN_KEY = "in_key"


def render_markdown(plan: CompositionPlan) -> str:
    """Program notes: what the piece means, then its plan section by section."""
    lines = [
        f"# {plan.title}",
        "",
        plan.program,
        "",
        f"**Key** {plan.key} · **Meter** {plan.meter} · **Tempo** {plan.tempo.marking.value} "
        f"(♩ = {plan.tempo.bpm}) · **Form** {' '.join(plan.order)} · **Ends** {plan.final_cadence.value}",
        "",
        "## Voices",
        "",
        *(f"- {v.id}: {v.instrument.value}, {v.role.value}, {v.low}-{v.high}" for v in plan.voices),
        f"- melody: {plan.melody.low}-{plan.melody.high}, {plan.melody.contour.value} contour, "
        f"{plan.melody.density.value} rhythm",
        "",
    ]
    for section in plan.sections:
        key_note = f" in {section.key}" if section.key else ""
        if section.key and section.approach:
            key_note += f" (by {section.approach.value.replace('_', ' ')}"
            key_note += f" on {section.pivot})" if section.pivot else ")"
        texture = section.texture.value.replace("_", " ")
        lines += [
            f"## Section {section.id}{key_note}: {section.bars} bars, {texture}, {section.dynamic.value}",
            "",
        ]
        if section.id in plan.scenes:
            lines += [f"*{plan.scenes[section.id]}*", ""]
        for i, phrase in enumerate(section.phrases, 1):
            where = f" (in {phrase.key})" if phrase.key else ""
            lines.append(
                f"{i}. {phrase.bars} bars{where}: {' '.join(phrase.harmony)} — {phrase.cadence.value} cadence"
            )
        lines.append("")
    if plan.source:
        lines += [f"Source: {plan.source}", ""]
    return "\n".join(lines)


def build_graph(plan: CompositionPlan) -> nx.MultiDiGraph:
    """Sections (following one another in the order), their phrases, and the keys each is in."""
    graph = g.new_graph()
    home = str(plan.key)
    g.add_entity(graph, home, "key", json_path("key"))
    for si, section in enumerate(plan.sections):
        g.add_entity(graph, section.id, "section", json_path("sections", si))
        section_key = str(T.key_in_force(plan, section))
        if section_key not in graph:
            g.add_entity(graph, section_key, "key", json_path("sections", si, "key"))
        g.relate(graph, section.id, section_key, IN_KEY)
        for pi, phrase in enumerate(section.phrases):
            node = f"{section.id}.{pi + 1}"
            g.add_entity(graph, node, "phrase", json_path("sections", si, "phrases", pi))
            g.relate(graph, section.id, node, CONTAINS)
            if phrase.key:
                if str(phrase.key) not in graph:
                    g.add_entity(
                        graph, str(phrase.key), "key", json_path("sections", si, "phrases", pi, "key")
                    )
                g.relate(graph, node, str(phrase.key), IN_KEY)
    for before, after in zip(plan.order, plan.order[1:], strict=False):
        g.relate(graph, after, before, FOLLOWS)
    return graph


def exemplar_text(plan: CompositionPlan) -> str:
    cadences = sorted({p.cadence.value for s in plan.sections for p in s.phrases})
    return (
        f"{plan.title}. {plan.program} In {plan.key}, {plan.meter} time, {plan.tempo.marking.value}; form "
        f"{' '.join(plan.order)}; cadences {', '.join(cadences)}; textures "
        f"{', '.join(sorted({s.texture.value for s in plan.sections}))}."
    )


def exemplar_facets(plan: CompositionPlan) -> dict[str, str | int | float | bool]:
    facets: dict[str, str | int | float | bool] = {
        "title": plan.title,
        "key": str(plan.key),
        "meter": plan.meter,
        "sections": len(plan.sections),
        "phrases": sum(len(s.phrases) for s in plan.sections),
        f"mode_{plan.key.mode.value}": True,
    }
    facets.update({f"cadence_{p.cadence.value}": True for s in plan.sections for p in s.phrases})
    facets.update({f"texture_{s.texture.value}": True for s in plan.sections})
    return facets


def facet_vocabulary() -> dict[str, str]:
    vocabulary = {f"mode_{m.value}": f"a piece in a {m.value} key" for m in Mode}
    vocabulary.update({f"cadence_{c.value}": f"{c.value} cadence" for c in Cadence})
    vocabulary.update({f"texture_{t.value}": f"{t.value.replace('_', ' ')} texture" for t in Texture})
    return vocabulary
