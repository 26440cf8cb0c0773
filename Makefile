# Tillsammans forum. `make run` serves the forum with its job worker; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
export FLASK_APP := forum:create_app

.PHONY: run dev lint test test-pg soak translations compile-translations setup db bench bench-cpu \
	chromium redis-server java clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Where the forum keeps its secret key, SQLite file and queue (FORUM_INSTANCE_DIR, as forum/config.py).
INSTANCE := $(or $(FORUM_INSTANCE_DIR),instance)
$(INSTANCE)/secret_key:
	@mkdir -p $(INSTANCE)
	@if [ -z "$$FORUM_SECRET_KEY" ]; then \
	  umask 077; $(PY) -c 'import secrets; print(secrets.token_hex(32))' > $@; \
	  echo "Generated a secret key in $@"; \
	else touch $@; fi

compile-translations: | $(PY)
	@$(BIN)/pybabel -q compile -d forum/translations

translations: | $(PY)
	@mkdir -p forum/translations
	$(BIN)/pybabel -q extract -w 100 -F babel.cfg -k _l -k lazy_gettext -o forum/translations/messages.pot --no-location --sort-output --project "Tillsammans forum" .
	@for lang in sv en; do \
	  if [ ! -f forum/translations/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q init -i forum/translations/messages.pot -d forum/translations -l $$lang; \
	  fi; \
	done
	$(BIN)/pybabel -q update -w 100 -i forum/translations/messages.pot -d forum/translations --no-fuzzy-matching --ignore-obsolete
	$(PY) -m forum.catalogues fill-en
	$(PY) -m forum.catalogues check || echo "Translate the entries above in forum/translations/sv/LC_MESSAGES/messages.po"
	$(BIN)/pybabel -q compile -d forum/translations

db: $(VENV)/.installed $(INSTANCE)/secret_key compile-translations
	$(BIN)/alembic upgrade head
	$(BIN)/flask forum seed --demo-if-empty
	$(BIN)/flask forum seed-glossary

setup: db

# The web server, the job worker and Redis under one process manager (honcho, Procfile). The web
# processes count rate limits in that Redis, on a socket in the instance directory, unless the
# environment names another storage (FORUM_RATELIMIT_STORAGE_URI) or a shared FORUM_REDIS_URL.
REDIS_SOCKET := $(or $(FORUM_INSTANCE_DIR),$(CURDIR)/instance)/redis.sock
run: export FORUM_REDIS_SOCKET := $(REDIS_SOCKET)
ifeq ($(FORUM_RATELIMIT_STORAGE_URI)$(FORUM_REDIS_URL),)
run: export FORUM_RATELIMIT_STORAGE_URI := redis+unix://$(REDIS_SOCKET)
endif
run: setup redis-server
	@echo "Tillsammans forum: http://$(HOST):$(PORT), its job worker and Redis  (Ctrl+C stops all)"
	FORUM_BIND=$(HOST):$(PORT) FORUM_WEB_WORKERS=$(WORKERS) $(BIN)/honcho start -f Procfile

# One process with the reloader; jobs run in it, as the tests run them.
dev: setup
	FORUM_JOBS_WORKER=false FORUM_BIND=$(HOST):$(PORT) $(BIN)/flask run --debug --host $(HOST) --port $(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

redis-server:
	@if ! command -v redis-server >/dev/null; then \
	  echo "Installing Debian's redis-server for the rate limits of make run and the tests"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server; \
	fi

# The Nu HTML checker (npm vnu-jar) that tests/http/test_valid_html.py runs is a Java program.
java:
	@if ! command -v java >/dev/null; then \
	  echo "Installing Debian's default-jre-headless for the HTML checker of the tests"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless; \
	fi

# --ignore-scripts: vnu-jar's install script would download a Java runtime where none is found;
# the tests run Debian's (the java target) on the jar directly.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent

# Lint first: ruff (rules, import order, formatting at 100 columns) and the layer contract.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: lint compile-translations chromium redis-server java node_modules/.package-lock.json
	$(BIN)/pytest $(PYTEST_ARGS)

# The unit and HTTP tests again, on a real PostgreSQL server started for the run (.ci/with-postgres).
test-pg: $(VENV)/.installed-test compile-translations redis-server java node_modules/.package-lock.json
	.ci/with-postgres $(BIN)/pytest tests/unit tests/http $(PYTEST_ARGS)

# The soak test at length: gunicorn and the job worker under 16 writing members (tests/http/test_soak.py).
SOAK_SECONDS ?= 120
soak: $(VENV)/.installed-test compile-translations
	SOAK_SECONDS=$(SOAK_SECONDS) $(BIN)/pytest tests/http/test_soak.py -s $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules .pytest_cache

# Rewrite migrations/versions/0001_initial.py from the models (pre-release only, see forum/schema.py).
schema: | $(PY)
	$(PY) -m forum.schema
	@$(BIN)/ruff check --fix --quiet migrations >/dev/null || true
	$(BIN)/ruff format --quiet migrations
	$(BIN)/ruff check --quiet migrations

# CPU time per request of each page and of the bare reference app, in one process (bench/cpu.py):
# the figure that holds on a busy machine; then page speed against the reference app in the same
# run (bench/pages_bench.py, with wrk), then
# search performance on a generated forum (BENCH_POSTS=100000 by default; see bench/search_bench.py),
# then seconds from a reply's commit to its being found, with 16 members writing (bench/commit_to_search.py),
# and the seconds the worker takes to repair a damaged index (bench/self_repair.py); then a daily
# digest for 5,000 members, built and handed to a local SMTP server (bench/digest_bench.py).
bench: $(VENV)/.installed-test compile-translations
	@command -v wrk >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk)
	$(PY) -m bench.cpu
	$(PY) -m bench.pages_bench
	$(PY) -m bench.search_bench
	$(PY) -m bench.commit_to_search
	$(PY) -m bench.self_repair
	$(PY) -m bench.digest_bench

# Only the CPU time per request (BENCH_CPU_DIR=dir keeps the generated forum for the next run;
# `$(PY) -m bench.cpu --profile "thread, 30 posts, logged in"` profiles one page).
bench-cpu: $(VENV)/.installed-test compile-translations
	$(PY) -m bench.cpu

# Search relevance: nDCG@10 and Recall@10 per labelled corpus and analysis variant.
search-eval: $(VENV)/.installed
	$(PY) -m bench.search_eval
