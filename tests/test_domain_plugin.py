"""A new domain plugs into the core without any change to it: here, a toy recipe domain."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
from pydantic import BaseModel, Field

from genontology.ontology import Domain, Finding, RuleSet, get_domain, register_domain, validate
from genontology.ontology import graph as g


class Step(BaseModel):
    id: str
    uses: list[str] = Field(default_factory=list)


class Recipe(BaseModel):
    ingredients: list[str] = Field(max_length=20)
    steps: list[Step] = Field(max_length=20)


def recipe_graph(recipe: Recipe) -> nx.MultiDiGraph:
    graph = g.new_graph()
    for i, name in enumerate(recipe.ingredients):
        g.add_entity(graph, name, "ingredient", f"$.ingredients[{i}]")
    for i, step in enumerate(recipe.steps):
        g.add_entity(graph, step.id, "step", f"$.steps[{i}]")
        for used in step.uses:
            g.relate(graph, step.id, used, g.USES)
    return graph


RECIPE_RULES: RuleSet[Recipe] = RuleSet(make_context=recipe_graph)


@RECIPE_RULES.rule("ingredient.unused")
def unused_ingredient(recipe: Recipe, graph: nx.MultiDiGraph) -> Iterator[Finding]:
    """Every ingredient is used by some step."""
    for node in g.orphans(graph, {"ingredient"}):
        yield Finding(graph.nodes[node]["path"], f"'{node}' is never used", "use it in a step or drop it")


def test_a_domain_plugs_in_without_touching_the_core() -> None:
    recipes = Domain(
        name="recipe-test",
        schema=Recipe,
        rules=RECIPE_RULES,
        build_graph=recipe_graph,
        render_markdown=lambda r: "\n".join(r.ingredients),
        load_exemplars=lambda: [],
    )
    register_domain(recipes)
    assert get_domain("recipe-test") is recipes
    data = {"ingredients": ["flour", "salt"], "steps": [{"id": "knead", "uses": ["flour"]}]}
    (violation,) = validate(data, domain="recipe-test")
    assert (violation.code, violation.path) == ("ingredient.unused", "$.ingredients[1]")
    assert validate(Recipe.model_validate(data)) == [violation]  # a model finds its own domain
    assert validate({"ingredients": "x"}, domain="recipe-test")[0].code == "schema.list-type"


def test_rules_must_state_their_principle() -> None:
    rules: RuleSet[Recipe] = RuleSet()
    try:
        rules.rule("x.y")(lambda design, ctx: [])
    except ValueError as exc:
        assert "docstring" in str(exc)
    else:
        raise AssertionError("a rule without a docstring was accepted")
