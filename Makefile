# Relay: `make run` to try it, `make test` to check it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e bench lint check setup check-tools clean lock

check-tools:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
		{ echo "Relay needs Python 3.11 or newer, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Install it, or run: make PYTHON=python3.12 ..."; exit 1; }
	@command -v npm >/dev/null 2>&1 || \
		{ echo "Relay needs Node.js and npm to build its pages' styles. Install them (Debian/Ubuntu: sudo apt-get install nodejs npm) and run make again."; exit 1; }

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/.built: node_modules/.installed frontend/build.mjs frontend/relay.scss $(wildcard frontend/js/*)
	npm run --silent build
	@touch $@

setup: check-tools $(VENV)/.installed static/build/.built

# Serves the web app and the django-q2 worker together; Ctrl+C stops both.
run: export DEBUG ?= 1
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	@echo
	@echo "Relay is starting at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@echo "Demo logins (password relay-demo-2026): alice, bob (IT), dina, ellis (library desk), carl (coordinator), admin"
	@echo
	@trap 'kill 0' INT TERM EXIT; \
		$(PY) manage.py qcluster & \
		$(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: setup
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

e2e: setup
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Before every commit (the pre-commit hooks run the first four): lint, formatting, types, which way
# imports run, and every test but the browser ones: 2,800 tests, three to six minutes on two cores
# (`make check PYTEST_ARGS=tests/lending` for one app's).
check: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DEBUG=1 $(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n 2 -m "not e2e" -q $(PYTEST_ARGS)

# Regenerate requirements.lock after changing pyproject.toml dependencies.
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --extra test --extra bench --strip-extras --no-emit-index-url --no-emit-find-links \
		--no-header --annotation-style=line -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules static/build var/static
