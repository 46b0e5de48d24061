# pgwf: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATABASE_URL ?= postgresql:///pgwf
export DATABASE_URL

.PHONY: run test lint ops-packages bench bench-deps bench-engine-ab bench-peers docs venv postgres browser ui clean

$(BIN)/pgwf: setup.cfg pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test,lint]' 2>&1 | grep -v -E '^WARNING: (Location|Ignoring)' || true
	@$(BIN)/python -c 'import pgwf, psycopg, yoyo, flask, pytest_postgresql'
	@touch $@

venv: $(BIN)/pgwf

postgres:
	@scripts/ensure-postgres.sh --with-pgtap

## PgBouncer and pg_cron for the operations tests (tests/py/test_ops_real.py)
ops-packages:
	@scripts/ensure-ops-packages.sh

## the browser tests drive Debian's Chromium (never a downloaded browser)
browser:
	@scripts/ensure-browser.sh

## make ui: build the web UI (ui/ -> ui/dist, served at /) when missing or older than its sources
UI_SOURCES := $(shell find ui/src -type f 2>/dev/null) ui/index.html ui/package.json \
              ui/package-lock.json ui/vite.config.ts ui/tsconfig.json
ui/node_modules/.package-lock.json: ui/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	    cd ui && npm ci --no-audit --no-fund --loglevel=error >/dev/null; \
	else echo "npm not found: the web UI is not built (the API works without it; install Node.js and npm for the UI)" >&2; fi

ui/dist/index.html: ui/node_modules/.package-lock.json $(UI_SOURCES)
	@if command -v npm >/dev/null 2>&1; then \
	    cd ui && npm run --silent build >/dev/null; \
	fi

ui: ui/dist/index.html

## make run: migrate $(DATABASE_URL) (created if missing), load the demo data, start pgwf
run: venv postgres ui
	@$(BIN)/pgwf db upgrade --create
	@$(BIN)/pgwf demo load
	@# the API and the worker connect as non-owner logins, so row-level security binds them
	@PGWF_API_DATABASE_URL="$${PGWF_API_DATABASE_URL:-$$($(BIN)/pgwf db login pgwf_api --group pgwf_app --trusted)}" \
	 PGWF_WORKER_DATABASE_URL="$${PGWF_WORKER_DATABASE_URL:-$$($(BIN)/pgwf db login pgwf_agent --group pgwf_worker)}" \
	 $(BIN)/pgwf up

## make test: everything a contributor needs to trust a change
test: venv postgres ops-packages browser ui lint
	@$(BIN)/pytest -q -p no:cacheprovider tests

lint: venv
	@$(BIN)/ruff check pyapp tests bench
	@$(BIN)/mypy pyapp/pgwf

## make bench: every benchmark against scratch databases it builds (minutes; loopback only)
bench: venv postgres
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 || echo "wrk not installed: the API benchmark uses Python clients" >&2
	@$(BIN)/python bench/task_bench.py all
	@$(BIN)/python bench/engine_bench.py all
	@$(BIN)/python bench/bpmn_deploy.py --no-record
	@$(BIN)/python bench/api_bench.py
	@$(MAKE) --no-print-directory bench-engine-ab bench-peers

## the peers (DBOS Transact, procrastinate) are bench-only dependencies: the `bench` extra
bench-deps: venv
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test,lint,bench]' 2>&1 | grep -v -E '^WARNING: (Location|Ignoring)' || true

## old engine (the commit before migrations/0007_token-engine.sql) and new, side by side (about 2 minutes)
bench-engine-ab: venv postgres
	@$(BIN)/python bench/engine_ab.py $(BENCH_ARGS)

## pgwf's worker loop against DBOS Transact and procrastinate, 4 clients, alternating rounds (a few minutes)
bench-peers: bench-deps postgres
	@$(BIN)/python bench/peers_bench.py $(BENCH_ARGS)

## make docs: docs/schema-reference.md from the catalog of a scratch database migrated from empty
docs: venv postgres
	@PGWF=$(BIN)/pgwf scripts/schema-docs.sh

clean:
	rm -rf $(VENV) build *.egg-info pyapp/*.egg-info ui/dist ui/node_modules
