"""Chibo as an installable app on a phone (docs/offline.md): the web app manifest, the service
worker and the page it shows when the network is down.

The service worker is served from the site root (/sw.js) so that its scope is the whole
site; its text is static/js/sw.js with the list of static files to keep and a version made
from their contents, so that a new release replaces the phone's copies. It keeps only
static files and the offline page: pages seen signed in are `no-store` (chibo/security.py)
and never stored on the phone.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

THEME_COLOR = "#a3171b"  # the header's colour (--accent in static/css/chibo.css)
# What every page needs, kept on the phone so that the offline page (and a sheet opened
# before the network dropped) still has its style and behaviour.
PRECACHE = [
    "css/chibo.css",
    "js/chibo.js",
    "js/attendance-offline.js",
    "django_htmx/htmx-2.min.js",
    "icons/icon-192.png",
    "icons/icon.svg",
]
SW_SOURCE = "js/sw.js"


def manifest_data() -> dict:
    return {
        "name": "Chibo – Sinh hoạt chi bộ",
        "short_name": "Chibo",
        "description": "Quản lý chi bộ, đảng viên và sinh hoạt chi bộ",
        "lang": "vi",
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }


@require_GET
def manifest(request):
    response = HttpResponse(
        json.dumps(manifest_data(), ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


def _read(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, "rb") as f:
        return f.read()


def _build_service_worker() -> str:
    source = _read(SW_SOURCE)
    digest = hashlib.sha256(source)
    for path in PRECACHE:
        digest.update(path.encode())
        digest.update(_read(path))
    urls = [static(p) for p in PRECACHE]
    return (
        source.decode("utf-8")
        .replace('"__CHIBO_VERSION__"', json.dumps(digest.hexdigest()[:12]))
        .replace('"__CHIBO_PRECACHE__"', json.dumps(urls))
        .replace('"__CHIBO_OFFLINE__"', json.dumps(reverse("pwa_offline")))
    )


# Static files change only with a release (a restart); in development they change under us.
_cached_service_worker = lru_cache(maxsize=1)(_build_service_worker)


def service_worker_source() -> str:
    return _build_service_worker() if settings.DEBUG else _cached_service_worker()


@require_GET
def service_worker(request):
    response = HttpResponse(
        service_worker_source(), content_type="application/javascript; charset=utf-8"
    )
    # The browser checks for a new worker on every visit; the text itself is never reused.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """The page the service worker shows instead of one that could not be loaded. Kept on the
    phone, so it carries nothing about the user: no name, no menu, no form."""
    response = render(request, "offline.html", {"theme_color": THEME_COLOR})
    response["Cache-Control"] = "no-cache"
    return response
