"""The evaluation harness: the ablation's conditions, the judge and its reliability, and the report."""

from genontology.evaluation.conditions import (
    CONDITIONS,
    Condition,
    ConditionError,
    designer_for,
    parse_conditions,
)
from genontology.evaluation.harness import Bench
from genontology.evaluation.judge import Judge
from genontology.evaluation.prompts import THEMES, BenchInputError, BenchPrompt, load_prompts
from genontology.evaluation.report import write_report
from genontology.evaluation.stats import icc2_1

__all__ = [
    "CONDITIONS",
    "THEMES",
    "Bench",
    "BenchInputError",
    "BenchPrompt",
    "Condition",
    "ConditionError",
    "Judge",
    "designer_for",
    "icc2_1",
    "load_prompts",
    "parse_conditions",
    "write_report",
]
