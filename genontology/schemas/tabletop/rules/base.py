"""The tabletop rule set; rule modules register into it by decorating plain functions."""

from genontology.ontology.rules import RuleSet
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.model import GameDesign

RULES: RuleSet[GameDesign] = RuleSet(make_context=TabletopIndex)
rule = RULES.rule
