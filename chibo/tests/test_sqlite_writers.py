"""chibo.sqlite: a writer holds the writers' flock from BEGIN IMMEDIATE to commit or rollback."""

import fcntl
import os

import pytest
from django.db import connection

from chibo.settings import sqlite_database
from chibo.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite engine; this suite also runs on PostgreSQL"
)


def held(path) -> bool:
    fd = os.open(path, os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock taken here
    return False


@pytest.fixture
def db_file(tmp_path, django_db_blocker):
    # The project's SQLite settings (IMMEDIATE, WAL) on a file of its own.
    path = tmp_path / "w.sqlite3"
    settings = {**connection.settings_dict, **sqlite_database(str(path))}
    wrapper = DatabaseWrapper(settings, alias="w")
    with django_db_blocker.unblock():
        with wrapper.cursor() as c:
            c.execute("CREATE TABLE t (x integer)")
        yield wrapper, f"{path}-writers.lock"
        wrapper.close()


def test_the_writers_lock_is_held_for_the_transaction_only(db_file):
    wrapper, lock = db_file
    assert not held(lock)
    with _atomic(wrapper):
        with wrapper.cursor() as c:
            c.execute("INSERT INTO t VALUES (1)")
        assert held(lock)
    assert not held(lock)
    with pytest.raises(RuntimeError), _atomic(wrapper):
        assert held(lock)
        raise RuntimeError
    assert not held(lock)  # released by the rollback too
    with wrapper.cursor() as c:
        c.execute("SELECT count(*) FROM t")
        assert c.fetchone() == (1,)


def test_an_in_memory_database_takes_no_lock():
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, **sqlite_database(":memory:")}, alias="m"
    )
    assert wrapper._writer_lock_path() is None


class _atomic:
    """What transaction.atomic does on SQLite, for a wrapper outside settings.DATABASES."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def __enter__(self):
        self.wrapper.set_autocommit(True)
        self.wrapper.ensure_connection()
        self.wrapper._start_transaction_under_autocommit()

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.wrapper.commit()
        else:
            self.wrapper.rollback()
        return False
