# The two commands a newcomer needs: `make serve` and `make test`.
# Both create the virtual environment on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0
UV_VERSION := 0.13.9
# make serve's address: make serve PORT=8001 (HOST=0.0.0.0 shows the book to other machines too).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install serve build tangle check lint typecheck test bench clean

help:
	@echo "make help    this list"
	@echo "make serve   build and serve the book at http://$(HOST):$(PORT) (live reload; re-tangles nnbook/; PORT=, HOST=)"
	@echo "make test    every check: tangle sync, lint, mypy, strict site build, then unit + fence + doctest + site tests"
	@echo "make check   fast: package in sync with the chapters, lint (ruff check + format), mypy on nnbook/"
	@echo "make lint    ruff check and ruff format --check on the whole tree"
	@echo "make tangle  regenerate nnbook/ from the chapters"
	@echo "make bench   the performance benchmark (installs PyTorch CPU and scikit-learn)"
	@echo "make install the virtual environment in .venv, pinned (the other targets make it on first use)"
	@echo "make build   the site, strict, into site/ (what make test builds)"
	@echo "make typecheck  mypy on nnbook/"
	@echo "make clean   remove site/ and the caches"

# uv installs the pinned environment in seconds; pip only bootstraps it.
# --compile-bytecode: uv skips it by default, and with PYTHONDONTWRITEBYTECODE set (as on our CI machines)
# every test process would recompile numpy, scipy and matplotlib on import: 8 s instead of 3 s each.
$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' || { \
	  echo "The pinned docs and test tools need Python 3.11.5 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
	  echo "Run with PYTHON=/path/to/python3.11 (or newer), e.g. make test PYTHON=python3.12"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	UV_NATIVE_TLS=1 $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python \
	  -c requirements/constraints.txt -e '.[dev]'
	touch $@

install: $(STAMP)

# --dirty: an edit renders the pages whose source changed (when nnbook/ changed, tools/hooks.py brings the
# other pages up to date in the background); it warns that it is dirty, hence --no-strict. `make build` and
# `make test` stay strict and whole. tools/serve.py checks the address first: a busy port gets one line,
# not a traceback after the first build.
serve: $(STAMP)
	@$(BIN)/python tools/serve.py $(HOST) $(PORT)
	$(BIN)/mkdocs serve --dirty --no-strict --dev-addr $(HOST):$(PORT)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

tangle: $(STAMP)
	$(BIN)/python tools/tangle.py

check: $(STAMP)
	$(BIN)/python tools/tangle.py --check
	$(MAKE) --no-print-directory lint typecheck

# The whole tree: package, tools, tests, benchmarks, example notebooks (pyproject.toml says what format skips).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Tests use small matrices: one BLAS thread is faster for them and never oversubscribes a busy machine.
# The site is built once, before pytest (a build fails when nnbook/ is stale); the tests read site/.
# pytest-xdist runs them on both cores (`-n 2`, work stealing for the long ones): about half the wall time.
test: export OPENBLAS_NUM_THREADS := 1
test: check build
	$(BIN)/python -m pytest tests docs nnbook README.md -n 2 --dist worksteal \
	  --markdown-docs --markdown-docs-syntax=superfences --doctest-modules

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -r requirements/bench.txt
	$(BIN)/python benchmarks/run.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/conv.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/tricks.py
	$(BIN)/python benchmarks/plot.py

clean:
	rm -rf site .pytest_cache .hypothesis .cache
