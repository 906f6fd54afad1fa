"""JSON Schema to a GBNF grammar that cannot emit an invalid answer.

llama.cpp's converter does most of the work; this module closes the two gaps measured on it: strings may hold
raw control characters (invalid JSON), and integer `minimum`/`maximum` are ignored (a model writes 1000 where
20 is the limit). Bounded integers become their own rules that spell out exactly the allowed digit strings.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

_LOOSE_CHAR = '[^"\\\\]'
_STRICT_CHAR = '[^"\\\\\\x00-\\x1F\\x7F]'
_RANGE_PREFIX = "IntRange"


def _segments(lo: int, hi: int) -> list[tuple[int, int]]:
    """Split [lo, hi] (lo >= 1) into chunks sharing a digit prefix, each `prefix [a-b] [0-9]{k}`."""
    chunks: list[tuple[int, int]] = []
    start = lo
    while start <= hi:
        size = 1
        while start % (size * 10) == 0 and start + size * 10 - 1 <= hi:
            size *= 10
        end = start + size - 1
        boundary = (start // (size * 10) + 1) * size * 10 - 1
        while end + size <= min(hi, boundary):
            end += size
        chunks.append((start, end))
        start = end + 1
    return chunks


def _chunk_rule(lo: int, hi: int) -> str:
    a, b = str(lo), str(hi)
    common = 0  # lo and hi have the same number of digits by construction
    while common < len(a) - 1 and a[common] == b[common]:
        common += 1
    parts = [f'"{a[:common]}"'] if common else []
    tail = len(a) - common - 1
    first, last = a[common], b[common]
    parts.append(f'"{first}"' if first == last else f"[{first}-{last}]")
    parts.extend(["[0-9]"] * tail)
    return " ".join(parts)


def positive_range_rule(lo: int, hi: int) -> list[str]:
    """Alternatives matching the decimal forms of every integer in [lo, hi], lo >= 0, no leading zeros."""
    alternatives = []
    if lo == 0:
        alternatives.append('"0"')
        lo = 1
    if lo > hi:
        return alternatives
    power = 1
    while power * 10 <= lo:
        power *= 10
    start = lo
    while start <= hi:  # split at powers of ten so every chunk has one digit count
        end = min(hi, power * 10 - 1)
        alternatives.extend(_chunk_rule(a, b) for a, b in _segments(start, end))
        start, power = end + 1, power * 10
    return alternatives


def integer_range_rule(lo: int, hi: int) -> str:
    """A GBNF body for any integer in [lo, hi] (followed by the converter's `space`)."""
    alternatives: list[str] = []
    if lo < 0:
        neg_hi = -lo
        neg_lo = max(1, -hi) if hi < 0 else 1
        alternatives.extend(f'"-" {alt}' for alt in positive_range_rule(neg_lo, neg_hi))
    if hi >= 0:
        alternatives.extend(positive_range_rule(max(lo, 0), hi))
    return "(" + " | ".join(alternatives) + ") space"


def _bounded_integers(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """Replace each bounded integer with a reference to a named placeholder definition."""
    schema = copy.deepcopy(schema)
    ranges: dict[str, tuple[int, int]] = {}

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        if node.get("type") == "integer" and "minimum" in node and "maximum" in node:
            lo, hi = int(node["minimum"]), int(node["maximum"])
            name = f"{_RANGE_PREFIX}{'m' if lo < 0 else ''}{abs(lo)}to{hi}"
            ranges[name] = (lo, hi)
            return {"$ref": f"#/$defs/{name}"}
        return {key: visit(value) for key, value in node.items()}

    schema = visit(schema)
    defs = schema.setdefault("$defs", {})
    for name in ranges:  # a unique constant makes the converter emit a rule of this name to replace
        defs[name] = {"const": f"<{name}>"}
    return schema, ranges


def json_schema_to_grammar(schema: dict[str, Any]) -> str:
    """GBNF for `schema`: strings without control characters, integers within their bounds."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    prepared, ranges = _bounded_integers(schema)
    grammar = json_schema_to_gbnf(json.dumps(prepared))
    if "char ::=" in grammar and _LOOSE_CHAR not in grammar:  # a schema without strings has no char rule
        raise RuntimeError("llama.cpp's JSON grammar changed shape; review the control-character fix")
    grammar = grammar.replace(_LOOSE_CHAR, _STRICT_CHAR)
    for name, (lo, hi) in ranges.items():
        rule = re.compile(rf"^{re.escape(name)} ::= .*$", re.MULTILINE)
        if not rule.search(grammar):
            raise RuntimeError(f"integer range rule {name} not found in the generated grammar")
        grammar = rule.sub(lambda _m, n=name, a=lo, b=hi: f"{n} ::= {integer_range_rule(a, b)}", grammar)
    return grammar
