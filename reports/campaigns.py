"""`campaigns`: emulation campaigns over a period (brief §15, seed 000 #5: "Tiết kiệm làm theo
Bác", ≈ 4,4 billion VND, 19.741 kg of rice, 2.025 people helped).

The monthly results (campaigns.CampaignResult) of the organization's subtree whose month
overlaps [from, to] — a month counts whole as soon as one of its days is in the period — summed
by the unit directly below (down to the cell). The campaigns are those seen at the
organization: launched by it or above it (it takes part), or inside its subtree; `campaign`
(a uuid) picks one, otherwise every such campaign running during the period is summed, and
each has its own group. "Organizations reporting": the organizations with at least one result
in the period.

Three queries whatever the size of the subtree: the children, the campaigns, the results
grouped by campaign and organization.
"""

import uuid as uuidlib
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignResult, first_of_month
from campaigns.selectors import relevant_at
from organizations.models import Organization, subtree_q
from organizations.selectors import sort_nodes
from reports.periods import Period
from reports.registry import (
    Column,
    Filter,
    Group,
    Item,
    Report,
    Result,
    Rollup,
    active_q,
    register,
)

FIGURES = ("amount_vnd", "rice_kg", "beneficiaries")


@register
class CampaignsReport(Report):
    name = "campaigns"
    title = _("Emulation campaigns")
    description = _(
        "Money, rice and people helped recorded each month by the cells and committees for "
        "the emulation campaigns (such as “Tiết kiệm làm theo Bác”), by unit, for one "
        "campaign or all of them."
    )
    params = ("org", "from", "to", "campaign")
    as_of = False
    chart_column = "amount_vnd"
    columns = [
        Column("amount_vnd", _("Money (VND)")),
        Column("rice_kg", _("Rice (kg)"), decimals=2),
        Column("beneficiaries", _("People helped")),
        Column("reporting", _("Organizations reporting")),
    ]

    def compute(self, org: Organization, period: Period, campaign: str = "", **options) -> Result:
        # 1. The direct children.
        children = sort_nodes(
            Organization.objects.filter(active_q(period.end)).filter(
                subtree_q(org.path), depth=org.depth + 1
            )
        )
        roll = Rollup(org, children)
        # 2. The campaigns seen at the organization; one of them when asked (else 404).
        seen = list(relevant_at(org).order_by("-starts_on", "name"))
        if campaign:
            try:
                wanted = uuidlib.UUID(campaign)
            except ValueError as e:
                raise Http404 from e
            chosen = [c for c in seen if c.uuid == wanted]
            if not chosen:
                raise Http404
        else:
            chosen = [
                c
                for c in seen
                if c.starts_on <= period.end and (c.ends_on is None or c.ends_on >= period.start)
            ]
        # 3. The results of the period, grouped by campaign and organization.
        rows = (
            CampaignResult.objects.filter(
                subtree_q(org.path, "organization__"),
                campaign_id__in=[c.pk for c in chosen],
                month__gte=first_of_month(period.start),
                month__lte=period.end,
            )
            .values_list("campaign_id", "organization__path")
            .annotate(
                amount_vnd=Sum("amount_vnd"),
                rice_kg=Sum("rice_kg"),
                beneficiaries=Sum("beneficiaries"),
            )
            .order_by()
            if chosen
            else []
        )
        per_campaign = {c.pk: dict.fromkeys(FIGURES, 0) | {"reporting": 0} for c in chosen}
        reporting = set()
        for campaign_id, path, amount, rice, people in rows:
            values = {"amount_vnd": amount or 0, "rice_kg": rice or Decimal(0)}
            values["beneficiaries"] = people or 0
            for key, n in values.items():
                roll.add(path, key, n)
                per_campaign[campaign_id][key] += n
            per_campaign[campaign_id]["reporting"] += 1
            reporting.add(path)
        for path in reporting:
            roll.add(path, "reporting")
        total, child_rows = roll.rows(children)
        groups = [
            Group(
                f"campaign-{c.uuid}",
                c.name,
                [
                    Item("amount_vnd", _("Money (VND)"), per_campaign[c.pk]["amount_vnd"]),
                    Item(
                        "rice_kg", _("Rice (kg)"), per_campaign[c.pk]["rice_kg"], None, decimals=2
                    ),
                    Item("beneficiaries", _("People helped"), per_campaign[c.pk]["beneficiaries"]),
                    Item(
                        "reporting", _("Organizations reporting"), per_campaign[c.pk]["reporting"]
                    ),
                ],
                chart=False,
            )
            for c in chosen
        ]
        notes = [
            _(
                "A month's results count when the month overlaps the period. A committee's own "
                "results count in the total but in no unit below."
            )
        ]
        if not chosen:
            notes.append(_("No campaign ran during the period."))
        filters = [
            Filter(
                "campaign",
                _("Campaign"),
                [("", _("All campaigns"))] + [(str(c.uuid), c.name) for c in seen],
                str(chosen[0].uuid) if campaign else "",
            )
        ]
        return Result(self, org, period, self.columns, total, child_rows, groups, notes, filters)
