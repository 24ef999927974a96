# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-browser bench install install-test messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every package pinned, the whole tree: an install in a year gives the same result.
# `make run` installs only what the app needs (requirements.lock); the tests and
# the benchmark add their tools (requirements-test.lock) on top.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py demo_links --base-url http://$(HOST):$(PORT)
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install-test
	$(BIN)/python -m pytest
	$(MAKE) test-browser

# Browser tests run after the others, in their own pytest run (Playwright's sync
# API and pytest-asyncio do not share a session well).
test-browser: install-test
	@if [ -d tests/browser ]; then $(BIN)/python -m pytest tests/browser -p no:asyncio; \
	else echo "no browser tests"; fi

bench: install-test
	$(BIN)/python -m bench $(BENCH_ARGS)

# Regenerate the Thai catalogues from the code (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l th -l en --no-obsolete --ignore=.venv --ignore=bench --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
