"""Schemas narrowed at run time to what a design has declared so far, for constrained generation.

`choice(ids)` is a Literal over the ids declared so far, so that under constrained decoding a reference to
anything else cannot be produced; `narrow(model, field=type)` is the model with some fields' types replaced.
Domain-agnostic: a domain's vocabulary narrows itself with these (a ludeme's `drafts`), its agents too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce
from operator import or_
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model


def choice(ids: Iterable[str]) -> Any:
    """A Literal over these ids; raise if there are none (the caller must leave the option out)."""
    values = tuple(dict.fromkeys(ids))
    if not values:
        raise ValueError("no ids to choose from")
    return Literal[values]  # type: ignore[valid-type]


def narrow(model: type[BaseModel], name: str | None = None, **overrides: Any) -> type[BaseModel]:
    """A subclass of `model` whose named fields take new types, keeping descriptions and defaults.

    `narrow(Gain, resource=choice(["coins"]))` is a Gain that can only name coins. An override given as
    `(type, default)` sets the default too: `...` makes an optional field required.
    """
    fields: dict[str, Any] = {}
    for field_name, override in overrides.items():
        info = model.model_fields[field_name]
        annotation = override
        if isinstance(override, tuple):
            annotation, default = override
            fields[field_name] = (annotation, Field(default, description=info.description))
        elif info.default_factory is not None:  # an empty list by default stays so
            fields[field_name] = (
                annotation,
                Field(default_factory=info.default_factory, description=info.description),
            )
        else:
            default = ... if info.is_required() else info.default
            fields[field_name] = (annotation, Field(default, description=info.description))
    return create_model(name or model.__name__, __base__=model, __doc__=model.__doc__, **fields)


def one_of(kinds: Sequence[Any], discriminator: str = "kind") -> Any:
    """The kinds as one field type: a union told apart by `discriminator` (each kind's Literal tag), or the
    kind itself when there is only one."""
    if len(kinds) == 1:
        return kinds[0]
    return Annotated[reduce(or_, kinds), Field(discriminator=discriminator)]
