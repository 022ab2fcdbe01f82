"""A report as an XLSX workbook: the headline figures, each distribution, and the units below.

Rates are written as numbers (the count, the denominator and the percentage in three cells) so
that the board can recompute or chart them in Excel. A province's report is a few thousand
cells: it is written in the request (measured in docs/reports.md), not as a background job.
"""

import io
from urllib.parse import quote

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lib.downloads import ascii_name
from reports.registry import Result, rate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def _safe(value):
    """Names typed by users must not become formulas in Excel."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _header(ws, values):
    ws.append([str(v) for v in values])
    for cell in ws[ws.max_row]:
        cell.font = BOLD


def _widths(ws, first=46, other=16):
    ws.column_dimensions["A"].width = first
    for i in range(2, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(i)].width = other


def workbook(result: Result) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _("Summary")[:31]
    ws.append([str(result.report.title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_safe(result.org.name)])
    ws.append([_("From"), result.period.start, _("To"), result.period.end])
    for c in ws[ws.max_row]:
        if not isinstance(c.value, str):
            c.number_format = "DD/MM/YYYY"
    ws.append([])
    _header(ws, [_("Figure"), _("Count"), _("Out of"), _("Rate (%)")])
    t = result.total.values
    for col in result.columns:
        value = t.get(col.key, 0)
        whole = t.get(col.of, 0) if col.of else None
        ws.append([str(col.label), value, whole, rate(value, whole) if col.of else None])
    for group in result.groups:
        ws.append([])
        _header(ws, [group.title, _("Count"), _("Out of"), _("Rate (%)")])
        for item in group.items:
            ws.append([str(item.label), item.value, item.of, item.rate])
    _widths(ws, 60)

    rows = wb.create_sheet(_("Units below")[:31])
    head = [_("Unit")]
    for col in result.columns:
        head.append(col.label)
        if col.of:
            head.append(_("%(figure)s (%%)") % {"figure": col.label})
    _header(rows, head)
    for row in [*result.rows, result.total]:
        line = [_safe(row.label) if row is not result.total else _("Total")]
        for col in result.columns:
            value = row.values.get(col.key, 0)
            line.append(value)
            if col.of:
                line.append(rate(value, row.values.get(col.of, 0)))
        rows.append(line)
    for cell in rows[rows.max_row]:
        cell.font = BOLD
    rows.freeze_panes = "B2"
    _widths(rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(result: Result) -> HttpResponse:
    name = f"{result.report.title} - {result.org.name} - {result.period.end:%d-%m-%Y}"
    response = HttpResponse(workbook(result), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name(name)}.xlsx"; '
        f"filename*=UTF-8''{quote(name + '.xlsx')}"
    )
    return response
