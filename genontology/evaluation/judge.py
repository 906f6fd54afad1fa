"""An LLM judge with a written rubric, blind to where a design comes from, scored several times so that its
reliability can be measured (ICC(2,1), `stats.icc`) and reported next to its scores.

Each scoring is one DSPy call at temperature 0.7 with its own seed: a judge whose scores move with the
sampling noise has a low ICC, and that is visible beside every mean it produces.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

import dspy
from pydantic import Field, ValidationError, create_model

from genontology.agents.adapter import CompactJSONAdapter
from genontology.generators import UsageLedger, call_lm
from genontology.ontology import Domain, GenontologyError

MAX_DESIGN_CHARS = 6000  # the rendered design the judge reads: about 1,500 tokens
JUDGE_TEMPERATURE = 0.7
ERRORS_FIELD = "consistency_errors"
JUDGE_EXTRAS = ("rubric", "consistency", "reviewer")  # what a domain gives the judge, in Domain.extras


class NoRubric(GenontologyError, LookupError):
    """The domain gives the judge no rubric to score by."""


def require_rubric(domain: Domain[Any]) -> None:
    """Raise NoRubric, naming what is missing, unless `domain` gives the judge all it needs."""
    missing = [key for key in JUDGE_EXTRAS if key not in domain.extras]
    if missing:
        raise NoRubric(
            f"the {domain.name} domain has no judge rubric (its extras lack {', '.join(missing)}); "
            "run the bench with --judge-repeats 0"
        )


@dataclass(frozen=True)
class Judge:
    """Scores designs of `domain` on its rubric (`domain.extras["rubric"]`, metric -> what earns 1, 5, 10),
    in the voice of its reviewer (`extras["reviewer"]`), counting what `extras["consistency"]` names."""

    domain: Domain[Any]
    lm: dspy.BaseLM
    temperature: float = JUDGE_TEMPERATURE

    @classmethod
    def for_domain(cls, domain: Domain[Any], lm: dspy.BaseLM) -> Judge:
        """A judge for `domain`, refused in one line when the domain gives it nothing to score by."""
        require_rubric(domain)
        return cls(domain, lm)

    @property
    def rubric(self) -> dict[str, str]:
        return dict(self.domain.extras["rubric"])

    @property
    def metrics(self) -> list[str]:
        return list(self.rubric)

    def blind_text(self, data: dict[str, Any]) -> str:
        """The design as the judge reads it: rendered when it parses, its JSON otherwise; never its origin."""
        anonymous = {k: v for k, v in data.items() if k not in ("provenance", "id")}
        try:
            text = self.domain.render_markdown(self.domain.parse({**anonymous, "id": "design"}))
        except (ValidationError, TypeError, ValueError):
            text = json.dumps(anonymous, indent=1, ensure_ascii=False)
        return text[:MAX_DESIGN_CHARS]

    def score(
        self, data: dict[str, Any], repeat: int = 0, ledger: UsageLedger | None = None
    ) -> dict[str, int]:
        """One scoring of one design: every metric 1-10 and the count of consistency errors."""
        metrics = {
            name: (Annotated[int, Field(ge=1, le=10, description=rule)], ...)
            for name, rule in self.rubric.items()
        }
        errors = (Annotated[int, Field(ge=0, le=30, description=self.domain.extras["consistency"])], ...)
        scores = create_model("Scores", **metrics, **{ERRORS_FIELD: errors})  # type: ignore[call-overload]
        signature = dspy.Signature(
            {
                "design": (str, dspy.InputField()),
                "scores": (scores, dspy.OutputField(desc="Your scores, each by its rubric.")),
            },
            self.domain.extras["reviewer"],
        )
        lm = self.lm.copy(temperature=self.temperature, seed=repeat)
        with dspy.context(lm=lm, adapter=CompactJSONAdapter()):
            answer = call_lm(
                lambda: dspy.Predict(signature)(design=self.blind_text(data), config={"max_tokens": 200}),
                lm=lm,
                label="scores",
                ledger=ledger,
            )
        return dict(answer.scores.model_dump())
