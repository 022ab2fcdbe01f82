"""P11 / issue 8: twenty writers saving attendance at once on SQLite never meet "database is
locked" (transaction_mode IMMEDIATE, WAL and busy_timeout in chibo/settings.py).

The test copies the test database, with a month of open meetings whose rosters are built, into
a file (a dump) and runs bench.writers against it in a child process for a few
seconds: twenty threads, each with its own connection, saving sheets through the service."""

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from meetings import services

ROOT = Path(settings.BASE_DIR)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's single write lock; PostgreSQL locks rows and has no 'database is locked'",
)
def test_twenty_concurrent_writers_never_see_database_is_locked(world, tmp_path):
    for code in ("K1", "K2", "K3", "K4"):
        cell = world.org(code)
        services.set_schedule(
            cell,
            day_of_month=5,
            time=dt.time(19, 30),
            place="Hội trường",
            valid_from=dt.date(2025, 1, 1),
        )
        services.generate_regular_meetings(cell, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        for meeting in cell.meetings.filter(period_year=2025):
            services.build_roster(meeting)
    # A dump, not the online backup: this test's own open transaction write-locks the source,
    # and sqlite3's backup() would wait for it forever.
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "copy.sqlite3")
    target.executescript("\n".join(connection.connection.iterdump()))
    target.close()

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.writers",
            "--db",
            str(tmp_path / "copy.sqlite3"),
            "--writers",
            "20",
            "--seconds",
            "6",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["writers"] == 20 and result["meetings"] >= 4
    assert result["locked_errors"] == 0, result
    assert result["errors"] == {}, result
    assert result["saves"] >= 20, result  # every writer got through at least about once
