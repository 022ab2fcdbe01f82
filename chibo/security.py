"""Security headers: a Content-Security-Policy with a per-request nonce, and no caching of
pages that may carry personal data (goal S13; docs/operations.md, "Security settings").

The policy allows no inline script and no inline style: scripts come from /static/ and the
few inline <style> blocks carry the request's nonce (`{{ csp_nonce }}` in templates, also what
django-htmx's `{% htmx_script %}` reads). Event handlers (onclick=…), style="…" attributes and
javascript: URLs are therefore blocked by the browser; behaviour lives in static/js/chibo.js.
"""

import json
import logging
import secrets
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'; report-uri /csp-report/"
)
# Violation reports go to report-uri, which browsers send at once. The newer `report-to`
# (Reporting API) is not named: Chromium then prefers it and delivers its reports in batches
# up to a minute later, so a broken page would be noticed later. /csp-report/ accepts both.
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


# ---- violation reports ----------------------------------------------------------------------

csp_logger = logging.getLogger("chibo.csp")
MAX_REPORT_BYTES = 16 * 1024
# A page that breaks the policy reports on every load of every user: log at most this many
# reports a minute per process, so a flood (or a hostile client) cannot fill the logs.
REPORTS_PER_MINUTE = 60
_budget = {"minute": 0, "left": REPORTS_PER_MINUTE}
_budget_lock = threading.Lock()


def _take_budget() -> bool:
    minute = int(time.monotonic() // 60)
    with _budget_lock:
        if _budget["minute"] != minute:
            _budget.update(minute=minute, left=REPORTS_PER_MINUTE)
        if _budget["left"] <= 0:
            return False
        _budget["left"] -= 1
        return True


def _without_query(url) -> str:
    """A URL without its query and fragment: search terms (names) stay out of the logs."""
    if not isinstance(url, str):
        return ""
    if "://" not in url:
        return url[:40]  # "inline", "eval", "data", …
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:300]


def parse_reports(body: bytes) -> list[dict]:
    """The violations in a report body, in either format: the legacy `report-uri` one
    ({"csp-report": {...}}) or the Reporting API's list of {"type": "csp-violation", "body":
    {...}}. Only the fields an administrator needs, with URLs stripped of their queries.
    Raises ValueError on anything else."""
    data = json.loads(body.decode("utf-8"))
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        raw = [data["csp-report"]]
    elif isinstance(data, list):
        raw = [
            r.get("body") for r in data if isinstance(r, dict) and isinstance(r.get("body"), dict)
        ]
    else:
        raise ValueError("not a CSP report")
    out = []
    for r in raw[:20]:
        out.append(
            {
                "document": _without_query(r.get("document-uri") or r.get("documentURL")),
                "blocked": _without_query(r.get("blocked-uri") or r.get("blockedURL")),
                "directive": str(
                    r.get("effective-directive")
                    or r.get("effectiveDirective")
                    or r.get("violated-directive")
                    or ""
                )[:60],
                "source": _without_query(r.get("source-file") or r.get("sourceFile")),
                "line": r.get("line-number") or r.get("lineNumber"),
            }
        )
    if not out:
        raise ValueError("no violation in the report")
    return out


def log_reports(body: bytes) -> int:
    """Log the violations of one report body; how many were logged (0 when over budget)."""
    reports = parse_reports(body)
    logged = 0
    for r in reports:
        if not _take_budget():
            break
        csp_logger.warning("CSP violation: %s", json.dumps(r, ensure_ascii=False))
        logged += 1
    return logged
