"""P11: concurrent writers on SQLite, saving attendance sheets (also a fault test of issue 8).

`python -m bench.writers --db PATH [--writers 20] [--seconds 120]` opens the SQLite file PATH
(a copy: the saves change attendance) and runs WRITERS threads for SECONDS. Each thread has its
own database connection (Django's connections are per thread, and the sqlite3 module releases
the GIL while SQLite works), so the writers really contend for SQLite's single write lock. Each
one saves the attendance sheet of a meeting of its own (or shared, when the data set has fewer
open meetings than writers) through the service the attendance page calls,
meetings.services.record_attendance: the attendance rows, their history rows and the cell's
summary rows, in one transaction. It prints one JSON line: saves, errors by kind, and
"database is locked" errors (the goal: 0), with the latency of a save.

What makes it pass is in chibo/settings.py: transaction_mode IMMEDIATE (a writer takes the lock
at BEGIN, so it queues on busy_timeout instead of failing when it upgrades a read lock mid-way),
WAL (readers never wait for the writer) and a 20 s busy timeout.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
import traceback
from collections import Counter


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = f"sqlite:///{os.path.abspath(args.db)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
    result = run(args.writers, args.seconds)
    print(json.dumps(result))
    return result


def open_meetings(n: int) -> list[int]:
    """Up to n meetings whose sheet can be saved (not locked, not cancelled), with a roster."""
    from meetings.models import Attendance, Meeting, MeetingStatus

    editable = (
        Meeting.objects.filter(
            status__in=(
                MeetingStatus.PLANNED,
                MeetingStatus.PREPARED,
                MeetingStatus.NOTICE_SENT,
                MeetingStatus.IN_PROGRESS,
            )
        )
        .filter(pk__in=Attendance.objects.values("meeting_id"))
        .order_by("organization_id", "pk")
        .values_list("pk", "organization_id")
    )
    picked, cells = [], set()
    for pk, cell in editable.iterator():
        if cell not in cells:  # one meeting per cell first: writers on different rows
            picked.append(pk)
            cells.add(cell)
        if len(picked) == n:
            break
    return picked


def run(writers: int, seconds: float) -> dict:
    from django.db import OperationalError, connection

    from meetings import services
    from meetings.models import AttendanceStatus, Meeting

    meetings = open_meetings(writers)
    if not meetings:
        raise SystemExit("no open meeting with a roster in this database")
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: Counter = Counter()
    traces: dict[str, str] = {}
    start = threading.Barrier(writers)

    def writer(i: int):
        try:
            meeting = Meeting.objects.get(pk=meetings[i % len(meetings)])
            members = list(meeting.attendance.values_list("member_id", flat=True)[:40])
        finally:
            start.wait(timeout=60)  # the writers start together (a failed one still arrives)
        flip = 0
        try:
            while time.monotonic() < stop:
                flip ^= 1
                status = AttendanceStatus.PRESENT if flip else AttendanceStatus.ABSENT_UNEXCUSED
                marks = dict.fromkeys(members, (status, ""))
                t = time.perf_counter()
                try:
                    services.record_attendance(meeting, marks)
                except OperationalError as exc:
                    kind = "database is locked" if "locked" in str(exc) else str(exc)[:80]
                    with lock:
                        errors[kind] += 1
                        if kind not in traces:  # where it happened, once per kind
                            traces[kind] = traceback.format_exc(limit=-6)
                    continue
                except Exception as exc:  # noqa: BLE001 -- counted and reported, not hidden
                    with lock:
                        errors[f"{type(exc).__name__}: {str(exc)[:80]}"] += 1
                    continue
                with lock:
                    latencies.append((time.perf_counter() - t) * 1000)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    latencies.sort()
    return {
        "writers": writers,
        "meetings": len(meetings),
        "seconds": round(took, 1),
        "saves": len(latencies),
        "saves_per_second": round(len(latencies) / took, 1) if took else 0,
        "locked_errors": errors.get("database is locked", 0),
        "errors": dict(errors),
        "traces": traces,
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
    }


if __name__ == "__main__":
    sys.exit(0 if main()["locked_errors"] == 0 else 1)
