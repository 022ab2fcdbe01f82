"""SQLite with writers served in turn (goal P11: 20 concurrent writers, 0 "database is locked").

SQLite has one write lock, and a writer that finds it taken waits in SQLite's busy handler:
it sleeps and retries, up to 100 ms between tries, with no queue. Twenty writers saving
attendance sheets back to back keep the lock almost always taken, so a waiter can lose every
retry for the whole busy timeout: in two minutes 114 saves failed with "database is locked"
although a save takes 17 ms (bench.writers).

Here a writer first takes an exclusive flock() on a file next to the database, then BEGIN
IMMEDIATE; the flock is released at commit or rollback. Waiters sleep in the kernel and wake as
soon as the lock is free, so none starves; across processes too (gunicorn workers, the task
worker), and the kernel drops the lock of a process that dies. In-memory databases (the test
suite) have nothing to share and skip it. Reads never take it (WAL: readers do not wait).
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_fd = None
        self._writer_locked = False

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db() or self.transaction_mode != "IMMEDIATE":
            return None
        return f"{self.settings_dict['NAME']}-writers.lock"

    def _start_transaction_under_autocommit(self):
        path = self._writer_lock_path()
        if path is not None:
            if self._writer_fd is None:
                self._writer_fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
            self._writer_locked = True
        try:
            super()._start_transaction_under_autocommit()
        except Exception:
            self._release_writer()
            raise

    def _release_writer(self):
        if self._writer_locked:
            self._writer_locked = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._release_writer()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self._release_writer()

    def _close(self):
        try:
            self._release_writer()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
        finally:
            super()._close()
