"""The party tree: list, search, read, create and edit units."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.access import Cap, get_organization
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.pagination import paginate
from api.schemas import (
    Error,
    OrganizationCreate,
    OrganizationDetail,
    OrganizationFilters,
    OrganizationOut,
    OrganizationPage,
    OrganizationPatch,
    ProvinceOut,
    ValidationErrors,
)
from lib.text import normalize_name, search_terms
from organizations import selectors, services
from organizations.forms import OrganizationCreateForm, OrganizationEditForm
from organizations.models import Organization, subtree_q

router = Router(tags=["organizations"])

STEP = Organization.steplen
READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}


def _with_related_uuids(qs):
    """Annotate the parent's and the province's uuid: no extra query per page."""
    parent = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    ).values("uuid")[:1]
    return qs.annotate(parent_uuid=Subquery(parent), province_uuid=F("province__uuid"))


def _out(org, counts, villages) -> dict:
    return {
        "uuid": org.uuid,
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "cell_type": org.cell_type,
        "parent": org.parent_uuid,
        "province": org.province_uuid,
        "depth": org.depth,
        "founded_on": org.founded_on,
        "dissolved_on": org.dissolved_on,
        "counts": counts[org.pk],
        "villages": [v.name for v in villages.get(org.pk, [])],
    }


def _page(orgs) -> list[dict]:
    counts = selectors.member_counts(orgs)
    villages = selectors.village_names(orgs)
    return [_out(o, counts, villages) for o in orgs]


def _detail(scope, org_pk: int) -> dict:
    org = (
        _with_related_uuids(Organization.objects.filter(pk=org_pk))
        .select_related("successor")
        .get()
    )
    [out] = _page([org])
    out.update(
        dissolution_reason=org.dissolution_reason,
        successor=org.successor.uuid if org.successor_id else None,
        capabilities=[c.value for c in Cap if scope.can(c, org)],
    )
    return out


@router.get(
    "/organizations",
    response={200: OrganizationPage, **READ_ERRORS},
    operation_id="list_organizations",
    summary="List and search organizations",
    description=(
        "Units of the party tree within the caller's scope, in tree order, with today's member "
        "counts of each subtree and the villages each cell covers. `q` matches the start of "
        "words of the name or code, with or without diacritics. Dissolved units are left out "
        "unless `include_dissolved` is true."
    ),
)
def list_organizations(request, filters: Query[OrganizationFilters]):
    scope = scope_of(request)
    qs = scope.organizations()
    if filters.parent:
        parent = get_organization(scope, filters.parent)
        qs = qs.filter(subtree_q(parent.path), depth=parent.depth + 1)
    for term in search_terms(filters.q):
        qs = qs.filter(search_text__contains=term)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.cell_type:
        qs = qs.filter(cell_type=filters.cell_type)
    if not filters.include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    orgs, meta = paginate(_with_related_uuids(qs).order_by("path"), filters)
    return {"items": _page(orgs), **meta}


@router.get(
    "/provinces",
    response={200: list[ProvinceOut], 401: Error},
    operation_id="list_provinces",
    summary="List the provinces (names and codes only)",
    description=(
        "Every active province party committee, whatever the caller's scope: a transfer or a "
        "residence in another province names it (`to_province`, `other_province`) with the "
        "code of the cell or commune there. Nothing below the province is shown; the pages "
        "offer the same list."
    ),
)
def list_provinces(request):
    scope_of(request)  # signed in
    return list(
        Organization.objects.filter(depth=1, dissolved_on__isnull=True)
        .order_by("sort_key")
        .values("uuid", "code", "name")
    )


@router.get(
    "/organizations/{org_uuid}",
    response={200: OrganizationDetail, **READ_ERRORS},
    operation_id="get_organization",
    summary="Read one organization",
    description="One unit with its member counts, villages, and what the caller may do there.",
)
def get_organization_detail(request, org_uuid: UUID):
    scope = scope_of(request)
    org = get_organization(scope, org_uuid)
    return _detail(scope, org.pk)


@router.get(
    "/organizations/{org_uuid}/children",
    response={200: list[OrganizationOut], **READ_ERRORS},
    operation_id="list_organization_children",
    summary="List the units directly under an organization",
    description=(
        "The direct children of a unit, committees first then cells, in Vietnamese "
        "alphabetical order. Dissolved units are included when `include_dissolved` is true."
    ),
)
def list_children(request, org_uuid: UUID, include_dissolved: bool = False):
    scope = scope_of(request)
    org = get_organization(scope, org_uuid)
    qs = Organization.objects.filter(subtree_q(org.path), depth=org.depth + 1)
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return _page(selectors.sort_nodes(_with_related_uuids(qs)))


@router.post(
    "/organizations",
    response={201: OrganizationDetail, **WRITE_ERRORS},
    operation_id="create_organization",
    summary="Create a unit under a parent",
    description=(
        "Creates a committee, cell or party group under `parent`, following the Party "
        "Charter's structure (which kinds may sit under which). Needs the manage_structure "
        "capability on the parent. The founding is recorded in the unit's history."
    ),
)
def create_organization(request, payload: OrganizationCreate):
    scope = scope_of(request)
    parent = get_organization(scope, payload.parent, Cap.MANAGE_STRUCTURE)
    form = OrganizationCreateForm(
        payload.model_dump(mode="json", exclude={"parent"}), parent=parent
    )
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    try:
        org = services.create_organization(parent=parent, user=request.user, **form.cleaned_data)
    except ValidationError as e:
        raise ApiValidationError(django_items(e, default_field="parent")) from e
    return Status(201, _detail(scope, org.pk))


def _edit(org, changes: dict):
    current = {"code": org.code, "cell_type": org.cell_type, "founded_on": org.founded_on}
    form = OrganizationEditForm({**current, **changes}, instance=org)
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    founded = form.cleaned_data.get("founded_on")
    if founded and founded > timezone.localdate():
        raise ApiValidationError(
            django_items(
                ValidationError({"founded_on": _("The founding date cannot be in the future.")})
            )
        )
    if founded and org.dissolved_on and founded > org.dissolved_on:
        raise ApiValidationError(
            django_items(
                ValidationError(
                    {"founded_on": _("The founding date is after the date it was dissolved.")}
                )
            )
        )
    form.save()


@router.patch(
    "/organizations/{org_uuid}",
    response={200: OrganizationDetail, **WRITE_ERRORS},
    operation_id="update_organization",
    summary="Edit an organization or rename it",
    description=(
        "Changes `code`, `cell_type` or `founded_on`. Sending `name` renames the unit: a "
        "structural change recorded in its history, which needs `effective_on` (not in the "
        "future) and optionally `decision`. Only the fields sent are changed. Needs the "
        "manage_structure capability."
    ),
)
def update_organization(request, org_uuid: UUID, payload: OrganizationPatch):
    scope = scope_of(request)
    org = get_organization(scope, org_uuid, Cap.MANAGE_STRUCTURE)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    rename = {k: changes.pop(k) for k in ("name", "effective_on", "decision") if k in changes}
    if rename and "name" not in rename:
        raise ApiValidationError(
            django_items(
                ValidationError(
                    {"name": _("effective_on and decision are sent together with a new name.")}
                )
            )
        )
    with transaction.atomic():
        if changes:
            _edit(org, changes)
        new_name = rename.get("name")
        if new_name and normalize_name(new_name) != org.name:
            effective_on = payload.effective_on
            try:
                services.rename(
                    org, new_name, effective_on, request.user, rename.get("decision") or ""
                )
            except ValidationError as e:
                raise ApiValidationError(django_items(e, default_field="effective_on")) from e
    return _detail(scope, org.pk)
