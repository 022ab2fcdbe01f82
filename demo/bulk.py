"""Raw bulk writing for the meeting seed: explicit primary keys and executemany.

A year of meetings for a province is ~1.5 million rows. Model instances would cost
minutes; these helpers take tuples already in database form (see `Adapt`) and give
every row its primary key up front, so rows can point at each other (meeting →
agenda item → speech) without reading anything back. Foreign keys are checked at
commit (Django declares them deferrable), so tables may be written in any order.
"""

import contextlib
import datetime as dt
import json

from django.core.management.color import no_style
from django.db import connection, models


class Adapt:
    """Python values → what the backend's cursor takes, as the ORM would write them."""

    def __init__(self):
        ops = connection.ops
        self.date = ops.adapt_datefield_value
        self.time = ops.adapt_timefield_value
        self.datetime = ops.adapt_datetimefield_value
        if connection.vendor == "sqlite":
            # What the ORM writes (naive UTC text), without its per-call checks: ~10 s saved.
            self.datetime = _sqlite_datetime
        native_uuid = connection.features.has_native_uuid_field
        self.uuid = (lambda v: v) if native_uuid else (lambda v: v.hex)
        self._json_field = models.JSONField()

    def json(self, value):
        if connection.vendor == "sqlite":
            return json.dumps(value)  # what JSONField writes on SQLite
        return self._json_field.get_db_prep_save(value, connection)


def _sqlite_datetime(value):
    if value is None:
        return None
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _issued(model) -> int:
    """The last key the database handed out, even if that row is gone: a reseeded demo must
    not reuse the keys of deleted rows, whose change history still names them."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return row[0] if row else 0
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
                value, called = cursor.fetchone()
                return value if called else value - 1
    return 0


class Ids:
    """Primary keys for new rows of one table, after every key issued so far."""

    def __init__(self, model):
        self.model = model
        top = model._base_manager.aggregate(m=models.Max("pk"))["m"] or 0
        self.next = max(top, _issued(model)) + 1

    def take(self) -> int:
        n = self.next
        self.next += 1
        return n


class Table:
    """Rows of one model waiting to be written: (pk, *values) in the order of `columns`."""

    def __init__(self, model, columns: list[str], flush_at: int = 20_000):
        self.model = model
        self.columns = ["id", *columns]
        self.rows: list[tuple] = []
        self.ids = Ids(model)
        self.flush_at = flush_at
        self.written = 0
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in self.columns if c not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        # Columns added to the model later than this code take their defaults.
        self.extra = [
            (f.column, f.get_db_prep_save(f.get_default(), connection))
            for name, f in fields.items()
            if name not in self.columns and not (f.null and not f.has_default())
        ]
        self.names = [fields[c].column for c in self.columns] + [c for c, _ in self.extra]

    def add(self, *values) -> int:
        pk = self.ids.take()
        self.rows.append((pk, *values))
        if len(self.rows) >= self.flush_at:
            self.flush()
        return pk

    def put(self, pk: int, *values):
        """A row whose key was taken earlier with `ids.take()`."""
        self.rows.append((pk, *values))
        if len(self.rows) >= self.flush_at:
            self.flush()

    def flush(self):
        if not self.rows:
            return
        rows = self.rows
        if self.extra:
            tail = tuple(v for _, v in self.extra)
            rows = [r + tail for r in rows]
        write_rows(self.model._meta.db_table, self.names, rows)
        self.written += len(self.rows)
        self.rows = []


def write_rows(table: str, columns: list[str], rows: list, chunk: int = 5000):
    """INSERT rows of database values: COPY on PostgreSQL (executemany there does ~13,000
    rows/s, COPY ten times more), executemany on SQLite."""
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        for i in range(0, len(rows), chunk):
            cursor.executemany(sql, rows[i : i + chunk])


def reset_sequences(model_list):
    """PostgreSQL sequences after explicit keys (SQLite tracks AUTOINCREMENT by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@contextlib.contextmanager
def large_cache():
    """On SQLite, keep the index pages of a million new rows in memory (halves the load time)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -400000")  # KiB: up to 400 MB, freed after
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
