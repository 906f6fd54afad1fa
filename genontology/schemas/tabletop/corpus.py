"""The shipped exemplar corpus: tabletop designs as YAML package data, loaded and validated once."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml
from pydantic import ValidationError

from genontology.ontology.errors import GenontologyError
from genontology.ontology.io import parse_yaml
from genontology.schemas.tabletop.model import GameDesign


class ExemplarError(GenontologyError):
    """A shipped exemplar file does not parse into the schema: a packaging bug, named by file."""


def exemplar_texts() -> dict[str, str]:
    """Raw YAML of every shipped exemplar, by file stem (the retrieval store hashes these)."""
    folder = files("genontology.schemas.tabletop") / "exemplars"
    return {
        entry.name.removesuffix(".yaml"): entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    }


@cache
def load_exemplars() -> tuple[GameDesign, ...]:
    """Every shipped exemplar, parsed. Raises ExemplarError naming the file if one is broken."""
    designs = []
    for stem, text in exemplar_texts().items():
        try:
            design = GameDesign.model_validate(parse_yaml(text))
        except (yaml.YAMLError, ValidationError) as exc:
            raise ExemplarError(f"exemplar {stem}.yaml: {exc}") from exc
        if design.id != stem:
            raise ExemplarError(f"exemplar {stem}.yaml holds design id {design.id!r}; they must match")
        designs.append(design)
    return tuple(designs)
