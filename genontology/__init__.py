"""genontology: domain knowledge as executable Pydantic schemas that constrain generative agents."""

from genontology.ontology import Domain, Severity, Violation, get_domain, validate

__all__ = ["Domain", "Severity", "Violation", "get_domain", "validate"]
__version__ = "0.1.0"
