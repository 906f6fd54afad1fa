"""The music domain: composition plans (form, harmony, cadences, voices, program) checked by music theory."""

from genontology.ontology.domain import Domain
from genontology.schemas.music.corpus import load_exemplars
from genontology.schemas.music.model import CompositionPlan
from genontology.schemas.music.rubric import CONSISTENCY, REVIEWER, RUBRIC
from genontology.schemas.music.rules import RULES
from genontology.schemas.music.views import (
    build_graph,
    exemplar_facets,
    exemplar_text,
    facet_vocabulary,
    render_markdown,
)

domain: Domain[CompositionPlan] = Domain(
    name="music",
    schema=CompositionPlan,
    rules=RULES,
    build_graph=build_graph,
    render_markdown=render_markdown,
    load_exemplars=load_exemplars,
    describe="Music composition plans: key, meter, tempo, form as sections and order, phrases with Roman-"
    "numeral harmony and cadences, melody, voices and their ranges, and the program per section.",
    exemplar_text=exemplar_text,
    exemplar_facets=exemplar_facets,
    facet_vocabulary=facet_vocabulary,
    summarize=lambda p: f"{p.key}, {p.meter}, form {' '.join(p.order)}",
    files={"design": "plan.json", "text": "program.md"},
    prose_rules=("text.",),
    extras={"rubric": RUBRIC, "consistency": CONSISTENCY, "reviewer": REVIEWER},
)

__all__ = ["CompositionPlan", "domain"]
