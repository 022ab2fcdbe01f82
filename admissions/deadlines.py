"""What is due next on a candidacy or a probationary member, and when (QĐ 24 §4.1–4.2).

- Admission ceremony: within 30 working days of receiving the upper committee's decision;
  later, the cell reports the reasons to the committee above.
- Recognition as official member: the cell considers it within 30 working days after the
  12 months of probation (counted from the ceremony); the member is official as of the end
  of the 12 months even when the vote or the decision comes late.

Working days come from lib.workdays (weekends and Vietnam's public holidays, lunar Tết
included). A deadline's last day is still on time; the day after it is overdue. Pure
functions of the loaded rows and `today`: no query, so list pages can flag every row.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from admissions.models import (
    CEREMONY_WORKING_DAYS,
    PROBATION_MONTHS,
    RECOGNITION_WORKING_DAYS,
    Candidate,
    Stage,
    add_months,
)
from lib.workdays import add_working_days
from members.models import Member, MemberStatus


def ceremony_deadline(decision_received_on: dt.date) -> dt.date:
    """The last day for the admission ceremony."""
    return add_working_days(decision_received_on, CEREMONY_WORKING_DAYS)


def probation_end(ceremony_on: dt.date) -> dt.date:
    return add_months(ceremony_on, PROBATION_MONTHS)


def recognition_deadline(probation_end_on: dt.date) -> dt.date:
    """The last day for the cell's recognition vote."""
    return add_working_days(probation_end_on, RECOGNITION_WORKING_DAYS)


@dataclass(frozen=True)
class Due:
    """The next step expected, the first day it may happen and its last day (None: no
    deadline), and whether it is overdue on `today`."""

    what: str
    due_on: dt.date | None = None
    opens_on: dt.date | None = None
    overdue: bool = False
    # Needs the upper committee (3 recognition votes without 2/3): shown as a flag.
    flagged: bool = False


def _recognition_due(end: dt.date, today: dt.date) -> Due:
    last = recognition_deadline(end)
    return Due(_("Recognition vote of the cell"), due_on=last, opens_on=end, overdue=today > last)


def due_for(candidate: Candidate, today: dt.date) -> Due | None:
    """What is due next on a candidacy; None when nothing has a date (or it is closed)."""
    stage = candidate.stage
    if stage == Stage.DECIDED and candidate.decision_received_on:
        last = ceremony_deadline(candidate.decision_received_on)
        return Due(_("Admission ceremony"), due_on=last, overdue=today > last)
    if stage == Stage.PROBATION and candidate.ceremony_on:
        return _recognition_due(probation_end(candidate.ceremony_on), today)
    if stage == Stage.RECOGNITION_VOTED:
        return Due(_("Recognition decision of the upper committee"))
    if stage == Stage.REFERRED:
        return Due(_("Decision of the upper committee after 3 votes without 2/3"), flagged=True)
    return None


def due_for_member(member: Member, today: dt.date) -> Due | None:
    """The recognition due for a probationary member, with or without a candidacy record
    (members entered before this pipeline existed have only their ceremony date)."""
    if member.status != MemberStatus.PROBATIONARY or not member.ceremony_date:
        return None
    return _recognition_due(probation_end(member.ceremony_date), today)


def ceremony_was_late(candidate: Candidate) -> bool:
    return bool(
        candidate.ceremony_on
        and candidate.decision_received_on
        and candidate.ceremony_on > ceremony_deadline(candidate.decision_received_on)
    )
