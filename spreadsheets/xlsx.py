"""Low-level workbook handling: upload inspection, cell parsing, and writing.

Everything that touches openpyxl or the zip container lives here, so the import
and export modules deal only in rows of Python values.
"""

import datetime as dt
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from lib.text import fold, normalize_name

MAX_DATA_ROWS = 60_000
# Zip-bomb limits, checked on the central directory before openpyxl opens the file.
# Python's zipfile never inflates an entry past its declared size, so the declared
# sizes are a true upper bound of what parsing can cost. Real sheets compress 5–30×;
# 100× is the ratio Apache POI refuses by default.
MAX_UNCOMPRESSED_BYTES = 250 * 1024 * 1024
MAX_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024
MAX_ENTRIES = 2_000

DATE_FORMAT = "DD/MM/YYYY"
DATA_SHEET_NAMES = {"members": "Đảng viên", "organizations": "Tổ chức đảng"}
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
ERROR_HEADER = "Lỗi"
ROW_HEADER = "Dòng"

# ---- formula injection ------------------------------------------------------

# A cell that starts with one of these is read as a formula by Excel, LibreOffice
# or Google Sheets (and openpyxl itself writes a string starting with "=" as one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    return bool(value) and value.startswith(FORMULA_TRIGGERS)


def safe_text(value: str) -> str:
    """The one rule for text written to a spreadsheet: a leading apostrophe makes a
    formula-looking value plain text (OWASP's CSV/formula-injection advice)."""
    return "'" + value if looks_like_formula(value) else value


def unescape_text(value: str) -> str:
    """Undo safe_text on import, so an exported file reads back as it was written."""
    if value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    return value


# ---- upload inspection ------------------------------------------------------

_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Count <row> elements by scanning the inflated XML in chunks (no XML parsing)."""
    count, tail = 0, b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            count += len(_ROW_TAG.findall(data))
            # Keep a short tail so a tag split across chunks is seen once, in the next round.
            cut = max(len(data) - 64, 0)
            count -= len(_ROW_TAG.findall(data[cut:]))
            tail = data[cut:]
    return count + len(_ROW_TAG.findall(tail))


def inspect_upload(fileobj, *, max_rows: int = MAX_DATA_ROWS) -> None:
    """Reject anything that is not a reasonable .xlsx, before any XML is parsed.

    Raises ValidationError with a message for the upload form.
    """
    not_xlsx = ValidationError(
        _(
            "This is not an Excel .xlsx file. Save it in Excel as “Excel Workbook (.xlsx)” and try again."
        ),
        code="not_xlsx",
    )
    try:
        fileobj.seek(0)
        zf = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise not_xlsx from e
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise not_xlsx
        bomb = ValidationError(
            _(
                "The file expands to far more data than a spreadsheet of members holds; it was refused."
            ),
            code="zip_bomb",
        )
        if len(infos) > MAX_ENTRIES:
            raise bomb
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise bomb
        for i in infos:
            if i.file_size > RATIO_GRACE_BYTES and i.file_size > MAX_RATIO * max(
                i.compress_size, 1
            ):
                raise bomb
        if total > RATIO_GRACE_BYTES and total > MAX_RATIO * max(packed, 1):
            raise bomb
        sheets = [
            i
            for i in infos
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
        ]
        try:
            rows = max((_count_rows(zf, i) for i in sheets), default=0)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
            raise not_xlsx from e
        if rows - 1 > max_rows:
            raise ValidationError(
                _(
                    "The file has %(n)s rows; one import takes at most %(max)s. Split it into several files."
                )
                % {
                    "n": f"{rows - 1:,}".replace(",", "."),
                    "max": f"{max_rows:,}".replace(",", "."),
                },
                code="too_many_rows",
            )
    fileobj.seek(0)
    try:
        wb = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
        wb.close()
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise not_xlsx from e
    finally:
        fileobj.seek(0)


# ---- parsing cell values ----------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value) -> dt.date | None:
    """An Excel date or dd/mm/yyyy text (also d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd).

    Raises ValueError for anything else.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        # A date serial in a cell without a date format.
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise ValueError(value)
    text = str(value).strip()
    if not text:
        return None
    if m := _DATE_TEXT.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(text)
    return dt.date(year, month, day)  # ValueError for 31/02/2020


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing .0, text NFC-normalized and trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return normalize_name(str(value))


