"""Row counts of every project table, in one query: a rejected input must leave them all alone.

Counts catch edits too: every model the forms and API write keeps its history
(django-simple-history) or an event row, so an update adds a row somewhere.
"""

from django.db import connection

# Not data: who looked at what (the audit trail records refusals and reads too), sessions,
# login throttling, the background task queue.
IGNORED_PREFIXES = ("audit_", "django_session", "axes_", "django_tasks", "django_migrations")


def _tables() -> list[str]:
    return sorted(
        t for t in connection.introspection.table_names() if not t.startswith(IGNORED_PREFIXES)
    )


def snapshot() -> dict[str, int]:
    tables = _tables()
    q = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {q(t)})" for t in tables)
    with connection.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
    return dict(zip(tables, row, strict=True))


def changes(before: dict, after: dict) -> dict[str, int]:
    """{table: difference} for the tables whose count moved."""
    return {t: after[t] - before[t] for t in after if after[t] != before.get(t)}
