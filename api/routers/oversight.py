"""Supervision: who follows which cell (individual assignments, working groups, cross-attendance),
visits (plan, report, cancel) and the visits due per committee and quarter.

The same rules as the pages (oversight/views_visits.py, views_following.py): the readers of a
committee see its groups and exchanges and its staff (manage_structure) create them; a visit is
seen by the readers of its cell and by its visitor; only someone following the cell or holding a
role in a committee above it plans a visit; only the visitor reports it; the visitor or the staff
above the cell cancel it. Bodies go through oversight/services.py and oversight/following.py,
which validate everything before writing: a refusal is a 422 with the reason, nothing written.
"""

from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.access import Cap, get_organization, get_visit, visit_can
from api.auth import scope_of
from api.errors import ApiValidationError, django_items
from api.pagination import paginate
from api.routers.meetings_common import error_at
from api.schemas import Error, ValidationErrors
from api.schemas_oversight import (
    AssignmentIn,
    AssignmentOut,
    AssignmentPage,
    CrossIn,
    CrossOut,
    CrossPage,
    DueFilters,
    FollowingFilters,
    GroupPage,
    ReportIn,
    VisitCancelIn,
    VisitDetail,
    VisitFilters,
    VisitIn,
    VisitPage,
    VisitsDue,
    WorkingGroupIn,
    WorkingGroupOut,
)
from meetings import followers
from meetings.models import Meeting, SupervisorAssignment
from organizations.models import Organization, subtree_q
from oversight import following, services
from oversight.following import in_force_q
from oversight.models import CrossAttendance, WorkingGroup

