"""A month sheet as an Excel file, and back: the template lists the sheet's organizations with
what is recorded; the filled file is read row by row and saved through
campaigns.services.record_results (all or nothing). Columns: code, name (not read), money,
rice, people helped, note."""

import io
from urllib.parse import quote

import openpyxl
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from campaigns.selectors import SheetRow
from campaigns.services import ResultRow
from lib.downloads import ascii_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


def template_response(campaign, org, month, rows: list[SheetRow]) -> HttpResponse:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"{month:%m-%Y}"
    ws.append(
        [
            _("Code"),
            _("Organization"),
            _("Money (VND)"),
            _("Rice (kg)"),
            _("People helped"),
            _("Note"),
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        rec = r.record
        ws.append(
            [
                r.org.code,
                r.org.name,
                rec.amount_vnd if rec else None,
                rec.rice_kg if rec else None,
                rec.beneficiaries if rec else None,
                rec.note if rec else None,
            ]
        )
    for col, width in zip("ABCDEF", (14, 40, 16, 12, 14, 30), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    name = f"{campaign.name} {org.name} {month:%m-%Y}.xlsx"
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _value(v):
    """A cell as the sheet's inputs take it: whole floats as integers, text as typed."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return "" if v is None else v


def read_rows(upload, rows: list[SheetRow]) -> list[ResultRow]:
    """The rows of an uploaded file, by organization code; ValidationError (a message per bad
    row, with its number) for a file that cannot be read or a code not on the sheet."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    try:
        wb = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not an XLSX
        raise ValidationError(_("The file is not an Excel (.xlsx) workbook.")) from e
    by_code = {r.org.code.strip().lower(): r.org for r in rows}
    errors, out = [], []
    for n, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
        if n == 1:
            continue  # the header
        if n > MAX_ROWS:
            errors.append(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
            break
        cells = [*list(values or ()), *[None] * 6][:6]
        if all(c in (None, "") for c in cells):
            continue
        code = str(cells[0] or "").strip()
        org = by_code.get(code.lower())
        if org is None:
            errors.append(
                _("Row %(n)s: no organization with the code “%(code)s” on this sheet.")
                % {"n": n, "code": code}
            )
            continue
        out.append(
            ResultRow(
                org.pk,
                _value(cells[2]),
                _value(cells[3]),
                _value(cells[4]),
                str(cells[5] or ""),
            )
        )
    wb.close()
    if errors:
        raise ValidationError(errors)
    return out
