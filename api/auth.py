"""Who is calling: a personal API token (Authorization: Bearer …) or the browser session.

A request that carries an Authorization header is judged by the token alone: a
revoked or mistyped token is a 401 even if a session cookie rides along, so a
script never silently acts as whoever last logged in on that browser. Session
calls are CSRF-checked on unsafe methods (they come from our own pages).
"""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from accounts.access import Scope
from accounts.models import ApiToken, hash_token

# Writing last_used_at on every call would turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
# Tokens are ~50 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 200


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        if "Authorization" not in request.headers:
            return None  # not a token call: let the session decide
        header = request.headers["Authorization"]
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError(message=_("Use the header 'Authorization: Bearer <token>'."))
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str):
        if not token or len(token) > MAX_TOKEN_LENGTH or "\x00" in token:
            raise AuthenticationError(message=_("The API token is not valid."))
        found = (
            ApiToken.objects.usable()
            .filter(token_hash=hash_token(token), user__is_active=True)
            .select_related("user")
            .first()
        )
        if found is None:
            raise AuthenticationError(
                message=_("The API token is not valid, has expired or was revoked.")
            )
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        user = found.user
        # History records and scope checks read request.user.
        request.user = user
        request.scope = SimpleLazyObject(lambda: Scope.for_user(user))
        request.api_token = found
        return user


class BrowserSessionAuth(SessionAuth):
    """ninja's django_auth, but the CSRF check only runs for a logged-in session, so an
    anonymous POST is a 401 (not a confusing CSRF 403) and the message is translated."""

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request):
                raise HttpError(
                    403,
                    _("CSRF check failed: send the X-CSRFToken header with the session's token."),
                )
        return request.COOKIES.get(self.param_name)


token_auth = TokenAuth()
session_auth = BrowserSessionAuth()
AUTH = [token_auth, session_auth]


def scope_of(request: HttpRequest) -> Scope:
    """The caller's scope, computed once per request (ScopeMiddleware or TokenAuth made it)."""
    scope = getattr(request, "scope", None)
    if scope is None:
        scope = request.scope = Scope.for_user(request.user)
    return scope
