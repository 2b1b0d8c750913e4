# The two commands: `make run` (demo pipeline) and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

.PHONY: setup run test lint format ui bench bench-quick eval clean services services-stop

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,distributed]"
	touch $(STAMP)

.env: .env.example
	@test -f .env || cp .env.example .env

setup: $(STAMP) .env
	@mkdir -p $(DAGSTER_HOME)
	@test -f $(DAGSTER_HOME)/dagster.yaml || cp assets/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

run: setup
	$(BIN)/veille demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Every bench/*.py script, then BENCHMARKS.md (bench/README.md says how long each takes).
bench: setup
	$(BIN)/python bench/run_all.py

bench-quick: setup
	$(BIN)/python bench/run_all.py --quick

eval: setup
	-$(BIN)/veille eval --baseline tests/gold/real/
	$(BIN)/veille eval --baseline

ui: setup
	$(BIN)/python -m veille.dagster_dev -w workspace.yaml

# Postgres and Redis of the distributed profile, on loopback under data/services (docs/scaling.md).
services: setup
	scripts/services.sh start

services-stop:
	scripts/services.sh stop

clean:
	rm -rf data .pytest_cache .ruff_cache
