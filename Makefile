# Qamqor: the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests never need a real secret; production must set SECRET_KEY itself (settings refuse to start).
TEST_ENV := SECRET_KEY=test-only-not-secret DEBUG= ESIGN_DEV_SIGNER= FIELD_ENCRYPTION_KEYS=Dmio7KwA0sT6eXoXpUN4qEdwowgVXDqTNiIS4u08h04=

.PHONY: run install test test-browser lint format messages bench bench-calendar bench-login bench-export lock clean

$(STAMP): pyproject.toml requirements/lock.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Qamqor needs Python 3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	@touch $(STAMP)

install: $(STAMP)

## make run: install, migrate the embedded SQLite database, load demo data, serve on :8000
run: $(STAMP)
	@mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v0
	DEBUG=1 $(BIN)/python manage.py collectstatic --no-input --clear -v0
	DEBUG=1 QAMQOR_BASE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py make_test_pki
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: the whole suite; PostgreSQL when DATABASE_URL is set, else SQLite
test: $(STAMP)
	@$(TEST_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v0
	@$(TEST_ENV) bash bin/test $(ARGS)

test-browser: $(STAMP)
	@$(TEST_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v0
	@$(TEST_ENV) bash bin/test -m browser $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy qamqor
	$(BIN)/bandit -q -r qamqor -x '*/migrations/*' --severity-level medium

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make messages: extract every string into locale/kk and locale/ru, then compile
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l kk -l ru --ignore=.venv --ignore=var --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)
	$(BIN)/python bench/login_bench.py --no-prepare
	$(BIN)/python bench/export_bench.py --no-prepare

## make bench-login: e-signature verification time and logins/s (bench/login_bench.py)
bench-login: $(STAMP)
	$(BIN)/python bench/login_bench.py $(ARGS)

## make bench-export: registry XLSX/CSV export rows/s and peak memory (bench/export_bench.py)
bench-export: $(STAMP)
	$(BIN)/python bench/export_bench.py $(ARGS)

bench-calendar: $(STAMP)
	$(BIN)/python bench/run.py --calendar $(ARGS)

lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/lock.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# --- Faults (issue 10 item 7): backups and the fault drill; docs/operations.md -----------------
.PHONY: backup restore drill

## make backup: the configured database (DATABASE_URL, else the embedded SQLite) to var/backups
backup: $(STAMP)
	$(BIN)/python manage.py backup

## make restore FILE=var/backups/…: into a fresh database (TO=url to choose it; FORCE=1 to overwrite)
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "make restore FILE=var/backups/<backup> [TO=url] [FORCE=1]"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(TO),--to "$(TO)") $(if $(FORCE),--force)

## make drill: PostgreSQL restarted under load, a worker killed mid-task, backup/restore (own cluster)
drill: $(STAMP)
	$(BIN)/python bin/drill.py $(ARGS)
## make bench-national: the synthetic country (seed_national) under load on PostgreSQL
## qamqor_bench_national, gunicorn at 16 connections, ratios to the floor (bench/national.py).
## ARGS e.g. "--scale 0.5 --fresh"; about 15 minutes at the default scale on 2 shared cores.
.PHONY: bench-national
bench-national: $(STAMP)
	$(BIN)/python bench/national.py $(ARGS)
