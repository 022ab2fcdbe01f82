"""Report periods: a from/to pair of dates, parsed from a query string or made from a preset.

Every report reads figures "as of" `to` (the structure, the members) or over [from, to] (the
events). Presets cover the boards' usual periods: this month, quarter, year and the party
congress term; a period that has not ended yet stops today, so "as of" never looks ahead.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext_lazy as _

PRESETS = {
    "month": _("This month"),
    "quarter": _("This quarter"),
    "year": _("This year"),
    "term": _("This term"),
}
# Party congress terms are five years long and start in 2020, 2025, 2030… (brief §6).
TERM_EPOCH = 2020
TERM_YEARS = 5
INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_date(value: str | None) -> dt.date | None:
    """dd/mm/yyyy as the pages show it, or ISO YYYY-MM-DD as the API sends it."""
    value = (value or "").strip()
    for fmt in INPUT_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def preset_range(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The preset period containing today, cut at today."""
    if preset == "quarter":
        first = 3 * ((today.month - 1) // 3) + 1
        start, end = dt.date(today.year, first, 1), _month_end(today.year, first + 2)
    elif preset == "year":
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    elif preset == "term":
        y = TERM_EPOCH + TERM_YEARS * ((today.year - TERM_EPOCH) // TERM_YEARS)
        start, end = dt.date(y, 1, 1), dt.date(y + TERM_YEARS - 1, 12, 31)
    else:
        start, end = dt.date(today.year, today.month, 1), _month_end(today.year, today.month)
    return start, min(end, today)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    preset: str = ""

    @classmethod
    def parse(cls, data, today: dt.date) -> "Period":
        """From a query dict: `preset`, or `from`/`to` (missing or bad → this month).

        The dates are swapped when given the wrong way round."""
        preset = data.get("preset", "")
        if preset in PRESETS:
            return cls(*preset_range(preset, today), preset)
        start, end = parse_date(data.get("from")), parse_date(data.get("to"))
        if start is None and end is None:
            return cls(*preset_range("month", today), "month")
        if end is None:
            end = today if start <= today else start
        if start is None:
            start = end.replace(day=1)
        if start > end:
            start, end = end, start
        return cls(start, end)

    @property
    def query(self) -> str:
        return f"from={self.start:%d/%m/%Y}&to={self.end:%d/%m/%Y}"

    @property
    def iso(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def __str__(self):
        fmt = "d/m/Y"
        return f"{formats.date_format(self.start, fmt)} – {formats.date_format(self.end, fmt)}"
