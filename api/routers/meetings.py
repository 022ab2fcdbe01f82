"""Meetings: the list, one meeting, planning one, and the cycle's transitions.

Each transition is one call to its meetings.services function, which checks the
meeting's state and raises ValidationError (nothing written) when it is not
allowed: that becomes a 422 with the service's own message. Writes need the
manage_members capability on the cell (its secretary or deputy, or staff above).
"""

import datetime as dt
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.access import Cap, get_meeting, get_organization
from api.auth import scope_of
from api.errors import ApiValidationError, django_items
from api.pagination import paginate
from api.routers.meetings_common import (
    aware,
    error_at,
    meeting_detail,
    meeting_out,
    visible_org,
)
from api.schemas import Error, ValidationErrors
from api.schemas_meetings import (
    MeetingCancelIn,
    MeetingCreate,
    MeetingDetail,
    MeetingEndIn,
    MeetingFilters,
    MeetingPage,
    MeetingStartIn,
    PostponeIn,
    PrepareIn,
)
from meetings import services
from members.models import Member, Membership
from organizations.models import subtree_q

router = Router(tags=["meetings"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
MANAGE = (
    " Needs the manage_members capability on the cell (its secretary or deputy, or "
    "organization staff above). A transition the meeting's state does not allow is a 422 "
    "with the reason, and changes nothing."
)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@router.get(
    "/meetings",
    response={200: MeetingPage, **READ_ERRORS},
    operation_id="list_meetings",
    summary="List meetings",
    description=(
        "Meetings of the cells within the caller's scope (a plain member: their own cell's), "
        "in time order. `org` limits them to a cell or the cells under a committee; `from` and "
        "`to` are days (Vietnam time) of the scheduled time, both included."
    ),
)
def list_meetings(request, filters: Query[MeetingFilters]):
    scope = scope_of(request)
    if filters.from_ and filters.to and filters.to < filters.from_:
        raise ApiValidationError(
            error_at(("query", "to"), _("The “to” day is before the “from” day."))
        )
    qs = scope.meetings()
    if filters.org:
        qs = qs.filter(subtree_q(visible_org(scope, filters.org).path, "organization__"))
    if filters.from_:
        qs = qs.filter(scheduled_at__gte=_day_start(filters.from_))
    if filters.to:
        qs = qs.filter(scheduled_at__lt=_day_start(filters.to + dt.timedelta(days=1)))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status and filters.status != "all":
        qs = qs.filter(status=filters.status)
    meetings, meta = paginate(
        qs.select_related("organization").order_by("scheduled_at", "pk"), filters
    )
    return {"items": [meeting_out(m) for m in meetings], **meta}


@router.get(
    "/meetings/{meeting_uuid}",
    response={200: MeetingDetail, **READ_ERRORS},
    operation_id="get_meeting",
    summary="Read a meeting",
    description=(
        "The meeting with its chair and minutes secretary, attendance counts, agenda and "
        "speeches, votes, resolution and tasks, documents, absence requests and (once the "
        "minutes are approved) the checks. A plain member of the cell sees it too, with only "
        "their own absence request."
    ),
)
def get_meeting_detail(request, meeting_uuid: UUID):
    scope = scope_of(request)
    return meeting_detail(scope, get_meeting(scope, meeting_uuid).pk)


@router.post(
    "/cells/{org_uuid}/meetings",
    response={201: MeetingDetail, **WRITE_ERRORS},
    operation_id="plan_meeting",
    summary="Plan a meeting of a cell",
    description=(
        "Plans a meeting outside the generated calendar: thematic (needs a topic), "
        "cell-committee (`prepares` a later regular meeting of the cell), extraordinary, … "
        "A second regular meeting in a month is refused. Needs the manage_members capability "
        "on the cell."
    ),
)
def plan_meeting(request, org_uuid: UUID, payload: MeetingCreate):
    scope = scope_of(request)
    cell = get_organization(scope, org_uuid, Cap.MANAGE_MEMBERS)
    prepares = None
    if payload.prepares:
        prepares = cell.meetings.filter(uuid=payload.prepares).first()
        if prepares is None:
            raise ApiValidationError(
                error_at(("body", "prepares"), _("Choose a meeting of this cell."))
            )
    try:
        meeting = services.plan_meeting(
            cell,
            kind=payload.kind,
            scheduled_at=aware(payload.scheduled_at),
            place=payload.place,
            title=payload.title,
            topic=payload.topic,
            prepares=prepares,
            user=request.user,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e, default_field="kind")) from e
    return Status(201, meeting_detail(scope, meeting.pk))


def _transition(request, meeting_uuid, action, meeting=None, **kwargs) -> dict:
    scope = scope_of(request)
    meeting = meeting or get_meeting(scope, meeting_uuid, Cap.MANAGE_MEMBERS)
    try:
        action(meeting, **kwargs)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return meeting_detail(scope, meeting.pk)


@router.post(
    "/meetings/{meeting_uuid}/prepare",
    response={200: MeetingDetail, **WRITE_ERRORS},
    operation_id="prepare_meeting",
    summary="Mark a meeting as prepared",
    description=(
        "The cell committee agreed the agenda and the draft resolution: planned → prepared. "
        "The default agenda is filled in; a regular meeting needs the draft resolution." + MANAGE
    ),
)
def prepare_meeting(request, meeting_uuid: UUID, payload: PrepareIn):
    return _transition(
        request,
        meeting_uuid,
        services.prepare,
        draft_resolution=payload.draft_resolution,
        user=request.user,
    )


@router.post(
    "/meetings/{meeting_uuid}/notice",
    response={200: MeetingDetail, **WRITE_ERRORS},
    operation_id="mark_meeting_notice_sent",
    summary="Record that the notice was sent",
    description=(
        "Records that members were notified: planned or prepared → notice sent. It sends no "
        "e-mail itself." + MANAGE
    ),
)
def mark_notice_sent(request, meeting_uuid: UUID):
    return _transition(request, meeting_uuid, services.mark_notice_sent, user=request.user)


def _cell_member(meeting, uuid: UUID | None, field: str) -> Member | None:
    """A member who belongs on the meeting's sheet: on it already, or in the cell that day."""
    if uuid is None:
        return None
    in_cell = Membership.objects.on(meeting.local_date).filter(
        organization_id=meeting.organization_id
    )
    member = (
        Member.objects.filter(uuid=uuid, pk__in=in_cell.values("member_id")).first()
        or Member.objects.filter(uuid=uuid, attendance__meeting=meeting).first()
    )
    if member is None:
        raise ApiValidationError(error_at(("body", field), _("Choose a member of the cell.")))
    return member


@router.post(
    "/meetings/{meeting_uuid}/start",
    response={200: MeetingDetail, **WRITE_ERRORS},
    operation_id="start_meeting",
    summary="Open the meeting",
    description=(
        "The meeting opens (or is recorded afterwards): → in progress. The attendance sheet "
        "is built from the cell's members on the day. `chair` and `minutes_secretary` are "
        "members of the cell." + MANAGE
    ),
)
def start_meeting(request, meeting_uuid: UUID, payload: MeetingStartIn):
    scope = scope_of(request)
    meeting = get_meeting(scope, meeting_uuid, Cap.MANAGE_MEMBERS)
    chair = _cell_member(meeting, payload.chair, "chair")
    secretary = _cell_member(meeting, payload.minutes_secretary, "minutes_secretary")
    return _transition(
        request,
        meeting_uuid,
        services.start,
        meeting=meeting,
        started_at=aware(payload.started_at),
        chair=chair,
        minutes_secretary=secretary,
        user=request.user,
    )


@router.post(
    "/meetings/{meeting_uuid}/end",
    response={200: MeetingDetail, **WRITE_ERRORS},
    operation_id="end_meeting",
    summary="Record the end time",
    description="Records when the meeting in progress ended (not before it started)." + MANAGE,
)
def end_meeting(request, meeting_uuid: UUID, payload: MeetingEndIn):
    return _transition(request, meeting_uuid, services.end, ended_at=aware(payload.ended_at))


@router.post(
    "/meetings/{meeting_uuid}/approve",
    response={200: MeetingDetail, **WRITE_ERRORS},
    operation_id="approve_meeting_minutes",
    summary="Approve the minutes",
    description=(
        "The minutes were read back and approved: in progress → approved. Needs start and "
        "end times, chair and minutes secretary, and every member on the sheet marked. The "
        "checks are computed and the record is locked." + MANAGE
    ),
)
def approve_minutes(request, meeting_uuid: UUID):
    return _transition(request, meeting_uuid, services.approve_minutes, user=request.user)


@router.post(
    "/meetings/{meeting_uuid}/archive",
    response={200: MeetingDetail, **WRITE_ERRORS},
    operation_id="archive_meeting",
    summary="Archive the meeting",
    description="Approved → archived." + MANAGE,
)
def archive_meeting(request, meeting_uuid: UUID):
    return _transition(request, meeting_uuid, services.archive, user=request.user)


@router.post(
    "/meetings/{meeting_uuid}/postpone",
    response={200: MeetingDetail, **WRITE_ERRORS},
    operation_id="postpone_meeting",
    summary="Postpone the meeting",
    description=(
        "A meeting not yet held is postponed to `new_time` (after the planned one) for "
        "`reason`: it is kept as postponed and a new planned meeting, named in "
        "`postponed_to`, takes its month, agenda, documents and absence requests. Returns the "
        "postponed meeting." + MANAGE
    ),
)
def postpone_meeting(request, meeting_uuid: UUID, payload: PostponeIn):
    return _transition(
        request,
        meeting_uuid,
        services.postpone,
        new_time=aware(payload.new_time),
        reason=payload.reason,
        user=request.user,
    )


@router.post(
    "/meetings/{meeting_uuid}/cancel",
    response={200: MeetingDetail, **WRITE_ERRORS},
    operation_id="cancel_meeting",
    summary="Cancel the meeting",
    description="A meeting not yet held is cancelled, with the reason." + MANAGE,
)
def cancel_meeting(request, meeting_uuid: UUID, payload: MeetingCancelIn):
    return _transition(
        request, meeting_uuid, services.cancel, reason=payload.reason, user=request.user
    )
