# The two commands a newcomer needs are `make design` and `make test`; both set up .venv/ first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: install design test test-fast lint format bench clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes; pip resolves the whole pinned set in one call.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

# Until the agents exist (issue 5), this validates and renders a shipped exemplar: it does not generate.
design: install
	@echo "NOTE: the design agents are not built yet; validating and rendering the shipped exemplar 'catan'."
	$(VENV)/bin/genontology exemplars export catan --out $(OUT)/catan/design.json
	$(VENV)/bin/genontology validate $(OUT)/catan/design.json
	$(VENV)/bin/genontology show $(OUT)/catan/design.json --graph $(OUT)/catan/graph.png > $(OUT)/catan/rulebook.md
	@echo "wrote $(OUT)/catan/design.json, rulebook.md and graph.png"

test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not slow" -q

lint: install
	$(VENV)/bin/ruff check genontology tests benchmarks
	$(VENV)/bin/ruff format --check genontology tests benchmarks

format: install
	$(VENV)/bin/ruff check --fix genontology tests benchmarks
	$(VENV)/bin/ruff format genontology tests benchmarks

bench: install
	$(PY) benchmarks/validate_speed.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
