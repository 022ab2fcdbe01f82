"""Goal S11: `manage.py backup` / `manage.py restore` round-trip the whole database (SQLite and
PostgreSQL); the restored copy passes the integrity check and shows the same reports."""

import datetime as dt
import gzip
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from backups import engine

ROOT = Path(__file__).resolve().parent.parent.parent
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason=f"SQLite round trip: the test database is {connection.vendor}",
)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=f"PostgreSQL round trip: the test database is {connection.vendor} (run `make test-pg`)",
)

# The same figures, computed in another process on another database file.
REPORT_SCRIPT = """
import json
from django.utils import timezone
from organizations.models import Organization
from reports.periods import Period
from reports.registry import get_report
org = Organization.objects.get(code="P1")
period = Period.parse({"from": "%(start)s", "to": "%(end)s"}, timezone.localdate())
print(json.dumps({n: get_report(n).compute(org, period).as_json()
                  for n in ("structure", "meetings")}, sort_keys=True, default=str))
"""


def period_bounds():
    today = timezone.localdate()
    return dt.date(today.year - 1, 1, 1).isoformat(), today.isoformat()


def manage(*args, database_url):
    env = {k: v for k, v in os.environ.items() if k not in ("CHIBO_TESTING", "DATABASE_URL")}
    env.update(DATABASE_URL=database_url, CHIBO_TASKS_INLINE="true")
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )


def reports_here():
    from organizations.models import Organization
    from reports.periods import Period
    from reports.registry import get_report

    start, end = period_bounds()
    org = Organization.objects.get(code="P1")
    period = Period.parse({"from": start, "to": end}, timezone.localdate())
    result = {n: get_report(n).compute(org, period).as_json() for n in ("structure", "meetings")}
    return json.loads(json.dumps(result, sort_keys=True, default=str))


@on_sqlite
def test_sqlite_round_trip_of_the_test_world(world, tmp_path, record_property):
    """A copy of the test world in a file → `manage.py backup --gzip` and `manage.py restore`
    into a fresh file, each in its own process as in production → the same rows in every
    table, integrity ok, and the same report figures."""
    connection.ensure_connection()
    original = engine.sqlite_counts(connection.connection)
    assert original["members_member"] > 0 and original["organizations_organization"] > 0
    live = tmp_path / "live.sqlite3"
    # The test's own connection is inside the test's transaction, where the backup API cannot
    # read: the world is copied into a file by SQL instead, and the commands work on that file.
    copy = sqlite3.connect(live)
    copy.executescript("\n".join(connection.connection.iterdump()))
    copy.close()

    r = manage("backup", "--out", str(tmp_path / "b"), "--gzip", database_url=f"sqlite:///{live}")
    assert r.returncode == 0, r.stderr
    (backup,) = (tmp_path / "b").glob("chibo-sqlite-*.sqlite3.gz")
    assert gzip.open(backup).read(16) == engine.SQLITE_MAGIC

    restored = tmp_path / "restored.sqlite3"
    r = manage("restore", str(backup), "--noinput", database_url=f"sqlite:///{restored}")
    assert r.returncode == 0, r.stderr
    assert "Restored" in r.stdout

    db = sqlite3.connect(restored)
    assert engine.integrity(db) == "ok"
    assert engine.sqlite_counts(db) == original
    record_property("S11.tables_equal", len(original))
    db.close()

    start, end = period_bounds()
    script = REPORT_SCRIPT % {"start": start, "end": end}
    r = manage("shell", "-c", script, database_url=f"sqlite:///{restored}")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1]) == reports_here()


def test_a_connection_inside_a_transaction_is_refused_not_waited_for(tmp_path):
    source = sqlite3.connect(tmp_path / "a.sqlite3", isolation_level=None)
    source.execute("CREATE TABLE t (x)")
    source.execute("BEGIN IMMEDIATE")
    with pytest.raises(engine.BackupError, match="inside a transaction"):
        engine.sqlite_backup(source, tmp_path / "b.sqlite3")


