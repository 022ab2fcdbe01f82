# Chibo: `make run` starts the demo, `make test` runs every test. See README.md.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PY := .venv/bin/python
PYTHON ?= $(shell command -v python3)
DEMO_SCALE ?= province
DEMO_SEED ?= 1
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install run test test-fast test-pg test-browser bench security-report lint format messages clean

# Installs uv if missing, then the locked dependencies into .venv (no download of Python itself).
.venv/.installed: pyproject.toml uv.lock
	@scripts/system_packages.sh
	@command -v uv >/dev/null || $(PYTHON) -m pip install -q uv
	@test -x $(PY) || uv venv -q -p "$(PYTHON)" .venv
	uv sync --frozen -q
	@touch $@

install: .venv/.installed

# The demo signs in with the password alone (the demo logins are printed, no phone needed):
# `make run DEMO_2FA=true` asks every role for an authenticator code, as production always does.
DEMO_2FA ?= false
run: export CHIBO_REQUIRE_2FA = $(DEMO_2FA)
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale $(DEMO_SCALE) --seed $(DEMO_SEED)
	@echo "Starting the background worker (imports, exports) and the web server on http://127.0.0.1:8000"
	@echo "Second factor for roles: $(DEMO_2FA) (make run DEMO_2FA=true to try the authenticator enrolment)"
	@$(PY) manage.py run_worker >var/worker.log 2>&1 & echo $$! >var/worker.pid; \
	trap 'kill $$(cat var/worker.pid) 2>/dev/null; rm -f var/worker.pid' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# Every test: unit, views, API, permissions matrix, and the browser tests in Chromium
# (skipped with a printed reason when /usr/bin/chromium is missing; .ci/run installs it).
test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not browser" -x -q

# The same suite on PostgreSQL (127.0.0.1:5432, trust auth); pytest creates and drops test_chibo.
test-pg: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser"

test-browser: install
	$(PY) -m pytest -m browser

# The security goals S1–S13 as measured now: runs their tests and prints the table
# (docs/security-report.md). `make security-report GOALS=S4,S9` for some of them.
GOALS ?=
security-report: install
	$(PY) manage.py security_report $(if $(GOALS),--goals $(GOALS))

# Timings of goals P1–P6 on the demo province (SQLite, and PostgreSQL when it answers), then the
# HTTP load (locust, from the `bench` dependency group) at 10 and 50 users; bench/results.json.
# The bench signs its users in with the password alone (force_login and a login form without
# the authenticator step): the second factor is not what it measures.
bench: export CHIBO_REQUIRE_2FA = false
bench: install
	uv sync --frozen -q --group bench
	$(PY) -m bench.run
	$(PY) -m bench.load

lint: install
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: install
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

# Regenerate the Vietnamese catalogue from the code, fill it from locale/fragments, compile it.
messages: install
	scripts/merge_translations.sh

clean:
	rm -rf var .venv
