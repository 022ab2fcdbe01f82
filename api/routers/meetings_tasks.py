"""Tasks set by resolutions: the caller's list, progress reports, status and result.

A task is reachable only through its meeting: it exists for the caller when the
meeting is in their scope (a plain member: their cell's, or one whose sheet they
were on). Members report on their own tasks; the cell's managers on any of the
cell's, and only they set a task's status and result.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404
from ninja import Query, Router, Status

from accounts.access import Cap, Level
from api.auth import scope_of
from api.errors import ApiValidationError, django_items
from api.pagination import paginate
from api.routers.meetings_common import (
    MAX_ID,
    can_manage,
    local,
    member_ref,
    resolution_label,
    task_out,
    visible_org,
)
from api.schemas import Error, ValidationErrors
from api.schemas_meetings import (
    TaskFilters,
    TaskListItem,
    TaskPage,
    TaskPatch,
    TaskReportIn,
    TaskReportOut,
)
from meetings import services
from meetings.models import OPEN_TASK_STATUSES, Task
from members.models import Member
from organizations.models import subtree_q

router = Router(tags=["tasks"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
RELATED = ("organization", "assignee__person", "resolution__meeting__organization")


def _item(t: Task, reports: int) -> dict:
    return {
        **task_out(t),
        "organization": {"uuid": t.organization.uuid, "name": t.organization.name},
        "meeting": t.resolution.meeting.uuid,
        "resolution": resolution_label(t.resolution),
        "reports": reports,
    }


def _get_task(scope, task_id: int) -> Task:
    """A task whose meeting is in scope; 404 otherwise, like anything outside it."""
    if not 0 < task_id <= MAX_ID:
        raise Http404
    task = (
        Task.objects.select_related(*RELATED)
        .filter(pk=task_id, resolution__meeting__in=scope.meetings())
        .first()
    )
    if task is None:
        raise Http404
    return task


@router.get(
    "/tasks",
    response={200: TaskPage, **READ_ERRORS},
    operation_id="list_tasks",
    summary="List my tasks and those of the cells I run",
    description=(
        "The tasks assigned to the caller as a member, and every task of the cells where the "
        "caller has the manage_members capability, by due date. `org` limits them to a cell "
        "or a committee's subtree; `status` to one status, or open (assigned or in progress)."
    ),
)
def list_tasks(request, filters: Query[TaskFilters]):
    scope = scope_of(request)
    qs = Task.objects.all()
    if not scope.is_admin:
        mine = Q(assignee_id=scope.self_member_id) if scope.self_member_id else Q(pk__in=[])
        if scope.can_anywhere(Cap.MANAGE_MEMBERS):
            mine |= Q(organization__in=scope.organizations(Level.CELL))
        qs = qs.filter(mine)
    if filters.org:
        qs = qs.filter(subtree_q(visible_org(scope, filters.org).path, "organization__"))
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_TASK_STATUSES)
    elif filters.status and filters.status != "all":
        qs = qs.filter(status=filters.status)
    qs = (
        qs.select_related(*RELATED)
        .annotate(n_reports=Count("reports"))
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    tasks, meta = paginate(qs, filters)
    return {"items": [_item(t, t.n_reports) for t in tasks], **meta}


@router.post(
    "/tasks/{task_id}/reports",
    response={201: TaskReportOut, **WRITE_ERRORS},
    operation_id="report_task_progress",
    summary="Report progress on a task",
    description=(
        "A member reports on a task assigned to them; the cell's secretary or deputy (or "
        "staff above) on any task of the cell. Others who can see the task get a 403."
    ),
)
def report_task(request, task_id: int, payload: TaskReportIn):
    scope = scope_of(request)
    task = _get_task(scope, task_id)
    own = task.assignee_id is not None and task.assignee_id == scope.self_member_id
    if not own and not can_manage(scope, task.resolution.meeting):
        raise PermissionDenied
    try:
        report = services.report_task(task, member_id=scope.self_member_id, text=payload.text)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    reporter = (
        Member.objects.select_related("person").get(pk=report.member_id)
        if report.member_id
        else None
    )
    return Status(
        201,
        {
            "id": report.pk,
            "task": task.pk,
            "member": member_ref(reporter),
            "text": report.text,
            "created_at": local(report.created_at),
        },
    )


@router.patch(
    "/tasks/{task_id}",
    response={200: TaskListItem, **WRITE_ERRORS},
    operation_id="update_task",
    summary="Set a task's status or result",
    description=(
        "Changes `status` (assigned, in_progress, done, not_done) and `result`; only the "
        "fields sent. Needs the manage_members capability on the task's cell: members "
        "report progress instead."
    ),
)
def update_task(request, task_id: int, payload: TaskPatch):
    scope = scope_of(request)
    task = _get_task(scope, task_id)
    if not can_manage(scope, task.resolution.meeting):
        raise PermissionDenied
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    if changes:
        try:
            services.update_task(task, status=changes.get("status"), result=changes.get("result"))
        except ValidationError as e:
            raise ApiValidationError(django_items(e)) from e
    return _item(task, task.reports.count())