def test_sqlite_backup_runs_while_the_application_writes(tmp_path):
    live = tmp_path / "live.sqlite3"
    db = sqlite3.connect(live, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    db.executemany("INSERT INTO t (v) VALUES (?)", [("x" * 200,)] * 5000)
    stop, written, errors = threading.Event(), [0], []

    def writer():
        w = sqlite3.connect(live, isolation_level=None, timeout=20)
        try:
            while not stop.is_set():
                w.execute("INSERT INTO t (v) VALUES ('y')")
                written[0] += 1
        except sqlite3.Error as e:  # pragma: no cover - the failure this test is about
            errors.append(e)
        w.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 50:
            pass
        dest = tmp_path / "copy.sqlite3"
        engine.sqlite_backup(sqlite3.connect(live), dest)
        n_during = written[0]
        while written[0] < n_during + 50:  # the writer was never blocked for good
            pass
    finally:
        stop.set()
        thread.join()
    assert errors == []
    copy = sqlite3.connect(dest)
    assert engine.integrity(copy) == "ok"
    assert 5000 < copy.execute("SELECT COUNT(*) FROM t").fetchone()[0] <= 5000 + written[0]
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@pytest.fixture
def file_database(tmp_path, monkeypatch):
    """The default database's settings pointed at a small SQLite file (the test database
    lives in memory, inside the test's transaction, where the backup API cannot read)."""
    path = tmp_path / "db" / "chibo.sqlite3"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT);"
        "INSERT INTO django_migrations (app, name) VALUES ('members', '0001_initial');"
    )
    db.close()
    monkeypatch.setitem(connection.settings_dict, "NAME", str(path))
    return path


@on_sqlite
def test_backups_are_timestamped_private_and_rotated(file_database, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("not a backup")
    base = timezone.make_aware(dt.datetime(2026, 1, 31, 23, 0, 0))
    for hour in range(4):
        engine.backup(out=out, now=base + dt.timedelta(hours=hour), keep=2)
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "chibo-sqlite-20260201-010000.sqlite3",
        "chibo-sqlite-20260201-020000.sqlite3",
        "notes.txt",
    ]
    assert stat.S_IMODE((out / names[0]).stat().st_mode) == 0o600
    assert engine.integrity(sqlite3.connect(out / names[0])) == "ok"
    with pytest.raises(engine.BackupError, match="exists already"):
        engine.backup(out=out, now=base + dt.timedelta(hours=3))


@on_sqlite
def test_the_default_place_is_the_backup_directory(file_database, tmp_path, settings):
    settings.CHIBO_BACKUP_DIR = tmp_path / "backups"
    path = engine.backup()
    assert path.parent == tmp_path / "backups" and engine.NAME.match(path.name)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@on_sqlite
def test_restore_refuses_what_is_not_a_chibo_backup(world, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"hello, this is not a database")
    with pytest.raises(CommandError, match="not a Chibo backup"):
        call_command("restore", str(junk), "--noinput")
    pg = tmp_path / "chibo-postgresql-20260101-000000.dump"
    pg.write_bytes(engine.PGDUMP_MAGIC + b"\x01\x0e")
    with pytest.raises(CommandError, match="is a postgresql backup, but the database is sqlite"):
        call_command("restore", str(pg), "--noinput")
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE x (id INTEGER)")
    fresh = sqlite3.connect(tmp_path / "fresh.sqlite3")
    with pytest.raises(engine.BackupError, match="not a Chibo database"):
        engine.sqlite_restore(other, fresh)
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.sqlite3"), "--noinput")


def test_restore_asks_before_replacing_everything(world, tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(tmp_path / "whatever"))


def test_missing_pg_dump_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(engine.shutil, "which", lambda name: None)
    with pytest.raises(
        engine.BackupError, match="pg_dump was not found on PATH.*postgresql-client"
    ):
        engine.pg_backup({"NAME": "chibo"}, Path("/nonexistent/x.dump"))


def test_libpq_settings_come_from_the_database_settings():
    env = engine.pg_env(
        {
            "HOST": "db",
            "PORT": "5433",
            "USER": "chibo",
            "PASSWORD": "s3cret",
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"]) == ("db", "5433", "chibo")
    assert (env["PGPASSWORD"], env["PGSSLMODE"]) == ("s3cret", "require")


@on_postgresql
def test_postgresql_round_trip_of_the_test_world(world, tmp_path):
    """pg_dump -Fc of the test database → pg_restore into a scratch database → the same rows."""
    import psycopg

    with pytest.raises(engine.BackupError, match="--gzip is for SQLite"):
        engine.backup(out=tmp_path, compress=True)
    path = engine.backup(out=tmp_path)
    assert path.name.endswith(".dump") and engine.file_kind(path) == "postgresql"

    db = settings.DATABASES["default"]
    scratch = f"{db['NAME']}_restore"[:63]
    admin = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "autocommit": True,
    }
    with psycopg.connect(dbname="postgres", **admin) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        c.execute(f'CREATE DATABASE "{scratch}"')
    try:
        engine.pg_restore({**db, "NAME": scratch}, path)
        with psycopg.connect(dbname=scratch, **admin) as c:
            tables = [
                r[0]
                for r in c.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            restored = {t: c.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        original = engine.pg_counts("default")
        assert restored == original
        assert original["members_member"] > 0
        # Restoring again over the restored copy (--clean --if-exists) is idempotent.
        engine.pg_restore({**db, "NAME": scratch}, path)
    finally:
        with psycopg.connect(dbname="postgres", **admin) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
