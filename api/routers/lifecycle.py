"""A member's status, card and badges, and the two lists per organization (members flagged
for strike-off, badges due).

Reading needs the view capability on the member or the organization; recording a status
decision, a card event, a badge or an interruption needs manage_structure on the member's
cell: they are committee decisions (lifecycle/views.py). Bodies go through the pages' forms,
then lifecycle.services, which raise ValidationError (nothing written): both a 422.
"""

import math
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.access import Cap, get_member, get_organization
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.routers.meetings_common import error_at, member_ref
from api.schemas import Error, ValidationErrors
from api.schemas_life import (
    BadgeAwardIn,
    BadgesDueFilters,
    BadgesDuePage,
    CardEventIn,
    InterruptionIn,
    MemberLifeOut,
    OrgYearFilters,
    StatusDecisionIn,
    StrikeOffPage,
)
from lifecycle import selectors, services
from lifecycle.forms import BadgeAwardForm, CardEventForm, DecisionForm, InterruptionForm
from lifecycle.models import CardEventKind
from members.models import MemberStatus
from organizations.models import Organization
from organizations.selectors import ancestors

router = Router(tags=["lifecycle"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
STRUCTURE = (
    " Needs the manage_structure capability on the member's cell (organization staff of a "
    "committee above it). A body the rules refuse is a 422 with the reason, and changes nothing."
)


def _ref(org) -> dict | None:
    return {"uuid": org.uuid, "name": org.name} if org is not None else None


def _life(scope, member_uuid) -> dict:
    member = get_member(scope, member_uuid)
    today = timezone.localdate()
    decisions = list(member.status_decisions.select_related("deciding_organization"))
    card_events = list(member.card_events.all())
    awards = list(member.badge_awards.all())
    interruptions = list(member.interruptions.all())
    interrupted = sum(i.days for i in interruptions)
    start = member.party_age_start
    badge = None
    if start:
        next_award = selectors.next_award_date(today)
        level = selectors.highest_badge(start, interrupted, next_award)
        if level and level > max((a.years for a in awards), default=0):
            badge = {
                "years": level,
                "reached_on": selectors.badge_reached_on(start, level, interrupted),
                "on": next_award,
            }
    return {
        "member": member_ref(member),
        "organization": _ref(member.organization),
        "status": member.status,
        "party_age_start": start,
        "party_age": selectors.party_age(start, interrupted, today) if start else None,
        "card_state": services.card_state(member, card_events),
        "decisions": [
            {
                "id": d.pk,
                "kind": d.kind,
                "kind_label": d.get_kind_display(),
                "decision_no": d.decision_no,
                "decision_date": d.decision_date,
                "effective_date": d.effective_date,
                "end_date": d.end_date,
                "deciding_organization": _ref(d.deciding_organization),
                "deciding_body": d.deciding_body,
                "ground": d.ground,
                "previous_status": d.previous_status,
                "reason": d.reason,
            }
            for d in decisions
        ],
        "card_events": [
            {
                "id": e.pk,
                "kind": e.kind,
                "card_no": e.card_no,
                "series": e.series,
                "date": e.date,
                "decision_no": e.decision_no,
                "note": e.note,
            }
            for e in card_events
        ],
        "badge_awards": [
            {
                "id": a.pk,
                "years": a.years,
                "award_date": a.award_date,
                "decision_no": a.decision_no,
                "badge_no": a.badge_no,
                "note": a.note,
            }
            for a in awards
        ],
        "interruptions": [
            {
                "id": i.pk,
                "start_date": i.start_date,
                "end_date": i.end_date,
                "days": i.days,
                "note": i.note,
            }
            for i in interruptions
        ],
        "badge_due": badge,
        "unexcused_months": selectors.member_unexcused_months(member, today.year),
        "can_manage": scope.can(Cap.MANAGE_STRUCTURE, member.organization),
    }


@router.get(
    "/members/{member_uuid}/life",
    response={200: MemberLifeOut, **READ_ERRORS},
    operation_id="get_member_life",
    summary="Read a member's status decisions, card and badges",
    description=(
        "Status decisions (exemption, suspension, exits), the party card register, party "
        "badges awarded and the next one due, interruptions of party age, and the months of "
        "this year with the regular meeting missed without reason."
    ),
)
def get_member_life(request, member_uuid: UUID):
    return _life(scope_of(request), member_uuid)


def _data(payload) -> dict:
    return {k: v for k, v in payload.model_dump(mode="json").items() if v is not None}


def _run(form, action):
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    try:
        action(form.cleaned_data)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e


@router.post(
    "/members/{member_uuid}/decisions",
    response={201: MemberLifeOut, **WRITE_ERRORS},
    operation_id="record_status_decision",
    summary="Record a status decision",
    description=(
        "Exemption (permanent or temporary), suspension and their end, strike-off, expulsion, "
        "withdrawal or death, applied to the member's status; exits close the member's "
        "membership periods. Which decisions are possible depends on the current status."
        + STRUCTURE
    ),
)
def record_decision(request, member_uuid: UUID, payload: StatusDecisionIn):
    scope = scope_of(request)
    member = get_member(scope, member_uuid, Cap.MANAGE_STRUCTURE)
    if member.status == MemberStatus.LEFT:
        message = _("This member has left the Party: no further status decision.")
        raise ApiValidationError(error_at(("body", "kind"), message))
    cell = member.organization
    organizations = Organization.objects.filter(pk__in=[o.pk for o in ancestors(cell)] + [cell.pk])
    form = DecisionForm(_data(payload), member=member, organizations=organizations)
    form.fields["deciding_organization"].to_field_name = "uuid"
    _run(form, lambda d: services.record_decision(member, **d))
    return Status(201, _life(scope, member_uuid))


@router.post(
    "/members/{member_uuid}/card-events",
    response={201: MemberLifeOut, **WRITE_ERRORS},
    operation_id="record_card_event",
    summary="Record a party card event",
    description=(
        "Issue of the card (when the member has none), its loss or damage, or a reissue; "
        "`card_state` says which are possible." + STRUCTURE
    ),
)
def record_card_event(request, member_uuid: UUID, payload: CardEventIn):
    scope = scope_of(request)
    member = get_member(scope, member_uuid, Cap.MANAGE_STRUCTURE)
    form = CardEventForm(
        _data(payload), state=services.card_state(member, member.card_events.all())
    )

    def act(d):
        card = {
            "card_no": d["card_no"],
            "series": d["series"],
            "date": d["date"],
            "decision_no": d["decision_no"],
            "note": d["note"],
        }
        if d["kind"] == CardEventKind.ISSUE:
            services.issue_card(member, **card)
        elif d["kind"] == CardEventKind.LOSS:
            services.report_card_loss(member, date=d["date"], note=d["note"])
        else:
            services.replace_card(member, **card)

    _run(form, act)
    return Status(201, _life(scope, member_uuid))


@router.post(
    "/members/{member_uuid}/badges",
    response={201: MemberLifeOut, **WRITE_ERRORS},
    operation_id="award_party_badge",
    summary="Record a party badge award",
    description=(
        "The member must have reached the badge's party age on the award date; a member who "
        "died is awarded posthumously, one struck off, expelled or withdrawn is not." + STRUCTURE
    ),
)
def award_badge(request, member_uuid: UUID, payload: BadgeAwardIn):
    scope = scope_of(request)
    member = get_member(scope, member_uuid, Cap.MANAGE_STRUCTURE)
    _run(BadgeAwardForm(_data(payload)), lambda d: services.award_badge(member, **d))
    return Status(201, _life(scope, member_uuid))


@router.post(
    "/members/{member_uuid}/interruptions",
    response={201: MemberLifeOut, **WRITE_ERRORS},
    operation_id="record_party_age_interruption",
    summary="Record an interruption of party age",
    description=(
        "A period without party activity, which does not count towards party age." + STRUCTURE
    ),
)
def add_interruption(request, member_uuid: UUID, payload: InterruptionIn):
    scope = scope_of(request)
    member = get_member(scope, member_uuid, Cap.MANAGE_STRUCTURE)
    _run(InterruptionForm(_data(payload)), lambda d: services.add_interruption(member, **d))
    return Status(201, _life(scope, member_uuid))


def _page(rows: list, paging) -> tuple[list, dict]:
    """The lists below are computed whole (one grouped query each): paged in memory."""
    count = len(rows)
    pages = max(1, math.ceil(count / paging.page_size))
    start = (paging.page - 1) * paging.page_size
    return rows[start : start + paging.page_size], {
        "count": count,
        "page": paging.page,
        "pages": pages,
    }


@router.get(
    "/organizations/{org_uuid}/strike-off-flags",
    response={200: StrikeOffPage, **READ_ERRORS},
    operation_id="list_strike_off_flags",
    summary="Members flagged for strike-off",
    description=(
        "Members of the organization's subtree, still in the Party, who missed the regular "
        "meeting without a valid reason in at least 3 months of `year` (QĐ 24 §8.1): the "
        "committee considers striking them off. Needs the view capability."
    ),
)
def list_strike_off_flags(request, org_uuid: UUID, filters: Query[OrgYearFilters]):
    org = get_organization(scope_of(request), org_uuid)
    today = timezone.localdate()
    year = min(filters.year or today.year, today.year)
    flags, meta = _page(selectors.strike_off_flags(org, year), filters)
    items = [
        {
            "member": f.member_uuid,
            "full_name": f.name,
            "cell": f.cell,
            "status": f.status,
            "months": f.months,
            "dues_months": f.dues_months,
        }
        for f in flags
    ]
    return {"year": year, "items": items, **meta}


@router.get(
    "/organizations/{org_uuid}/badges-due",
    response={200: BadgesDuePage, **READ_ERRORS},
    operation_id="list_badges_due",
    summary="Party badges due",
    description=(
        "Members of the organization's subtree due a party badge at an award date (the next "
        "one by default, or `on`, one of `award_dates`): the highest level their party age "
        "reaches by then, above any badge awarded. Needs the view capability."
    ),
)
def list_badges_due(request, org_uuid: UUID, filters: Query[BadgesDueFilters]):
    org = get_organization(scope_of(request), org_uuid)
    dates = selectors.award_dates_from(timezone.localdate())
    if filters.on and filters.on not in dates:
        message = _("Choose one of the next award dates: %(dates)s.") % {
            "dates": ", ".join(d.isoformat() for d in dates)
        }
        raise ApiValidationError(error_at(("query", "on"), message))
    on = filters.on or dates[0]
    due, meta = _page(selectors.badges_due(org, on), filters)
    items = [
        {
            "member": member_ref(b.member),
            "cell": b.member.organization.name,
            "years": b.badge,
            "reached_on": b.reached_on,
            "party_age": b.party_age,
            "last_awarded": b.last_awarded,
        }
        for b in due
    ]
    return {"on": on, "award_dates": dates, "items": items, **meta}
