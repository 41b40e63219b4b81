PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint typecheck unit deep bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/holdtight

lint: $(STAMP_TEST)
	$(BIN)/ruff check holdtight tests bench
	$(BIN)/ruff format --check holdtight tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

unit: $(STAMP_TEST)
	# Three workers on two cores: a TUI test waits on Textual between keys and a CLI test
	# on its child process, and those waits overlap another worker's work; each worker
	# also collects every test (~1.3 s), so more workers cost more than they overlap.
	# Bytecode is cached (in git-ignored __pycache__ folders) even where the environment
	# says not to: every worker compiles the package and rewrites every test module
	# otherwise, ~0.7 s each, on every run.
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q holdtight
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 3

test: lint typecheck unit

# Every property test draws ten times as many examples (before a release; minutes).
deep: $(STAMP_TEST)
	HOLDTIGHT_TEST_DEPTH=10 $(BIN)/python -m pytest -n 2

bench: $(STAMP_RUN)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
