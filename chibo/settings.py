"""Settings for Chibo.

One settings module, read from environment variables through small typed helpers
(the healthchecks pattern). Defaults suit development: SQLite in the checkout, DEBUG
on. Production (CHIBO_ENV=production) refuses to start without its required
settings, so a missing variable can never expose debug pages or a guessable key.
"""

import datetime as dt
import os
import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError as e:
        raise ImproperlyConfigured(f"{name} must be an integer") from e


def envsecret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the file named by NAME_FILE (container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


PRODUCTION = os.environ.get("CHIBO_ENV", "development") == "production"
# Under pytest: fast hashing and tasks run inline.
TESTING = envbool("CHIBO_TESTING", "False") or "pytest" in sys.modules

DEBUG = envbool("DEBUG", "False" if PRODUCTION else "True")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("Production must not run with DEBUG on: unset DEBUG.")
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Production needs SECRET_KEY (or SECRET_KEY_FILE).")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 random characters in production "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "treebeard",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "organizations",
    "members",
    "accounts",
    "spreadsheets",
    "api",
    "meetings",
    "admissions",
    "transfers",
    "lifecycle",
    "liaison",
    "ratings",
    "quality",
    "oversight",
    "dues",
    "reports",
    "campaigns",
    "backups",
    "audit",
    "guide",
    "demo",
]

MIDDLEWARE = [
    # First: a write request is one transaction on PostgreSQL; the 503 page's headers when the
    # database does not answer (chibo/unavailable.py, with handler500 in chibo/urls.py).
    "chibo.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "chibo.replicas.ReplicaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chibo.security.SecurityHeadersMiddleware",  # CSP nonce, no-store (after static files)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.ScopeMiddleware",
    # Session timeouts and the second factor (after the scope: it asks whether the user has a role).
    "accounts.middleware.AccountSecurityMiddleware",
    "axes.middleware.AxesMiddleware",
    "audit.context.AuditMiddleware",
]

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chibo.security.csp_nonce",
            ],
        },
    }
]


def pool_options() -> dict:
    """PostgreSQL connection pooling (psycopg_pool, Django ≥ 5.1) when DB_POOL is set: each
    web process keeps DB_POOL_MIN..DB_POOL_MAX open connections instead of opening one per
    request (about 2–5 ms each on loopback, more across a network or with TLS)."""
    if not envbool("DB_POOL"):
        return {}
    return {
        "pool": {
            "min_size": envint("DB_POOL_MIN", 2),
            "max_size": envint("DB_POOL_MAX", 10),
            # How long a request waits for a connection; while PostgreSQL restarts that is the
            # wait before the 503 (chibo/unavailable.py), so a few seconds, not psycopg's 30.
            "timeout": envint("DB_POOL_TIMEOUT", 5),
        }
    }


def database_from_url(url: str) -> dict:
    """Parse DATABASE_URL (postgres://user:pass@host:port/name?opt=v or sqlite:///path)."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        options = dict(parse_qsl(parsed.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            # Fail fast when the server does not answer (503 page, chibo/unavailable.py); the
            # URL's own ?connect_timeout= wins.
            "OPTIONS": {
                "connect_timeout": envint("DB_CONNECT_TIMEOUT", 3),
                **options,
                **pool_options(),
            },
            # A persistent or pooled connection broken by a PostgreSQL restart is checked and
            # replaced before use, so the first request after the restart succeeds.
            "CONN_HEALTH_CHECKS": True,
            # A pool keeps the connections itself (Django refuses both at once).
            "CONN_MAX_AGE": 0 if pool_options() else envint("DB_CONN_MAX_AGE", 0),
            "TEST": {"NAME": os.environ.get("TEST_DATABASE_NAME") or None},
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(parsed.path[1:] if parsed.path.startswith("//") else parsed.path)
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


def sqlite_database(path: str) -> dict:
    # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock
    # at BEGIN so two writers queue instead of failing mid-transaction with "database is
    # locked", and chibo.sqlite serves the queued writers in turn (busy_timeout alone lets one
    # starve; see chibo/sqlite/base.py).
    return {
        "ENGINE": "chibo.sqlite",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASE_URL = envsecret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
elif PRODUCTION:
    raise ImproperlyConfigured("Production needs DATABASE_URL.")
else:
    DATABASES = {"default": sqlite_database(str(BASE_DIR / "var" / "chibo.sqlite3"))}

# A read replica for the reports (chibo/replicas.py; docs/scaling.md): reads of the views marked
# @replica_reads go there, except for REPLICA_LAG_SECONDS after the browser's last write.
REPLICA_DATABASE_URL = envsecret("REPLICA_DATABASE_URL")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = database_from_url(REPLICA_DATABASE_URL)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["chibo.replicas.ReplicaRouter"]
REPLICA_LAG_SECONDS = envint("REPLICA_LAG_SECONDS", 15)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.MinimumLengthValidator",  # Django's, message in Vietnamese
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in security (accounts/security.py, docs/security-accounts.md). django-axes locks a
# (username, IP) pair after CHIBO_LOGIN_FAILURE_LIMIT failures for CHIBO_LOCKOUT_MINUTES; its
# backend only checks the lock, Django's ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("CHIBO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("CHIBO_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful logins are the audit trail's business
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"  # REMOTE_ADDR, as the session list
AXES_VERBOSE = False
# TOTP second factor for every role above plain member. Production refuses to run without it.
CHIBO_REQUIRE_2FA = envbool("CHIBO_REQUIRE_2FA", "True")
OTP_TOTP_ISSUER = "Chibo"
CHIBO_SESSION_IDLE_MINUTES = envint("CHIBO_SESSION_IDLE_MINUTES", 30)
CHIBO_SESSION_ABSOLUTE_HOURS = envint("CHIBO_SESSION_ABSOLUTE_HOURS", 8)
CHIBO_REAUTH_MINUTES = envint("CHIBO_REAUTH_MINUTES", 10)
if PRODUCTION and not CHIBO_REQUIRE_2FA:
    raise ImproperlyConfigured("Production requires the second factor: unset CHIBO_REQUIRE_2FA.")

# Vietnamese first; English available through the language switch.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chibo.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Where `manage.py backup` writes by default (backups/engine.py; docs/operations.md).
CHIBO_BACKUP_DIR = Path(os.environ.get("CHIBO_BACKUP_DIR", BASE_DIR / "var" / "backups"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: spreadsheets are read from disk by the worker, never held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CHIBO_MAX_IMPORT_BYTES = envint("CHIBO_MAX_IMPORT_BYTES", 20 * 1024 * 1024)

# Background work (imports, exports) runs in `manage.py run_worker` (django-tasks-db's db_worker that first recovers jobs a killed worker left). Tests run tasks inline.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or envbool("CHIBO_TASKS_INLINE", "False")
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Pagination size of lists (members, organizations).
CHIBO_PAGE_SIZE = 50
