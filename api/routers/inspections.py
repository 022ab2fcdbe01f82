"""Inspection and supervision (kiểm tra, giám sát): a committee's yearly plans, its inspections
of the organizations below it and of the members of its cells, their conclusions and the
follow-up items of each conclusion.

Who sees what (as oversight/views_inspections.py): an inspection is seen by the readers of the
committee carrying it out and of the organization inspected, except by a member inspected
through their own cell (accounts.access.Scope.inspections); a plan by its committee's readers.
Writing needs manage_structure on the committee. Bodies go through the service the pages use,
which raises ValidationError (nothing written): a 422 with the reason.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.access import (
    Cap,
    Scope,
    get_inspection,
    get_inspection_plan,
    get_organization,
)
from api.auth import scope_of
from api.errors import ApiValidationError, django_items
from api.pagination import paginate
from api.routers.meetings_common import MAX_ID, error_at
from api.schemas import Error, ValidationErrors
from api.schemas_inspections import (
    ConcludeIn,
    CountsFilters,
    FollowUpDoneIn,
    FollowUpIn,
    InspectionCounts,
    InspectionDetail,
    InspectionFilters,
    InspectionIn,
    InspectionPage,
    InspectionStartIn,
    PlanDetail,
    PlanFilters,
    PlanIn,
    PlanPage,
    PlanUpdateIn,
)
from oversight import services_inspections as services
from oversight.models import FollowUp, Inspection, InspectionPlan, InspectionStatus

router = Router(tags=["inspections"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
WRITE = " Needs the manage_structure capability on the committee carrying it out."
REFUSED = (
    " A body the rules refuse, or a step the inspection's state does not allow, is a 422 with "
    "the reason, and changes nothing."
)


def _ref(org) -> dict:
    return {"uuid": org.uuid, "name": org.name}


def _can_write(scope: Scope, org) -> bool:
    return org.is_active and services.can_carry_out(org) and scope.can(Cap.MANAGE_STRUCTURE, org)


# ---- plans -----------------------------------------------------------------------------------


def _plan_out(plan: InspectionPlan) -> dict:
    return {
        "uuid": plan.uuid,
        "organization": _ref(plan.organization),
        "year": plan.year,
        "number": plan.number,
        "approved_on": plan.approved_on,
        "summary": plan.summary,
    }


def _plan_detail(scope: Scope, uuid) -> dict:
    plan = get_inspection_plan(scope, uuid)
    today = timezone.localdate()
    inspections = plan.inspections.all()
    caps = [Cap.VIEW] + ([Cap.MANAGE_STRUCTURE] if _can_write(scope, plan.organization) else [])
    return {
        **_plan_out(plan),
        "counts": services.counts(
            inspections, FollowUp.objects.filter(inspection__plan=plan), today
        ),
        "inspections": list(
            inspections.order_by("planned_from", "pk").values_list("uuid", flat=True)
        ),
        "capabilities": [c.value for c in caps],
    }


@router.get(
    "/inspection-plans",
    response={200: PlanPage, **READ_ERRORS},
    operation_id="list_inspection_plans",
    summary="List inspection and supervision plans",
    description=(
        "The yearly programmes of inspection and supervision of the committees the caller "
        "reads, latest year first; `org` limits them to one committee, `year` to one year."
    ),
)
def list_plans(request, filters: Query[PlanFilters]):
    scope = scope_of(request)
    qs = scope.inspection_plans().select_related("organization")
    if filters.org:
        qs = qs.filter(organization=get_organization(scope, filters.org))
    if filters.year:
        qs = qs.filter(year=filters.year)
    plans, meta = paginate(qs.order_by("-year", "organization__path", "pk"), filters)
    return {"items": [_plan_out(p) for p in plans], **meta}


@router.post(
    "/inspection-plans",
    response={201: PlanDetail, **WRITE_ERRORS},
    operation_id="adopt_inspection_plan",
    summary="Record a committee's yearly plan",
    description=(
        "Record the programme of inspection and supervision `organization` adopted for `year` "
        "(one per committee and year; adopted the year before or in the year, not in the "
        "future). Needs the manage_structure capability on the committee." + REFUSED
    ),
)
def adopt_plan(request, payload: PlanIn):
    scope = scope_of(request)
    org = get_organization(scope, payload.organization, Cap.MANAGE_STRUCTURE)
    data = payload.model_dump(exclude={"organization"})
    try:
        plan = services.adopt_plan(org, by=request.user, **data)
    except ValidationError as e:
        raise ApiValidationError(django_items(e, default_field="organization")) from e
    return Status(201, _plan_detail(scope, plan.uuid))


@router.get(
    "/inspection-plans/{plan_uuid}",
    response={200: PlanDetail, **READ_ERRORS},
    operation_id="get_inspection_plan",
    summary="Read a plan",
    description="The plan, the inspections planned in it and their counts.",
)
def get_plan(request, plan_uuid: UUID):
    return _plan_detail(scope_of(request), plan_uuid)


@router.patch(
    "/inspection-plans/{plan_uuid}",
    response={200: PlanDetail, **WRITE_ERRORS},
    operation_id="update_inspection_plan",
    summary="Correct a plan",
    description=(
        "Change the plan's year, number, adoption date or content (fields left out keep their "
        "value; approved_on: null clears it). The year cannot move away from the inspections "
        "planned in it." + WRITE + REFUSED
    ),
)
def update_plan(request, plan_uuid: UUID, payload: PlanUpdateIn):
    scope = scope_of(request)
    plan = get_inspection_plan(scope, plan_uuid, Cap.MANAGE_STRUCTURE)
    given = payload.model_dump(exclude_unset=True)
    data = {f: getattr(plan, f) for f in ("year", "number", "approved_on", "summary")}
    data.update({k: v for k, v in given.items() if v is not None or k == "approved_on"})
    try:
        services.update_plan(plan, by=request.user, **data)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return _plan_detail(scope, plan_uuid)


# ---- inspections -----------------------------------------------------------------------------


def _item(scope: Scope, i: Inspection) -> dict:
    return {
        "uuid": i.uuid,
        "organization": _ref(i.organization),
        "kind": i.kind,
        "status": i.status,
        "subject_org": _ref(i.subject_org),
        "subject_member": {
            "uuid": i.subject_member.uuid,
            "full_name": i.subject_member.person.full_name,
        }
        if i.subject_member_id
        else None,
        "topic": i.topic,
        # The plan is its committee's: named to the committee's readers only.
        "plan": i.plan.uuid if i.plan_id and scope.can(Cap.VIEW, i.organization) else None,
        "planned_from": i.planned_from,
        "planned_to": i.planned_to,
        "started_on": i.started_on,
        "concluded_on": i.concluded_on,
        "violation_found": i.violation_found,
        "overdue_follow_ups": i.overdue_count,
    }


def _with_rows(qs, today):
    return qs.select_related(
        "organization", "subject_org", "subject_member__person", "plan"
    ).annotate(
        overdue_count=Count(
            "follow_ups",
            filter=Q(follow_ups__done_on__isnull=True, follow_ups__due_on__lt=today),
        )
    )


def _detail(scope: Scope, uuid) -> dict:
    get_inspection(scope, uuid)  # 404 outside the scope
    today = timezone.localdate()
    i = _with_rows(Inspection.objects.filter(uuid=uuid), today).get()
    follow_ups = list(i.follow_ups.all())
    steps = []
    if _can_write(scope, i.organization):
        steps = {
            InspectionStatus.PLANNED: ["start"],
            InspectionStatus.IN_PROGRESS: ["conclude"],
            InspectionStatus.CONCLUDED: ["add_follow_up"]
            + (["complete_follow_up"] if any(f.done_on is None for f in follow_ups) else []),
        }[i.status]
    return {
        **_item(scope, i),
        "conclusion_no": i.conclusion_no,
        "conclusion": i.conclusion,
        "follow_ups": [
            {
                "id": f.pk,
                "text": f.text,
                "responsible": f.responsible,
                "due_on": f.due_on,
                "done_on": f.done_on,
                "result": f.result,
                "overdue": f.is_overdue(today),
            }
            for f in follow_ups
        ],
        "steps": steps,
    }


def _filtered(scope: Scope, org, side: str, kind, year):
    qs = scope.inspections()
    if org is not None:
        qs = qs.filter(organization=org) if side == "by" else qs.filter(subject_org=org)
    if kind:
        qs = qs.filter(kind=kind)
    in_year = qs.filter(planned_from__year=year) if year else qs
    return qs, in_year


@router.get(
    "/inspections",
    response={200: InspectionPage, **READ_ERRORS},
    operation_id="list_inspections",
    summary="List inspections and supervisions",
    description=(
        "Inspections and supervisions the caller sees, latest planned first. With `org`, "
        + "those carried out by it (`side=by`) or of it (`side=of`). `status=overdue` lists "
        "those with a follow-up item past its due date, whatever their year."
    ),
)
def list_inspections(request, filters: Query[InspectionFilters]):
    scope = scope_of(request)
    today = timezone.localdate()
    org = get_organization(scope, filters.org) if filters.org else None
    every_year, qs = _filtered(scope, org, filters.side, filters.kind, filters.year)
    if filters.status == "overdue":
        overdue = FollowUp.objects.filter(inspection_id=OuterRef("pk")).overdue(today)
        qs = every_year.filter(Exists(overdue))
    elif filters.status == "violations":
        qs = qs.filter(status=InspectionStatus.CONCLUDED, violation_found=True)
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    rows, meta = paginate(_with_rows(qs, today).order_by("-planned_from", "-pk"), filters)
    return {"items": [_item(scope, i) for i in rows], **meta}


@router.get(
    "/organizations/{org_uuid}/inspection-counts",
    response={200: InspectionCounts, **READ_ERRORS},
    operation_id="get_inspection_counts",
    summary="Count an organization's inspections",
    description=(
        "Planned, in progress, concluded and with violations among the inspections and "
        "supervisions carried out by the organization (`side=by`) or of it (`side=of`) planned "
        "in `year`, and the follow-up items overdue (all years), as its page shows them."
    ),
)
def get_counts(request, org_uuid: UUID, filters: Query[CountsFilters]):
    scope = scope_of(request)
    today = timezone.localdate()
    org = get_organization(scope, org_uuid)
    every_year, in_year = _filtered(
        scope, org, filters.side, filters.kind, filters.year or today.year
    )
    return services.counts(in_year, FollowUp.objects.filter(inspection__in=every_year), today)


def _subject(scope: Scope, payload: InspectionIn) -> dict:
    """The organization or member named, among those the caller sees (else a 422 there)."""
    found = {"subject_org": None, "subject_member": None}
    if payload.subject_org:
        found["subject_org"] = scope.organizations().filter(uuid=payload.subject_org).first()
        if found["subject_org"] is None:
            raise ApiValidationError(
                error_at(("body", "subject_org"), _("Unknown organization."), "unknown")
            )
    if payload.subject_member:
        found["subject_member"] = (
            scope.members()
            .select_related("person", "organization")
            .filter(uuid=payload.subject_member)
            .first()
        )
        if found["subject_member"] is None:
            raise ApiValidationError(
                error_at(("body", "subject_member"), _("Unknown member."), "unknown")
            )
    return found


@router.post(
    "/inspections",
    response={201: InspectionDetail, **WRITE_ERRORS},
    operation_id="create_inspection",
    summary="Plan an inspection or supervision",
    description=(
        "`organization` plans an inspection or supervision of `subject_org`, an organization "
        "below it, or of `subject_member`, a member of a cell in its subtree (one of the two), "
        "within one of its plans of that year (`plan`) or outside a plan. Needs the "
        "manage_structure capability on `organization`." + REFUSED
    ),
)
def create_inspection(request, payload: InspectionIn):
    scope = scope_of(request)
    org = get_organization(scope, payload.organization, Cap.MANAGE_STRUCTURE)
    plan = None
    if payload.plan:
        plan = scope.inspection_plans().filter(uuid=payload.plan).first()
        if plan is None:
            raise ApiValidationError(error_at(("body", "plan"), _("Unknown plan."), "unknown"))
    try:
        inspection = services.create_inspection(
            org,
            kind=payload.kind,
            topic=payload.topic,
            planned_from=payload.planned_from,
            planned_to=payload.planned_to,
            plan=plan,
            by=request.user,
            **_subject(scope, payload),
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e, default_field="organization")) from e
    return Status(201, _detail(scope, inspection.uuid))


@router.get(
    "/inspections/{inspection_uuid}",
    response={200: InspectionDetail, **READ_ERRORS},
    operation_id="get_inspection",
    summary="Read an inspection or supervision",
    description="With its conclusion, its follow-up items and the steps the caller may take now.",
)
def get_inspection_detail(request, inspection_uuid: UUID):
    return _detail(scope_of(request), inspection_uuid)


def _step(request, inspection_uuid, action) -> dict:
    scope = scope_of(request)
    inspection = get_inspection(scope, inspection_uuid, Cap.MANAGE_STRUCTURE)
    if not inspection.organization.is_active:
        raise Http404
    try:
        action(inspection)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return _detail(scope, inspection_uuid)


@router.post(
    "/inspections/{inspection_uuid}/start",
    response={200: InspectionDetail, **WRITE_ERRORS},
    operation_id="start_inspection",
    summary="Start an inspection",
    description="Planned → in progress, on `started_on` (not in the future)." + WRITE + REFUSED,
)
def start(request, inspection_uuid: UUID, payload: InspectionStartIn):
    return _step(
        request,
        inspection_uuid,
        lambda i: services.start_inspection(i, on=payload.started_on, by=request.user),
    )


@router.post(
    "/inspections/{inspection_uuid}/conclude",
    response={200: InspectionDetail, **WRITE_ERRORS},
    operation_id="conclude_inspection",
    summary="Record the conclusion",
    description=(
        "In progress → concluded, with the conclusion's text (required), number and date (not "
        "before the start, not in the future) and whether violations were found." + WRITE + REFUSED
    ),
)
def conclude(request, inspection_uuid: UUID, payload: ConcludeIn):
    return _step(
        request,
        inspection_uuid,
        lambda i: services.conclude_inspection(
            i,
            on=payload.concluded_on,
            number=payload.conclusion_no,
            conclusion=payload.conclusion,
            violation_found=payload.violation_found,
            by=request.user,
        ),
    )


@router.post(
    "/inspections/{inspection_uuid}/follow-ups",
    response={201: InspectionDetail, **WRITE_ERRORS},
    operation_id="add_inspection_follow_up",
    summary="Add a follow-up item of the conclusion",
    description=(
        "A concluded inspection's follow-up item: what is to be done, by whom, by when (not "
        "before the conclusion)." + WRITE + REFUSED
    ),
)
def add_follow_up(request, inspection_uuid: UUID, payload: FollowUpIn):
    detail = _step(
        request,
        inspection_uuid,
        lambda i: services.add_follow_up(i, by=request.user, **payload.model_dump()),
    )
    return Status(201, detail)


@router.post(
    "/inspection-follow-ups/{follow_up_id}/done",
    response={200: InspectionDetail, **WRITE_ERRORS},
    operation_id="complete_inspection_follow_up",
    summary="Record a follow-up item as done",
    description=(
        "When it was done (not before the conclusion, not in the future) and the result; an "
        "item is recorded done once. Answers with its inspection." + WRITE + REFUSED
    ),
)
def complete_follow_up(request, follow_up_id: int, payload: FollowUpDoneIn):
    scope = scope_of(request)
    if not 0 < follow_up_id <= MAX_ID:
        raise Http404
    item = get_object_or_404(
        FollowUp.objects.select_related("inspection"),
        pk=follow_up_id,
        inspection__in=scope.inspections(),
    )
    # 403 without manage_structure on the committee, as the inspection's other steps.
    return _step(
        request,
        item.inspection.uuid,
        lambda i: services.complete_follow_up(
            item, done_on=payload.done_on, result=payload.result, by=request.user
        ),
    )
