"""What a run returns: the design, whether it is valid (never pretending), the trace and the usage."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from genontology.agents.trace import Trace, redact
from genontology.ontology import Domain, Violation, errors_among, has_errors
from genontology.ontology.critique import CriticFinding
from genontology.ontology.io import write_atomic

Status = Literal["valid", "valid_with_warnings", "invalid", "failed"]


def status_of(violations: list[Violation]) -> Status:
    if has_errors(violations):
        return "invalid"
    return "valid_with_warnings" if violations else "valid"


@dataclass
class DesignResult:
    """`status` is `valid`, `valid_with_warnings` or `invalid` (with the violations left), or `failed` when
    the run itself raised (in a batch; `error` says why)."""

    prompt: str
    status: Status
    data: dict[str, Any]
    design: BaseModel | None
    violations: list[Violation]
    critique: list[CriticFinding]
    trace: Trace
    usage: dict[str, Any]
    rounds: int
    domain: Domain[Any] | None = field(default=None, repr=False)
    error: str | None = None
    playtest: dict[str, Any] | None = None  # the simulation report and its playable gate, when one ran
    tuning: dict[str, Any] | None = None  # what tuning the numbers by simulation did, when it ran
    # Writes what a valid design becomes besides its JSON and text (the music plan's score): the plan's hook.
    artifacts: Callable[[BaseModel, Path], list[str]] | None = field(default=None, repr=False)
    saved: list[str] = field(default_factory=list)  # the file names the last `save` wrote

    @property
    def errors(self) -> list[Violation]:
        return errors_among(self.violations)

    def to_markdown(self) -> str:
        if self.design is not None and self.domain is not None:
            return self.domain.render_markdown(self.design)
        return "# (no design)\n\nThe run produced nothing that parses: " + (self.error or "see violations")

    def summary(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "status": self.status,
            "title": self.data.get("title"),
            "rounds": self.rounds,
            "errors": len(self.errors),
            "warnings": len(self.violations) - len(self.errors),
            "critique": len(self.critique),
            "playable": self.playtest["gate"]["passed"] if self.playtest else None,
            "tuned": self.tuning["accepted"] if self.tuning else None,
            "error": self.error,
            **{
                k: self.usage.get(k)
                for k in ("calls", "input_tokens", "cached_tokens", "output_tokens", "wall_s", "lm_s")
            },
        }

    def standing(self) -> tuple[int, int, int]:
        """How good the design is, lower being better: its errors (a failed run: every one), whether it
        failed the playable gate (no playtest counts as passing), its warnings."""
        errors = len(self.errors) if self.design is not None else 10**6
        gate = (self.playtest or {}).get("gate") or {}
        unplayable = int(not gate.get("passed", True))
        return errors, unplayable, len(self.violations) - len(self.errors)

    def refused(self) -> list[str]:
        """The names and titles the model wrote, in each stage's last answer, that the design does not carry:
        what the assembly refused (a label such as "Theme", the theme again, a published game's name) and
        replaced. A metric built on the validator and the gate alone cannot see them."""
        asked = [step for step in self.trace.steps if step.kind == "lm" and step.output]
        return refused_names([(step.stage, step.output) for step in asked], self.data)

    def describe_standing(self) -> str:
        errors, unplayable, warnings = self.standing()
        if self.design is None:
            return "no design"
        gate = "no playtest" if self.playtest is None else "fails the gate" if unplayable else "plays"
        return f"{errors} errors, {gate}, {warnings} warnings"

    @property
    def filenames(self) -> dict[str, str]:
        return self.domain.files if self.domain else {"design": "design.json", "text": "rulebook.md"}

    def save(self, folder: str | Path) -> list[str]:
        """The design's JSON and text under the domain's names (design.json and rulebook.md for games),
        trace.json (secrets redacted), result.json, playtest.json when a playtest ran, tuning.json when tuning
        ran, and the plan's
        artifacts for a design without errors, each written atomically. Returns the names written."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        names = self.filenames
        write_atomic(out / names["design"], json.dumps(self.data, indent=2, ensure_ascii=False))
        write_atomic(out / names["text"], self.to_markdown())
        write_atomic(out / "trace.json", json.dumps(redact(self.trace.model_dump(mode="json")), indent=1))
        result = {
            **self.summary(),
            "violations": [v.model_dump(mode="json") for v in self.violations],
            "critique_findings": [f.model_dump(mode="json", exclude_none=True) for f in self.critique],
            "usage": self.usage,
        }
        write_atomic(out / "result.json", json.dumps(redact(result), indent=2))
        written = [names["design"], names["text"], "trace.json", "result.json"]
        if self.playtest is not None:
            write_atomic(out / "playtest.json", json.dumps(self.playtest, indent=2))
            written.append("playtest.json")
        if self.tuning is not None:
            write_atomic(out / "tuning.json", json.dumps(self.tuning, indent=2))
            written.append("tuning.json")
        if self.artifacts is not None and self.design is not None and not self.errors:
            written += self.artifacts(self.design, out)
        self.saved = written
        return written

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"DesignResult({s['title']!r}, status={s['status']}, errors={s['errors']}, "
            f"warnings={s['warnings']}, rounds={s['rounds']}, calls={s['calls']})"
        )

    def _repr_markdown_(self) -> str:
        s = self.summary()
        rows = "\n".join(f"| {k} | {v} |" for k, v in s.items() if v is not None)
        left = "\n".join(f"- `{v.code}` {v.path}: {v.message}" for v in self.violations[:10])
        return f"**{s['title']}** — `{s['status']}`\n\n| | |\n|---|---|\n{rows}\n\n{left}"


def refused_names(answers: Iterable[tuple[str, dict[str, Any]]], data: dict[str, Any]) -> list[str]:
    """The names and titles in each stage's last answer (`answers`: stage and output, in the order asked)
    that the design's `data` does not carry; a saved trace's LM steps give them as well as a live one."""
    last = dict(answers)
    written = set().union(*map(_names, last.values())) if last else set()
    return sorted(written - _names(data))


def _names(value: Any) -> set[str]:
    """Every string under a `title` or `name` key, and every value of a `names` mapping, at any depth."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("title", "name") and isinstance(item, str):
                found.add(item)
            elif key == "names" and isinstance(item, dict):
                found |= {v for v in item.values() if isinstance(v, str)}
            else:
                found |= _names(item)
    elif isinstance(value, list):
        for item in value:
            found |= _names(item)
    return found
