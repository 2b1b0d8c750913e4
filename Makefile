# The two commands: `make run` (demo pipeline) and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

.PHONY: setup run test lint format ui bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
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

bench: setup
	$(BIN)/python bench/extraction_quality.py
	$(BIN)/python bench/fetch.py
	$(BIN)/python bench/nlp.py --n 500

eval: setup
	$(BIN)/veille eval --baseline

ui: setup
	$(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf data .pytest_cache .ruff_cache
