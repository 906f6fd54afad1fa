"""The ablation's conditions as configurations of one Designer: a plan (staged or whole, specialists or one
generalist) and its switches. Nothing here generates; every condition runs the same loop.

    C1 raw LM          one call, free JSON (no schema), parsed leniently; counted with our validator
    C2 schema only     one call constrained by the domain's root schema; no rules in the loop
    C3 schema + rules  the staged, narrowed plan answered by one generalist, validated and repaired
    C4 multi-agent     the specialists, retrieval, the critic and repair
    C5 C4 + playtest   C4 with simulated playtests as evidence in the loop
    C6 C5 + tuning     C5 with a failed playtest's numbers tuned by simulation (the Designer's default)
    C7 recombination   C6's loop on the recombination route: two exemplars that play grafted, re-themed
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from genontology.agents import Designer, Switches
from genontology.agents.design_plan import DesignPlan, get_plan, single_agent, whole
from genontology.ontology import GenontologyError, get_domain


class ConditionError(GenontologyError):
    """An unknown ablation condition was asked for."""


@dataclass(frozen=True)
class Condition:
    name: str
    label: str
    plan: Callable[[str], DesignPlan]  # domain -> plan
    switches: Switches
    repairs: bool  # whether max_rounds applies (conditions without repair run one round)


def _whole(constrained: bool) -> Callable[[str], DesignPlan]:
    def plan(domain: str) -> DesignPlan:
        d = get_domain(domain)
        return whole(get_plan(domain), d.schema if constrained else None, d.describe)

    return plan


def _route(name: str) -> Callable[[str], DesignPlan]:
    def plan(domain: str) -> DesignPlan:
        base = get_plan(domain)
        if name not in base.routes_to:
            raise ConditionError(f"the {domain} domain has no {name} route")
        return base.routes_to[name]()

    return plan


OFF = Switches(retrieval=False, repair=False, critic=False, playtest=False)
CONDITIONS: dict[str, Condition] = {
    c.name: c
    for c in (
        Condition("C1", "raw LM", _whole(False), OFF, repairs=False),
        Condition("C2", "schema only", _whole(True), OFF, repairs=False),
        Condition(
            "C3",
            "schema + rules, one agent",
            lambda domain: single_agent(get_plan(domain)),
            Switches(retrieval=False, critic=False, playtest=False),
            repairs=True,
        ),
        Condition("C4", "multi-agent", get_plan, Switches(playtest=False), repairs=True),
        Condition("C5", "multi-agent + playtest", get_plan, Switches(tune=False), repairs=True),
        Condition("C6", "multi-agent + playtest + tuning", get_plan, Switches(), repairs=True),
        Condition("C7", "recombination + playtest + tuning", _route("recombine"), Switches(), repairs=True),
    )
}


def parse_conditions(spec: str) -> list[Condition]:
    """`"C1,C3"` -> those conditions, in the order given; a clear error for an unknown name."""
    names = [n.strip().upper() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONDITIONS]
    if unknown or not names:
        raise ConditionError(f"unknown condition(s) {unknown or spec!r}; choose from {', '.join(CONDITIONS)}")
    return [CONDITIONS[n] for n in dict.fromkeys(names)]


def designer_for(
    condition: Condition, domain: str = "tabletop", max_rounds: int = 2, **kwargs: Any
) -> Designer:
    """The Designer that runs `condition`: same loop, the condition's plan and switches."""
    rounds = max_rounds if condition.repairs else 0
    return Designer(
        domain, plan=condition.plan(domain), switches=condition.switches, max_rounds=rounds, **kwargs
    )
