"""`genontology bench`: every condition on every prompt, the exemplars beside them, the judge on all of them.

Every finished design and every finished scoring is its own JSON file under `out/`, written atomically, and a
design's run checkpoints each stage under `out/runs/`: an interrupted benchmark resumes where it stopped and
asks the model nothing it already answered. `report.write_report` turns the files into tables and plots.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dspy
from pydantic import BaseModel, ValidationError

from genontology.agents.design_plan import get_plan
from genontology.agents.designer import CHECKPOINT
from genontology.evaluation.conditions import Condition, designer_for
from genontology.evaluation.judge import Judge, require_rubric
from genontology.evaluation.prompts import BenchInputError, BenchPrompt
from genontology.execution import Executor
from genontology.generators import UsageLedger, resolve_lm
from genontology.ontology import GenontologyError, errors_among, get_domain
from genontology.ontology.io import write_atomic
from genontology.redaction import redact

EXEMPLARS = "EX"  # the published-game comparison, reported beside the conditions


@dataclass
class Bench:
    """One benchmark: what to run, on which model, into which folder."""

    conditions: list[Condition]
    prompts: list[BenchPrompt]
    out: Path
    lm: str | dspy.BaseLM | None = None
    domain: str = "tabletop"
    judge_lm: str | dspy.BaseLM | None = None  # None: the designers' own model judges
    max_rounds: int = 2
    judge_repeats: int = 3
    exemplars: int = 10
    seed: int = 0
    on_progress: Callable[[str], None] = field(default=lambda line: None)
    # None: the designs run one after another here; an Executor (Ray): one task a design, the LM resolved
    # from `lm` by each worker, so `lm` must be a spec every worker can reach or load, not a model object.
    executor: Executor | None = None

    def __post_init__(self) -> None:
        if self.judge_repeats < 0 or self.exemplars < 0 or self.max_rounds < 0:
            raise BenchInputError("--judge-repeats, --exemplars and --max-rounds cannot be negative")
        self.out = Path(self.out)
        if self.out.exists() and not self.out.is_dir():
            raise BenchInputError(f"--out {self.out} is a file; give a folder (it is created if missing)")
        if self.judge_repeats:  # refused before any design is generated, not after hours of them
            require_rubric(get_domain(self.domain))
        self._lm: dspy.BaseLM | None = None
        self._judge_lm: dspy.BaseLM | None = None

    @property
    def metrics(self) -> list[str]:
        return list(get_domain(self.domain).extras.get("rubric", {}))

    @property
    def model(self) -> dspy.BaseLM:
        if self._lm is None:  # one model for every run and the judge (the embedded one loads once)
            self._lm = resolve_lm(self.lm, cache=False)
        return self._lm

    @property
    def judge_model(self) -> dspy.BaseLM:
        if self.judge_lm is None:
            return self.model
        if self._judge_lm is None:
            self._judge_lm = resolve_lm(self.judge_lm, cache=False)
        return self._judge_lm

    def run(self) -> list[dict[str, Any]]:
        """Generate, measure and judge what is not on disk yet; return every record."""
        records = self._generate()
        records += [self._exemplar(d) for d in self._chosen_exemplars()]
        if self.judge_repeats:
            judge = Judge.for_domain(get_domain(self.domain), self.judge_model)
            for record in records:
                self._judge(judge, record)
        return records

    # Generation -------------------------------------------------------------------------------------------
    def _generate(self) -> list[dict[str, Any]]:
        jobs = [(c, i, p) for c in self.conditions for i, p in enumerate(self.prompts)]
        if self.executor is None:
            return [self._design(*job) for job in jobs]
        if isinstance(self.lm, dspy.BaseLM):
            raise BenchInputError("a bench on an executor needs an LM spec each worker resolves, not a model")
        records: list[dict[str, Any]] = [{}] * len(jobs)
        for index, record in self.executor.unordered(_design_task, [(self, *job) for job in jobs]):
            if isinstance(record, BaseException):
                raise record
            records[index] = record
            self.on_progress(_line(record))  # here, not on the worker, whose output nobody sees
        return records

    def __getstate__(self) -> dict[str, Any]:
        """What a worker receives: no resolved model (it resolves its own), no executor, no progress."""
        state = dict(self.__dict__)
        state.update(_lm=None, _judge_lm=None, executor=None, on_progress=_quiet)
        return state

    def _design(self, condition: Condition, index: int, item: BenchPrompt) -> dict[str, Any]:
        path = self.out / "designs" / condition.name / f"{index:02d}.json"
        if path.is_file():
            return json.loads(path.read_text())
        folder = self.out / "runs" / condition.name / f"{index:02d}"
        designer = designer_for(condition, self.domain, self.max_rounds, lm=self.model, seed=self.seed)
        began = time.perf_counter()
        try:
            brief = designer.brief(item.prompt, **item.constraints)
            if (folder / CHECKPOINT).is_file():
                result = designer.resume(folder)
            else:
                result = designer.run(item.prompt, out=folder, **item.constraints)
        except GenontologyError as exc:  # typed failures (LM, checkpoint, brief) are data for the parse rate
            record = _failed(condition.name, index, item, str(exc), time.perf_counter() - began)
        else:
            record = self._measure(condition.name, index, item.prompt, result.data, brief)
            record["status"] = result.status
            record["repaired"] = any((s.detail or "").startswith("repaired") for s in result.trace.steps)
            record["usage"] = {
                k: result.usage.get(k)
                for k in ("calls", "input_tokens", "output_tokens", "wall_s", "lm_s", "outside_lm_share")
            }
        write_atomic(path, json.dumps(redact(record), indent=1))
        self.on_progress(_line(record))
        return record

    def _measure(
        self, group: str, index: int | str, prompt: str, data: dict[str, Any], brief: BaseModel
    ) -> dict[str, Any]:
        domain = get_domain(self.domain)
        violations = domain.validate(data)
        errors = errors_among(violations)
        try:
            design = domain.parse(data)
        except ValidationError:
            design = None
        record = _record(
            group,
            index,
            prompt,
            parsed=bool(data),
            schema_valid=design is not None,
            errors=len(errors),
            error_codes=sorted({v.code for v in errors}),
            warnings=len(violations) - len(errors),
            design=data,
        )
        simulate = get_plan(self.domain).simulate
        if design is not None and not errors and simulate is not None:
            record["playtest"] = _playtest_summary(simulate(design, brief).as_dict())
        return record

    def _chosen_exemplars(self) -> list[BaseModel]:
        corpus = sorted(get_domain(self.domain).load_exemplars(), key=lambda d: str(getattr(d, "id", "")))
        return random.Random(self.seed).sample(corpus, min(self.exemplars, len(corpus)))

    def _exemplar(self, design: BaseModel) -> dict[str, Any]:
        key = str(getattr(design, "id", "exemplar"))
        path = self.out / "designs" / EXEMPLARS / f"{key}.json"
        if path.is_file():
            return json.loads(path.read_text())
        title = str(getattr(design, "title", key))
        brief = get_plan(self.domain).brief(prompt=title)
        record = self._measure(EXEMPLARS, key, title, design.model_dump(mode="json"), brief)
        record |= {"status": "exemplar", "usage": {}}
        write_atomic(path, json.dumps(redact(record), indent=1))
        self.on_progress(_line(record))
        return record

    # Judging ----------------------------------------------------------------------------------------------
    def _judge(self, judge: Judge, record: dict[str, Any]) -> None:
        if not record.get("parsed"):
            return
        path = self.out / "judge" / record["group"] / f"{record['index']}.json"
        scores: list[dict[str, int]] = json.loads(path.read_text()) if path.is_file() else []
        for repeat in range(len(scores), self.judge_repeats):
            try:
                scores.append(judge.score(record["design"], repeat, UsageLedger()))
            except GenontologyError as exc:  # a scoring the model could not give is reported, not fatal
                self.on_progress(f"[judge {record['group']} {record['index']}] failed: {exc}")
                return
            write_atomic(path, json.dumps(scores))  # each scoring kept as soon as it exists
        self.on_progress(f"[judge {record['group']} {record['index']}] {len(scores)} scoring(s)")


def _quiet(line: str) -> None:
    pass


def _design_task(bench: Bench, condition: Condition, index: int, item: BenchPrompt) -> dict[str, Any]:
    """One design of a bench as an executor's call (its record is also written to the bench's folder)."""
    return bench._design(condition, index, item)


def _record(group: str, index: int | str, prompt: str, **measures: Any) -> dict[str, Any]:
    """One design's record: what a design that produced nothing has, updated with what was measured."""
    blank = {"parsed": False, "schema_valid": False, "errors": None, "error_codes": [], "warnings": 0}
    blank |= {"playtest": None, "design": {}, "repaired": False, "usage": {}}
    return {"group": group, "index": index, "prompt": prompt, **blank, **measures}


