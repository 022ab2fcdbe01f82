"""seed_demo's emulation campaigns (scale small, demo/campaigns.py): the province's "Tiết kiệm
làm theo Bác" adds up to the seed's figures, most cells report, the demo commune has its own
campaign, the report reads them, and the same seed writes the same rows."""

import datetime as dt
import io
import time

from django.core.management import call_command

from campaigns.models import Campaign, CampaignResult
from demo import campaigns as demo_campaigns
from demo import structure
from demo.users import demo_places
from organizations.models import CELL_KINDS, Organization, subtree_q
from reports.periods import Period
from reports.registry import get_report


def seed():
    call_command("seed_demo", scale="small", seed=1, stdout=io.StringIO())
    return Organization.objects.get(depth=1, code=structure.root_code("small", 1))


def snapshot(province):
    return sorted(
        CampaignResult.objects.filter(province=province).values_list(
            "campaign__name",
            "organization__code",
            "month",
            "amount_vnd",
            "rice_kg",
            "beneficiaries",
        )
    )


def test_the_demo_campaigns(db):
    province = seed()
    bac = Campaign.objects.get(province=province, organization=province)
    assert bac.name == "Tiết kiệm làm theo Bác"
    assert (bac.starts_on, bac.ends_on) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))

    # The year adds up to the seed's figures, in the report too.
    res = get_report("campaigns").compute(
        province, Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), campaign=str(bac.uuid)
    )
    assert res.total.values["amount_vnd"] == 4_412_350_000
    assert res.total.values["rice_kg"] == 19_741
    assert res.total.values["beneficiaries"] == 2_025
    cells = Organization.objects.filter(subtree_q(province.path), kind__in=CELL_KINDS).count()
    assert 0.7 * cells <= res.total.values["reporting"] <= cells  # most cells report
    assert sum(r.values.get("amount_vnd", 0) for r in res.rows) == 4_412_350_000

    # The demo commune's own campaign: January and February, no rice.
    commune, _cell, _ = demo_places(province)
    tet = Campaign.objects.get(organization=commune)
    months = set(tet.results.values_list("month", flat=True))
    assert months <= {dt.date(2025, 1, 1), dt.date(2025, 2, 1)} and months
    assert not tet.results.exclude(rice_kg=0).exists()
    assert all(tet.takes_part(r.organization) for r in tet.results.select_related("organization"))

    # The same seed writes the same rows, quickly.
    before = snapshot(province)
    CampaignResult.objects.filter(province=province).delete()
    Campaign.objects.filter(province=province).delete()
    started = time.perf_counter()
    demo_campaigns.seed_campaigns(province, 1)
    assert time.perf_counter() - started < 2  # about 0.1 s on the small scale
    assert snapshot(province) == before
