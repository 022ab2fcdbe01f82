"""Reports read from a PostgreSQL read replica, with read-your-writes after a POST.

Configured by `REPLICA_DATABASE_URL` (production; without it every read goes to the primary
and nothing here does anything). Only the views marked `@replica_reads` — the reports, the
report API and the exports that read many rows — send their reads to the replica; everything
else, and every write, goes to the primary ("default").

Read-your-writes: a replica lags the primary by a little (usually milliseconds, up to seconds
under load). A user who has just changed something (any unsafe request — POST, PUT, PATCH,
DELETE — that did not fail) gets a cookie with the time; for `REPLICA_LAG_SECONDS` after it
their reads stay on the primary, so a report opened right after recording a meeting shows it.

The routing decision lives in a context variable set per request by ReplicaMiddleware, so it
is right under threads (gunicorn gthread) and never leaks into the next request.
"""

import contextvars
import functools
import time

from django.conf import settings

REPLICA = "replica"
COOKIE = "chibo_wrote"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

_reads_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "chibo_reads_on_replica", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads go to the replica only inside a `@replica_reads` view of a user who has not
    written recently; writes and migrations always go to the primary."""

    def db_for_read(self, model, **hints):
        if _reads_on_replica.get() and replica_configured():
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows, same keys

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def wrote_recently(request, now: float | None = None) -> bool:
    raw = request.COOKIES.get(COOKIE, "")
    try:
        wrote_at = float(raw)
    except ValueError:
        return False
    now = time.time() if now is None else now
    # A second of slack below zero: the cookie's time is rounded to the millisecond (and web
    # machines' clocks differ a little).
    return -1.0 <= now - wrote_at < settings.REPLICA_LAG_SECONDS


def replica_reads(view):
    """Mark a read-only view whose reads may come from the replica."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in UNSAFE or wrote_recently(request):
            return view(request, *args, **kwargs)
        token = _reads_on_replica.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _reads_on_replica.reset(token)

    return wrapped


class ReplicaMiddleware:
    """After a successful unsafe request, remember for a while that this browser wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads_on_replica.set(False)  # never inherit a decision from elsewhere
        try:
            response = self.get_response(request)
        finally:
            _reads_on_replica.reset(token)
        if request.method in UNSAFE and response.status_code < 400 and replica_configured():
            response.set_cookie(
                COOKIE,
                f"{time.time():.3f}",
                max_age=settings.REPLICA_LAG_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
