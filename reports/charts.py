"""Server-rendered SVG bar charts: no JavaScript, no CDN, a few hundred bytes each.

A chart is decoration beside its table (the table carries the numbers for screen readers), so
the SVG has a title and role="img" and repeats each value as text at the end of its bar.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reports.registry import fmt_int

BAR = 18
GAP = 6
LABEL_W = 210
BAR_W = 260
VALUE_W = 70  # at least; widened for long values ("4.400.000.000") so they are not cut
CHAR_W = 7.5  # about one digit at font-size 12


def _short(text: str, n: int = 34) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(title: str, items: list[tuple[str, int]], chart_id: str = "") -> SafeString:
    """Horizontal bars, one per (label, value); empty string when there is nothing to draw."""
    items = [(str(label), int(value or 0)) for label, value in items]
    if not items or not any(v for _l, v in items):
        return SafeString("")
    top = max(v for _l, v in items)
    height = len(items) * (BAR + GAP) + GAP
    longest = max(len(fmt_int(v)) for _l, v in items)
    width = LABEL_W + BAR_W + max(VALUE_W, round(longest * CHAR_W) + 10)
    bars = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" class="chart-label" font-size="12" fill="currentColor">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar" fill="#b3261e"></rect>'
        '<text x="{}" y="{}" class="chart-value" font-size="12" fill="currentColor">{}</text></g>',
        (
            (
                LABEL_W - 6,
                GAP + i * (BAR + GAP) + BAR - 5,
                _short(label),
                LABEL_W,
                GAP + i * (BAR + GAP),
                max(1, round(BAR_W * value / top)) if value else 0,
                BAR,
                LABEL_W + (round(BAR_W * value / top) if value else 0) + 4,
                GAP + i * (BAR + GAP) + BAR - 5,
                fmt_int(value),
            )
            for i, (label, value) in enumerate(items)
        ),
    )
    return format_html(
        '<svg class="chart" id="{}" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        chart_id,
        title,
        width,
        height,
        title,
        bars,
    )
