"""Settings from the environment. Production is the default.

With nothing set the app refuses to start: production mode (``DJANGO_DEBUG``
unset or 0) needs ``DJANGO_SECRET_KEY`` (a strong one) and
``DJANGO_ALLOWED_HOSTS``, and turns the secure defaults on. Development mode is
asked for explicitly with ``DJANGO_DEBUG=1`` and still needs a key: ``make run``
keeps a random one in ``.secret_key``, the tests make one per run
(``config/settings_test.py``). ``DATABASE_URL`` selects PostgreSQL (with
Django's connection pool), ``REDIS_URL`` selects channels_redis and the Redis
cache. ``DJANGO_TRUSTED_PROXIES`` names the proxies whose ``X-Forwarded-For``
and ``X-Forwarded-Proto`` are believed (``assembly/proxy.py``).
"""

import os
import tempfile
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.keys import GENERATE, weak_key_reason

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


# Production unless development is asked for: a forgotten variable must never
# leave debug pages and a guessable key on a server.
DEBUG = env_flag("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")

# A server process freezes what it loaded at start out of the cycle collector's
# walks and collects its young objects less often (assembly/collector.py).
SERVER_SETTLES_COLLECTOR = env_flag("DJANGO_SETTLE_COLLECTOR", True)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Samatcha refuses to start without a secret "
        f"key. In production set DJANGO_SECRET_KEY to a long random value ({GENERATE}"
        "); on your own machine `make run` sets development mode and a local key "
        "for you."
    )
