"""The tabletop schema: bounded for small models, described for both readers, and typed."""

from __future__ import annotations

from typing import Any

import pytest

from genontology.schemas.tabletop import GameDesign
from genontology.schemas.tabletop.taxonomy import MECHANISM_CATEGORY, MechanismCategory, MechanismType


def _walk(node: Any, path: str = "$"):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def test_every_string_and_list_is_bounded() -> None:
    """A tiny model loops on unbounded schemas: every free string and array needs a maximum."""
    schema = GameDesign.model_json_schema()
    unbounded = []
    for path, node in _walk(schema):
        is_free_string = node.get("type") == "string" and not {"enum", "const"} & set(node)
        if is_free_string and "maxLength" not in node and "pattern" not in node:
            unbounded.append(path)
        if node.get("type") == "array" and "maxItems" not in node:
            unbounded.append(path)
        is_map = node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict)
        if is_map and "maxProperties" not in node:
            unbounded.append(path)
    assert unbounded == []


def test_taxonomy_has_the_reference_35_types_in_7_categories_and_more() -> None:
    assert len(MechanismType) >= 35
    assert set(MECHANISM_CATEGORY.values()) == set(MechanismCategory)
    assert len(MechanismCategory) == 7
    reference = {
        "worker_placement",
        "deck_building",
        "trick_taking",
        "push_your_luck",
        "route_building",
        "role_selection",
        "auction",
        "memory",
        "programmed_actions",
        "real_time",
    }
    assert reference <= {m.value for m in MechanismType}


def test_enum_members_are_described_in_the_schema() -> None:
    schema = GameDesign.model_json_schema()
    described = schema["$defs"]["MechanismType"]["description"]
    for member in MechanismType:
        assert f"- {member.value}: " in described


def test_field_descriptions_reach_the_schema() -> None:
    props = GameDesign.model_json_schema()["properties"]
    assert "concretely" in props["goal"]["description"]
    assert props["theming"]["description"].startswith("For each mechanism id")


@pytest.mark.parametrize("bad_id", ["Has Caps", "1starts_with_digit", "dash-ed", "x" * 41, ""])
def test_ids_are_slugs(bad_id: str, exemplar_data) -> None:
    data = dict(exemplar_data["catan"], id=bad_id)
    with pytest.raises(Exception, match="id"):
        GameDesign.model_validate(data)


def test_unknown_fields_are_errors_not_dropped(tabletop, design_of) -> None:
    data = design_of("catan")
    data["actions"][0]["colour"] = "red"
    (violation,) = tabletop.validate(data)
    assert violation.code == "schema.extra-forbidden"
    assert violation.path == "$.actions[0].colour"
    assert "roll_for_production" in violation.message


def test_schema_violation_paths_skip_union_tags(tabletop, design_of) -> None:
    data = design_of("catan")
    data["actions"][0]["effects"][1]["amount"] = 0
    (violation,) = tabletop.validate(data)
    assert violation.path == "$.actions[0].effects[1].amount"
    assert violation.code == "schema.greater-than-equal"


def test_unknown_effect_kind_is_reported_at_the_effect(tabletop, design_of) -> None:
    data = design_of("catan")
    data["actions"][0]["effects"][0] = {"kind": "teleport"}
    (violation,) = tabletop.validate(data)
    assert violation.path == "$.actions[0].effects[0]"
    assert violation.code == "schema.union-tag-invalid"


def test_missing_field_is_reported_where_it_belongs(tabletop, design_of) -> None:
    data = design_of("catan")
    del data["title"]
    (violation,) = tabletop.validate(data)
    assert (violation.code, violation.path) == ("schema.missing", "$.title")
