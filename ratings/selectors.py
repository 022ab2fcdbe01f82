"""Read helpers of the ratings pages: the evidence panel of each member's review (brief §4.4)
in a constant number of queries for a whole cycle, batched by member ids."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from liaison.models import AnnualComment
from lifecycle.models import StatusDecision
from meetings.models import (
    LOCKED_STATUSES,
    NOT_EXPECTED_STATUSES,
    PRESENT_STATUSES,
    Attendance,
    AttendanceStatus,
    MeetingKind,
    Task,
    TaskStatus,
)

# The cell's own meetings: not its committee's, nor the residence-liaison meetings (QĐ 213),
# which are the residence cell's evidence (its annual comment).
CELL_MEETING_KINDS = (
    MeetingKind.REGULAR,
    MeetingKind.THEMATIC,
    MeetingKind.COMBINED,
    MeetingKind.EXTRAORDINARY,
    MeetingKind.YEAR_END,
)


@dataclass
class Evidence:
    meetings_expected: int = 0
    meetings_attended: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0
    tasks_assigned: int = 0
    tasks_done: int = 0
    tasks_not_done: int = 0
    comment: AnnualComment | None = None
    decisions: list = field(default_factory=list)

    @property
    def attendance_percent(self) -> int | None:
        if not self.meetings_expected:
            return None
        return round(100 * self.meetings_attended / self.meetings_expected)


def _months(cycle):
    return cycle.period_start.month, cycle.period_end.month


def evidence(cycle, member_ids) -> dict[int, Evidence]:
    """{member id: Evidence} over the cycle's period: attendance at approved (locked) meetings,
    tasks given by the period's resolutions, the year's residence comment, and status
    decisions taking effect in the period. Four queries, however many members."""
    member_ids = list(member_ids)
    out = defaultdict(Evidence)
    if not member_ids:
        return out
    first, last = _months(cycle)
    attendance = (
        Attendance.objects.filter(
            member_id__in=member_ids,
            meeting__status__in=LOCKED_STATUSES,
            meeting__kind__in=CELL_MEETING_KINDS,
            meeting__period_year=cycle.year,
            meeting__period_month__gte=first,
            meeting__period_month__lte=last,
        )
        .values("member_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in attendance:
        e, status, n = out[row["member_id"]], row["status"], row["n"]
        if not status or status in NOT_EXPECTED_STATUSES:
            continue
        e.meetings_expected += n
        if status in PRESENT_STATUSES:
            e.meetings_attended += n
        elif status == AttendanceStatus.ABSENT_EXCUSED:
            e.absent_excused += n
        elif status == AttendanceStatus.ABSENT_UNEXCUSED:
            e.absent_unexcused += n
    tasks = (
        Task.objects.filter(
            assignee_id__in=member_ids,
            resolution__meeting__period_year=cycle.year,
            resolution__meeting__period_month__gte=first,
            resolution__meeting__period_month__lte=last,
        )
        .values("assignee_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in tasks:
        e = out[row["assignee_id"]]
        e.tasks_assigned += row["n"]
        if row["status"] == TaskStatus.DONE:
            e.tasks_done += row["n"]
        elif row["status"] == TaskStatus.NOT_DONE:
            e.tasks_not_done += row["n"]
    comments = AnnualComment.objects.filter(
        liaison__member_id__in=member_ids, year=cycle.year
    ).select_related("liaison")
    for c in comments:
        out[c.liaison.member_id].comment = c
    decisions = StatusDecision.objects.filter(
        member_id__in=member_ids,
        effective_date__range=(cycle.period_start, cycle.period_end),
    ).order_by("effective_date", "pk")
    for d in decisions:
        out[d.member_id].decisions.append(d)
    return out
