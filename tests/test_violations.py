from __future__ import annotations

import pytest
from pydantic import ValidationError

from genontology.ontology import Fix, Severity, Violation, apply_fixes, has_errors, json_path
from genontology.ontology.violations import parse_json_path


@pytest.mark.parametrize(
    "parts",
    [(), ("actions", 2, "cost", 0, "resource"), ("theming", "deck_building"), ("odd key", 1), ("a-b", 0)],
)
def test_json_path_round_trips(parts) -> None:
    assert parse_json_path(json_path(*parts)) == list(parts)


def test_json_path_format() -> None:
    assert json_path("actions", 2, "cost") == "$.actions[2].cost"
    assert json_path("theming", "with space") == '$.theming["with space"]'


@pytest.mark.parametrize("bad", ["actions", "$.a[x]", "$..a"])
def test_bad_json_path_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_json_path(bad)


def _v(code: str, severity: Severity, fix: Fix | None = None) -> Violation:
    return Violation(code=code, severity=severity, path="$", message="m", hint="h", fix=fix)


def test_codes_are_dotted() -> None:
    with pytest.raises(ValidationError):
        _v("NoDots", Severity.error)


def test_has_errors_ignores_warnings() -> None:
    assert not has_errors([_v("a.b", Severity.warning), _v("a.c", Severity.info)])
    assert has_errors([_v("a.b", Severity.error)])


def test_apply_fixes_removes_list_items_from_the_end_first() -> None:
    doc = {"xs": [0, 1, 2, 3], "m": {"k": 1, "j": 2}}
    fixes = [
        _v("a.b", Severity.error, Fix(op="remove", path="$.xs[1]", description="d")),
        _v("a.b", Severity.error, Fix(op="remove", path="$.xs[3]", description="d")),
        _v("a.b", Severity.error, Fix(op="remove", path="$.m.k", description="d")),
        _v("a.b", Severity.error, Fix(op="set", path="$.m.j", value=[5], description="d")),
    ]
    fixed, applied = apply_fixes(doc, fixes)
    assert fixed == {"xs": [0, 2], "m": {"j": [5]}}
    assert len(applied) == 4
    assert doc["xs"] == [0, 1, 2, 3]


def test_apply_fixes_skips_paths_that_no_longer_resolve() -> None:
    fixed, applied = apply_fixes(
        {"a": []}, [_v("a.b", Severity.error, Fix(op="remove", path="$.a[3]", description="d"))]
    )
    assert fixed == {"a": []} and applied == []
