"""Qamqor settings: one file, driven by environment variables with safe defaults.

See docs/operations.md for every variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see docs/operations.md)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from our static files, not a CDN
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "qamqor.core",
    "qamqor.accounts",
    "qamqor.organizations",
    "qamqor.specialists",
    "qamqor.notifications",
    "qamqor.cabinet",
    "qamqor.journal",
    "qamqor.applications",
    "qamqor.privacy",
    "qamqor.api",
    "qamqor.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qamqor.core.session_touch.SessionTouchMiddleware",  # right after SessionMiddleware
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "qamqor.api.middleware.ApiErrorMiddleware",
    "qamqor.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qamqor.core.history.HistoryActorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "qamqor.urls"
WSGI_APPLICATION = "qamqor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qamqor" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qamqor.core.context_processors.portal",
                "qamqor.accounts.context_processors.acting",
                "qamqor.notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (production, CI); without it Qamqor uses an embedded SQLite
# file so that `make run` needs no server. SQLite runs in WAL mode with IMMEDIATE transactions so
# that writers wait for each other instead of failing with "database is locked".
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "qamqor.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
            conn_health_checks=True,
        )
    }
    # Issue 9: server-side binding, and statements prepared by psycopg after their fifth run on
    # a connection, so that PostgreSQL plans a repeated query once (docs/decisions.md, "Prepared
    # statements"). DB_PREPARED_STATEMENTS=0 turns it off (Django's default), e.g. behind a
    # transaction-mode pooler, which does not keep a session's prepared statements.
    PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
    if PREPARED_STATEMENTS:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
CACHES: dict[str, dict[str, Any]]
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    # Per process. Django's default of 300 entries would cull the personal pages' entries
    # (qamqor.core.freshness, a few kB each) as soon as 300 persons have looked at theirs.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_MAX_ENTRIES", "3000"))},
        }
    }

# --- Background work: the Django Tasks API with the database backend -------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out clients before any check (a ModelBackend, so get_user works too).
    "axes.backends.AxesBackend",
    "qamqor.accounts.backends.ESignatureBackend",  # R-X-2: login by a verified CMS over a nonce
    "qamqor.accounts.backends.OneTimeCodeBackend",  # R-SPC-1: login by an SMS/e-mail code
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time (R-X-4) ---------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "qamqor_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
FORMAT_MODULE_PATH = ["qamqor.formats"]
TIME_ZONE = "Asia/Almaty"  # all of Kazakhstan is UTC+5 since 1 March 2024 (tzdata >= 2024a)
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "qamqor" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("STATIC_NO_MANIFEST")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle timeout: 30 minutes without a request ends the session. The expiry is renewed at most once
# a minute by qamqor.core.session_touch (issue 9: no session UPDATE on every read page).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
# Django's database engine with the row read in SQL on every request (qamqor.core.sessions,
# issue 9); with REDIS_URL its cached_db twin (below).
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "qamqor.core.sessions.db")
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "qamqor.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (django-csp): scripts, styles, fonts and images only from this site, no
# inline code, no framing, forms post only here. The one other address is NCALayer, the NCA
# signing application on the person's own computer (R-X-2, static/js/esign.js). The error page
# (500.html) is self-contained: its one <style> block is allowed by its hash
# (tests/test_security.py checks the hash against the file).
ERROR_PAGE_STYLE_HASH = "'sha256-tgCl4HbTqbOv3f/9VnayigLRpQ5+FVx5exTJIuxq2lM='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", ERROR_PAGE_STYLE_HASH],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "wss://127.0.0.1:13579"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)  # TLS ends at the proxy
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS is sent on HTTPS responses only; a year, subdomains included, preload-ready.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# The reverse proxy redirects http to https (docs/operations.md): done in Django, it would also
# redirect the load balancer's plain-http health checks on the private network.
SILENCED_SYSTEM_CHECKS = ["security.W008"]

# --- Portal settings (rules that leave a detail to the operator) -----------------------------
# R-SVC-6: the portal's working day ends at 18:30 Astana time by default.
PORTAL_WORKDAY_END = os.environ.get("PORTAL_WORKDAY_END", "18:30")
# Years the working-day calendar is seeded for from the `holidays` package (R-X-1).
CALENDAR_FIRST_YEAR = int(os.environ.get("CALENDAR_FIRST_YEAR", "2024"))
CALENDAR_LAST_YEAR = int(os.environ.get("CALENDAR_LAST_YEAR", "2030"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# --- Identity (issue 3) -----------------------------------------------------------------------
# E-signature (R-X-2): see docs/esign.md. Folders of trusted CA certificates and of CRLs (PEM/DER).
ESIGN_TRUSTED_CA_DIR = os.environ.get("ESIGN_TRUSTED_CA_DIR", "")
ESIGN_CRL_DIR = os.environ.get("ESIGN_CRL_DIR", "")
# Which verifiers check signatures, in order: "inprocess" (RSA, ECDSA and GOST 34.10-2015 512-bit,
# NCA's current keys, in this process since issue 12) and/or "http" (an optional external
# verification server at ESIGN_HTTP_VERIFIER_URL, tried for what the in-process one refuses as
# unsupported; no longer needed for NCA's keys).
ESIGN_VERIFIERS = env_list("ESIGN_VERIFIERS", "inprocess")
ESIGN_HTTP_VERIFIER_URL = os.environ.get("ESIGN_HTTP_VERIFIER_URL", "")
ESIGN_HTTP_VERIFIER_TIMEOUT = float(os.environ.get("ESIGN_HTTP_VERIFIER_TIMEOUT", "10"))
ESIGN_OCSP_CHECKER = os.environ.get("ESIGN_OCSP_CHECKER", "")  # dotted path; empty: CRLs only
ESIGN_NONCE_TTL_SECONDS = int(os.environ.get("ESIGN_NONCE_TTL_SECONDS", "300"))
# A signing time older than this is refused for acts (logins: ESIGN_NONCE_TTL_SECONDS).
ESIGN_MAX_SIGNATURE_AGE_SECONDS = int(os.environ.get("ESIGN_MAX_SIGNATURE_AGE_SECONDS", "86400"))
# On: refuse when no CRL of the issuer (and no OCSP answer) is available; off: log and accept.
ESIGN_REQUIRE_REVOCATION_CHECK = env_bool("ESIGN_REQUIRE_REVOCATION_CHECK", False)
# Development only: trust the test PKI of `manage.py make_test_pki` (and its GOST part, also in a
# `gost/` sub-folder) and offer the in-browser development signer (ECDSA or GOST 2015 keys).
# Refused at start-up when DEBUG is off (accounts/apps.py).
ESIGN_TEST_PKI_DIR = os.environ.get("ESIGN_TEST_PKI_DIR", str(BASE_DIR / "var" / "test-pki"))
ESIGN_DEV_SIGNER = env_bool("ESIGN_DEV_SIGNER", DEBUG)

# One-time codes (R-SPC-1): 6 digits, 5 minutes, 5 wrong attempts, one resend a minute.
OTP_TTL_SECONDS = int(os.environ.get("OTP_TTL_SECONDS", "300"))
OTP_MAX_ATTEMPTS = int(os.environ.get("OTP_MAX_ATTEMPTS", "5"))
OTP_RESEND_SECONDS = int(os.environ.get("OTP_RESEND_SECONDS", "60"))
# Like Django's EMAIL_BACKEND: console / file for development, HTTP gateway in production.
# Absolute links in SMS and e-mail notifications point here.
PORTAL_BASE_URL = os.environ.get("QAMQOR_BASE_URL", "http://127.0.0.1:8000")

SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "qamqor.accounts.sms.ConsoleBackend" if DEBUG else "qamqor.accounts.sms.HttpGatewayBackend",
)
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms"))
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Qamqor <no-reply@qamqor.kz>")

# Brute-force safety: rate limits (django-ratelimit, on the shared cache) and lockout (django-axes).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "qamqor.accounts.views.session.rate_limited"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"  # the one-time-code login passes the destination there
# Behind PROXY_COUNT reverse proxies the client is the right-most untrusted X-Forwarded-For entry;
# with no proxy the header is the client's own invention and only REMOTE_ADDR counts.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)
# A locmem cache is per process: fine for development and tests, not for production (Redis).
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001", "django_ratelimit.E003"]

# --- Scale-out: replica, shared sessions and counters (issue 9, item 4; docs/deployment.md) ----
# A PostgreSQL streaming replica for reads that tolerate a little lag (qamqor/core/db_router.py).
# Without DATABASE_REPLICA_URL every read goes to DATABASE_URL. Tests make the alias a mirror of
# the primary (TEST MIRROR), so they need no second server.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary).")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
    if PREPARED_STATEMENTS:
        DATABASES["replica"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["qamqor.core.db_router.ReplicaRouter"]
# GET/HEAD requests to these views (URL names, fnmatch patterns) read from the replica: public
# registries and their exports, the monitoring dashboards (already cached for a minute).
REPLICA_READ_VIEWS = [
    "organizations:registry",
    "organizations:detail",
    "organizations:export_*",
    "organizations:staff_export_*",
    "specialists:registry",
    "specialists:detail",
    "specialists:export_*",
    "applications:dashboard",
    "api-v1:list_organizations",
    "api-v1:get_organization",
    "api-v1:list_specialists",
    "api-v1:get_specialist",
    "api-v1:dashboard",
]
# Never from the replica: the person's own data and the security state.
REPLICA_EXCLUDED_APPS = [
    "sessions",
    "accounts",
    "auth",
    "axes",
    "notifications",
    "django_tasks_db",
    "admin",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "qamqor.core.db_router.ReplicaReadMiddleware",
)
# nginx sets Host itself and drops a client's X-Forwarded-Host (deploy/nginx/qamqor.conf); only
# a second proxy in front that rewrites Host needs this on.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
if os.environ.get("REDIS_URL"):
    # One Redis for every app process: cache, rate-limit counters, the calendar's change token
    # and the sessions' read copy. cached_db: sessions are read from Redis and written through
    # to PostgreSQL, so a Redis restart logs nobody out (docs/decisions.md).
    CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "qamqor")
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "qamqor.core.sessions.cached_db")
    # The cache is shared now: let django-ratelimit's checks guard that it stays so.
    SILENCED_SYSTEM_CHECKS = [
        check
        for check in SILENCED_SYSTEM_CHECKS
        if check not in ("django_ratelimit.W001", "django_ratelimit.E003")
    ]

# --- Personal data encrypted at rest (issue 10 item 4; docs/privacy.md, docs/operations.md) ---
# Comma-separated 32-byte keys in URL-safe base64; the first encrypts, all decrypt. `make run`
# (DEBUG) and the test suite get a fixed, public development key that must never protect real
# data. With DEBUG off and no keys, tooling (mypy, compilemessages) still loads these settings,
# but the web server refuses to start (qamqor/wsgi.py), `check --deploy` fails (core.E001) and
# any read or write of an encrypted column raises ImproperlyConfigured.
DEV_FIELD_ENCRYPTION_KEY = "Dmio7KwA0sT6eXoXpUN4qEdwowgVXDqTNiIS4u08h04="
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    import sys as _sys

    _testing = "pytest" in _sys.modules
    if DEBUG or _testing:
        FIELD_ENCRYPTION_KEYS = [DEV_FIELD_ENCRYPTION_KEY]
        # Processes the test suite starts (manage.py check …) inherit the same development key.
        os.environ.setdefault("FIELD_ENCRYPTION_KEYS", DEV_FIELD_ENCRYPTION_KEY)
    if DEBUG and not _testing:
        _sys.stderr.write(
            "WARNING: FIELD_ENCRYPTION_KEYS is not set: personal data is encrypted with the "
            "PUBLIC DEVELOPMENT KEY. Never run with real data like this.\n"
        )
# --- Faults (issue 10 item 7): one record per idempotency key, double clicks included ---------
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "qamqor.core.idempotency.IdempotencyMiddleware",
)

# --- Issue 9: cached content of public pages (qamqor.core.pagecache) --------------------------
# An entry is dropped at once when its data changes (shared cache: REDIS_URL); this is the most a
# process with its own memory cache (no REDIS_URL) may serve an entry changed by another process.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# The personal cabinet's sections (qamqor.core.freshness): checked against the database on
# every view; this bounds only what is not watched (names of regions and districts, templates).
CABINET_CACHE_SECONDS = int(os.environ.get("CABINET_CACHE_SECONDS", "300"))
# --- Input limits (issue 10 item 3, input abuse; docs/security.md) ------------------------------
# A request body without files (forms, JSON of the API and of the integration imports): 2.5 MB,
# Django's default written down; larger is refused with 400 before any view. Uploads above 2.5 MB
# go to a temporary file, not memory; a page posts at most 10 files and 1000 fields. An import
# command refuses a file larger than IMPORT_MAX_BYTES before reading it (core.importfiles).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))
