# govkg: two commands do all the set-up on a fresh machine.
#   make run   create .venv, build the graph from the bundled corpus, serve it
#   make test  create .venv, run the whole default test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= govkg-store
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run build test test-marked bench bench-centrality clean bench-serve

$(VENV): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)

build: $(VENV)
	$(BIN)/govkg build --store $(STORE)

run: build
	$(BIN)/govkg serve --store $(STORE) --host $(HOST) --port $(PORT)

# The default suite, spread over the machine's cores (pytest-xdist).
test: $(VENV)
	$(BIN)/python -m pytest -q -n auto

# Tests that start servers or browsers; CI runs them after `make test`.
test-marked: $(VENV)
	$(BIN)/python -m pytest -q -m 'server or browser'

bench: $(VENV)
	$(BIN)/python benchmarks/bench_build.py

bench-centrality: $(VENV)
	$(BIN)/python benchmarks/bench_centrality.py

# govkg serve under wrk (apt-get install wrk), beside `oxigraph serve-read-only`.
bench-serve: $(VENV)
	$(BIN)/python benchmarks/bench_serve.py --large-copies 50

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
