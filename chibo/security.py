"""Security headers: a Content-Security-Policy with a per-request nonce, and no caching of
pages that may carry personal data (goal S13; docs/operations.md, "Security settings").

The policy allows no inline script and no inline style: scripts come from /static/ and the
few inline <style> blocks carry the request's nonce (`{{ csp_nonce }}` in templates, also what
django-htmx's `{% htmx_script %}` reads). Event handlers (onclick=…), style="…" attributes and
javascript: URLs are therefore blocked by the browser; behaviour lives in static/js/chibo.js.
"""

import secrets

from django.conf import settings

CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Sets Content-Security-Policy (nonce in `request.csp_nonce`) on every response, and
    `Cache-Control: no-store` on every response to a signed-in user or to the API, so that
    no browser, proxy or shared laptop keeps a copy of a member's record. Static files are
    served by WhiteNoise before this middleware and keep their long cache lifetimes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        # Django's technical debug pages (DEBUG only) are built on inline script and style.
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if not debug_page:
            response.setdefault("Content-Security-Policy", CSP.format(nonce=request.csp_nonce))
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if personal(request):
            response["Cache-Control"] = "no-store"
        return response


def personal(request) -> bool:
    """May this response carry personal data? Anything seen signed in, through an API token
    or from a calendar feed (whose token is the credential)."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return bool(
        (user is not None and user.is_authenticated)
        or request.path.startswith("/api/")
        or "HTTP_AUTHORIZATION" in request.META
        or (match is not None and match.view_name == "meetings:feed")
    )


def csp_nonce(request) -> dict:
    """Template context processor: `{{ csp_nonce }}` for inline <style> (and django-htmx)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