router = Router(tags=["oversight"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
REFUSED = " A body the rules refuse is a 422 with the reason, and changes nothing."


def _ref(org) -> dict | None:
    return {"uuid": org.uuid, "name": org.name} if org is not None else None


def _user(u) -> dict:
    return {"username": u.username, "full_name": u.display_name()}


def _org_filter(scope, uuid, prefix: str) -> Q:
    org = get_organization(scope, uuid)
    return subtree_q(org.path, prefix)


def _user_named(username: str, field: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApiValidationError(error_at(("body", field), _("No active user has this username.")))
    return user


# ---- who follows which cell -------------------------------------------------------------------


def _assignment(a) -> dict:
    return {
        "id": a.pk,
        "cell": _ref(a.organization),
        "user": _user(a.user),
        "valid_from": a.valid_from,
        "valid_to": a.valid_to,
    }


@router.get(
    "/supervisor-assignments",
    response={200: AssignmentPage, **READ_ERRORS},
    operation_id="list_supervisor_assignments",
    summary="List who follows which cell",
    description=(
        "Higher-committee members assigned to follow cells in the caller's scope (cấp ủy viên "
        "theo dõi chi bộ), by cell; `org` limits them to a subtree, `on` to those in force that "
        "day."
    ),
)
def list_supervisor_assignments(request, filters: Query[FollowingFilters]):
    scope = scope_of(request)
    qs = SupervisorAssignment.objects.filter(organization__in=scope.organizations())
    if filters.org:
        qs = qs.filter(_org_filter(scope, filters.org, "organization__"))
    if filters.on:
        qs = qs.filter(in_force_q(filters.on))
    qs = qs.select_related("organization", "user").order_by(
        "organization__sort_key", "valid_from", "pk"
    )
    items, page = paginate(qs, filters)
    return {"items": [_assignment(a) for a in items], **page}


@router.post(
    "/supervisor-assignments",
    response={201: AssignmentOut, **WRITE_ERRORS},
    operation_id="assign_supervisor",
    summary="Assign a higher-committee member to follow a cell",
    description=(
        "`user` (a username) follows `cell` from `valid_from` (to `valid_to`): they get the "
        "cell's meeting notices and its meetings on their visit schedule. Needs "
        "manage_structure on the cell; the user must hold a role in a committee above it and "
        "not already follow it during the period." + REFUSED
    ),
)
def assign_supervisor(request, payload: AssignmentIn):
    scope = scope_of(request)
    cell = get_organization(scope, payload.cell, Cap.MANAGE_STRUCTURE)
    user = _user_named(payload.user, "user")
    try:
        a = followers.assign_follower(
            cell, user, payload.valid_from, payload.valid_to, by=request.user
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(201, _assignment(a))


def _group(g) -> dict:
    return {
        "uuid": g.uuid,
        "committee": _ref(g.organization),
        "name": g.name,
        "members": [_user(u) for u in g.members.all()],
        "cells": [_ref(c) for c in g.cells.all()],
        "valid_from": g.valid_from,
        "valid_to": g.valid_to,
    }


def _groups_qs():
    return WorkingGroup.objects.select_related("organization").prefetch_related(
        Prefetch("members", queryset=get_user_model().objects.order_by("username")),
        Prefetch("cells", queryset=Organization.objects.order_by("sort_key", "pk")),
    )


@router.get(
    "/working-groups",
    response={200: GroupPage, **READ_ERRORS},
    operation_id="list_working_groups",
    summary="List working groups",
    description=(
        "Working groups (tổ công tác) of the committees in the caller's scope, with their "
        "members and the cells they follow; `org` limits them to one committee's subtree, `on` "
        "to those in force that day."
    ),
)
def list_working_groups(request, filters: Query[FollowingFilters]):
    scope = scope_of(request)
    qs = _groups_qs().filter(organization__in=scope.organizations())
    if filters.org:
        qs = qs.filter(_org_filter(scope, filters.org, "organization__"))
    if filters.on:
        qs = qs.filter(in_force_q(filters.on))
    items, page = paginate(qs.order_by("organization__sort_key", "name", "pk"), filters)
    return {"items": [_group(g) for g in items], **page}


@router.post(
    "/working-groups",
    response={201: WorkingGroupOut, **WRITE_ERRORS},
    operation_id="create_working_group",
    summary="Create a working group of a committee",
    description=(
        "A group of `members` (usernames of people holding a role in the committee or above) "
        "that attends the meetings of `cells` (active cells below the committee) from "
        "`valid_from` (to `valid_to`). Needs manage_structure on the committee." + REFUSED
    ),
)
def create_working_group(request, payload: WorkingGroupIn):
    scope = scope_of(request)
    committee = get_organization(scope, payload.committee, Cap.MANAGE_STRUCTURE)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=payload.members, is_active=True)
    }
    unknown = [n for n in payload.members if n not in users]
    if unknown:
        raise ApiValidationError(
            error_at(
                ("body", "members"),
                _("Unknown usernames: %(names)s") % {"names": ", ".join(unknown)},
            )
        )
    cells = {c.uuid: c for c in Organization.objects.filter(uuid__in=payload.cells)}
    missing = [str(u) for u in payload.cells if u not in cells]
    if missing:
        raise ApiValidationError(
            error_at(("body", "cells"), _("Unknown cells: %(ids)s") % {"ids": ", ".join(missing)})
        )
    try:
        g = following.create_group(
            committee,
            name=payload.name,
            members=list(users.values()),
            cells=list(cells.values()),
            valid_from=payload.valid_from,
            valid_to=payload.valid_to,
            by=request.user,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(201, _group(_groups_qs().get(pk=g.pk)))


def _cross(p) -> dict:
    return {
        "id": p.pk,
        "committee": _ref(p.organization),
        "visitor": _user(p.visitor),
        "from_cell": _ref(p.from_cell),
        "cell": _ref(p.cell),
        "valid_from": p.valid_from,
        "valid_to": p.valid_to,
    }


@router.get(
    "/cross-attendances",
    response={200: CrossPage, **READ_ERRORS},
    operation_id="list_cross_attendances",
    summary="List cross-attendance between cell secretaries",
    description=(
        "Secretaries attending another cell of their committee (dự sinh hoạt chéo), for the "
        "committees in the caller's scope; `org` limits them to a subtree, `on` to those in "
        "force that day."
    ),
)
def list_cross_attendances(request, filters: Query[FollowingFilters]):
    scope = scope_of(request)
    qs = CrossAttendance.objects.filter(organization__in=scope.organizations())
    if filters.org:
        qs = qs.filter(_org_filter(scope, filters.org, "organization__"))
    if filters.on:
        qs = qs.filter(in_force_q(filters.on))
    qs = qs.select_related("organization", "visitor", "from_cell", "cell").order_by(
        "organization__sort_key", "from_cell__sort_key", "pk"
    )
    items, page = paginate(qs, filters)
    return {"items": [_cross(p) for p in items], **page}


@router.post(
    "/cross-attendances",
    response={201: CrossOut, **WRITE_ERRORS},
    operation_id="create_cross_attendance",
    summary="Have a cell secretary attend another cell",
    description=(
        "`visitor` (the username of the secretary or deputy of `from_cell`) attends `cell`, "
        "another active cell below `committee`, from `valid_from` (to `valid_to`). Needs "
        "manage_structure on the committee; periods of the same pair may not overlap." + REFUSED
    ),
)
def create_cross_attendance(request, payload: CrossIn):
    scope = scope_of(request)
    committee = get_organization(scope, payload.committee, Cap.MANAGE_STRUCTURE)
    visitor = _user_named(payload.visitor, "visitor")
    cells = {
        c.uuid: c for c in Organization.objects.filter(uuid__in=[payload.from_cell, payload.cell])
    }
    try:
        p = following.create_cross(
            committee,
            visitor=visitor,
            from_cell=cells.get(payload.from_cell),
            cell=cells.get(payload.cell),
            valid_from=payload.valid_from,
            valid_to=payload.valid_to,
            by=request.user,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(201, _cross(p))


# ---- visits -----------------------------------------------------------------------------------


def _visit(v) -> dict:
    return {
        "uuid": v.uuid,
        "cell": _ref(v.cell),
        "meeting": v.meeting.uuid if v.meeting_id else None,
        "visitor": _user(v.visitor),
        "kind": v.kind,
        "group": {"uuid": v.group.uuid, "name": v.group.name} if v.group_id else None,
        "planned_on": v.planned_on,
        "status": v.status,
        "observed_total": v.observed_total,
        "observed_level": v.observed_level,
        "reported_on": v.reported_on,
    }


def _detail(scope, v) -> dict:
    return {
        **_visit(v),
        "strengths": v.strengths,
        "shortcomings": v.shortcomings,
        "recommendations": v.recommendations,
        "cancel_reason": v.cancel_reason,
        "steps": [s for s in ("report", "cancel") if visit_can(scope, v, s)],
    }


@router.get(
    "/visits",
    response={200: VisitPage, **READ_ERRORS},
    operation_id="list_visits",
    summary="List visits to cells",
    description=(
        "Visits (dự sinh hoạt chi bộ) to the cells in the caller's scope and the caller's own "
        "visits, latest first; filters `org` (subtree), `status`, `mine`, `date_from`, `date_to`."
    ),
)
def list_visits(request, filters: Query[VisitFilters]):
    scope = scope_of(request)
    qs = scope.visits()
    if filters.org:
        qs = qs.filter(_org_filter(scope, filters.org, "cell__"))
    if filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.mine:
        qs = qs.filter(visitor=request.user)
    if filters.date_from:
        qs = qs.filter(planned_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(planned_on__lte=filters.date_to)
    qs = qs.select_related("cell", "meeting", "visitor", "group").order_by("-planned_on", "-pk")
    items, page = paginate(qs, filters)
    return {"items": [_visit(v) for v in items], **page}


@router.get(
    "/visits/{visit_uuid}",
    response={200: VisitDetail, **READ_ERRORS},
    operation_id="get_visit",
    summary="One visit with its report",
    description="Seen by the readers of the cell and by the visitor; `steps` what the caller may do.",
)
def get_visit_detail(request, visit_uuid: UUID):
    scope = scope_of(request)
    return _detail(scope, get_visit(scope, visit_uuid))


def _plan_target(scope, user, payload: VisitIn):
    """(cell, meeting, day) the caller may visit: 404 when they do not see it, 403 when they
    see it but neither follow the cell nor hold a role above it."""
    if payload.meeting is not None:
        meeting = (
            Meeting.objects.select_related("organization").filter(uuid=payload.meeting).first()
        )
        if meeting is None:
            raise Http404
        cell, day = meeting.organization, meeting.local_date
        visible = scope.meetings().filter(pk=meeting.pk).exists
    else:
        if payload.cell is None:
            raise ApiValidationError(error_at(("body", "meeting"), _("Give a meeting, or a cell.")))
        cell = Organization.objects.filter(uuid=payload.cell).first()
        if cell is None:
            raise Http404
        meeting, day = None, payload.planned_on or timezone.localdate()

        def visible():
            return scope.can(Cap.VIEW, cell)

    if following.ways(user, cell, day):
        return cell, meeting
    if visible():
        raise PermissionDenied
    raise Http404


@router.post(
    "/visits",
    response={201: VisitDetail, **WRITE_ERRORS},
    operation_id="plan_visit",
    summary="Plan a visit (register to attend a meeting)",
    description=(
        "The caller plans to attend `meeting` (or `cell` on `planned_on`): they must follow the "
        "cell that day (an assignment, a working group, a cross-attendance) or hold a role in a "
        "committee above it. The cell's secretary is told by e-mail." + REFUSED
    ),
)
def plan_visit(request, payload: VisitIn):
    scope = scope_of(request)
    cell, meeting = _plan_target(scope, request.user, payload)
    try:
        v = services.plan_visit(
            cell,
            request.user,
            meeting=meeting,
            planned_on=None if meeting else payload.planned_on,
            kind=payload.kind,
            by=request.user,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(201, _detail(scope, get_visit(scope, v.uuid)))


@router.post(
    "/visits/{visit_uuid}/report",
    response={200: VisitDetail, **WRITE_ERRORS},
    operation_id="report_visit",
    summary="File (or correct) the report of a visit",
    description=(
        "Only the visitor. `reported_on` not before the visit nor in the future; with a quality "
        "rubric in force, `observed_level` must agree with `observed_total`. The cell's "
        "secretary and the committee staff are told by e-mail." + REFUSED
    ),
)
def report_visit(request, visit_uuid: UUID, payload: ReportIn):
    scope = scope_of(request)
    v = get_visit(scope, visit_uuid, "report")
    try:
        services.report_visit(v, **payload.model_dump(), by=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return _detail(scope, get_visit(scope, visit_uuid))


@router.post(
    "/visits/{visit_uuid}/cancel",
    response={200: VisitDetail, **WRITE_ERRORS},
    operation_id="cancel_visit",
    summary="Cancel a planned visit",
    description="The visitor, or the staff of a committee above the cell, with a reason." + REFUSED,
)
def cancel_visit(request, visit_uuid: UUID, payload: VisitCancelIn):
    scope = scope_of(request)
    v = get_visit(scope, visit_uuid, "cancel")
    try:
        services.cancel_visit(v, reason=payload.reason, by=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return _detail(scope, get_visit(scope, visit_uuid))


@router.get(
    "/organizations/{org_uuid}/visits-due",
    response={200: VisitsDue, **READ_ERRORS},
    operation_id="get_visits_due",
    summary="Visits due per cell in a quarter",
    description=(
        "For each active cell below the organization (or the cell itself): the visits required "
        "that quarter by the rule of the nearest committee above it (1 when none is set), the "
        "reported visits dated in the quarter (planned and cancelled ones do not count), and "
        "how many are missing. Cells missing visits first. Needs the view capability."
    ),
)
def get_visits_due(request, org_uuid: UUID, filters: Query[DueFilters]):
    scope = scope_of(request)
    org = get_organization(scope, org_uuid)
    today_year, today_quarter = services.quarter_of(timezone.localdate())
    year, quarter = filters.year or today_year, filters.quarter or today_quarter
    first, last = services.quarter_bounds(year, quarter)
    due = services.visits_due(org, year, quarter)
    due.sort(key=lambda d: (d.missing == 0, d.cell.sort_key, d.cell.pk))
    start = (filters.page - 1) * filters.page_size
    rows = due[start : start + filters.page_size]
    return {
        "organization": _ref(org),
        "year": year,
        "quarter": quarter,
        "first": first,
        "last": last,
        "required": services.visits_required(org, last),
        "cells_visited": sum(1 for d in due if d.done),
        "cells_missing": sum(1 for d in due if d.missing),
        "items": [
            {"cell": _ref(d.cell), "required": d.required, "done": d.done, "missing": d.missing}
            for d in rows
        ],
        "count": len(due),
        "page": filters.page,
        "pages": max(1, -(-len(due) // filters.page_size)),
    }
