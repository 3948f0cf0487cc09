# The two commands a newcomer needs (see README):
#   make run    build the graph from the corpus and print a summary of it
#   make test   run the whole test suite
# Both set up the virtual environment on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run build test lint bench clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: setup
	$(BIN)/policykg build

build: setup
	$(BIN)/policykg build

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf build .pytest_cache
