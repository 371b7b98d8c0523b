# Two commands on a fresh machine: `make run` serves the bundled knowledge base, `make test` runs
# every test. Everything else here is what those two need.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: setup catalogs index run test lint browser extract-messages update-catalogs

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Translators: extract → update → edit translations/<locale>/LC_MESSAGES/messages.po → compile.
extract-messages: setup
	$(VENV)/bin/pybabel extract -F translations/babel.cfg -k _l -o translations/messages.pot --no-location --omit-header --sort-output .

# Changed source strings keep their old translation marked fuzzy (with --previous showing the old
# msgid) for the translator to review; the tests fail until no Korean entry is fuzzy or empty.
update-catalogs: extract-messages
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --previous --ignore-pot-creation-date

catalogs: setup
	$(VENV)/bin/pybabel compile -d translations --statistics

index: setup
	$(PY) indexer.py update

# gunicorn's settings (gevent workers, preload, limits, header timeout) are in webapp/serving.py,
# the one definition bench/slowclients.py and tests/test_slow_clients.py start too.
run: setup catalogs index
	$(VENV)/bin/gunicorn --config python:webapp.serving --workers $(WORKERS) --bind $(HOST):$(PORT)

# Browser tests drive Debian's chromium; install it when we can (root with apt), else they skip.
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); } || \
	  echo "note: /usr/bin/chromium is missing; browser tests will be skipped"

# Style and types: ruff's lint rules and formatting, and mypy over kb/, webapp/ and indexer.py.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The suite runs a test file per core (pytest-xdist, at most 4): a module's browser or servers
# start once, and the session's bundled index is built once per worker.
test: setup catalogs browser
	$(PY) -m pytest -q --numprocesses auto --maxprocesses 4 --dist loadfile
	@$(MAKE) --no-print-directory lint