def cell_digits(value, width: int) -> str:
    """Identifiers made of digits. Excel drops leading zeros from a number (every
    citizen ID starts with 0), so a number is padded back to the expected width."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return cell_text(value)
        return str(int(value)).zfill(width)
    return cell_text(value).replace(" ", "")


def _key(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip().casefold()


class ChoiceMap:
    """Maps what a user may write in a coded column to the stored code.

    Accepted: the code itself, the Vietnamese label (what the drop-down offers) and
    the English label, exactly (case-insensitive); otherwise without diacritics,
    when that is unambiguous.
    """

    def __init__(self, choices, aliases: dict[str, str] | None = None):
        self.codes: list[str] = []
        self.vi: dict[str, str] = {}
        exact: dict[str, str] = {}
        folded: dict[str, set] = defaultdict(set)
        for code, label in choices:
            with translation.override("vi"):
                vi = str(label)
            with translation.override("en"):
                en = str(label)
            self.codes.append(code)
            self.vi[code] = vi
            for k in (code if isinstance(code, str) else "", vi, en):
                if k:
                    exact.setdefault(_key(k), code)
                    folded[fold(k)].add(code)
        for alias, code in (aliases or {}).items():
            exact.setdefault(_key(alias), code)
            folded[fold(alias)].add(code)
        self._exact = exact
        self._folded = {k: next(iter(v)) for k, v in folded.items() if len(v) == 1}

    def parse(self, text: str) -> str:
        """The code for `text`; KeyError when nothing matches."""
        if (code := self._exact.get(_key(text))) is not None:
            return code
        return self._folded[fold(text)]

    def labels(self) -> list[str]:
        return [self.vi[c] for c in self.codes]

    def label(self, code: str) -> str:
        return self.vi.get(code, code or "")


# ---- reading ----------------------------------------------------------------


@dataclass
class Sheet:
    """Rows of the data sheet, with the columns found in its header row."""

    headers: list[str]
    columns: dict[str, int]  # column key → 0-based index
    total: int
    rows: object = field(repr=False)  # iterator of (excel_row_number, tuple of values)


def open_data_sheet(path, columns, sheet_name: str) -> tuple[openpyxl.Workbook, Sheet]:
    """Open the workbook read-only and map its header row to `columns` (by folded header).

    Returns the workbook (close it when done) and the sheet; unknown columns (such
    as “Lỗi” in an error report, or a cell name in an export) are ignored.
    """
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = (
        wb[sheet_name]
        if sheet_name in wb.sheetnames
        else next(
            (wb[n] for n in wb.sheetnames if n not in (GUIDE_SHEET, LISTS_SHEET)), wb.worksheets[0]
        )
    )
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, ()) or ()
    headers = [cell_text(v) for v in header_row]
    by_fold = {fold(c.header): c.key for c in columns if not c.export_only}
    found: dict[str, int] = {}
    for i, h in enumerate(headers):
        key = by_fold.get(fold(h.rstrip("* ")))
        if key and key not in found:
            found[key] = i
    total = max((ws.max_row or 1) - 1, 0)

    return wb, Sheet(headers=headers, columns=found, total=total, rows=enumerate(rows, start=2))


# ---- writing ----------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F6F5F2")


def _list_range(col: int, n: int) -> str:
    letter = get_column_letter(col)
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${n + 1}"


def template_workbook(
    columns, sheet_name: str, guide: list[tuple[str, str]], choice_maps: dict
) -> openpyxl.Workbook:
    """An empty import sheet with headers, drop-downs for coded columns, and a guide sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    importable = [c for c in columns if not c.export_only]
    lists = wb.create_sheet(LISTS_SHEET)
    list_col = 0
    for i, col in enumerate(importable, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        if col.kind in ("digits", "code", "phone"):
            # Text format keeps the leading zeros of citizen IDs and card numbers.
            ws.column_dimensions[letter].number_format = "@"
        elif col.kind == "date":
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        values = choice_maps[col.key].labels() if col.key in choice_maps else None
        if values is None:
            continue
        list_col += 1
        lists.cell(row=1, column=list_col, value=col.header).font = HEADER_FONT
        for r, label in enumerate(values, start=2):
            lists.cell(row=r, column=list_col, value=safe_text(label))
        dv = DataValidation(
            type="list",
            formula1=_list_range(list_col, len(values)),
            allow_blank=not col.required,
            showErrorMessage=True,
            errorTitle=col.header,
            error="Chọn một giá trị trong danh sách.",
        )
        dv.add(f"{letter}2:{letter}{MAX_DATA_ROWS + 1}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    lists.sheet_state = "hidden"

    guide_ws = wb.create_sheet(GUIDE_SHEET, 1)
    guide_ws.column_dimensions["A"].width = 30
    guide_ws.column_dimensions["B"].width = 12
    guide_ws.column_dimensions["C"].width = 100
    r = 1
    for title, text in guide:
        guide_ws.cell(row=r, column=1, value=title).font = HEADER_FONT
        guide_ws.cell(row=r, column=3, value=text).alignment = Alignment(wrap_text=True)
        r += 1
    r += 1
    for i, title in enumerate(("Cột", "Bắt buộc", "Cách ghi"), start=1):
        c = guide_ws.cell(row=r, column=i, value=title)
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
    for col in importable:
        r += 1
        guide_ws.cell(row=r, column=1, value=col.header)
        guide_ws.cell(row=r, column=2, value="Có" if col.required else "")
        guide_ws.cell(row=r, column=3, value=col.help).alignment = Alignment(wrap_text=True)
    return wb


class RowWriter:
    """A write-only sheet: constant memory whatever the number of rows."""

    def __init__(self, wb: openpyxl.Workbook, title: str, headers: list[str], widths: list[int]):
        self.ws = wb.create_sheet(title)
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.ws.freeze_panes = "A2"
        header_cells = []
        for h in headers:
            c = WriteOnlyCell(self.ws, value=safe_text(h))
            c.font = HEADER_FONT
            c.fill = HEADER_FILL
            header_cells.append(c)
        self.ws.append(header_cells)

    def cell(self, value):
        """A cell for `value`: dates as real dates shown dd/mm/yyyy, text neutralized."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            c = WriteOnlyCell(self.ws, value=value)
            c.number_format = DATE_FORMAT
            return c
        if isinstance(value, str):
            return safe_text(value)
        return value

    def append(self, values):
        self.ws.append([self.cell(v) for v in values])


def write_only_workbook() -> openpyxl.Workbook:
    return openpyxl.Workbook(write_only=True)
