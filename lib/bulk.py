"""Bulk inserts (members.services.create_members_bulk, so the member import): what simple_history's bulk_create_with_history
does (rows saved, primary keys set on the objects, a "+" history record for each
naming the user), with one prepared INSERT per table run by executemany.

Django's bulk_create compiles the INSERT again for every batch of rows and prepares
each value through several calls (SQLite: 999 parameters a statement, so ~40 rows);
for the 50,000 people, members, memberships and their history rows of a big import
that was half the import's time (goal P9). Here the SQL is built once per table, ids
are reserved up front (PostgreSQL: from the table's sequence; SQLite: above the
highest id, under the write lock the import's transaction holds), and each value goes
through its field's get_db_prep_save only when the field needs it.

Other databases, and models whose history has fields this module does not know, use
bulk_create_with_history itself.
"""

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

# Fields whose Python value is already what the database driver takes (str, int, bool,
# None): their get_db_prep_save is skipped. Exact classes only, not subclasses.
PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.BooleanField,
    models.AutoField,
    models.BigAutoField,
)
HISTORY_FIELDS = {"history_date", "history_change_reason", "history_type", "history_user_id"}


def _connection():
    """The connection itself, not django.db.connection's proxy: its attribute lookups
    go through a context-local each time, which cost a second per 200,000 values."""
    return connections[DEFAULT_DB_ALIAS]


def _supported() -> bool:
    return _connection().vendor in ("sqlite", "postgresql")


def _reserve_ids(model, n: int) -> list[int]:
    """`n` unused primary keys for `model`, inside the current transaction."""
    connection = _connection()
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, n],
            )
            return [r[0] for r in cursor.fetchall()]
        # SQLite (AUTOINCREMENT): above both the highest id and the sequence, so an id
        # once used and deleted is not handed out again; explicit ids move the sequence.
        qn = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"COALESCE((SELECT MAX({qn(column)}) FROM {qn(table)}), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + n))


def _getter(field, add: bool):
    """A function object → database value for `field`."""
    connection = _connection()
    attname = field.attname
    auto = getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False))
    if auto:
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, add), connection)
    if type(field) is models.DateField:
        # What DateField.get_db_prep_save ends in, for a value that is a date already.
        adapt = connection.ops.adapt_datefield_value
        return lambda obj: adapt(getattr(obj, attname))
    if type(field) in PLAIN_FIELDS or (
        isinstance(field, models.ForeignKey) and type(field.target_field) in PLAIN_FIELDS
    ):
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    connection = _connection()
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    # Table and column names come from the models' _meta, quoted; values are parameters
    # (executemany) or rows of data (COPY), never SQL.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream per batch; executemany sent the rows one statement each
            # and took three times as long.
            with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


def insert_same(model, template, varying: str, values: list, batch_size: int = 5000) -> None:
    """Insert one row of `model` per item of `values`: a copy of the unsaved `template`
    with the field `varying` set to the item (audit entries of a list export, which differ
    only by the member). Every other value is prepared for the database once."""
    connection = _connection()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    fixed = {
        f.column: f.get_db_prep_save(f.pre_save(template, True), connection)
        for f in fields
        if f.attname != varying
    }
    column = model._meta.get_field(varying.removesuffix("_id")).column
    columns = [*fixed, column]
    head = tuple(fixed.values())
    with transaction.atomic():
        for start in range(0, len(values), batch_size):
            _insert(
                model._meta.db_table,
                columns,
                [(*head, v) for v in values[start : start + batch_size]],
            )


def _history_plan(model):
    """(history model, its columns, tracked attnames) or None when unsupported."""
    history = get_history_manager_for_model(model).model
    tracked = [f.attname for f in history.tracked_fields]
    columns, sources = [], []
    for f in history._meta.concrete_fields:
        if f.primary_key and isinstance(f, models.AutoField):
            continue  # history_id: numbered by the database
        if f.attname in tracked:
            columns.append(f)
            sources.append(f.attname)
        elif f.attname in HISTORY_FIELDS:
            columns.append(f)
            sources.append(None)
        else:
            return None  # a custom history field: let simple_history fill it
    return history, columns, sources


def insert_with_history(objs: list, model, *, user=None, batch_size: int = 2000) -> list:
    """Insert unsaved `objs` of `model` and a "+" history record for each, as
    bulk_create_with_history(objs, model, default_user=user) does; sets their pks."""
    if not objs:
        return objs
    plan = _history_plan(model)
    if not _supported() or plan is None:
        return bulk_create_with_history(objs, model, default_user=user)
    opts = model._meta
    history, hist_fields, sources = plan
    now = timezone.now()
    fields = list(opts.concrete_fields)
    getters = [_getter(f, add=True) for f in fields]
    with transaction.atomic(savepoint=False):
        for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
            obj.pk = pk
        for i in range(0, len(objs), batch_size):
            batch = objs[i : i + batch_size]
            _insert(
                opts.db_table,
                [f.column for f in fields],
                [tuple(get(obj) for get in getters) for obj in batch],
            )
            for obj in batch:
                obj._state.adding = False
                obj._state.db = DEFAULT_DB_ALIAS
        # The history rows: tracked values as stored, then who and when.
        values = {
            "history_date": _prep(history, "history_date", now),
            "history_change_reason": None,  # as bulk_create_with_history leaves it
            "history_type": "+",
            "history_user_id": user.pk if user is not None else None,
        }
        field_of = {f.attname: f for f in opts.concrete_fields}
        hist_getters = []
        for f, source in zip(hist_fields, sources, strict=True):
            if source is None:
                value = values[f.attname]
                hist_getters.append(lambda obj, value=value: value)
            else:
                hist_getters.append(_getter(field_of[source], add=False))
        for i in range(0, len(objs), batch_size):
            _insert(
                history._meta.db_table,
                [f.column for f in hist_fields],
                [tuple(get(obj) for get in hist_getters) for obj in objs[i : i + batch_size]],
            )
    return objs


def _prep(model, name: str, value):
    return model._meta.get_field(name).get_db_prep_save(value, _connection())
