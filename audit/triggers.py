"""The database refuses to change or remove audit entries, whoever asks.

Installed by migration 0002 for SQLite and PostgreSQL: BEFORE UPDATE and BEFORE DELETE
triggers that raise. Removing entries (retention, a court order) is a database
administrator's job: drop the trigger, delete, re-create it (docs/audit.md).

`manage.py flush` (and the test runner's flush between browser tests) empties every table: on
PostgreSQL with TRUNCATE, which the row triggers do not see; on SQLite with DELETE, which they
would refuse, so SQLite's flush statements are wrapped to drop and re-create the triggers.
"""

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update;",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
]
POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END; "
    "$$ LANGUAGE plpgsql;",
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE};",
    f"CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_entry_append_only();",
]


def statements(vendor: str, create: bool = True) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    return []  # other databases: the model and queryset guards only


def install(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


def keep_flush_working():
    """Let SQLite's flush (DELETE FROM every table) through the triggers: drop them first and
    re-create them after. Flush wipes the whole database; it is not a way to edit the log."""
    # Through the backend's base module: importing operations first is a circular import.
    from django.db.backends.sqlite3.base import DatabaseOperations

    if getattr(DatabaseOperations.sql_flush, "_audit_wrapped", False):
        return
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if TABLE in set(tables) or any(TABLE in s for s in sql):
            return [*SQLITE_DROP, *sql, *SQLITE_CREATE]
        return sql

    sql_flush._audit_wrapped = True
    DatabaseOperations.sql_flush = sql_flush
