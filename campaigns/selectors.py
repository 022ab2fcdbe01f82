"""Which campaigns a user sees, and the month sheet of an organization.

A campaign is seen by everyone who sees its launching organization, and by everyone whose
scope lies inside it (a cell secretary sees the province's campaign: their cell takes part).
Outside that, 404 (accounts.access); editing it needs manage_structure on the launching
organization, entering results manage_members on the organization that reports.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from accounts.access import Cap, Level, Scope
from campaigns.models import Campaign, CampaignResult, first_of_month, month_end
from organizations.models import CELL_KINDS, Organization, subtree_q
from organizations.selectors import STEP, sort_nodes


def _prefixes(path: str) -> list[str]:
    """The paths of an organization and of every organization above it."""
    return [path[:end] for end in range(STEP, len(path) + 1, STEP)]


def visible(scope: Scope) -> QuerySet[Campaign]:
    """Campaigns launched inside the user's scope or above it."""
    qs = Campaign.objects.all()
    if scope.is_admin:
        return qs
    paths = [g.path for g in scope.grants if g.level >= Level.READ]
    if not paths:
        return qs.none()
    above = {p for path in paths for p in _prefixes(path)}
    inside = reduce(or_, (subtree_q(p, "organization__") for p in paths))
    return qs.filter(Q(organization__path__in=above) | inside)


def relevant_at(org: Organization) -> QuerySet[Campaign]:
    """Campaigns an organization takes part in or whose results it sums: those launched by it
    or above it, and those launched inside its subtree."""
    return Campaign.objects.filter(
        Q(organization__path__in=_prefixes(org.path)) | subtree_q(org.path, "organization__")
    )


def get_campaign(scope: Scope, uuid, edit: bool = False) -> Campaign:
    """The campaign if the user sees it (else 404); with edit, PermissionDenied unless they may
    manage the launching organization's structure."""
    try:
        campaign = visible(scope).select_related("organization").get(uuid=uuid)
    except (Campaign.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if edit and not scope.can(Cap.MANAGE_STRUCTURE, campaign.organization):
        raise PermissionDenied
    return campaign


def entry_points(scope: Scope, campaign: Campaign) -> list[Organization]:
    """The organizations whose month sheet the user may fill for this campaign: the top of
    each of their grants (cell level or more) inside the campaign, or the launching
    organization when a grant covers it. One query at most."""
    org = campaign.organization
    if scope.is_admin or scope.can(Cap.MANAGE_MEMBERS, org):
        return [org]
    paths = {
        g.path
        for g in scope.grants
        if g.level >= Level.CELL and g.path.startswith(org.path) and g.path != org.path
    }
    roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    if not roots:
        return []
    return sort_nodes(Organization.objects.filter(path__in=roots, dissolved_on__isnull=True))


def own_part(scope: Scope, campaign: Campaign) -> Organization | None:
    """The part of the campaign the user sees: the launching organization, or (for a scope
    inside it) the top of their grants there. One query at most."""
    org = campaign.organization
    if scope.can(Cap.VIEW, org):
        return org
    paths = sorted(g.path for g in scope.grants if g.path.startswith(org.path))
    return Organization.objects.filter(path=paths[0]).first() if paths else None


def totals(campaign: Campaign, org: Organization | None = None) -> dict:
    """Money, rice and people helped recorded so far (in the subtree of `org`). One query."""
    qs = campaign.results.all()
    if org is not None:
        qs = qs.filter(subtree_q(org.path, "organization__"))
    t = qs.aggregate(
        amount_vnd=Sum("amount_vnd"), rice_kg=Sum("rice_kg"), beneficiaries=Sum("beneficiaries")
    )
    return {
        "amount_vnd": t["amount_vnd"] or 0,
        "rice_kg": t["rice_kg"] or Decimal(0),
        "beneficiaries": t["beneficiaries"] or 0,
    }


# ---- the month sheet ------------------------------------------------------------------------


@dataclass
class SheetRow:
    org: Organization
    record: CampaignResult | None = None
    posted: object = None  # a ResultRow sent back with an error: shown as typed
    error: str = ""

    def _value(self, name):
        if self.posted is not None:
            return getattr(self.posted, name)
        if self.record is None:
            return ""
        value = getattr(self.record, name)
        if isinstance(value, Decimal):
            # 19741.00 → "19741", 12.50 → "12,5": what a Vietnamese user types.
            text = f"{value.normalize():f}"
            return text.replace(".", ",")
        return value if name == "note" else str(value)

    @property
    def amount_input(self):
        return self._value("amount_vnd")

    @property
    def rice_input(self):
        return self._value("rice_kg")

    @property
    def beneficiaries_input(self):
        return self._value("beneficiaries")

    @property
    def note_input(self):
        return self._value("note")


def sheet_orgs(org: Organization, month: dt.date) -> list[Organization]:
    """The rows of an organization's sheet: itself, then the cells below it that exist during
    the month. One query."""
    first = first_of_month(month)
    qs = Organization.objects.filter(subtree_q(org.path)).filter(
        Q(pk=org.pk)
        | (
            Q(kind__in=CELL_KINDS)
            & (Q(founded_on__isnull=True) | Q(founded_on__lte=month_end(first)))
            & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=first))
        )
    )
    rows = list(qs)
    own = [o for o in rows if o.pk == org.pk]
    return own + sorted((o for o in rows if o.pk != org.pk), key=lambda o: o.path)


def month_sheet(campaign: Campaign, org: Organization, month: dt.date) -> list[SheetRow]:
    """One row per organization of the sheet with the month's record. Two queries."""
    orgs = sheet_orgs(org, month)
    records = {
        r.organization_id: r
        for r in CampaignResult.objects.filter(
            campaign=campaign, month=first_of_month(month), organization__in=[o.pk for o in orgs]
        )
    }
    return [SheetRow(o, records.get(o.pk)) for o in orgs]


def sheet_summary(rows: list[SheetRow]) -> dict:
    recorded = [r.record for r in rows if r.record is not None]
    return {
        "rows": len(rows),
        "reported": len(recorded),
        "amount_vnd": sum(r.amount_vnd for r in recorded),
        "rice_kg": sum((r.rice_kg for r in recorded), Decimal(0)),
        "beneficiaries": sum(r.beneficiaries for r in recorded),
    }
