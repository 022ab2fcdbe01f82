"""Emulation campaigns (campaigns/): the campaigns in the caller's scope, and one month's
result of one organization. The sums by unit are the report `campaigns`
(GET /reports/campaigns, api/routers/reports.py).

Who sees what (as campaigns/views.py): a campaign is seen by those who see its launching
organization or an organization inside it; recording a result needs manage_members on the
reporting organization. The service refuses a bad body with the reason (422), nothing written.
"""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema

from accounts.access import Cap, get_organization
from api.auth import scope_of
from api.errors import ApiValidationError, django_items
from api.pagination import paginate
from api.schemas import DATE, OPTIONAL_DATE, Error, InputSchema, Paging, ValidationErrors
from campaigns import selectors, services
from campaigns.models import first_of_month

router = Router(tags=["campaigns"])


class CampaignFilters(Paging):
    org: UUID | None = Field(
        None,
        description="Only the campaigns seen at this organization: launched by it or above it, "
        "or inside it.",
    )


class CampaignOrg(Schema):
    uuid: UUID
    name: str


class CampaignOut(Schema):
    uuid: UUID
    name: str
    description: str
    organization: CampaignOrg
    starts_on: dt.date = Field(description=DATE)
    ends_on: dt.date | None = Field(description=OPTIONAL_DATE)
    collects_money: bool
    collects_rice: bool
    collects_beneficiaries: bool


class CampaignPage(Schema):
    items: list[CampaignOut]
    count: int
    page: int
    pages: int


class ResultIn(InputSchema):
    month: dt.date = Field(description="Any day of the month reported. " + DATE)
    amount_vnd: int = Field(0, description="Money in whole đồng.")
    rice_kg: Decimal = Field(Decimal(0), description="Rice in kg, at most two decimals.")
    beneficiaries: int = Field(0, description="People helped.")
    note: str = ""


class ResultOut(Schema):
    campaign: UUID
    organization: CampaignOrg
    month: dt.date = Field(description="The first day of the month. " + DATE)
    amount_vnd: int
    rice_kg: float
    beneficiaries: int
    note: str
    changed: bool


def _item(c) -> dict:
    return {
        "uuid": c.uuid,
        "name": c.name,
        "description": c.description,
        "organization": {"uuid": c.organization.uuid, "name": c.organization.name},
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "collects_money": c.collects_money,
        "collects_rice": c.collects_rice,
        "collects_beneficiaries": c.collects_beneficiaries,
    }


@router.get(
    "/campaigns",
    response={200: CampaignPage, 401: Error, 404: Error, 422: ValidationErrors},
    operation_id="list_campaigns",
    summary="List emulation campaigns",
    description=(
        "The campaigns launched by an organization the caller sees or by a committee above "
        "one (a cell's secretary sees the province's campaign), newest first. `org`: only "
        "those seen at that organization."
    ),
)
def list_campaigns(request, filters: Query[CampaignFilters]):
    scope = scope_of(request)
    qs = selectors.visible(scope)
    if filters.org:
        org = get_organization(scope, filters.org)
        qs = qs.filter(pk__in=selectors.relevant_at(org).values("pk"))
    qs = qs.select_related("organization").order_by("-starts_on", "name", "pk")
    rows, meta = paginate(qs, filters)
    return {"items": [_item(c) for c in rows], **meta}


@router.put(
    "/campaigns/{campaign_uuid}/results/{org_uuid}",
    response={200: ResultOut, 401: Error, 403: Error, 404: Error, 422: ValidationErrors},
    operation_id="record_campaign_result",
    summary="Record one organization's result for a month",
    description=(
        "Sets the money, rice and people helped of the organization (the launching "
        "organization or one inside it) for the month; all zero and no note removes it. Needs "
        "manage_members on the organization. A month in the future or outside the campaign's "
        "dates, a negative figure or one the campaign does not collect: 422, nothing written."
    ),
)
def record_campaign_result(request, campaign_uuid: UUID, org_uuid: UUID, payload: ResultIn):
    scope = scope_of(request)
    campaign = selectors.get_campaign(scope, campaign_uuid)
    org = get_organization(scope, org_uuid, Cap.MANAGE_MEMBERS)
    if not campaign.takes_part(org):
        raise Http404
    empty = not (payload.amount_vnd or payload.rice_kg or payload.beneficiaries or payload.note)
    row = services.ResultRow(
        org_id=org.pk,
        amount_vnd="" if empty else payload.amount_vnd,
        rice_kg="" if empty else payload.rice_kg,
        beneficiaries="" if empty else payload.beneficiaries,
        note=payload.note,
    )
    month = first_of_month(payload.month)
    try:
        n = services.record_results(campaign, org, month, [row], by=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    record = campaign.results.filter(organization=org, month=month).first()
    return {
        "campaign": campaign.uuid,
        "organization": {"uuid": org.uuid, "name": org.name},
        "month": month,
        "amount_vnd": record.amount_vnd if record else 0,
        "rice_kg": float(record.rice_kg) if record else 0.0,
        "beneficiaries": record.beneficiaries if record else 0,
        "note": record.note if record else "",
        "changed": bool(n),
    }
