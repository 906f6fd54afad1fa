"""The tabletop domain: board and card game designs."""

from genontology.ontology.domain import Domain
from genontology.schemas.tabletop.corpus import load_exemplars
from genontology.schemas.tabletop.design_graph import build_graph
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.ranges import analyse
from genontology.schemas.tabletop.render import render_markdown
from genontology.schemas.tabletop.rubric import CONSISTENCY, REVIEWER, RUBRIC
from genontology.schemas.tabletop.rules import RULES
from genontology.schemas.tabletop.views import exemplar_facets, exemplar_text, facet_vocabulary, precedent

domain: Domain[GameDesign] = Domain(
    name="tabletop",
    schema=GameDesign,
    rules=RULES,
    build_graph=build_graph,
    render_markdown=render_markdown,
    load_exemplars=load_exemplars,
    describe="Tabletop games: mechanisms, components, resources, actions, turns, setup, end and victory.",
    exemplar_text=exemplar_text,
    exemplar_facets=exemplar_facets,
    facet_vocabulary=facet_vocabulary,
    summarize=lambda d: (
        f"{', '.join(m.type.value for m in d.mechanisms)}; {d.players.min}-{d.players.max} players"
    ),
    precedent=precedent,
    extras={
        "rubric": RUBRIC,
        "consistency": CONSISTENCY,
        "reviewer": REVIEWER,
        "ranges": lambda d: analyse(d).table(),  # `genontology show --ranges`
    },
)

__all__ = ["GameDesign", "domain"]
