"""`@recent_auth`: the password (and the code) again before exports and role changes."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.forms import ConfirmForm
from accounts.security import AUTH_AT, reauth_seconds


def auth_is_recent(request) -> bool:
    auth_at = request.session.get(AUTH_AT)
    return auth_at is not None and time.time() - auth_at <= reauth_seconds()


def safe_next(request, candidate: str | None, default: str = "/") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def recent_auth(view=None, *, methods: tuple[str, ...] | None = None):
    """The view needs the password (and the code, for users with an authenticator) given in
    the last CHIBO_REAUTH_MINUTES. Otherwise: a GET goes to the confirmation page and comes
    back; a POST shows the confirmation page at once (nothing is written) and, once
    confirmed, returns to the page the form was on, to be sent again.

    `methods`: only these methods need it (e.g. ("POST",) for a page whose GET only shows)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            needs = methods is None or request.method in methods
            if needs and request.user.is_authenticated and not auth_is_recent(request):
                return ask_confirmation(request)
            return view_func(request, *args, **kwargs)

        wrapped.recent_auth = True
        return wrapped

    return decorator(view) if view is not None else decorator


def ask_confirmation(request):
    confirm_url = reverse("accounts:confirm")
    if request.method in ("GET", "HEAD"):
        back = request.get_full_path()
    else:
        # The page the form was on: htmx names it, a plain form post carries it as Referer.
        origin = request.headers.get("HX-Current-URL") or request.headers.get("Referer")
        back = safe_next(request, origin, reverse("home"))
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"{confirm_url}?{urlencode({'next': back})}"
        return response
    if request.method in ("GET", "HEAD"):
        return redirect(f"{confirm_url}?{urlencode({'next': back})}")
    return render(
        request,
        "accounts/confirm.html",
        {
            "form": ConfirmForm(user=request.user),
            "next": back,
            "resubmit": True,
            "action": confirm_url,
        },
    )
