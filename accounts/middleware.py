import time
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts import security
from accounts.access import Scope


class ScopeMiddleware:
    """Attach request.scope, computed on first use (one query) and reused by every check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: Scope.for_user(request.user))
        return self.get_response(request)


class AccountSecurityMiddleware:
    """For a signed-in browser session: end it after the idle or absolute timeout, and let it
    reach nothing but the code or enrolment pages (and logout) until the second factor is
    given (accounts/security.py). API calls with a token are judged by the token alone."""

    EXEMPT_NAMES = (
        "accounts:logout",
        "accounts:login",
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "set_language",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def exempt_paths(self) -> frozenset[str]:
        if self._exempt is None:
            self._exempt = frozenset(reverse(name) for name in self.EXEMPT_NAMES)
        return self._exempt

    def __call__(self, request):
        if "Authorization" not in request.headers and request.user.is_authenticated:
            now = time.time()
            if security.expired(request.session, now):
                return security.end_expired(request)
            security.touch(request, now)
            step = security.pending_step(request)
            if step and request.path not in self.exempt_paths():
                return self.send_to(request, step)
        return self.get_response(request)

    def send_to(self, request, step: str):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish signing in with your verification code first.")}, status=401
            )
        back = request.get_full_path() if request.method == "GET" else reverse("home")
        target = f"{reverse(step)}?{urlencode({'next': back})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
