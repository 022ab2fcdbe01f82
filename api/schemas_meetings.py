"""Request and response shapes of the meeting cycle's API: meetings, attendance, votes,
resolutions, tasks and absence requests.

Input schemas check types and sizes only; the rules (which transition is allowed
when, who may vote, what a resolution needs) are meetings.services', the same the
pages use. Times are ISO 8601 date-times; one without an offset is read as
Vietnam time (UTC+07:00), and times are returned with the +07:00 offset.
"""

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator

from api.schemas import DATE, OPTIONAL_DATE, InputSchema, Paging, Text
from api.schemas_life import MemberRef, Ref
from meetings.models import (
    AbsenceStatus,
    AttendanceStatus,
    DocumentKind,
    MeetingKind,
    MeetingStatus,
    ResolutionKind,
    RosterKind,
    Step,
    TaskStatus,
)
from members.models import MemberStatus

# Ref and MemberRef come from schemas_life: ninja names OpenAPI components after the class,
# and a second class of the same name silently replaces the first in the document.

# Choices plus an extra value as one Literal, not a union: a union's errors carry the name
# of each branch in their location, and clients must get the plain field name.
MarkValue = Literal[(*AttendanceStatus.values, "")]
MeetingStatusFilter = Literal[(*MeetingStatus.values, "all")]
TaskStatusFilter = Literal[(*TaskStatus.values, "open", "all")]

TIME = "ISO 8601 date-time, e.g. 2025-09-05T19:30:00+07:00 (no offset: Vietnam time)."
OPTIONAL_TIME = TIME + " Or null."


# ---- meetings -----------------------------------------------------------------------


class MeetingFilters(Paging):
    org: UUID | None = Field(
        None, description="Only meetings of this cell, or of the cells under this committee."
    )
    from_: dt.date | None = Field(
        None, alias="from", description="Scheduled on or after this day. " + DATE
    )
    to: dt.date | None = Field(None, description="Scheduled on or before this day. " + DATE)
    kind: MeetingKind | None = None
    status: MeetingStatusFilter | None = Field(
        None, description="One status, or all (the default)."
    )


class MeetingOut(Schema):
    uuid: UUID
    organization: Ref = Field(description="The cell holding the meeting.")
    kind: MeetingKind
    status: MeetingStatus
    title: str = Field(description="The title, or kind and month when it has none.")
    topic: str
    period_year: int
    period_month: int = Field(description="The month the meeting counts for.")
    scheduled_at: dt.datetime = Field(description=TIME)
    place: str
    started_at: dt.datetime | None = Field(description=OPTIONAL_TIME)
    ended_at: dt.datetime | None = Field(description=OPTIONAL_TIME)


class MeetingPage(Schema):
    items: list[MeetingOut]
    count: int
    page: int
    pages: int


class AttendanceCounts(Schema):
    total: int = Field(description="Home members on the sheet (đảng số).")
    official: int
    probationary: int
    temporary: int = Field(description="Temporarily attached members on the sheet.")
    temporary_present: int
    exempt: int
    transferred_out: int
    expected: int = Field(description="Home members expected: exempt and away not counted.")
    present: int
    present_official: int
    present_probationary: int
    absent_excused: int
    absent_unexcused: int
    unmarked: int
    rate: float | None = Field(description="Percent present of those expected, or null.")


class SpeechOut(Schema):
    speaker: MemberRef
    summary: str


class AgendaItemOut(Schema):
    step: Step
    order: int
    title: str
    presenter: MemberRef | None
    notes: str
    conclusion: str
    reviews: str | None = Field(
        description="Number and symbol (or summary) of the resolution this item reviews."
    )
    speeches: list[SpeechOut]


class VoteOut(Schema):
    id: int
    motion: str
    eligible: int = Field(description="Official members of the cell present.")
    yes: int
    no: int
    abstain: int
    adopted: bool = Field(description="More than half of the eligible voters approved.")
    percent: float = Field(description="Percent of the eligible voters who approved.")


class TaskOut(Schema):
    id: int
    description: str
    assignee: MemberRef | None
    assignee_group: str
    due_date: dt.date | None = Field(description=OPTIONAL_DATE)
    status: TaskStatus
    result: str


class ResolutionOut(Schema):
    kind: ResolutionKind
    number: int | None
    symbol: str = Field(description="Number and symbol, e.g. 01-NQ/CB; empty for a conclusion.")
    summary: str
    assessment: str
    directions: str
    vote: int | None = Field(description="The vote that adopted it.")
    tasks: list[TaskOut]


class DocumentOut(Schema):
    title: str
    kind: DocumentKind
    posted_at: dt.datetime = Field(description=TIME)
    posted_late: bool = Field(description="Posted less than a day before the meeting.")


class AbsenceRequestOut(Schema):
    id: int
    meeting: UUID
    member: MemberRef
    reason: str
    status: AbsenceStatus
    created_at: dt.datetime = Field(description=TIME)
    decided_at: dt.datetime | None = Field(description=OPTIONAL_TIME)
    decision_note: str


class RepeatedAbsence(Schema):
    member: MemberRef
    count: int = Field(description="Regular meetings missed in a row this year.")


