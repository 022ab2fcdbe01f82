"""The monthly and annual summary report (báo cáo tổng hợp) as one Word file in the Party's
format (HD 36-HD/VPTW, brief §7.1), issue 6.

`build_summary(org, period, kind)` runs every registered report (reports.registry, so a report
added to REPORT_MODULES gets its section without a change here) for the organization and the
period and writes one document: the header of the issuing committee, "BÁO CÁO" and its
subtitle, one section (I, II, III…) per report — a sentence of the headline figures, the
distributions, the report's notes, and its table of the units directly below (rates written
"a/b (x,yz %)", as on the pages) — then the signature block and "Nơi nhận".

The figures are the Results' own cells, so the document never says anything the report pages
do not. The text is written in the active language (Vietnamese by default: the job runs under
the language of the request). It is written by a background job (reports/tasks.py).

Querying: each report computes in its own constant number of grouped queries; the document
adds one query (the organization above, for the header), whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lib.text import fold
from meetings.documents import word
from meetings.documents.content import (
    BLANK,
    Doc,
    Heading,
    SignColumn,
    Table,
    committee_name,
    long_date,
    p,
    upper,
)
from organizations.models import CELL_KINDS, Organization, OrgKind
from reports.periods import Period
from reports.registry import Report, Result, all_reports

KINDS = ("month", "year")
MIN_YEAR = 2000

# What a commune organization board expects each month (seed 001: the monthly report on the
# cells' meeting life) is the month itself: meetings, supervision, the organization as of the
# month's end. Two reports are different:
# - admissions: the target is annual, and one month's ceremonies say little against it, so the
#   monthly report gives the year to date (1 January to the month's end) against the target;
# - ratings: the quality rating is decided once a year at the year-end review; a monthly report
#   would repeat last year's or an unfinished one, so it belongs to the annual report only.
YEAR_TO_DATE_IN_MONTH = {"admissions"}
ANNUAL_ONLY = {"ratings"}

# The figures of each report's opening sentence (the rest is in its table). A report not
# listed here opens with its first columns.
HEADLINE = {
    "structure": (
        "grassroots_committees",
        "cells",
        "members",
        "official",
        "combined_cells",
        "small_cells",
        "villages_no_member",
    ),
    "liaison-213": ("eligible", "introduced", "received", "commented", "well"),
    "meetings": ("regular_held", "minutes_approved", "present", "thematic_held", "level_good"),
    "supervision": ("cells_followed", "visits", "compliant", "cross"),
    "admissions": ("admitted", "minority", "women", "under_30", "candidates"),
    "ratings": ("rated", "excellent", "good", "orgs", "org_excellent", "org_good"),
}
HEADLINE_DEFAULT = 5
# Figure columns per table: the unit's name and four figures fit the width of a portrait page.
COLUMNS_PER_TABLE = 4
TABLE_FONT = 11
PLACE_KINDS = ("xã", "phường", "tỉnh")
ROMAN = ("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX").split()

Progress = Callable[[int, int, str], None]


def summary_period(kind: str, year: int, month: int | None, today: dt.date) -> Period:
    """The month or the year, cut at today (figures "as of" never look ahead).

    Raises ValueError with a translated message when the request cannot be answered."""
    if kind not in KINDS:
        raise ValueError(_("Choose a monthly or an annual summary."))
    if not MIN_YEAR <= year <= today.year:
        raise ValueError(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": MIN_YEAR, "last": today.year}
        )
    if kind == "year":
        return Period(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today), "year")
    if month is None or not 1 <= month <= 12:
        raise ValueError(_("Choose a month between 1 and 12."))
    start = dt.date(year, month, 1)
    if start > today:
        raise ValueError(
            _("%(month)02d/%(year)s has not begun: choose this month or an earlier one.")
            % {"month": month, "year": year}
        )
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return Period(start, min(end, today), "month")


def sections(kind: str) -> list[Report]:
    """The reports of the document, in the registry's order."""
    return [r for r in all_reports() if kind == "year" or r.name not in ANNUAL_ONLY]


def section_period(report: Report, period: Period, kind: str) -> Period:
    if kind == "month" and report.name in YEAR_TO_DATE_IN_MONTH:
        return Period(period.start.replace(month=1, day=1), period.end)
    return period


