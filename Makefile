PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint typecheck unit bench clean

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
	# Two workers a core: the TUI tests spend much of their time waiting on Textual's
	# timers, and the waits of one worker overlap another's work (measured: 22 s with 4
	# workers, 29 s with 2, on a 2-core machine).
	$(BIN)/python -m pytest -n 4

test: lint typecheck unit

bench: $(STAMP_RUN)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
