"""A JSON adapter for DSPy that keeps prompts short.

DSPy's JSONAdapter prints every output type as a full JSON Schema in the prompt (~1,700 tokens for one
design slice), which dominates the embedded model's time. Constrained decoding already enforces the shape,
so this adapter tells the model only what it needs to choose well: each field, its allowed values and
its description, as an indented outline. The schema still travels in `response_format`.
"""

from __future__ import annotations

import enum
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from dspy.adapters.json_adapter import JSONAdapter
from dspy.signatures.signature import Signature
from pydantic import BaseModel

MAX_CHOICES = 40
BIG_UNION = 4  # a union with more members than this is outlined once, then referred to


def _short(annotation: Any) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _short(args[0])
    if origin is Literal:
        shown = [str(a) for a in args[:MAX_CHOICES]]
        return "one of " + "|".join(shown) + ("|..." if len(args) > MAX_CHOICES else "")
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + "|".join(str(m.value) for m in annotation)
    if origin in (list, tuple, set):
        return f"list of {_short(args[0])}" if args else "list"
    if origin in (Union, types.UnionType):
        parts = [a for a in args if a is not type(None)]
        optional = " (optional)" if len(parts) < len(args) else ""
        if all(isinstance(p, type) and issubclass(p, BaseModel) for p in parts):
            return "one of the objects below" + optional
        return " or ".join(_short(p) for p in parts) + optional
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object"
    return getattr(annotation, "__name__", str(annotation))


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in get_args(annotation) for m in _models(a)]


def outline(
    model: type[BaseModel],
    indent: str = "  ",
    depth: int = 0,
    seen: set[type[BaseModel]] | None = None,
    in_member: bool = False,
) -> list[str]:
    """One line per field, nested objects indented, with allowed values and descriptions. A member of a big
    union already outlined (the effect vocabulary, met again on cards, phases and a conditional's branches)
    is named, not repeated, so a vocabulary that nests stays within a small model's context; the small
    unions of the stage schemas are always spelled out."""
    seen = set() if seen is None else seen
    lines = []
    for name, info in model.model_fields.items():
        description = f": {info.description}" if info.description else ""
        lines.append(f"{indent * depth}- {name} ({_short(info.annotation)}){description}")
        nested = _models(info.annotation)
        for sub in nested:
            union = len(nested) > 1
            if union and sub in seen and (in_member or len(nested) > BIG_UNION):
                lines.append(f"{indent * (depth + 1)}* {sub.__name__}: as above")
                continue
            if union:
                seen.add(sub)
                lines.append(f"{indent * (depth + 1)}* {sub.__name__}: {(sub.__doc__ or '').strip()[:100]}")
            lines.extend(outline(sub, indent, depth + 1 + union, seen, in_member or union))
    return lines


class CompactJSONAdapter(JSONAdapter):
    """JSONAdapter with an outline of the output fields instead of their JSON Schemas."""

    def __init__(self) -> None:
        super().__init__(use_native_function_calling=False)

    def format_field_description(self, signature: type[Signature]) -> str:
        return ""

    def format_field_structure(self, signature: type[Signature]) -> str:
        lines = ["Answer with one JSON object with these fields:"]
        seen: set[type[BaseModel]] = set()
        for name, info in signature.output_fields.items():
            description = info.json_schema_extra.get("desc") if info.json_schema_extra else None
            lines.append(
                f"- {name} ({_short(info.annotation)})" + (f": {description}" if description else "")
            )
            for sub in _models(info.annotation):
                lines.extend(outline(sub, depth=1, seen=seen))
        return "\n".join(lines)

    def format_task_description(self, signature: type[Signature]) -> str:
        return signature.instructions

    def format_system_message(self, signature: type[Signature]) -> str:
        return f"{self.format_task_description(signature)}\n\n{self.format_field_structure(signature)}"

    def user_message_output_requirements(self, signature: type[Signature]) -> str:
        return "Respond with the JSON object only."

    def format_user_message_content(
        self,
        signature: type[Signature],
        inputs: dict[str, Any],
        prefix: str = "",
        suffix: str = "",
        main_request: bool = False,
    ) -> str:
        parts = [prefix] if prefix else []
        for name in signature.input_fields:
            value = inputs.get(name)
            if value not in (None, ""):
                parts.append(f"## {name}\n{value}")
        if main_request:
            parts.append(self.user_message_output_requirements(signature))
        if suffix:
            parts.append(suffix)
        return "\n\n".join(parts).strip()