# ---- words ---------------------------------------------------------------------------------


def _vi() -> bool:
    return (translation.get_language() or "vi").startswith("vi")


def _day(d: dt.date) -> str:
    return formats.date_format(d, "d/m/Y")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _period_words(report: Report, period: Period, kind: str, year: int) -> str:
    """ "As of 30/11/2026" for an as-of report; "in 11/2026", "from 01/01/2026 to …" else."""
    if report.as_of:
        return _("As of %(date)s") % {"date": _day(period.end)}
    if kind == "year":
        return _("In %(year)s") % {"year": year}
    if period.start.month != period.end.month:
        return _("From %(start)s to %(end)s") % {
            "start": _day(period.start),
            "end": _day(period.end),
        }
    return _("In %(month)s") % {"month": f"{period.end:%m/%Y}"}


def headline_sentence(result: Result, when: str) -> str:
    """ "As of 30/11/2026, Đảng bộ xã An Bình: cells 25; members 480; official members 470/480
    (97,92 %)…" — the headline figures formatted as the report pages format them."""
    by_key = dict(zip((c.key for c in result.columns), result.headline, strict=True))
    keys = HEADLINE.get(result.report.name) or [c.key for c in result.columns[:HEADLINE_DEFAULT]]
    figures = "; ".join(
        f"{_lower_first(str(by_key[k][0].label))} {by_key[k][1]}" for k in keys if k in by_key
    )
    return _("%(when)s, %(org)s: %(figures)s.") % {
        "when": when,
        "org": result.org.name,
        "figures": figures,
    }


def group_line(group) -> str:
    items = "; ".join(f"{_lower_first(str(i.label))} {i.text}" for i in group.items)
    return f"- {group.title}: {items}."


def _cells(row, columns) -> list[str]:
    # "4/6 (66,67 %)" with a no-break space: a narrow column never leaves "%" alone on a line.
    return [text.replace(" %", "\u00a0%") for text in row.cells(columns)]


def unit_tables(result: Result) -> list[Table]:
    """The units below as rows, the figures as columns (four per table), the total last."""
    lines = [(r.label, _cells(r, result.columns)) for r in result.rows]
    lines.append((_("Total"), _cells(result.total, result.columns)))
    tables = []
    for first in range(0, len(result.columns), COLUMNS_PER_TABLE):
        cols = slice(first, first + COLUMNS_PER_TABLE)
        header = [_("Unit"), *(str(c.label) for c in result.columns[cols])]
        n = len(header) - 1
        tables.append(
            Table(
                header=header,
                rows=[[label, *cells[cols]] for label, cells in lines],
                widths=[28] + [72 / n] * n,
                size=TABLE_FONT,
                align="L" + "R" * n,
            )
        )
    return tables


def figure_table(result: Result) -> Table:
    """An organization without units below (a cell): its figures, one per row."""
    return Table(
        header=[_("Figure"), _("Count")],
        rows=[[str(col.label), text] for col, text in result.headline],
        widths=[62, 38],
        size=TABLE_FONT,
        align="LR",
    )


# ---- the document --------------------------------------------------------------------------


def title(kind: str, period: Period) -> str:
    if kind == "year":
        return _("Summary of party building work in %(year)s") % {"year": period.end.year}
    return _("The meeting life and activities of the cells in %(month)s") % {
        "month": f"{period.end:%m/%Y}"
    }


def _committee(org: Organization) -> str:
    """The body that issues the report: the cell itself, or the committee of the party
    organization ("Đảng bộ xã An Bình" → "Đảng ủy xã An Bình", a province's → "Tỉnh ủy …")."""
    if org.kind in CELL_KINDS:
        return org.name
    name = committee_name(org)
    if org.kind == OrgKind.PROVINCE and name.lower().startswith("đảng ủy tỉnh "):
        name = "Tỉnh ủy " + name[len("Đảng ủy tỉnh ") :]
    return name


