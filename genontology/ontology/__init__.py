"""The domain-agnostic core: violations, the rule registry, graph checks and the Domain description."""

from genontology.ontology.domain import Domain, available_domains, get_domain, register_domain, validate
from genontology.ontology.errors import (
    DesignFileError,
    GenontologyError,
    OutputFolderError,
    UnknownDomainError,
)
from genontology.ontology.io import load_design_file
from genontology.ontology.rules import Finding, Rule, RuleSet
from genontology.ontology.violations import (
    Fix,
    Severity,
    Violation,
    apply_fixes,
    errors_among,
    has_errors,
    json_path,
)

__all__ = [
    "DesignFileError",
    "Domain",
    "Finding",
    "Fix",
    "GenontologyError",
    "OutputFolderError",
    "Rule",
    "RuleSet",
    "Severity",
    "UnknownDomainError",
    "Violation",
    "apply_fixes",
    "available_domains",
    "errors_among",
    "get_domain",
    "has_errors",
    "json_path",
    "load_design_file",
    "register_domain",
    "validate",
]
