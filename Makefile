# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-browser bench install messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every package pinned, the whole tree: an install in a year gives the same result.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py demo_links --base-url http://$(HOST):$(PORT)
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install
	$(BIN)/python -m pytest
	$(MAKE) test-browser

# Browser tests run after the others, in their own pytest run (Playwright's sync
# API and pytest-asyncio do not share a session well).
test-browser: install
	@if [ -d tests/browser ]; then $(BIN)/python -m pytest tests/browser -p no:asyncio; \
	else echo "no browser tests"; fi

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# Regenerate the ONE Thai catalogue, locale/th/LC_MESSAGES/django.po, from the code
# (needs GNU gettext). No app has a locale/ directory of its own: every string lands
# in LOCALE_PATHS, which outranks Django's catalogues (tests/i18n/test_catalogue.py).
messages: install
	$(BIN)/python manage.py makemessages -l th --no-obsolete --ignore=.venv --ignore=bench --ignore=tests --ignore=node_modules --ignore=staticfiles
	$(BIN)/python manage.py compilemessages -l th --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
