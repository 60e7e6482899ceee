# Two commands: `make run` (quick start on SQLite with demo content) and
# `make test` (the whole test suite). Both create .venv as needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
NPM := $(shell command -v npm 2>/dev/null)

.PHONY: run test lint clean bench messages catalogues

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The translations Django reads (.mo), built from the catalogues in locale/
# (.po, under version control) with Babel: no system package needed.
catalogues: $(VENV)/.runtime
	$(PY) -m newsroom.catalogues

# The catalogues updated from the code and templates (needs GNU gettext:
# apt-get install gettext): the reader's site and the editors' admin, all
# but what neither readers nor editors read.
MESSAGES_IGNORE := .venv/* node_modules/* tests/* bench/* demo/* deploy/* staticfiles/* \
	*/migrations/*
messages: $(VENV)/.runtime
	DJANGO_SECRET_KEY=makemessages $(PY) manage.py makemessages -l be -l ru --no-location \
		--no-obsolete $(foreach pattern,$(MESSAGES_IGNORE),-i '$(pattern)')
	$(PY) -m newsroom.catalogues

# Debug on for the quick start only: it serves media and needs no secret key.
run: export DJANGO_DEBUG ?= true
run: $(VENV)/.runtime catalogues
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The HTML checker and axe-core for the browser tests; installed again only
# when package-lock.json changes. No install scripts: nothing is fetched beyond
# the two packages.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The browser tests need $(CHROMIUM); without it pytest skips them and says so.
test: $(VENV)/.dev catalogues $(if $(NPM),node_modules/.installed)
	@$(PY) -m pytest; status=$$?; \
	test -x $(CHROMIUM) || echo "Browser tests skipped: $(CHROMIUM) not found (apt-get install -y chromium)"; \
	test -n "$(NPM)" || echo "HTML and accessibility checks skipped: npm not found"; \
	exit $$status

# Page throughput: the app under gunicorn against a bare Django view and static
# nginx (needs PostgreSQL, Redis, wrk and nginx; see bench/run.py), e.g.
#   make bench BENCH_ARGS="--articles 10000 --repeat 3 --write"
# A full run, both baselines and every row of the targets, two timed runs of
# each page, each row with a target beside its baseline: about twelve minutes
# on two cores (seeding the database the first time adds about a minute).
# BENCH_ARGS replaces these.
BENCH_ARGS ?= --articles 10000 --repeat 2 --duration 10
bench: $(VENV)/.runtime
	$(PY) bench/run.py $(BENCH_ARGS)

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles .pytest_cache .ruff_cache test-artifacts
