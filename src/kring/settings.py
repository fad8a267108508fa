"""Kring settings: everything comes from the environment, with safe defaults.

See the README's "Configuration" section for every variable.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


DATA_DIR = Path(env("KRING_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("KRING_DEBUG", False)


def _secret_key() -> str:
    """Use KRING_SECRET_KEY, else a key generated once and kept in the data directory."""
    given = env("KRING_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if not path.exists():
        key = secrets.token_urlsafe(64)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("KRING_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("KRING_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("KRING_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Kring's apps come first so their templates (login, password reset) win over admin's.
    "kring.core",
    "kring.accounts",
    "kring.communities",
    "kring.knowledge",
    "kring.conversations",
    "kring.meetings",
    "kring.insights",
    "kring.illuminate",
    "kring.growth",
    "kring.decisions",
    "kring.networks",
    "kring.home",
    "kring.privacy",
    "kring.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "django_tasks",
    # django_tasks_db under Dutch names in the admin (same app, same tables).
    "kring.home.apps.TasksDatabaseConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kring.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kring.core.middleware.LanguageMiddleware",
    "kring.core.middleware.ApiResponseMiddleware",
    "kring.core.middleware.NulCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kring.accounts.two_factor.EnrolmentRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "kring.urls"
WSGI_APPLICATION = "kring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kring.core.context_processors.kring",
                "kring.conversations.context_processors.notifications",
            ],
            # |day, |day_time, |when, |number in every template without {% load %}, and
            # {% url %} with its answers kept (kring.core.reverse).
            "builtins": ["kring.core.templatetags.dates", "kring.core.templatetags.urls"],
        },
    },
]

# Database: SQLite in the data directory unless DATABASE_URL is set.
# WAL lets readers work while one writer writes; IMMEDIATE transactions take the write
# lock up front, so concurrent writers wait (up to the timeout) instead of failing
# halfway with "database is locked".
if env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "kring.sqlite3",
            # Each web thread keeps its connection (and SQLite's page cache) between
            # requests: a new one per request cost ~5 ms of every page at 10,000 members.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "kring",
        }
    }
else:
    # Room for a few thousand kept fragments (library cards) besides the rest; Django's
    # default of 300 would drop a third of everything whenever it fills.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# The login throttle's counters and the background tasks' locks (kring.core.locks) must be
# seen by every process, on every machine: in Redis when it is configured, otherwise in the
# database (the table is created by core's migrations).
THROTTLE_CACHE_TABLE = "kring_throttle_cache"
for _alias in ("throttle", "locks"):
    if env("REDIS_URL"):
        CACHES[_alias] = {**CACHES["default"], "KEY_PREFIX": f"kring-{_alias}"}
    else:
        CACHES[_alias] = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": THROTTLE_CACHE_TABLE,
            "KEY_PREFIX": "" if _alias == "throttle" else f"kring-{_alias}",
            # Culling drops entries; keep many so an attacker cannot flush them with junk keys.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }

AUTH_USER_MODEL = "accounts.User"
# The community that activity events and search documents belong to. Core names it only
# through this setting, as Django's own apps name the user model, so core imports no feature
# app. Not meant to be swapped: it is an indirection for the layering, nothing more.
KRING_COMMUNITY_MODEL = "communities.Community"
# The OIDC backend does nothing unless KRING_OIDC_ISSUER is set (see "Sign-in through your
# organisation" below); it only answers the sign-in callback, never a password form.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "kring.accounts.oidc.KringOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after this many failures for one e-mail address or one client
# address within the window, further attempts are refused until the window passes.
KRING_LOGIN_MAX_FAILURES = int(env("KRING_LOGIN_MAX_FAILURES", "5"))
KRING_LOGIN_WINDOW_SECONDS = int(env("KRING_LOGIN_WINDOW_SECONDS", "900"))
# Two-step login (django-otp): Kring's own login throttle counts wrong codes, so the devices'
# own back-off is off (it would refuse a right code a second after a typo, without a message).
OTP_TOTP_ISSUER = "Kring"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Behind a reverse proxy, the number of proxies that append to X-Forwarded-For; the
# client address for login throttling is then read from that header.
KRING_TRUSTED_PROXIES = int(env("KRING_TRUSTED_PROXIES", "0"))
KRING_INVITATION_DAYS = int(env("KRING_INVITATION_DAYS", "14"))
KRING_PHOTO_MAX_BYTES = int(env("KRING_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
KRING_PHOTO_SIZE = 512
KRING_ATTACHMENT_MAX_BYTES = int(env("KRING_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))

# Sign-in through your organisation (OpenID Connect, mozilla-django-oidc). Off unless
# KRING_OIDC_ISSUER is set. The provider's endpoints come from its discovery document,
# fetched on first use and cached (kring/accounts/oidc.py), never at start-up: Kring starts
# when the provider is down.
KRING_OIDC_ISSUER = env("KRING_OIDC_ISSUER").strip().rstrip("/")
KRING_OIDC_BUTTON_LABEL = env("KRING_OIDC_BUTTON_LABEL")
# Only through the organisation: no password login or reset, except for superusers.
KRING_OIDC_ONLY = env_bool("KRING_OIDC_ONLY", False)
# Create an account for a verified address that Kring does not know yet (off: invitation only).
KRING_OIDC_CREATE_USERS = env_bool("KRING_OIDC_CREATE_USERS", False)
# Logging out of Kring also logs out at the provider (when it offers an end_session_endpoint).
KRING_OIDC_PROVIDER_LOGOUT = env_bool("KRING_OIDC_PROVIDER_LOGOUT", False)
KRING_OIDC_DISCOVERY_CACHE_SECONDS = 3600
# A failed discovery is remembered this long, and waited for at most this long: while the
# provider is down, sign-in attempts get the clear 503 page without holding a worker.
KRING_OIDC_DISCOVERY_FAILURE_SECONDS = 30
KRING_OIDC_DISCOVERY_TIMEOUT = 4
OIDC_RP_CLIENT_ID = env("KRING_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("KRING_OIDC_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env("KRING_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "kring_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# One date and number style for the whole product (kring/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["kring.formats"]
CSRF_FAILURE_VIEW = "kring.core.errors.csrf_failure"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
# Copies of people's data (/me/data/): private, never served as media; the download view
# checks the owner. Temporary, so not part of `kring backup`.
KRING_EXPORT_DIR = DATA_DIR / "exports"
# Hashed, compressed static files once `kring collectstatic` has written its manifest
# (production); straight from the apps before that (demo, tests), so a missing
# manifest never breaks a page.
_STATIC_MANIFEST = (STATIC_ROOT / "staticfiles.json").exists() or "collectstatic" in sys.argv
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _STATIC_MANIFEST and not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not _STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env("KRING_EMAIL_HOST")
if EMAIL_HOST:
    KRING_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("KRING_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("KRING_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env("KRING_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("KRING_EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("KRING_EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 20
else:
    KRING_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Every e-mail goes through a background task: the queued backend stores the message as a
# task, `kring worker` hands it to the delivery backend (SMTP, or the console without one).
EMAIL_BACKEND = "kring.core.mail.QueuedEmailBackend"

# Background tasks (Django's tasks API, django-tasks backport) are kept in the database and
# run by `kring worker`. KRING_TASKS_IMMEDIATE=true runs them at once in the web process
# instead (development without a worker).
if env_bool("KRING_TASKS_IMMEDIATE", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# What `kring worker` enqueues on a schedule, with the interval in seconds. Each task is
# idempotent (digests know who is due), so a missed or doubled run does no harm.
KRING_PERIODIC_TASKS = [
    ("kring.conversations.tasks.digests_send", 15 * 60),
    ("kring.meetings.tasks.reminders_send", 15 * 60),
    ("kring.insights.tasks.snapshots_refresh_due", 15 * 60),
    ("kring.growth.tasks.stages_refresh", 6 * 60 * 60),
    ("kring.privacy.tasks.data_exports_purge", 60 * 60),
    ("kring.illuminate.tasks.story_prompts_send", 60 * 60),
]
# Direct messages: how many a person may send in an hour, and to how many new people a day.
KRING_DM_PER_HOUR = 60
KRING_DM_NEW_PER_DAY = 20

DEFAULT_FROM_EMAIL = env("KRING_FROM_EMAIL", "Kring <kring@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. KRING_HTTPS=true switches on everything a site behind TLS should have.
HTTPS = env_bool("KRING_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("KRING_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("KRING_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KRING_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("KRING_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = [] if HTTPS or not DEBUG else ["security.W004", "security.W008"]

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("KRING_LOG_LEVEL", "INFO")},
    # Django's own "django" console handler would print every line a second time.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "INFO"},
    },
}
