"""Admission targets per organization and year (chỉ tiêu kết nạp), against the members
admitted: the targets page's table (admissions/views.py targets) and its form, for one
organization. Reading needs the view capability; setting a target manage_structure on the
organization, as the page. The body goes through the page's TargetForm, then
admissions.targets.set_targets, which validates everything before writing: both a 422.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Query, Router

from accounts.access import Cap, Scope, get_organization
from admissions import targets as admission_targets
from admissions.forms import TargetForm
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.schemas import Error, Paging, ValidationErrors
from api.schemas_ratings import TargetFilters, TargetIn, TargetTable
from organizations import selectors as org_selectors
from organizations.models import Organization

router = Router(tags=["admissions"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}


def _ref(org) -> dict:
    return {"uuid": org.uuid, "name": org.name}


def _target_row(row: dict) -> dict:
    target, result = row["target"], row["result"]
    return {
        "organization": _ref(row["org"]),
        "row": "total" if row.get("total") else "own" if row.get("own") else "unit",
        "target": {"admissions": target.admissions, **target.shares()} if target else None,
        "achieved": {
            "admitted": result.admitted,
            "minority": result.minority,
            "women": result.women,
            "under_30": result.under_30,
            "youth_union": result.youth_union,
            "shares": result.shares,
        },
    }


def _targets(scope: Scope, org: Organization, year: int, paging) -> dict:
    """The targets page's table: four queries however many units."""
    data = admission_targets.table(org, org_selectors.children(org), year)
    rows = data["rows"]
    start = (paging.page - 1) * paging.page_size
    count = len(rows)
    return {
        "organization": _ref(org),
        "year": year,
        "can_edit": scope.can(Cap.MANAGE_STRUCTURE, org),
        "total": _target_row(data["total"]),
        "items": [_target_row(r) for r in rows[start : start + paging.page_size]],
        "count": count,
        "page": paging.page,
        "pages": max(1, -(-count // paging.page_size)),
    }


@router.get(
    "/organizations/{org_uuid}/admission-targets",
    response={200: TargetTable, **READ_ERRORS},
    operation_id="get_admission_targets",
    summary="An organization's admission targets and results",
    description=(
        "For `year` (this year by default): the target of each direct unit (and the "
        "organization's own admissions, when it admits to itself) against the members admitted "
        "— ceremony in the year, counted where they were admitted — and the shares of ethnic "
        "minorities, women, under 30 and Youth Union members; `total` is the whole subtree "
        "against the organization's own target. Needs the view capability."
    ),
)
def get_admission_targets(request, org_uuid: UUID, filters: Query[TargetFilters]):
    scope = scope_of(request)
    org = get_organization(scope, org_uuid)
    return _targets(scope, org, filters.year or timezone.localdate().year, filters)


@router.put(
    "/organizations/{org_uuid}/admission-targets",
    response={200: TargetTable, **WRITE_ERRORS},
    operation_id="set_admission_target",
    summary="Set an organization's admission target for a year",
    description=(
        "The number of new members to admit and, optionally, the shares (percent) of ethnic "
        "minorities, women, under 30 and Youth Union members among them; `admissions` null "
        "removes the year's target. Needs the manage_structure capability on the organization "
        "(the staff of a committee set their units' targets too). A body the rules refuse is a "
        "422 with the reason, and changes nothing."
    ),
)
def set_admission_target(request, org_uuid: UUID, payload: TargetIn):
    scope = scope_of(request)
    org = get_organization(scope, org_uuid, Cap.MANAGE_STRUCTURE)
    data = payload.model_dump(exclude={"year"})
    form = TargetForm({k: v for k, v in data.items() if v is not None})
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    try:
        admission_targets.set_targets(org, payload.year, {org: form.value()}, user=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return _targets(scope, org, payload.year, Paging())
