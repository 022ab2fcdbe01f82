"""When the database is unreachable: a clear 503, and no half-done write (goal S10).

PostgreSQL restarts (an upgrade, a failover, a crash) take from a second to a minute. Without
this module every request in that window is a bare "Server Error (500)". With it:

- A request that fails because the database does not answer — `OperationalError` or
  `InterfaceError` (refused, terminated by a restart, broken connection, pool timeout), raised in
  a view, in a middleware (the session and the signed-in user are read from the database on
  first use) or by the commit — gets `503 Service Unavailable` with `Retry-After`: a light page
  (templates/503.html, no database, no user menu) saying in the user's language that the system
  is briefly unavailable, to try again in a minute and that what they sent was not saved; the
  API gets `{"detail": …}` in JSON like its other errors.
- Every write request (POST, PUT, PATCH, DELETE) runs in one transaction on PostgreSQL, from the
  first middleware to the last (the view, its history rows, the session): it is committed whole
  before the response leaves, or not at all. So a write answered 2xx/3xx is committed, and a
  write answered 503 wrote nothing — what the page tells the user. (SQLite is left as it is: it
  does not restart under the application, and a write lock held for the whole request would
  queue every other writer behind page rendering; its writes go through the service functions'
  transactions.)
- Failing fast and recovering by itself is the settings' part: `connect_timeout`, the pool's
  timeout and `CONN_HEALTH_CHECKS` (chibo/settings.py, `database_from_url`), so broken
  connections are dropped and the first request after the restart gets a new one.

Django turns an exception raised below a middleware into a response at that layer, through
`handler500`, before any outer middleware sees it; so the 503 is decided by `server_error`
(chibo/urls.py: `handler500`), which sees the exception being handled, and
`DatabaseUnavailableMiddleware` (first in MIDDLEWARE) only adds the transaction.
With DEBUG on, Django shows its technical page instead (for the developer).
"""

import secrets
import sqlite3
import sys

from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

from chibo.security import CSP

try:
    import psycopg
except ImportError:  # pragma: no cover - SQLite-only installs
    psycopg = None

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# What the page says ("try again in a minute") and what browsers and clients are told.
RETRY_AFTER_SECONDS = 60

# SQLite reports its schema mistakes ("no such table") as OperationalError too: those are bugs
# and stay 500s. These are the ones that pass.
SQLITE_TRANSIENT = ("database is locked", "database is busy", "unable to open", "disk i/o error")


def database_unavailable(exc: BaseException | None) -> bool:
    """Did this exception come from a database that does not answer (as opposed to a bug)?"""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError):
            cause = exc.__cause__
            if isinstance(cause, sqlite3.Error):
                return any(s in str(cause).lower() for s in SQLITE_TRANSIENT)
            return True
        # The driver's own errors, e.g. from the pool outside Django's wrapper.
        if psycopg is not None and isinstance(
            exc, psycopg.OperationalError | psycopg.InterfaceError
        ):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def unavailable_response(request):
    """The 503: JSON for the API, the light page for everyone else. Reads nothing from the
    database (no user, no scope, no messages), so it can be shown while the database is down."""
    _forget_database_state(request)
    if not getattr(request, "csp_nonce", None):
        # Failed before SecurityHeadersMiddleware ran (e.g. the write transaction could not
        # begin): the page still gets its Content-Security-Policy.
        request.csp_nonce = secrets.token_urlsafe(16)
    with translation.override(translation.get_language_from_request(request)):
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": _(
                        "The service is briefly unavailable (the database is not answering). "
                        "Nothing was saved; try again in a minute."
                    )
                },
                status=503,
            )
        else:
            html = render_to_string(
                "503.html",
                {
                    "unsaved": request.method in UNSAFE,
                    "retry_url": request.get_full_path() if request.method == "GET" else "/",
                    "LANGUAGE_CODE": translation.get_language(),
                    "csp_nonce": request.csp_nonce,
                },
            )
            response = HttpResponse(html, status=503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # The page says nothing personal, but it must never be cached in place of the real one.
    response["Cache-Control"] = "no-store"
    response.setdefault("Content-Security-Policy", CSP.format(nonce=request.csp_nonce))
    return response


def _forget_database_state(request) -> None:
    """The rest of this request must not try the database again: the outer middlewares ask
    for the user (Cache-Control) and the session, and each try could wait connect_timeout."""
    request._cached_user = AnonymousUser()  # what AuthenticationMiddleware's lazy user returns
    session = getattr(request, "session", None)
    if session is not None and not hasattr(session, "_session_cache"):
        session._session_cache = {}  # read nothing, and unmodified: nothing is written either


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: the 503 when the error being handled is the database not answering."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        # Django logs it (with the traceback) as "Service Unavailable: <path>".
        return unavailable_response(request)
    return defaults.server_error(request, template_name=template_name)


class DatabaseUnavailableMiddleware:
    """First in MIDDLEWARE, so that its transaction holds everything the request writes: each
    write request is one transaction on PostgreSQL, rolled back if the answer is a server
    error (a 503 included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in UNSAFE and _one_transaction_per_write():
            return self._in_transaction(request)
        return self.get_response(request)

    def _in_transaction(self, request):
        # A commit that fails (the database went away after the view) raises out of here;
        # Django's handler then calls server_error above, and the browser gets the 503.
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            response = self.get_response(request)
            if response.status_code >= 500:
                # Whatever failed, nothing of this request is kept: a 5xx is never a success.
                transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        return response


def _one_transaction_per_write() -> bool:
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
