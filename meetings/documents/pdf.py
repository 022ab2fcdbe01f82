"""The documents as HTML (for the browser's print) and as PDF (WeasyPrint).

One set of templates serves both; only where the fonts come from differs. The
PDF embeds the vendored Liberation Serif (metric-compatible with Times New Roman)
by absolute file path, so its look does not depend on the fonts of the host.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static

from meetings.documents.content import Doc, short_date

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
TEMPLATE = "meetings/documents/print.html"


@dataclass
class Cover:
    upper_body: str
    issuer: str
    start: dt.date
    end: dt.date
    count: int

    @property
    def period(self) -> str:
        return f"Từ ngày {short_date(self.start)} đến ngày {short_date(self.end)}"


def context(docs: list[Doc], cover: Cover | None = None, *, for_pdf: bool) -> dict:
    return {
        "docs": docs,
        "cover": cover,
        "font_base": FONT_DIR.as_uri() + "/" if for_pdf else static("fonts/"),
        "for_pdf": for_pdf,
    }


def html(docs: list[Doc], cover: Cover | None = None) -> str:
    return render_to_string(TEMPLATE, context(docs, cover, for_pdf=True))


def _fetcher():
    # WeasyPrint is imported here, not at module load: importing it takes about 2 s,
    # which only PDF requests should pay.
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        """Fetch nothing but the vendored fonts: the HTML carries members' text, and
        no typed-in address may make the server read a file or call out."""

        def fetch(self, url, headers=None):
            if not url.startswith(FONT_DIR.as_uri() + "/") or ".." in url:
                raise ValueError(f"Not a document font: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def write(docs: list[Doc], cover: Cover | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=html(docs, cover), base_url=FONT_DIR.as_uri() + "/", url_fetcher=_fetcher()
    ).write_pdf()
