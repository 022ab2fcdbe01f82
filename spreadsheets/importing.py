"""What both imports share: reading rows into Python values, collecting row errors,
and the error report.

An import runs in three phases. Reading and checking happen outside any
transaction so the progress bar moves; the write phase runs in ONE transaction,
and any error found there rolls back every row (all or nothing).
"""

import gc
import tempfile
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from spreadsheets.columns import MSG_CHOICE, MSG_DATE, MSG_FORMULA, MSG_REQUIRED, MSG_TOO_LONG
from spreadsheets.xlsx import (
    ERROR_HEADER,
    MAX_DATA_ROWS,
    ROW_HEADER,
    DamagedFile,
    RowWriter,
    cell_digits,
    cell_text,
    looks_like_formula,
    open_data_sheet,
    parse_date,
    unescape_text,
    write_only_workbook,
)

PROGRESS_EVERY = 200
# Errors kept on the job (the report file lists them all).
MAX_STORED_ERRORS = 1000
CHUNK = 500  # values per IN (...) lookup


@dataclass
class Row:
    n: int  # the row number Excel shows
    data: dict = field(default_factory=dict)
    failed: bool = False
    bad: set = field(default_factory=set)  # columns that already have an error


class ImportRejected(Exception):
    """Raised inside the write transaction to roll it back."""


def chunks(values, size=CHUNK):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _blank(col):
    return {"date": None, "bool": False, "list": []}.get(col.kind, "")


def parse_value(col, raw, maps):
    """The Python value of one cell; ValueError(message) when it cannot be read."""
    kind = col.kind
    if kind == "date":
        try:
            value = parse_date(raw)
        except (ValueError, OverflowError) as e:
            raise ValueError(str(MSG_DATE)) from e
    elif kind == "bool" and isinstance(raw, bool):
        value = raw
    else:
        if kind == "digits":
            text = cell_digits(raw, col.digits)
        elif kind == "phone":
            text = cell_digits(raw, 0).replace(".", "").replace("-", "")
            if text.isdigit() and len(text) == 9:
                text = "0" + text  # a number that lost its leading zero
        else:
            text = cell_text(raw)
        text = unescape_text(text)
        if not text:
            value = _blank(col)
        elif kind in ("choice", "bool"):
            try:
                value = maps[col.key].parse(text)
            except KeyError as e:
                raise ValueError(str(MSG_CHOICE) % {"value": text[:60]}) from e
        elif kind == "list":
            value = [unescape_text(p.strip()) for p in text.split(";") if p.strip()]
            if any(looks_like_formula(p) for p in value):
                raise ValueError(str(MSG_FORMULA))
        else:
            if kind in ("text", "code") and looks_like_formula(text):
                raise ValueError(str(MSG_FORMULA))
            if col.max_length and len(text) > col.max_length:
                raise ValueError(str(MSG_TOO_LONG) % {"n": col.max_length, "len": len(text)})
            value = text
    if col.required and value in ("", None):
        raise ValueError(str(MSG_REQUIRED))
    return value


