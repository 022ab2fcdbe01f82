"""The village registry: villages and residential groups, and the cells that cover them."""

from collections import defaultdict
from uuid import UUID

from django.db.models import F
from django.http import Http404
from ninja import Query, Router

from accounts.access import get_organization
from api.auth import scope_of
from api.pagination import paginate
from api.schemas import Error, ValidationErrors, VillageFilters, VillageOut, VillagePage
from lib.text import search_terms
from members.models import ACTIVE_STATUSES, Person
from organizations.models import CellVillage, Village, subtree_q

router = Router(tags=["villages"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}


def _visible(scope):
    """Villages whose commune committee the caller sees (the village page's rule)."""
    return (
        Village.objects.filter(commune__in=scope.organizations())
        .select_related("commune")
        .annotate(province_uuid=F("province__uuid"))
    )


def _out(villages) -> list[dict]:
    cells = defaultdict(list)
    links = (
        CellVillage.objects.active()
        .filter(village_id__in=[v.pk for v in villages])
        .select_related("organization")
        .order_by("organization__sort_key")
    )
    for link in links:
        cells[link.village_id].append(
            {"uuid": link.organization.uuid, "name": link.organization.name}
        )
    return [
        {
            "uuid": v.uuid,
            "name": v.name,
            "kind": v.kind,
            "code": v.code,
            "commune": v.commune.uuid,
            "commune_name": v.commune.name,
            "province": v.province_uuid,
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
            "cells": cells[v.pk],
        }
        for v in villages
    ]


@router.get(
    "/villages",
    response={200: VillagePage, **READ_ERRORS},
    operation_id="list_villages",
    summary="List villages and residential groups",
    description=(
        "Villages of the communes within the caller's scope, by commune then name. "
        "`without_members` keeps villages where no current party member lives (thôn trắng "
        "đảng viên); `without_cell` keeps villages no cell covers today."
    ),
)
def list_villages(request, filters: Query[VillageFilters]):
    scope = scope_of(request)
    qs = _visible(scope)
    if filters.commune:
        commune = get_organization(scope, filters.commune)
        qs = qs.filter(subtree_q(commune.path, "commune__"))
    if not filters.include_past:
        qs = qs.filter(valid_to__isnull=True)
    if filters.without_members:
        living = Person.objects.filter(
            member__status__in=ACTIVE_STATUSES, residence_village__isnull=False
        ).values("residence_village_id")
        qs = qs.exclude(pk__in=living)
    if filters.without_cell:
        qs = qs.exclude(pk__in=CellVillage.objects.active().values("village_id"))
    for term in search_terms(filters.q):
        qs = qs.filter(search_text__contains=term)
    villages, meta = paginate(qs.order_by("commune__sort_key", "sort_key", "pk"), filters)
    return {"items": _out(villages), **meta}


@router.get(
    "/villages/{village_uuid}",
    response={200: VillageOut, **READ_ERRORS},
    operation_id="get_village",
    summary="Read one village",
    description="A village or residential group, with the cells covering it today.",
)
def get_village(request, village_uuid: UUID):
    scope = scope_of(request)
    try:
        village = _visible(scope).get(uuid=village_uuid)
    except Village.DoesNotExist as e:
        raise Http404 from e
    return _out([village])[0]
