"""Identity rules: every id unique, every reference resolving to an entity of the right kind."""

from __future__ import annotations

from collections.abc import Iterator

from genontology.ontology.rules import Finding, repeats
from genontology.ontology.violations import Fix, Severity, json_path
from genontology.schemas.tabletop.design_graph import TabletopIndex
from genontology.schemas.tabletop.model import GameDesign
from genontology.schemas.tabletop.refs import Ref, iter_id_lists
from genontology.schemas.tabletop.rules.base import rule


def _entities(design: GameDesign) -> Iterator[tuple[str, str, str]]:
    """(id, what it is, JSON path) for every entity that carries an id."""
    sections = [
        ("mechanism", "mechanisms", design.mechanisms),
        ("component", "components", design.components),
        ("resource", "resources", design.resources),
        ("action", "actions", design.actions),
    ]
    for what, key, items in sections:
        for i, item in enumerate(items):
            yield item.id, what, json_path(key, i, "id")
    for i, phase in enumerate(design.turn_structure.phases):
        yield phase.id, "phase", json_path("turn_structure", "phases", i, "id")
    for i, role in enumerate(design.players.roles):
        yield role.id, "role", json_path("players", "roles", i, "id")


@rule("id.duplicate")
def duplicate_ids(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """Every entity id is unique across the whole design, so a reference names exactly one thing."""
    entities = list(_entities(design))
    for i, first in repeats(entity_id for entity_id, _, _ in entities):
        entity_id, what, path = entities[i]
        yield Finding(
            path,
            f"id '{entity_id}' of this {what} is already used by a {entities[first][1]}",
            f"rename one of them, e.g. '{entity_id}_{what}', and update the references to it",
        )


def _known(index: TabletopIndex, ref: Ref) -> dict[str, object]:
    return {
        "component": index.components,
        "action": index.actions,
        "resource": index.resources,
        "mechanism": index.mechanisms,
    }[ref.target]


def _unknown(code_target: str):
    def check(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
        for ref in index.refs:
            if ref.target != code_target or ref.target_id in _known(index, ref):
                continue
            declared = sorted(_known(index, ref))
            fix = None
            if ref.target == "mechanism":  # theming for a mechanism that does not exist: drop it
                fix = Fix(
                    op="remove", path=ref.path, description=f"drop theming for unknown '{ref.target_id}'"
                )
            yield Finding(
                ref.path,
                f"'{ref.target_id}' is not a declared {ref.target}",
                f"use one of the declared {ref.target} ids ({', '.join(declared) or 'none declared'}) "
                f"or declare a {ref.target} with id '{ref.target_id}'",
                fix=fix,
            )

    return check


def _register_unknown(target: str, doc: str) -> None:
    body = _unknown(target)
    body.__doc__ = doc
    body.__name__ = f"unknown_{target}"
    rule(f"ref.unknown-{target}")(body)


_register_unknown("component", "A reference to a component names a component the design declares.")
_register_unknown("action", "A reference to an action names an action the design declares.")
_register_unknown("resource", "A reference to a resource names a resource the design declares.")
_register_unknown("mechanism", "Theming is keyed by the ids of declared mechanisms, and only by them.")


@rule("ref.wrong-kind")
def wrong_component_kind(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A reference points to a component of a kind that can do what is asked: draw from a deck, roll a die,
    advance on a track, buy from a market, place onto a board, area, track or action space."""
    for ref in index.refs:
        component = index.components.get(ref.target_id)
        if ref.kinds is None or component is None or component.kind in ref.kinds:
            continue
        wanted = " or ".join(sorted(k.value for k in ref.kinds))
        yield Finding(
            ref.path,
            f"'{component.name}' ({ref.target_id}) is a {component.kind.value}, but this needs a {wanted}",
            f"point to a {wanted} component, or change the kind of '{ref.target_id}'",
        )


@rule("ref.duplicate", Severity.warning)
def duplicate_references(design: GameDesign, index: TabletopIndex) -> Iterator[Finding]:
    """A list of references names each id once; repeating one says nothing more."""
    for path, ids in iter_id_lists(design):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            unique = list(dict.fromkeys(ids))
            yield Finding(
                path,
                f"lists {', '.join(repeated)} more than once",
                "list each id once",
                fix=Fix(op="set", path=path, value=unique, description="remove repeated ids"),
            )
