"""The settings of the test suite: development mode and a key made for this run.

The bare settings are production's and refuse to start without a key, so the
tests ask for what they need explicitly. Both go into the environment, not only
into this module: the processes the tests start (daphne behind nginx, the
browser tests' server, ``manage.py`` in a subprocess) inherit them, and share
the key so that a session made here is valid there. A variable already set
(``DJANGO_DEBUG=0`` for a production probe) wins.
"""

import os
import secrets

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-" + secrets.token_urlsafe(48))

from config.settings import *  # noqa: E402,F403

# The test process keeps Python's collector as it is (a freeze would keep one
# test's objects for the rest of the run); the servers the tests start settle.
SERVER_SETTLES_COLLECTOR = False
