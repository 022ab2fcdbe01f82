"""What is recorded at a meeting: attendance, votes, the resolution; and absence requests.

Changes go through meetings.services, each inside one transaction with the API's
own checks, so a refused request leaves nothing behind (not even a roster built on
the way).
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router, Status

from accounts.access import Cap, get_meeting
from api.auth import scope_of
from api.errors import ApiValidationError, django_items
from api.routers.meetings_common import (
    MAX_ID,
    absence_out,
    attendance_sheet,
    can_manage,
    error_at,
    participant_only,
    resolution_out,
    vote_out,
)
from api.schemas import Error, ValidationErrors
from api.schemas_meetings import (
    AbsenceDecisionIn,
    AbsenceRequestIn,
    AbsenceRequestOut,
    AttendanceIn,
    AttendanceResult,
    AttendanceSheet,
    MeetingVoteIn,
    ResolutionIn,
    ResolutionOut,
    VoteOut,
)
from meetings import services
from meetings.models import AbsenceRequest
from members.models import Member, Membership

router = Router(tags=["meetings"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
MANAGE = " Needs the manage_members capability on the cell."
NOT_ON_SHEET = gettext_noop("This member is not on this meeting's attendance sheet.")


@router.get(
    "/meetings/{meeting_uuid}/attendance",
    response={200: AttendanceSheet, **READ_ERRORS},
    operation_id="get_meeting_attendance",
    summary="Read the attendance sheet",
    description=(
        "Every member on the sheet (home members, then those temporarily attached) with their "
        "party status that day, attendance mark and reason, and the counts. Before the sheet "
        "is built (`roster_built` false) the rows are the members expected, with the marks "
        "already known (exempt, away, excused). A plain member of the cell sees the counts "
        "and only their own row."
    ),
)
def get_attendance(request, meeting_uuid: UUID):
    scope = scope_of(request)
    return attendance_sheet(scope, get_meeting(scope, meeting_uuid))


def _marks(meeting, payload: AttendanceIn) -> dict[int, tuple[str, str]]:
    seen, errors = set(), []
    for i, mark in enumerate(payload.marks):
        if mark.member in seen:
            errors += error_at(
                ("body", "marks", i, "member"), _("This member is marked more than once.")
            )
        seen.add(mark.member)
    ids = dict(
        meeting.attendance.filter(member__uuid__in=seen).values_list("member__uuid", "member_id")
    )
    for i, mark in enumerate(payload.marks):
        if mark.member not in ids:
            errors += error_at(("body", "marks", i, "member"), _(NOT_ON_SHEET))
    if errors:
        raise ApiValidationError(errors)
    return {ids[m.member]: (m.status, m.reason) for m in payload.marks}


@router.put(
    "/meetings/{meeting_uuid}/attendance",
    response={200: AttendanceResult, **WRITE_ERRORS},
    operation_id="record_meeting_attendance",
    summary="Mark attendance",
    description=(
        "Sets the marks of the members sent (others keep theirs): present, late, left early, "
        "absent with reason (the reason is required), absent without reason, exempt, "
        "temporarily elsewhere, or empty to clear. Builds the sheet first if it does not exist "
        "yet. Refused once the minutes are approved." + MANAGE
    ),
)
def record_attendance(request, meeting_uuid: UUID, payload: AttendanceIn):
    scope = scope_of(request)
    meeting = get_meeting(scope, meeting_uuid, Cap.MANAGE_MEMBERS)
    try:
        with transaction.atomic():
            if not meeting.attendance.exists():
                services.build_roster(meeting)
            changed = services.record_attendance(
                meeting, _marks(meeting, payload), user=request.user
            )
    except ValidationError as e:
        raise ApiValidationError(django_items(e, default_field="marks")) from e
    return {**attendance_sheet(scope, meeting), "changed": changed}


@router.post(
    "/meetings/{meeting_uuid}/attendance/all-present",
    response={200: AttendanceResult, **WRITE_ERRORS},
    operation_id="mark_all_present",
    summary="Mark everyone not yet marked as present",
    description=(
        "“All present”: every member on the sheet without a mark becomes present; the "
        "exceptions are then changed one by one. Builds the sheet if needed." + MANAGE
    ),
)
def mark_all_present(request, meeting_uuid: UUID):
    scope = scope_of(request)
    meeting = get_meeting(scope, meeting_uuid, Cap.MANAGE_MEMBERS)
    try:
        changed = services.mark_all_present(meeting, user=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return {**attendance_sheet(scope, meeting), "changed": changed}


@router.post(
    "/meetings/{meeting_uuid}/votes",
    response={201: VoteOut, **WRITE_ERRORS},
    operation_id="record_meeting_vote",
    summary="Record a vote",
    description=(
        "A show-of-hands vote on a motion during the meeting. Only official members of the "
        "cell marked present may vote: the counts cannot exceed them. A motion is adopted when "
        "more than half of those eligible approve." + MANAGE
    ),
)
def record_vote(request, meeting_uuid: UUID, payload: MeetingVoteIn):
    scope = scope_of(request)
    meeting = get_meeting(scope, meeting_uuid, Cap.MANAGE_MEMBERS)
    try:
        vote = services.record_vote(
            meeting, motion=payload.motion, yes=payload.yes, no=payload.no, abstain=payload.abstain
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(201, vote_out(vote))


@router.post(
    "/meetings/{meeting_uuid}/resolution",
    response={201: ResolutionOut, **WRITE_ERRORS},
    operation_id="pass_meeting_resolution",
    summary="Record the resolution and its tasks",
    description=(
        "The resolution (adopted by `vote`, a vote of this meeting) or a conclusion, with "
        "its tasks, each assigned to a member on the sheet or to a group. A resolution gets "
        "the cell's next number in the committee term (01-NQ/CB, …)." + MANAGE
    ),
)
def pass_resolution(request, meeting_uuid: UUID, payload: ResolutionIn):
    scope = scope_of(request)
    meeting = get_meeting(scope, meeting_uuid, Cap.MANAGE_MEMBERS)
    errors, vote = [], None
    if payload.vote is not None:
        vote = meeting.votes.filter(pk=payload.vote).first()
        if vote is None:
            errors += error_at(("body", "vote"), _("This vote was not taken at this meeting."))
    wanted = {t.assignee for t in payload.tasks if t.assignee}
    assignees = {
        m.uuid: m
        for m in Member.objects.filter(uuid__in=wanted, attendance__meeting=meeting).select_related(
            "person"
        )
    }
    for i, t in enumerate(payload.tasks):
        if t.assignee and t.assignee not in assignees:
            errors += error_at(("body", "tasks", i, "assignee"), _(NOT_ON_SHEET))
    if errors:
        raise ApiValidationError(errors)
    tasks = [
        {
            "description": t.description,
            "assignee": assignees.get(t.assignee),
            "assignee_group": t.assignee_group,
            "due_date": t.due_date,
        }
        for t in payload.tasks
    ]
    try:
        res = services.pass_resolution(
            meeting,
            kind=payload.kind,
            summary=payload.summary,
            assessment=payload.assessment,
            directions=payload.directions,
            vote=vote,
            tasks=tasks,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(
        201, resolution_out(res, res.tasks.select_related("assignee__person").order_by("pk"))
    )


@router.post(
    "/meetings/{meeting_uuid}/absence-requests",
    response={201: AbsenceRequestOut, **WRITE_ERRORS},
    operation_id="request_absence",
    summary="Ask to be excused from a meeting",
    description=(
        "The caller, as a member of the meeting's cell, asks to be excused, with the reason, "
        "before the meeting starts; once approved, the attendance sheet marks them absent "
        "with that reason. Callers who are not members of the cell get a 403."
    ),
)
def request_absence(request, meeting_uuid: UUID, payload: AbsenceRequestIn):
    scope = scope_of(request)
    meeting = get_meeting(scope, meeting_uuid)
    member_id = scope.self_member_id
    in_cell = Membership.objects.on(meeting.local_date).filter(
        organization_id=meeting.organization_id, member_id=member_id
    )
    if not member_id or not (
        in_cell.exists() or meeting.attendance.filter(member_id=member_id).exists()
    ):
        raise PermissionDenied
    member = Member.objects.select_related("person").get(pk=member_id)
    try:
        req = services.request_absence(meeting, member, payload.reason)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(201, absence_out(req))


@router.post(
    "/absence-requests/{request_id}/decision",
    response={200: AbsenceRequestOut, **WRITE_ERRORS},
    operation_id="decide_absence_request",
    summary="Approve or refuse an absence request",
    description=(
        "Decides a pending request, with an optional note; an approved one marks the member "
        "absent with reason on the sheet. Request ids are listed in the meeting's "
        "`absence_requests`." + MANAGE
    ),
)
def decide_absence(request, request_id: int, payload: AbsenceDecisionIn):
    scope = scope_of(request)
    if not 0 < request_id <= MAX_ID:
        raise Http404
    req = (
        AbsenceRequest.objects.select_related("meeting__organization", "member__person")
        .filter(pk=request_id, meeting__in=scope.meetings())
        .first()
    )
    # A plain member sees only their own request: another's is not theirs to know of.
    if req is None or (
        participant_only(scope, req.meeting) and req.member_id != scope.self_member_id
    ):
        raise Http404
    if not can_manage(scope, req.meeting):
        raise PermissionDenied
    try:
        services.decide_absence(req, approve=payload.approve, user=request.user, note=payload.note)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return absence_out(req)
