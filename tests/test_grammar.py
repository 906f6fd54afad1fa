"""The grammar that makes schema-valid output a matter of construction, not luck."""

from __future__ import annotations

import re

import pytest

from genontology.generators.grammar import integer_range_rule, json_schema_to_grammar
from genontology.schemas.tabletop import GameDesign


def as_regex(body: str) -> re.Pattern[str]:
    """Our GBNF integer rule uses only literals, character classes and alternation: map it to a regex."""
    alternatives = body.removesuffix(" space")[1:-1].split(" | ")
    parts = [
        "".join(re.escape(t.strip('"')) if t.startswith('"') else t for t in a.split(" "))
        for a in alternatives
    ]
    return re.compile("^(?:" + "|".join(parts) + ")$")


@pytest.mark.parametrize(
    ("lo", "hi"),
    [
        (1, 999),
        (1, 20),
        (-20, 20),
        (0, 9999),
        (1, 1),
        (0, 0),
        (-3000, 2100),
        (2, 6),
        (13, 4567),
        (-5, -2),
        (0, 10),
        (1, 9999),
        (7, 70),
        (99, 101),
    ],
)
def test_integer_range_rule_matches_exactly_the_range(lo: int, hi: int) -> None:
    pattern = as_regex(integer_range_rule(lo, hi))
    for n in range(lo - 40, hi + 41):
        assert bool(pattern.match(str(n))) == (lo <= n <= hi), n
    for malformed in ("01", "-0", "00", "+1", "", "1.0"):
        assert not pattern.match(malformed)


def test_design_grammar_closes_both_gaps_of_llama_cpp() -> None:
    grammar = json_schema_to_grammar(GameDesign.model_json_schema())
    assert '[^"\\\\]' not in grammar  # no string char rule that admits control characters
    assert '[^"\\\\\\x00-\\x1F\\x7F]' in grammar
    steps = re.search(r"^IntRangem20to20 ::= (.*)$", grammar, re.MULTILINE)
    assert steps, "the advance effect's steps (-20..20) need their own bounded rule"
    assert as_regex(steps.group(1)).match("-20") and not as_regex(steps.group(1)).match("21")


def rules_of(grammar: str) -> tuple[list[str], set[str]]:
    """The rules a GBNF grammar defines, in order, and the rule names its bodies refer to."""
    defined, used = [], set()
    for line in grammar.splitlines():
        name, sep, body = line.partition("::=")
        if not sep:
            continue
        defined.append(name.strip())
        unquoted = re.sub(r'"(\\.|[^"\\])*"|\[(\\.|[^\]\\])*\]', " ", body)  # strings and classes
        used |= set(re.findall(r"[A-Za-z][A-Za-z0-9-]*", unquoted))
    return defined, used


def test_design_grammar_defines_every_rule_it_uses_once() -> None:
    """llama.cpp's parser accepts a grammar with an undefined rule without a word and fails at sampling, so
    the grammar's closure is checked here: every rule used is defined, none twice, and root is among them."""
    defined, used = rules_of(json_schema_to_grammar(GameDesign.model_json_schema()))
    assert "root" in defined and len(defined) == len(set(defined)) and len(used) > 20
    assert used <= set(defined), sorted(used - set(defined))
    assert rules_of('root ::= "a" item\nitem ::= [a-z] other')[1] - {"root", "item"} == {"other"}


def test_design_grammar_constrains_llama_cpp() -> None:
    """Compiled by llama.cpp and sampled from with the embedded model: the first tokens open a design."""
    from llama_cpp import LlamaGrammar

    from genontology.generators import embedded

    grammar = LlamaGrammar.from_string(json_schema_to_grammar(GameDesign.model_json_schema()), verbose=False)
    llm = embedded._load(str(embedded.embedded_model_path()), 512, 1)
    out = llm.create_completion("Write a haiku about moss.", grammar=grammar, max_tokens=6, temperature=0.0)
    text = out["choices"][0]["text"]
    assert text.lstrip().startswith("{") and "moss" not in text.lower()


def test_schemas_without_strings_or_with_free_objects_convert() -> None:
    """The judge's scores are integers only (no string rule to tighten); the raw baseline asks for any
    object (JSON mode), whose strings must still refuse control characters."""
    from llama_cpp import LlamaGrammar

    scores = {"type": "object", "properties": {"fun": {"type": "integer", "minimum": 1, "maximum": 10}}}
    for schema in (scores, {"type": "object"}):
        grammar = json_schema_to_grammar(schema)
        assert '[^"\\\\]' not in grammar
        LlamaGrammar.from_string(grammar, verbose=False)
    assert '[^"\\\\\\x00-\\x1F\\x7F]' in json_schema_to_grammar({"type": "object"})


def test_prose_is_bounded_and_bars_the_characters_of_code() -> None:
    """A string whose pattern bars characters (generation's prose) keeps its length bounds in the grammar,
    which llama.cpp's converter drops for a pattern, and never admits a quote, a backslash or a control
    character, which the converter's pattern rule would."""
    from llama_cpp import LlamaGrammar

    from genontology.agents.tabletop.parts import Concept
    from genontology.generators.grammar import barred_text_rule
    from genontology.ontology.prose import CODE_CHARACTERS

    rule = barred_text_rule(CODE_CHARACTERS, 3, 32)
    char = rule.split(" ")[1]
    assert rule.count(char) == 32 and rule.count(f"({char}") == 29  # three required, 29 optional
    for barred in ('"', "\\\\", "\\x00-\\x1F", "{}", "\\[\\]", "<>", "#", "`", "_", "|", "="):
        assert barred in char, barred
    grammar = json_schema_to_grammar(Concept.model_json_schema())
    assert "]*" not in grammar.replace('[^"\\\\\\x00-\\x1F\\x7F]', "")  # no unbounded text is left
    for field in ("title", "tagline", "theme", "setting"):
        assert re.search(rf"^{field} ::= BarredText\d+to\d+x[0-9a-f]+$", grammar, re.MULTILINE), field
    LlamaGrammar.from_string(grammar, verbose=False)