if not DEBUG and (_weak := weak_key_reason(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too weak for production: {_weak}. Set it to a long "
        f"random value: {GENERATE}"
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. In production mode Samatcha answers only "
        "the host names listed there (comma-separated), e.g. assembly.example.org."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The proxies (nginx) whose X-Forwarded-For and X-Forwarded-Proto are believed,
# as addresses or networks; nobody's by default (assembly/proxy.py).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
try:
    _trusted = [ip_network(entry, strict=False) for entry in TRUSTED_PROXIES]
except ValueError as exc:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {exc}") from exc
if os.environ.get("DJANGO_PROXY_COUNT"):
    raise ImproperlyConfigured(
        "DJANGO_PROXY_COUNT is no longer read: it let a client choose its own "
        "address. Set DJANGO_TRUSTED_PROXIES to the address of nginx instead "
        "(e.g. 127.0.0.1) and remove DJANGO_PROXY_COUNT; see docs/deploy.md."
    )

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "assembly",
    "agenda",
    "voting",
    "resolutions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of the app's: every HTML response gets its Thai marked (the 503
    # page included); static files never reach it.
    "assembly.thai_html.ThaiLineBreakMiddleware",
    "assembly.middleware.DatabaseUnavailableMiddleware",
    "assembly.middleware.LiveStatusMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "assembly.language.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "assembly.audit.RefusalAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "assembly.csp.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assembly.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# --- Data -----------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # Django's own psycopg 3 pool: no connection set-up per request.
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "20")),
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
        }
        # Parameters bound by the server, not quoted into the text by psycopg
        # in Python; and a statement a connection runs again and again (a
        # ballot's) prepared from its fifth run, then parsed and planned once.
        # Cheaper for the process and for PostgreSQL (docs/benchmarks.md). Off
        # (DB_SERVER_SIDE_BINDING=0) behind a pooler in transaction mode that
        # cannot keep prepared statements.
        if os.environ.get("DB_SERVER_SIDE_BINDING", "1") != "0":
            _db["OPTIONS"]["server_side_binding"] = True
            _db["OPTIONS"]["prepare_threshold"] = 5
        _db["TEST"] = {"NAME": os.environ.get("DJANGO_TEST_DB_NAME", "test_samatcha")}
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, except that ``manage.py flush`` (and the
            # test runner's flush) may wipe the append-only ballot log whole.
            "ENGINE": "config.sqlite3",
            "NAME": os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Each thread keeps its connection: opening one (the file, Django's
            # functions, the pragmas below) cost a ballot more than its queries
            # (docs/benchmarks.md). Django's advice against persistent
            # connections under ASGI is about server pools; a file has none.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                # WAL lets readers and the single writer overlap; a short busy
                # timeout rides over the writer lock during a ballot burst.
                # secure_delete zeroes what a delete or an update frees, so a
                # secret poll's erased choices leave no bytes in the file
                # (docs/voting.md).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA secure_delete=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests run on a file in WAL mode, as the embedded default does, not
            # on Django's shared-cache in-memory database: that one locks whole
            # tables between connections ("database table is locked"), which the
            # app never meets, and has no file to read back. One file per
            # process, so suites running side by side never share one.
            "TEST": {
                "NAME": os.environ.get(
                    "DJANGO_TEST_SQLITE_PATH",
                    os.path.join(
                        tempfile.gettempdir(), f"samatcha-test-{os.getpid()}.sqlite3"
                    ),
                )
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Ballots queue for the database instead of timing out on the pool (voting/gate.py):
# how many of a process's ballots use the database at once (0: half the pool, at
# most 8; 1 on SQLite) and how long one may wait for its turn.
BALLOT_CONCURRENCY = int(os.environ.get("BALLOT_CONCURRENCY", "0"))
BALLOT_QUEUE_TIMEOUT = float(os.environ.get("BALLOT_QUEUE_TIMEOUT", "120"))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels_redis's pub/sub layer, noting whether pushes reach Redis
            # (the pages then say "live updates are paused").
            "BACKEND": "assembly.layers.ObservedRedisPubSubChannelLayer",
            # A prefix per deployment (or per test run) keeps several sharing
            # one Redis apart: pub/sub channels ignore the database number.
            "CONFIG": {
                # A Redis host that vanished must not hold a push for long.
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 2}],
                "prefix": os.environ.get("DJANGO_CHANNELS_PREFIX", "asgi"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "assembly.layers.ThriftyInMemoryChannelLayer"}}

# Presence of sockets in rooms lives in the cache: shared through Redis when
# several processes serve the assembly.
if REDIS_URL:
    CACHES = {
        "default": {
            # Unreachable, it misses rather than fails: a ballot never needs it.
            "BACKEND": "assembly.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "samatcha"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Lockout and throttle counters live here too: a spray of new keys
            # must not evict them (the default is 300 entries).
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }
# Without Redis there is one process (make run, a small assembly), and its
# memory is the right place for django-axes's counters; axes warns about any
# local cache because it cannot know that.
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["axes.W001"]

# --- Auth -------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's, reading the signed-in person's delegate with the user
    # (assembly/backends.py); Django's own stays for sessions opened before it.
    "assembly.backends.DelegateModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "assembly:login"
# Each person starts on their own work (assembly/navigation.py landing_url).
LOGIN_REDIRECT_URL = "assembly:start"
LOGOUT_REDIRECT_URL = "assembly:home"

# Guessing passwords (assembly/throttles.py; docs/deploy.md "Signing in"). A
# whole venue shares one address: django-axes locks a username at an address,
# never an address alone, and never a browser that signed in as that username
# before (a trusted device). Its counters live in the cache, not the database:
# a refused attempt writes no row.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "assembly.proxy.client_address"
AXES_USERNAME_CALLABLE = "assembly.throttles.axes_username"
AXES_WHITELIST_CALLABLE = "assembly.throttles.axes_whitelist"
AXES_LOCKOUT_CALLABLE = "assembly.views.signin.refused_sign_in"
AXES_VERBOSE = False
# The other limits, their defaults in assembly.throttles.DEFAULTS.
THROTTLES = {}

# Sessions are read from the cache (Redis when several processes serve) and
# written through to the database: a ballot reads its session without a query.
# End a session through its store (SessionStore(key).delete()), never by
# deleting Session rows alone: the cache would keep it alive.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# --- Language and time ----------------------------------------------------------

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

# --- Static and media -----------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Sarabun, the pages' font, is served from the installed fontpkg-sarabun package
# (assembly/webfonts.py): no font binaries in the repository, no font CDN.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "assembly.webfonts.SarabunFinder",
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "samatcha@localhost")
# The mail server, for the SMTP backend (Django's defaults: localhost:25, no login).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "") == "1"  # STARTTLS, port 587
EMAIL_USE_SSL = os.environ.get("DJANGO_EMAIL_USE_SSL", "") == "1"  # implicit TLS, port 465
EMAIL_TIMEOUT = 20

# --- Security -------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# htmx 2 runs without eval as long as no hx-on/js: attributes are used; inline
# scripts carry the per-request nonce. No inline styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "samatcha": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
