"""`meetings.services.compute_checks`, computed in memory for a whole cell-year at once.

Calling the service for 30,000 seeded meetings would cost a dozen queries each; this
takes the same inputs from the generator's own records. Every value must equal what
compute_checks returns on the written rows (demo/tests/test_seed_meetings.py compares
them on a sample), so the expressions below follow it line by line.
"""

import datetime as dt

from meetings.models import (
    ABSENT_STATUSES,
    LOCKED_STATUSES,
    MIN_MINUTES,
    NOT_EXPECTED_STATUSES,
    PRESENT_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    AttendanceStatus,
    MeetingStatus,
    RosterKind,
)
from meetings.services import ATTENDANCE_TARGET, CONSECUTIVE_ABSENCE_LIMIT

HELD = (MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)


class Held:
    """What a held meeting contains, as far as the checks look at it."""

    __slots__ = ("rows", "docs", "speakers", "has_resolution")

    def __init__(self):
        self.rows: list[tuple[int, str, str, str]] = []  # member, roster kind, status, mark
        self.docs: list[tuple[dt.datetime, str]] = []  # posted at, title
        self.speakers: set[int] = set()
        self.has_resolution = False


def _summary(rows):
    expected = [r for r in rows if r[1] == RosterKind.HOME and r[3] not in NOT_EXPECTED_STATUSES]
    present = sum(1 for r in expected if r[3] in PRESENT_STATUSES)
    return {
        "expected": len(expected),
        "present": present,
        "excused": sum(1 for r in expected if r[3] == AttendanceStatus.ABSENT_EXCUSED),
        "unexcused": sum(1 for r in expected if r[3] == AttendanceStatus.ABSENT_UNEXCUSED),
        "rate": round(present * 100 / len(expected), 1) if expected else None,
    }


def compute_all_checks(shells) -> dict:
    """{shell: checks} for the approved (or archived) meetings among one cell's shells."""
    held = [s for s in shells if s.status in HELD]
    thematic_quarters = {
        (s.month - 1) // 3 + 1 for s in held if s.kind in THEMATIC_KINDS
    }  # one year only
    prepared = {id(s.prepares) for s in held if s.prepares is not None}
    regular = sorted((s for s in held if s.kind in REGULAR_KINDS), key=lambda s: s.at)
    marks = {id(s): {r[0]: r[3] for r in s.held.rows} for s in regular}
    out = {}
    for s in shells:
        if s.status not in LOCKED_STATUSES:
            continue
        h = s.held
        summary = _summary(h.rows)
        duration = (
            int((s.ended - s.started).total_seconds() // 60) if s.started and s.ended else None
        )
        minimum = MIN_MINUTES.get(s.kind)
        docs = sorted(h.docs)
        late = [title for posted, title in docs if posted > s.at - dt.timedelta(days=1)]
        streaks = {}
        if s.kind in REGULAR_KINDS:
            earlier = [e for e in regular if e.at < s.at]
            for member, _kind, _status, mark in h.rows:
                if mark not in ABSENT_STATUSES:
                    continue
                n = 1
                for e in reversed(earlier):
                    before = marks[id(e)].get(member)
                    if before is None:
                        continue
                    if before in ABSENT_STATUSES:
                        n += 1
                    else:
                        break
                if n > CONSECUTIVE_ABSENCE_LIMIT:
                    streaks[str(member)] = n
        present = summary["present"]
        out[id(s)] = {
            "duration_minutes": duration,
            "min_minutes": minimum,
            "duration_ok": None if duration is None or minimum is None else duration >= minimum,
            "expected": summary["expected"],
            "present": present,
            "attendance_rate": summary["rate"],
            "attendance_ok": summary["rate"] is not None and summary["rate"] > ATTENDANCE_TARGET,
            "absent_excused": summary["excused"],
            "absent_unexcused": summary["unexcused"],
            "consecutive_absences": streaks,
            "committee_meeting_held": id(s) in prepared,
            "documents": len(docs),
            "documents_late": late,
            "documents_ok": bool(docs) and not late,
            "thematic_this_quarter": (s.month - 1) // 3 + 1 in thematic_quarters,
            "speakers": len(h.speakers),
            "speakers_share": round(len(h.speakers) * 100 / present, 1) if present else None,
            "has_resolution": h.has_resolution,
        }
    return out
