# Lagspill: `make run` sets everything up and serves the product; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run setup test test-sqlite test-postgres lint format messages bench clean help

help:
	@echo "make run    – set up (venv, dependencies, database, built-in data, demo accounts) and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   – lint and run all tests (unit, integration, browser) on SQLite, then PostgreSQL"
	@echo "make bench  – measure page timings and query counts"

# The virtualenv is rebuilt only when a lock file changes.
$(BIN)/.base-installed: requirements/base.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Lagspill needs Python 3.11 or newer (PYTHON=python3.12 make …)."; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || bash scripts/ensure_venv.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/base.txt
	touch $@

$(BIN)/.dev-installed: $(BIN)/.base-installed requirements/dev.txt
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

setup: $(BIN)/.base-installed
	bash scripts/ensure_pdf_libs.sh
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_places
	$(MANAGE) indicators refresh --source builtin
	$(MANAGE) load_criteria

run: export LAGSPILL_DEMO ?= 1
run: export DEBUG ?= 1
run: setup
	$(MANAGE) demo_setup
	@echo "Lagspill is served on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(BIN)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint lagspill --lint
	$(BIN)/djlint lagspill --check

format: $(BIN)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint lagspill --reformat

test: lint test-sqlite test-postgres

test-sqlite: $(BIN)/.dev-installed
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_pdf_libs.sh
	$(BIN)/pytest

test-postgres: $(BIN)/.dev-installed
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_pdf_libs.sh
	bash scripts/with_postgres.sh $(BIN)/pytest

messages: $(BIN)/.dev-installed
	cd lagspill && ../$(BIN)/python ../manage.py makemessages -l nb -l nn -l en --no-obsolete --add-location file
	cd lagspill && ../$(BIN)/python ../manage.py compilemessages

bench: $(BIN)/.dev-installed setup
	$(BIN)/python scripts/bench_pipeline.py
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/loadrun.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
