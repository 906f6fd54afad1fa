"""Hypothesis strategies for the instances of a domain's JSON Schema (the subset Pydantic emits: `$ref`,
`oneOf`/`anyOf`, `const`, `enum`, objects with `properties` or `patternProperties`, bounded arrays, strings
with patterns and lengths, bounded numbers). hypothesis-jsonschema would do this but does not run on the
current Hypothesis.

Strings that match an id pattern are drawn mostly from a few shared names, so that generated references
often resolve and the rules behind the reference checks are reached too. Lists are kept short past their
minimum: the rules' work grows with size, and a small counterexample is the useful one.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

SHARED_NAMES = ("a", "b", "gold", "deck", "board", "A", "B", "C4", "I", "V", "x_1")
EXTRA_ITEMS = 3  # beyond an array's minimum
TEXT_CHARS = 40  # beyond a string's minimum


def instances(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    definitions = schema.get("$defs", {})
    named: dict[str, st.SearchStrategy[Any]] = {}

    def ref(name: str) -> st.SearchStrategy[Any]:
        if name not in named:
            named[name] = st.deferred(lambda: build(definitions[name]))
        return named[name]

    def build(node: dict[str, Any]) -> st.SearchStrategy[Any]:
        if "$ref" in node:
            return ref(node["$ref"].rsplit("/", 1)[-1])
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        for key in ("oneOf", "anyOf"):
            if key in node:
                return st.one_of([build(option) for option in node[key]])
        kind = node.get("type")
        if isinstance(kind, list):
            return st.one_of([build({**node, "type": k}) for k in kind])
        if kind == "object":
            return objects(node)
        if kind == "array":
            low = node.get("minItems", 0)
            high = min(node.get("maxItems", low + EXTRA_ITEMS), low + EXTRA_ITEMS)
            return st.lists(build(node.get("items", {})), min_size=low, max_size=high)
        if kind == "string":
            return strings(node)
        if kind == "integer":
            return st.integers(node.get("minimum"), node.get("maximum"))
        if kind == "number":
            return st.floats(node.get("minimum"), node.get("maximum"), allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return st.none() | st.integers() | st.text(max_size=8)  # an unconstrained value

    def objects(node: dict[str, Any]) -> st.SearchStrategy[Any]:
        properties = node.get("properties", {})
        required = set(node.get("required", ()))
        fixed = st.fixed_dictionaries(
            {k: build(v) for k, v in properties.items() if k in required},
            optional={k: build(v) for k, v in properties.items() if k not in required},
        )
        patterned = node.get("patternProperties") or {}
        if not patterned:
            return fixed
        ((pattern, values),) = patterned.items()
        keys = strings({"pattern": pattern})
        more = st.dictionaries(keys, build(values), max_size=min(node.get("maxProperties", 3), 3))
        return st.tuples(fixed, more).map(lambda pair: {**pair[1], **pair[0]})

    return build(schema)


def strings(node: dict[str, Any]) -> st.SearchStrategy[str]:
    low = node.get("minLength", 0)
    high = min(node.get("maxLength", low + TEXT_CHARS), low + TEXT_CHARS)
    if "pattern" not in node:
        return st.text(min_size=low, max_size=high)
    pattern = node["pattern"]
    shared = [n for n in SHARED_NAMES if re.fullmatch(pattern, n) and low <= len(n) <= high]
    drawn = st.from_regex(pattern, fullmatch=True).filter(
        lambda s: low <= len(s) <= node.get("maxLength", 10**9)
    )
    return st.sampled_from(shared) | drawn if shared else drawn
