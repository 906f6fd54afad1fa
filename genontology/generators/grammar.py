"""JSON Schema to a GBNF grammar that cannot emit an invalid answer.

llama.cpp's converter does most of the work; this module closes the gaps measured on it: strings may hold
raw control characters (invalid JSON), integer `minimum`/`maximum` are ignored (a model writes 1000 where
20 is the limit), and a string `pattern` drops the string's length bounds and admits quotes and control
characters. Bounded integers become their own rules that spell out exactly the allowed digit strings; a
string whose pattern bars some characters (`^[^{}<>]*$`: prose without code) becomes a rule of its own, its
characters barred and its length bounded.
"""

from __future__ import annotations

import copy
import json
import re
import zlib
from typing import Any

_LOOSE_CHAR = '[^"\\\\]'
_STRICT_CHAR = '[^"\\\\\\x00-\\x1F\\x7F]'
_RANGE_PREFIX = "IntRange"
_TEXT_PREFIX = "BarredText"
_BARRED = re.compile(r"^\^\[\^(.+)\]\*\$$")  # a pattern `^[^...]*$`: any text without those characters


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


def barred_text_rule(barred: str, lo: int, hi: int) -> str:
    """A GBNF body for a JSON string of `lo` to `hi` characters, none of them `barred` (a regex class body),
    a quote, a backslash or a control character."""
    char = f'[^"\\\\\\x00-\\x1F\\x7F{barred}]'
    optional = ""
    for _ in range(hi - lo):
        optional = f"({char}{' ' + optional if optional else ''})?"
    body = " ".join([char] * lo + ([optional] if optional else []))
    return f'"\\"" {body} "\\"" space'.replace("  ", " ")


def _placeholders(
    schema: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, tuple[int, int]], dict[str, tuple[str, int, int]]]:
    """Replace each bounded integer, and each string whose pattern bars characters, with a reference to a
    named placeholder definition."""
    schema = copy.deepcopy(schema)
    ranges: dict[str, tuple[int, int]] = {}
    texts: dict[str, tuple[str, int, int]] = {}

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
        barred = _BARRED.match(str(node.get("pattern", ""))) if node.get("type") == "string" else None
        if barred and "maxLength" in node:
            lo, hi = int(node.get("minLength", 0)), int(node["maxLength"])
            name = f"{_TEXT_PREFIX}{lo}to{hi}x{zlib.crc32(barred[1].encode()):08x}"  # equal texts share it
            texts[name] = (barred[1], lo, hi)
            return {"$ref": f"#/$defs/{name}"}
        return {key: visit(value) for key, value in node.items()}

    schema = visit(schema)
    defs = schema.setdefault("$defs", {})
    for name in [
        *ranges,
        *texts,
    ]:  # a unique constant makes the converter emit a rule of this name to replace
        defs[name] = {"const": f"<{name}>"}
    return schema, ranges, texts


def json_schema_to_grammar(schema: dict[str, Any]) -> str:
    """GBNF for `schema`: strings without control characters, integers within their bounds."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    prepared, ranges, texts = _placeholders(schema)
    grammar = json_schema_to_gbnf(json.dumps(prepared))
    if "char ::=" in grammar and _LOOSE_CHAR not in grammar:  # a schema without strings has no char rule
        raise RuntimeError("llama.cpp's JSON grammar changed shape; review the control-character fix")
    grammar = grammar.replace(_LOOSE_CHAR, _STRICT_CHAR)
    bodies = {name: integer_range_rule(lo, hi) for name, (lo, hi) in ranges.items()}
    bodies |= {name: barred_text_rule(*text) for name, text in texts.items()}
    for name, body in bodies.items():
        rule = re.compile(rf"^{re.escape(name)} ::= .*$", re.MULTILINE)
        if not rule.search(grammar):
            if re.search(rf"\b{re.escape(name)}\b", grammar):
                raise RuntimeError(f"placeholder rule {name} is used but undefined in the generated grammar")
            continue  # only under a definition the schema never uses: the converter left it out
        grammar = rule.sub(lambda _m, n=name, b=body: f"{n} ::= {b}", grammar)
    return grammar
