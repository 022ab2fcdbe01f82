"""Party members: the filtered list, one record, create and edit.

Validation is the member pages' own: PersonForm and MemberForm, the same
per-province uniqueness messages, then the models' full_clean inside the
services. The citizen ID is masked in lists, and in a record unless the caller
keeps that record (cell level or above) or it is their own.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Query, Router, Status

from accounts.access import CAP_LEVEL, Cap, Level, get_member, get_organization
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.pagination import paginate
from api.schemas import (
    Error,
    MemberCreate,
    MemberDetail,
    MemberFilters,
    MemberPage,
    MemberPatch,
    PersonOut,
    ValidationErrors,
)
from audit import log as audit_log
from members import services
from members.forms import (
    MEMBER_FIELDS,
    PERSON_FIELDS,
    MemberFilterForm,
    MemberForm,
    PersonForm,
    uniqueness_errors,
)
from members.models import Member, MembershipKind
from members.selectors import filter_members
from organizations.models import Village

router = Router(tags=["members"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
FILTER_FIELDS = {"q", "status", "cell_type", "sex", "ethnicity", "age", "youth_union"}
# Output fields copied as they are (the schema decides what a record shows).
PERSON_OUT = [f for f in PersonOut.model_fields if f not in ("residence_village", "citizen_id")]
MEMBER_OUT = MEMBER_FIELDS
# Where each model field sits in the request body, for errors raised by full_clean.
ERROR_PATHS = {
    **{f: ("body", "person", f) for f in PERSON_FIELDS},
    **{f: ("body", "member", f) for f in MEMBER_FIELDS},
    "cell": ("body", "cell"),
    "start_date": ("body", "start_date"),
}


@router.get(
    "/members",
    response={200: MemberPage, **READ_ERRORS},
    operation_id="list_members",
    summary="List and filter party members",
    description=(
        "Members within the caller's scope, in register order (given name first), with the "
        "filters of the member list page. By default only current members (not left). "
        "`org` limits the list to a unit's subtree. Citizen IDs are always masked here."
    ),
)
def list_members(request, filters: Query[MemberFilters]):
    scope = scope_of(request)
    org = get_organization(scope, filters.org) if filters.org else None
    form = MemberFilterForm(filters.model_dump(include=FILTER_FIELDS))
    if not form.is_valid():
        raise ApiValidationError(form_items(form, ("query",)))
    qs = filter_members(scope, form.cleaned_data, org).select_related("person", "organization")
    members, meta = paginate(qs, filters)
    items = [
        {
            "uuid": m.uuid,
            "full_name": m.person.full_name,
            "sex": m.person.sex,
            "birth_date": m.person.birth_date,
            "ethnicity": m.person.ethnicity,
            "status": m.status,
            "organization": m.organization.uuid,
            "organization_name": m.organization.name,
            "dossier_no": m.dossier_no,
            "card_no": m.card_no,
            "citizen_id": m.person.masked_citizen_id,
        }
        for m in members
    ]
    return {"items": items, **meta}


def _detail(scope, member: Member) -> dict:
    memberships = list(
        member.memberships.select_related("organization").order_by("-start_date", "-id")
    )
    temp_paths = [
        ms.organization.path
        for ms in memberships
        if ms.kind == MembershipKind.TEMPORARY and ms.end_date is None
    ]
    level = scope.member_level(member, temp_paths)
    full_id = level >= Level.CELL or member.pk == scope.self_member_id
    p = member.person
    village = p.residence_village
    return {
        "uuid": member.uuid,
        "organization": member.organization.uuid,
        "organization_name": member.organization.name,
        "person": {
            **{f: getattr(p, f) for f in PERSON_OUT},
            "residence_village": {"uuid": village.uuid, "name": village.name} if village else None,
            "citizen_id": p.citizen_id if full_id else p.masked_citizen_id,
        },
        **{f: getattr(member, f) for f in MEMBER_OUT},
        "citizen_id_masked": not full_id and bool(p.citizen_id),
        "memberships": [
            {
                "organization": ms.organization.uuid,
                "organization_name": ms.organization.name,
                "kind": ms.kind,
                "start_date": ms.start_date,
                "end_date": ms.end_date,
                "note": ms.note,
            }
            for ms in memberships
        ],
        "capabilities": [c.value for c in (Cap.VIEW, Cap.MANAGE_MEMBERS) if level >= CAP_LEVEL[c]],
    }


@router.get(
    "/members/{member_uuid}",
    response={200: MemberDetail, **READ_ERRORS},
    operation_id="get_member",
    summary="Read a member's record",
    description=(
        "Person, party record and membership periods. The full citizen ID is shown only to "
        "those who keep the record (cell secretaries and above) and to the member themselves."
    ),
)
def get_member_detail(request, member_uuid: UUID):
    scope = scope_of(request)
    member = get_member(scope, member_uuid)
    audit_log.record_view(member, "api")
    return _detail(scope, member)


def _villages_for(org, person=None):
    """Current villages of the cell's province, plus the one the person already lives in
    (even if since merged away), so editing another field never trips over it."""
    current = Q(pk=person.residence_village_id) if person and person.residence_village_id else Q()
    return Village.objects.filter(Q(valid_to__isnull=True) | current, province_id=org.province_id)


def _person_form(data, org, instance=None) -> PersonForm:
    form = PersonForm(data, instance=instance, villages=_villages_for(org, instance))
    # The API names villages by uuid, never by database id.
    form.fields["residence_village"].to_field_name = "uuid"
    return form


def _check_unique(person_form, member_form, province_id, person=None, member=None) -> list[dict]:
    """Per-province uniqueness, the same rule and messages as the member pages."""
    errors = uniqueness_errors(
        person_form.cleaned_data, member_form.cleaned_data, province_id, person, member
    )
    return django_items(ValidationError(errors), fields=ERROR_PATHS) if errors else []


def _validate(person_form, member_form, province_id, person=None, member=None):
    errors = form_items(person_form, ("body", "person")) + form_items(
        member_form, ("body", "member")
    )
    if not errors:
        errors = _check_unique(person_form, member_form, province_id, person, member)
    if errors:
        raise ApiValidationError(errors)


@router.post(
    "/members",
    response={201: MemberDetail, **WRITE_ERRORS},
    operation_id="create_member",
    summary="Add a member to a cell",
    description=(
        "Creates the person and their party record and opens their home membership in `cell` "
        "from `start_date`. Needs the manage_members capability on the cell. Dossier number, "
        "card number and citizen ID must be unique within the province."
    ),
)
def create_member(request, payload: MemberCreate):
    scope = scope_of(request)
    cell = get_organization(scope, payload.cell, Cap.MANAGE_MEMBERS)
    person_form = _person_form(payload.person.model_dump(mode="json"), cell)
    member_form = MemberForm(payload.member.model_dump(mode="json"))
    _validate(person_form, member_form, cell.province_id)
    try:
        member = services.create_member(
            person=person_form.save(commit=False),
            member=member_form.save(commit=False),
            organization=cell,
            start_date=payload.start_date,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e, default_field="cell", fields=ERROR_PATHS)) from e
    return Status(201, _detail(scope, get_member(scope, member.uuid)))


def _current(instance, fields) -> dict:
    return {f: getattr(instance, f) for f in fields}


@router.patch(
    "/members/{member_uuid}",
    response={200: MemberDetail, **WRITE_ERRORS},
    operation_id="update_member",
    summary="Edit a member's record",
    description=(
        "Changes the fields sent in `person` and `member`; the others keep their values. "
        "Setting the status to left closes the member's open membership periods. Needs the "
        "manage_members capability on the member's home cell."
    ),
)
def update_member(request, member_uuid: UUID, payload: MemberPatch):
    scope = scope_of(request)
    member = get_member(scope, member_uuid, Cap.MANAGE_MEMBERS)
    person = member.person
    person_data = _current(person, PERSON_FIELDS)
    village = person.residence_village
    person_data["residence_village"] = str(village.uuid) if village else None
    if payload.person:
        person_data.update(payload.person.model_dump(mode="json", exclude_unset=True))
    member_data = _current(member, MEMBER_FIELDS)
    if payload.member:
        member_data.update(payload.member.model_dump(mode="json", exclude_unset=True))
    was_active = member.is_active
    person_form = _person_form(person_data, member.organization, instance=person)
    member_form = MemberForm(member_data, instance=member)
    _validate(person_form, member_form, member.province_id, person, member)
    try:
        services.save_member(
            person_form.save(commit=False), member_form.save(commit=False), was_active=was_active
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e, fields=ERROR_PATHS)) from e
    return _detail(scope, get_member(scope, member.uuid))
