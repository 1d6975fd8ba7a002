# Reloop. `make run` to try it, `make test` before pushing; README.md explains the rest.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One virtualenv for running and testing; reinstalled only when the lock file changes.
INSTALLED := $(VENV)/.installed-requirements-dev
# Extra pytest arguments: make test ARGS="-k healthz -x"
ARGS ?=
# How many processes run the tests (pytest-xdist; tests/workers.py gives each its own Redis
# database and ports): at most 7. TEST_WORKERS=0 runs them in this one process.
TEST_WORKERS ?= 2

.PHONY: help run stack test lint fmt lock messages bench

help:
	@echo "make run       the site on http://127.0.0.1:8000 (PORT=... for another) with a Celery worker, beat and demo data (SQLite)"
	@echo "make test      ruff, the import layers and mypy, then pytest (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set); ARGS=... for pytest"
	@echo "make stack     daphne + a worker per Celery queue + beat on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)"
	@echo "make fmt       format and autofix with ruff"
	@echo "make lock      regenerate requirements.lock and requirements-dev.lock from pyproject.toml"
	@echo "make messages  update and compile the Simplified Chinese translations"
	@echo "make bench     run the browse benchmark"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Reloop needs Python 3.11 or newer; point PYTHON at one, e.g. make run PYTHON=python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The lock files pin every dependency with its hashes, so nothing outside them is installed.
$(INSTALLED): requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-dev.lock
	touch $@

run: $(INSTALLED)
	$(PY) scripts/launch.py run

stack: $(INSTALLED)
	$(PY) scripts/launch.py stack

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

# axe-core and the Nu Html Checker (vnu-jar) for the accessibility tests, as package-lock.json pins
# them. Without npm those tests are skipped (CI, with REQUIRE_SERVICES=1, installs npm and fails instead).
NODE_INSTALLED := node_modules/.package-lock.json
$(NODE_INSTALLED): package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

test: lint $(NODE_INSTALLED)
	$(VENV)/bin/pytest --numprocesses=$(TEST_WORKERS) $(ARGS)

fmt: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: $(INSTALLED)
	$(VENV)/bin/pip-compile -q -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --extra dev -o requirements-dev.lock pyproject.toml

messages: $(INSTALLED)
	$(PY) manage.py makemessages -l zh_Hans --extension html,txt,py,jinja --ignore ".venv/*" --ignore "var/*" --ignore "node_modules/*"
	$(PY) manage.py compilemessages --ignore ".venv/*" --ignore "node_modules/*"

bench: $(INSTALLED)
	$(PY) bench/browse.py $(ARGS)