class MeetingDetail(MeetingOut):
    draft_resolution: str
    notice_sent_at: dt.datetime | None = Field(description=OPTIONAL_TIME)
    minutes_approved_at: dt.datetime | None = Field(description=OPTIONAL_TIME)
    status_note: str = Field(description="Why it was postponed or cancelled.")
    postponed_to: UUID | None = Field(description="The meeting that replaced it.")
    prepares: UUID | None = Field(description="For a committee meeting: the meeting it prepares.")
    duration_minutes: int | None
    min_minutes: int | None = Field(description="The required minimum duration for its kind.")
    chair: MemberRef | None
    minutes_secretary: MemberRef | None
    checks: dict[str, Any] = Field(
        description="Checks computed when the minutes were approved (empty before)."
    )
    repeated_absences: list[RepeatedAbsence] = Field(
        description="Members absent more than three regular meetings in a row (at approval). "
        "Empty for plain members."
    )
    counts: AttendanceCounts
    agenda: list[AgendaItemOut]
    votes: list[VoteOut]
    resolution: ResolutionOut | None
    documents: list[DocumentOut]
    absence_requests: list[AbsenceRequestOut] = Field(
        description="All requests for those who read the cell; a plain member sees their own."
    )
    capabilities: list[str] = Field(description="view, and manage_members if the caller runs it.")


def _plausible_moment(value: dt.datetime | None) -> dt.datetime | None:
    # 0001-01-01T00:00+07:00 is before the first instant Python can hold in UTC: saving it
    # raised OverflowError, a server error (chibo/tests/badinput). As the pages' forms:
    # meeting times lie between 1900 and 2100.
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValueError("year out of range")
    return value


Moment = Annotated[dt.datetime, AfterValidator(_plausible_moment)]


class MeetingCreate(InputSchema):
    kind: MeetingKind
    scheduled_at: Moment = Field(description=TIME)
    place: Text(200) = ""
    title: Text(250) = ""
    topic: Text(250) = Field("", description="Required for a thematic meeting.")
    prepares: UUID | None = Field(
        None, description="For a cell-committee meeting: the regular meeting it prepares."
    )


class PrepareIn(InputSchema):
    draft_resolution: Text(20_000) = Field(
        "", description="What the cell committee agreed; required for a regular meeting."
    )


class MeetingStartIn(InputSchema):
    started_at: Moment | None = Field(None, description="Default: now. " + TIME)
    chair: UUID | None = Field(None, description="A member of the cell.")
    minutes_secretary: UUID | None = Field(None, description="A member of the cell.")


class MeetingEndIn(InputSchema):
    ended_at: Moment = Field(description=TIME)


class PostponeIn(InputSchema):
    new_time: Moment = Field(description=TIME)
    reason: Text(300, 1)


class MeetingCancelIn(InputSchema):
    reason: Text(300, 1)


# ---- attendance ---------------------------------------------------------------------


class AttendanceRow(Schema):
    member: MemberRef
    roster_kind: RosterKind
    member_status: MemberStatus = Field(description="The member's party status that day.")
    status: MarkValue = Field(description="Empty while not marked.")
    reason: str


class AttendanceSheet(Schema):
    roster_built: bool = Field(
        description="False before the sheet exists: the rows are then who is expected."
    )
    items: list[AttendanceRow] = Field(description="A plain member sees only their own row.")
    counts: AttendanceCounts


class AttendanceMark(InputSchema):
    member: UUID
    status: MarkValue = Field(description="Empty clears the mark.")
    reason: Text(300) = Field("", description="Required for an excused absence.")


class AttendanceIn(InputSchema):
    marks: list[AttendanceMark] = Field(max_length=500)


class AttendanceResult(AttendanceSheet):
    changed: int = Field(description="Rows whose mark changed.")


# ---- votes and resolution -------------------------------------------------------------


class MeetingVoteIn(InputSchema):
    motion: Text(300, 1)
    yes: int = Field(ge=0, le=10_000)
    no: int = Field(0, ge=0, le=10_000)
    abstain: int = Field(0, ge=0, le=10_000)


class TaskIn(InputSchema):
    description: Text(2_000, 1)
    assignee: UUID | None = Field(None, description="A member on the meeting's sheet.")
    assignee_group: Text(150) = Field("", description="Or a group, e.g. the cell committee.")
    due_date: dt.date | None = Field(None, description=OPTIONAL_DATE)


class ResolutionIn(InputSchema):
    kind: ResolutionKind = ResolutionKind.RESOLUTION
    summary: Text(300) = ""
    assessment: Text(20_000) = ""
    directions: Text(20_000) = ""
    vote: int | None = Field(
        None, description="Id of the vote that adopted it (required for a resolution)."
    )
    tasks: list[TaskIn] = Field([], max_length=200)


# ---- tasks --------------------------------------------------------------------------


class TaskFilters(Paging):
    org: UUID | None = Field(None, description="Only tasks of this cell or committee subtree.")
    status: TaskStatusFilter | None = Field(
        None, description="One status, open (assigned or in progress), or all (the default)."
    )


class TaskListItem(TaskOut):
    organization: Ref
    meeting: UUID = Field(description="The meeting whose resolution set the task.")
    resolution: str = Field(description="Number and symbol (or summary) of the resolution.")
    reports: int = Field(description="Progress reports so far.")


class TaskPage(Schema):
    items: list[TaskListItem]
    count: int
    page: int
    pages: int


class TaskReportIn(InputSchema):
    text: Text(5_000, 1) = Field(description="Progress so far.")


class TaskReportOut(Schema):
    id: int
    task: int
    member: MemberRef | None = Field(description="Who reported, when they are a member.")
    text: str
    created_at: dt.datetime = Field(description=TIME)


class TaskPatch(InputSchema):
    status: TaskStatus = None
    result: Text(5_000) = None


# ---- absence requests ------------------------------------------------------------------


class AbsenceRequestIn(InputSchema):
    reason: Text(300, 1)


class AbsenceDecisionIn(InputSchema):
    approve: bool
    note: Text(300) = ""
