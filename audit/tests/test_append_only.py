"""Audit entries are append-only: the model, the queryset and the database all refuse."""

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from audit import triggers
from audit.log import record
from audit.models import Action, AppendOnlyError, AuditEntry


@pytest.fixture
def entry(db):
    return record(Action.VIEW, object_type="members.member", object_id="x", extra={"n": 1})


def test_saving_an_existing_entry_is_refused(entry):
    entry.action = Action.DELETE
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry(action=Action.VIEW).save(update_fields=["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == Action.VIEW


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_delete_and_bulk_update_are_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action=Action.DELETE)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    entry.action = Action.DELETE
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == Action.VIEW


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'delete' WHERE id = %s",
        "UPDATE audit_auditentry SET extra = '{}' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete_from_any_client(entry, sql):
    """Raw SQL, past every Python guard: the trigger installed by the migration raises."""
    assert connection.vendor in ("sqlite", "postgresql")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    row = AuditEntry.objects.get(pk=entry.pk)
    assert (row.action, row.extra) == (Action.VIEW, {"n": 1})


def test_inserting_stays_possible(entry):
    record(Action.VIEW, object_type="members.member", object_id="y")
    assert AuditEntry.objects.count() >= 2


def test_a_whole_database_flush_on_sqlite_lifts_the_triggers_only_around_its_deletes():
    from django.db.backends.sqlite3.base import DatabaseOperations

    ops = DatabaseOperations(connection)
    sql = ops.sql_flush(no_style(), ["members_member", triggers.TABLE])
    assert sql[: len(triggers.SQLITE_DROP)] == triggers.SQLITE_DROP
    assert sql[-len(triggers.SQLITE_CREATE) :] == triggers.SQLITE_CREATE
    # Flushing other tables only leaves the triggers alone.
    assert not any("TRIGGER" in s for s in ops.sql_flush(no_style(), ["members_member"]))
