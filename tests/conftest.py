from __future__ import annotations

import copy
from typing import Any

import pytest

from genontology import get_domain
from genontology.ontology import Domain


@pytest.fixture(scope="session")
def tabletop() -> Domain[Any]:
    return get_domain("tabletop")


@pytest.fixture(scope="session")
def exemplar_data(tabletop: Domain[Any]) -> dict[str, dict[str, Any]]:
    """Every shipped exemplar as plain JSON data, by id."""
    return {d.id: d.model_dump(mode="json", exclude_none=True) for d in tabletop.load_exemplars()}


@pytest.fixture
def design_of(exemplar_data: dict[str, dict[str, Any]]):
    """A fresh deep copy of an exemplar's data, safe to mutate."""
    return lambda exemplar_id: copy.deepcopy(exemplar_data[exemplar_id])
