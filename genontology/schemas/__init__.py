"""Domain ontologies, one module or folder per domain."""