def _signing(org: Organization) -> tuple[str, list[str]]:
    """(symbol, signature titles): a cell signs for the cell; the province and the committees
    directly under it through their standing board; the other committees for the committee."""
    if org.kind in CELL_KINDS:
        return "BC/CB", [_("ON BEHALF OF THE CELL"), _("SECRETARY")]
    if org.kind in (OrgKind.PROVINCE, OrgKind.PROVINCE_UNIT):
        symbol = "BC/TU" if org.kind == OrgKind.PROVINCE else "BC/ĐU"
        return symbol, [_("ON BEHALF OF THE STANDING BOARD"), _("SECRETARY")]
    return "BC/ĐU", [_("ON BEHALF OF THE PARTY COMMITTEE"), _("SECRETARY")]


def _place(org: Organization) -> str:
    """ "Đảng bộ xã An Bình" → "An Bình": the place of the date line, else a blank."""
    words = org.name.split()
    lead = [w.lower() for w in words[:3]]
    if lead[:2] == ["đảng", "bộ"] and lead[2:] and lead[2] in PLACE_KINDS and len(words) > 3:
        return " ".join(words[3:])
    return BLANK


def _date_line(org: Organization, today: dt.date) -> str:
    if _vi():
        return f"{_place(org)}, {long_date(today)}"
    return f"{_place(org)}, {formats.date_format(today, 'j F Y')}"


def summary_doc(
    org: Organization,
    period: Period,
    kind: str,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Doc:
    """The document's blocks: every registered report computed for org and period."""
    today = today or timezone.localdate()
    reports = sections(kind)
    parent = org.parent_org()
    issuer = _committee(org)
    symbol, sign_titles = _signing(org)
    body = [
        p(
            _(
                "%(issuer)s reports the figures of %(org)s for %(period)s, as recorded in the "
                "party organization's records on %(date)s, as follows:"
            )
            % {
                "issuer": issuer,
                "org": org.name,
                "period": (
                    _("the year %(year)s") % {"year": period.end.year}
                    if kind == "year"
                    else _("the month %(month)s") % {"month": f"{period.end:%m/%Y}"}
                ),
                "date": _day(today),
            }
        )
    ]
    total = len(reports)
    for n, report in enumerate(reports):
        if progress:
            progress(n, total, str(report.title))
        section = section_period(report, period, kind)
        result = report.compute(org, section)
        body.append(Heading(f"{ROMAN[n] if n < len(ROMAN) else n + 1}. {upper(str(report.title))}"))
        when = _period_words(report, section, kind, period.end.year)
        body.append(p(headline_sentence(result, when)))
        body += [p(group_line(g), style="item") for g in result.groups if g.items]
        body += [p(str(note), style="item") for note in result.notes]
        body += unit_tables(result) if result.rows else [figure_table(result)]
    if progress:
        progress(total, total, _("Writing the file"))
    body.append(
        p(
            _(
                "The figures are those of the report pages of the system on %(date)s; each "
                "section names the period it counts."
            )
            % {"date": _day(today)}
        )
    )
    recipients = [
        _("- The party committee above (to report);")
        if parent is not None
        else _("- The Central Organization Commission (to report);"),
        _("- The cells and party committees below;"),
        _("- Filed at the office."),
    ]
    return Doc(
        kind="summary",
        anchor=f"summary-{org.uuid}-{kind}-{period.end:%Y-%m}",
        upper_body=upper(parent.name) if parent is not None else "",
        issuer=upper(issuer),
        number=_("No. %(blank)s-%(symbol)s") % {"blank": BLANK, "symbol": symbol},
        place_date=_date_line(org, today),
        doc_type=_("REPORT"),
        summary=title(kind, period),
        draft=False,
        body=body,
        left=SignColumn(recipients=recipients),
        right=SignColumn(titles=sign_titles, name=""),
        date=today,
        party=_("COMMUNIST PARTY OF VIETNAM"),
        recipients_label=_("Recipients:"),
    )


def build_summary(
    org: Organization,
    period: Period,
    kind: str,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The summary of org for the period (a month or a year) as DOCX bytes."""
    if kind not in KINDS:
        raise ValueError(kind)
    return word.write([summary_doc(org, period, kind, today=today, progress=progress)])


def filename(org: Organization, kind: str, period: Period) -> str:
    """bao-cao-tong-hop-11-2026-dang-bo-xa-an-binh.docx; the annual one names the year."""
    slug = slugify(fold(org.name)) or "to-chuc"
    when = f"nam-{period.end.year}" if kind == "year" else f"{period.end:%m-%Y}"
    return f"bao-cao-tong-hop-{when}-{slug}.docx"