class Importer:
    """Base of the two imports: subclasses define columns, check() and write()."""

    columns: list = []
    sheet_name = ""
    required_headers: tuple = ()
    # Set by spreadsheets.tasks.run_job: called with the summary inside the write
    # transaction, so the job's outcome commits with the rows or not at all (a worker
    # killed mid-write leaves neither, and a run that lost its job cannot commit).
    finish = None

    def __init__(self, job, scope):
        self.job = job
        self.scope = scope
        self.province = job.province
        self.user = job.user
        self.errors: list[dict] = []
        self.by_key = {c.key: c for c in self.columns}
        self.maps = self.choice_maps()
        self.present: set[str] = set()

    def choice_maps(self):
        return {}

    # ---- errors ---------------------------------------------------------------
    def header(self, key) -> str:
        col = self.by_key.get(key)
        return col.header if col else ""

    def error(self, row: Row, key: str, message):
        row.failed = True
        row.bad.add(key)
        self.errors.append({"row": row.n, "column": self.header(key), "message": str(message)})

    def model_errors(self, row: Row, error: ValidationError, field_columns: dict[str, str]):
        """Turn a model ValidationError into row errors under the right columns.

        A column that already has an error (a date that could not be read, say) gets
        no second one: the model would only complain that the value is missing.
        """
        if hasattr(error, "error_dict"):
            for field_name, errs in error.error_dict.items():
                key = field_columns.get(field_name, field_name)
                if field_name == NON_FIELD_ERRORS:
                    key = ""
                elif key in row.bad:
                    continue
                for e in errs:
                    for msg in e.messages:
                        self.error(row, key, msg)
        else:
            for msg in error.messages:
                self.error(row, "", msg)

    # ---- phases ---------------------------------------------------------------
    def progress(self, done, total=None, phase=None, force=False):
        if force or done % PROGRESS_EVERY == 0:
            self.job.set_progress(done, total, phase)

    def read(self) -> list[Row]:
        """Read and parse every row; cell-level errors are recorded as they are found."""
        self.progress(0, 0, _("Reading the file"), force=True)
        try:
            return self._read()
        except DamagedFile as e:
            # Damage the upload check cannot see (it reads no cells): an error of the row
            # after the last one read, and nothing written (chibo/tests/badinput).
            self.errors.append(
                {
                    "row": e.after + 1,
                    "column": "",
                    "message": _(
                        "The file is damaged and could not be read after row %(n)s. Open it in "
                        "Excel, save it again as .xlsx and import it again."
                    )
                    % {"n": e.after},
                }
            )
            return []

    def _read(self) -> list[Row]:
        with self.job.source.open("rb") as fh:
            wb, sheet = open_data_sheet(fh, self.columns, self.sheet_name)
            try:
                self.present = set(sheet.columns)
                missing = [k for k in self.required_headers if k not in sheet.columns]
                for key in missing:
                    self.errors.append(
                        {
                            "row": 1,
                            "column": self.header(key),
                            "message": _(
                                "This column is missing from the header row; use the template."
                            ),
                        }
                    )
                if missing:
                    return []
                rows = []
                total = sheet.total
                for n, values in sheet.rows:
                    if not any(cell_text(v) for v in values):
                        continue
                    if len(rows) >= MAX_DATA_ROWS:
                        self.errors.append(
                            {
                                "row": n,
                                "column": "",
                                "message": _(
                                    "The file has more than %(max)s rows; split it into several files."
                                )
                                % {"max": MAX_DATA_ROWS},
                            }
                        )
                        return []
                    row = Row(n)
                    for key, i in sheet.columns.items():
                        col = self.by_key[key]
                        raw = values[i] if i < len(values) else None
                        try:
                            row.data[key] = parse_value(col, raw, self.maps)
                        except ValueError as e:
                            self.error(row, key, e.args[0])
                    rows.append(row)
                    self.progress(len(rows), max(total, len(rows)))
            finally:
                wb.close()
        return rows

    def run(self) -> dict:
        # The rows read and the plan checked live until the import ends (hundreds of
        # thousands of objects for a big file), and next to none of them form reference
        # cycles. The cyclic garbage collector walked them again at every collection:
        # 13% of a 50,000-row import (4 s of 30, goal P9), even with the rows frozen out
        # of its way after each phase as before. It is off for the import (reference
        # counting still frees memory: the measured peak did not change) and back after.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run()
        finally:
            if enabled:
                gc.enable()

    def _run(self) -> dict:
        rows = self.read()
        if not self.errors and not rows:
            self.errors.append({"row": 2, "column": "", "message": _("The file has no data rows.")})
        if rows:
            # Checked even when some cells could not be read, so one round lists every error.
            self.job.set_progress(0, len(rows), _("Checking the rows"))
            plan = self.check(rows)
        if self.errors:
            return self.reject(rows)
        self.job.set_progress(0, len(rows), _("Writing to the database"))
        try:
            with transaction.atomic():
                summary = self.write(plan)
                if self.finish is not None:
                    self.finish(summary)
        except ImportRejected:
            return self.reject(rows)
        return summary

    def check(self, rows: list[Row]):
        """Validate every row and return a write plan (each importer defines it)."""
        raise NotImplementedError  # abstract: MemberImport and OrgImport implement it

    def write(self, plan) -> dict:
        """Apply the plan in one transaction and return the summary (each importer defines it)."""
        raise NotImplementedError  # abstract: MemberImport and OrgImport implement it

    # ---- rejection --------------------------------------------------------------
    def reject(self, rows) -> dict:
        order = {c.header: i for i, c in enumerate(self.columns)}
        self.errors.sort(key=lambda e: (e["row"], order.get(e["column"], -1)))
        self.job.errors = self.errors[:MAX_STORED_ERRORS]
        self.write_error_report()
        rows_with_errors = len({e["row"] for e in self.errors})
        return {
            "rejected": True,
            "error_count": len(self.errors),
            "error_rows": rows_with_errors,
            "rows": len(rows),
        }

    def write_error_report(self):
        """The rows that have errors, as read, with a “Lỗi” column added."""
        by_row: dict[int, list[str]] = {}
        for e in self.errors:
            text = f"[{e['column']}] {e['message']}" if e["column"] else e["message"]
            by_row.setdefault(e["row"], []).append(text)
        try:
            out = self._error_rows_as_read(by_row)
        except DamagedFile:
            # The file cannot be read again (see read()): the report lists the errors alone.
            out = write_only_workbook()
            writer = RowWriter(out, "Lỗi", [ERROR_HEADER, ROW_HEADER], [60, 8])
            for n in sorted(by_row):
                writer.append(["\n".join(by_row[n]), n])
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
            out.save(tmp.name)
            tmp.seek(0)
            self.job.result.save(f"loi-{self.job.uuid}.xlsx", File(tmp), save=False)

    def _error_rows_as_read(self, by_row):
        # Read first, then write: a workbook abandoned half-written (the file turned out
        # damaged) would fail again when garbage-collected.
        with self.job.source.open("rb") as fh:
            wb, sheet = open_data_sheet(fh, self.columns, self.sheet_name)
            try:
                width = len(sheet.headers)
                found = [
                    (n, [*values[:width], *[None] * (width - len(values))])
                    for n, values in sheet.rows
                    if n in by_row
                ]
            finally:
                wb.close()
        out = write_only_workbook()
        writer = RowWriter(
            out,
            "Lỗi",
            [*sheet.headers, ERROR_HEADER, ROW_HEADER],
            [18] * width + [60, 8],
        )
        for n, cells in found:
            writer.append([*cells, "\n".join(by_row[n]), n])
        if 1 in by_row:  # problems with the header row itself
            writer.append([*[None] * width, "\n".join(by_row[1]), 1])
        return out
