# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-tools test-browser bench install install-test messages clean port-free

# The settings are production's unless told otherwise (config/settings.py).
# On this machine, development mode is asked for explicitly, with a random key
# kept in .secret_key (ignored by git; made once, readable by you only) so that
# sessions and sign-in links survive a restart.
SECRET_KEY_FILE := .secret_key
LOCAL_ENV = DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat $(SECRET_KEY_FILE))"

$(SECRET_KEY_FILE):
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp
	@mv $@.tmp $@

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

# The port is checked first: printing links issues fresh ones (which cancels the
# links of a server already running), so nothing happens unless we can serve.
run: port-free install $(SECRET_KEY_FILE)
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput
	$(LOCAL_ENV) $(BIN)/python manage.py load_demo --if-empty
	$(LOCAL_ENV) $(BIN)/python manage.py demo_links --base-url http://$(HOST):$(PORT)
	$(LOCAL_ENV) $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

# Binds HOST:PORT as daphne will (SO_REUSEADDR: a port only in TIME_WAIT is
# free), and fails saying so when another process listens there.
port-free:
	@$(PYTHON) -c 'import socket, sys; \
	a = socket.getaddrinfo(sys.argv[1], int(sys.argv[2]), type=socket.SOCK_STREAM)[0]; \
	s = socket.socket(a[0], a[1]); \
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); \
	s.bind(a[4])' $(HOST) $(PORT) 2>/dev/null || { \
	echo "Port $(PORT) on $(HOST) is already in use (another make run?)." >&2; \
	echo "Nothing was changed and no links were issued. Stop that server or" >&2; \
	echo "choose another port: make run PORT=8001" >&2; \
	exit 1; }

test: install-test test-tools
	$(BIN)/python -m pytest
	$(MAKE) test-browser

# What the tests need besides Python: Debian's Chromium, Thai fonts,
# poppler-utils, nginx (installed when this user may, otherwise a failure that
# names them) and axe-core from npm. Nothing is skipped for want of a tool.
test-tools:
	@bash .ci/browser.sh
	@bash .ci/nginx.sh

# Browser tests run after the others, in their own pytest run (Playwright's sync
# API and pytest-asyncio do not share a session well).
test-browser: install-test
	@if [ -d tests/browser ]; then $(BIN)/python -m pytest tests/browser -p no:asyncio; \
	else echo "no browser tests"; fi

bench: install-test $(SECRET_KEY_FILE)
	$(LOCAL_ENV) $(BIN)/python -m bench $(BENCH_ARGS)

# Regenerate the ONE Thai catalogue, locale/th/LC_MESSAGES/django.po, from the code
# (needs GNU gettext). No app has a locale/ directory of its own: every string lands
# in LOCALE_PATHS, which outranks Django's catalogues (tests/test_catalogue.py).
messages: install $(SECRET_KEY_FILE)
	$(LOCAL_ENV) $(BIN)/python manage.py makemessages -l th --no-obsolete --ignore=.venv --ignore=bench --ignore=tests --ignore=node_modules --ignore=staticfiles
	$(LOCAL_ENV) $(BIN)/python manage.py compilemessages -l th --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
