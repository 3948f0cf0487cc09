# The two commands a newcomer needs (see README):
#   make run    build the graph from the corpus and serve it on http://127.0.0.1:8000/
#   make test   run the whole test suite
# Both set up the virtual environment on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NPM_STAMP := service/node_modules/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run build serve test lint bench clean setup browser virtuoso

setup: $(STAMP) $(NPM_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The query editor's front-end packages (YASGUI), served from this machine, never from a CDN.
$(NPM_STAMP): service/package.json service/package-lock.json
	npm ci --prefix service --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

run: setup
	$(BIN)/policykg build
	$(BIN)/policykg serve --host $(HOST) --port $(PORT)

serve: setup
	$(BIN)/policykg serve --host $(HOST) --port $(PORT)

build: setup
	$(BIN)/policykg build

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }

# Debian's Virtuoso open-source for the remote-store integration tests (they start it on loopback).
virtuoso:
	@command -v virtuoso-t >/dev/null || { \
	  echo "installing Debian's virtuoso-opensource for the remote-store tests"; \
	  $(SUDO) apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null; }

test: setup browser virtuoso
	$(BIN)/ruff check .
	$(BIN)/pytest

# make bench [SUITES="scale"] [SIZES=100k,1M,5M] [STORES=embedded,oxigraph,virtuoso]
bench: setup virtuoso
	$(BIN)/pip install --quiet -e '.[test,bench]'
	nice $(BIN)/python -m benchmarks $(SUITES) $(if $(SIZES),--sizes $(SIZES)) $(if $(STORES),--stores $(STORES))

clean:
	rm -rf build .pytest_cache