def _failed(group: str, index: int, item: BenchPrompt, error: str, wall_s: float) -> dict[str, Any]:
    usage = {"wall_s": round(wall_s, 2)}
    return _record(group, index, item.prompt, status="failed", error=error[:500], usage=usage)


def _playtest_summary(report: dict[str, Any]) -> dict[str, Any]:
    gate = report.get("gate") or {}
    # the skill ladder's best rung: the stronger agent's advantage (the named bots' gaps when not judged)
    gaps = [r["estimate"]["value"] for r in gate.get("ladder", [])]
    gaps = gaps or [s.get("gap", 0.0) for s in report.get("skill", {}).values()]
    return {
        "passed": bool(gate.get("passed")),
        "failed_checks": [c["name"] for c in gate.get("checks", []) if not c["passed"]],
        "completion": report.get("completion"),
        "turns": report.get("duration_turns"),
        "balance": report.get("balance"),
        "skill_gap": max(gaps) if gaps else None,
    }


def _line(record: dict[str, Any]) -> str:
    wall = (record.get("usage") or {}).get("wall_s")
    took = f", {wall:.0f} s" if wall else ""
    played = record.get("playtest") or {}
    playable = "" if not played else (", playable" if played.get("passed") else ", unplayable")
    errors = "" if record.get("errors") is None else f", {record['errors']} error(s)"
    return f"[{record['group']} {record['index']}] {record['status']}{errors}{playable}{took}"
