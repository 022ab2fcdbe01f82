"""Who is acting: the current request (or background job's user), in a contextvar.

A contextvar rather than a thread-local: each asyncio task and each thread sees its own
value, so concurrent requests under ASGI never see each other's user.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)

USER_AGENT_LENGTH = 200


@dataclass
class Actor:
    """Where an entry's who/where come from: a request, or a job run for a user."""

    request: object | None = None
    user: object | None = None
    scope: object | None = None

    def get_user(self):
        if self.request is not None:
            user = getattr(self.request, "user", None)
            return user if user is not None and user.is_authenticated else None
        return self.user

    def get_scope(self):
        if self.scope is not None:
            return self.scope
        if self.request is not None and self.get_user() is not None:
            return getattr(self.request, "scope", None)
        return None

    def ip(self) -> str | None:
        if self.request is None:
            return None
        # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy
        # rewrites it; the proxy in front should set REMOTE_ADDR (docs/audit.md).
        return self.request.META.get("REMOTE_ADDR") or None

    def user_agent(self) -> str:
        if self.request is None:
            return ""
        return self.request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]


def current() -> Actor | None:
    return _current.get()


@contextmanager
def acting(request=None, user=None, scope=None):
    """Attribute the entries written inside the block to this request or user (jobs)."""
    token = _current.set(Actor(request=request, user=user, scope=scope))
    try:
        yield
    finally:
        _current.reset(token)


class AuditMiddleware:
    """Make the request the actor of every entry written while it is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting(request=request):
            return self.get_response(request)
