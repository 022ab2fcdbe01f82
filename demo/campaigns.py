"""Emulation campaigns of the demo province (issue 6), as the campaigns app would hold them
on 31/12/2025 (structure.REF):

- the province's "Tiết kiệm làm theo Bác" for 2025 (money, rice, people helped): about 85 % of
  the cells record a result in about 7 months of 12, and the year adds up to the seed's
  figures (brief §15, seed 000 #5): 4.412.350.000 đ, 19.741 kg of rice, 2.025 people helped;
- the demo commune's "Tết vì người nghèo" (January and February 2025, money and people
  helped), recorded by most of its cells.

Rows are bulk-created (no history), deterministic from the seed; the totals are split over the
rows by largest remainders, so they are exact whatever the scale.
"""

import datetime as dt
import random
import uuid

from campaigns.models import Campaign, CampaignResult
from demo.structure import REF
from demo.users import demo_places
from organizations.models import CELL_KINDS, Organization, subtree_q
from reports.registry import active_q

YEAR = REF.year
PURGE_TABLES = [CampaignResult, Campaign]
PROVINCE_TOTALS = {"amount_vnd": 4_412_350_000, "rice_kg": 19_741, "beneficiaries": 2_025}
COMMUNE_TOTALS = {"amount_vnd": 186_500_000, "beneficiaries": 143}
UNITS = {"amount_vnd": 10_000, "rice_kg": 1, "beneficiaries": 1}  # amounts in 10.000 đ


def _split(total: int, unit: int, weights: list[float]) -> list[int]:
    """`total` in multiples of `unit`, split in proportion to the weights (largest remainders)."""
    units = total // unit
    whole = sum(weights)
    shares = [units * w / whole for w in weights]
    out = [int(s) for s in shares]
    left = units - sum(out)
    order = sorted(range(len(shares)), key=lambda i: shares[i] - out[i], reverse=True)
    for i in order[:left]:
        out[i] += 1
    return [n * unit for n in out]


def _rows(rng, campaign, slots, totals: dict) -> list[CampaignResult]:
    """One result per (organization, month) slot, the totals split over them."""
    figures = {}
    for name, total in totals.items():
        figures[name] = _split(total, UNITS[name], [rng.uniform(0.3, 1.7) for _ in slots])
    return [
        CampaignResult(
            province_id=campaign.province_id,
            campaign=campaign,
            organization_id=org_id,
            month=month,
            **{name: values[i] for name, values in figures.items()},
        )
        for i, (org_id, month) in enumerate(slots)
    ]


def seed_campaigns(province: Organization, seed: int) -> dict:
    """Write the demo campaigns and their monthly results; returns row counts."""
    rng = random.Random(f"{seed}:campaigns")  # noqa: S311 -- reproducible demo data
    uuid_rng = random.Random(f"{province.code}:campaigns:uuid")  # noqa: S311

    def new_uuid():
        return uuid.UUID(int=uuid_rng.getrandbits(128), version=4)

    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    cells = list(
        Organization.objects.filter(subtree_q(province.path), kind__in=CELL_KINDS)
        .filter(active_q(end))
        .order_by("path")
        .values_list("pk", "path")
    )
    bac = Campaign.objects.create(
        uuid=new_uuid(),
        province=province,
        organization=province,
        name="Tiết kiệm làm theo Bác",
        description=(
            "Mỗi đảng viên tiết kiệm một phần chi tiêu hằng tháng để giúp hộ nghèo, người có "
            "hoàn cảnh khó khăn trên địa bàn (Học tập và làm theo tư tưởng, đạo đức, phong "
            "cách Hồ Chí Minh)."
        ),
        starts_on=start,
        ends_on=end,
    )
    months = [dt.date(YEAR, m, 1) for m in range(1, 13)]
    slots = [
        (pk, month)
        for pk, _path in cells
        if rng.random() < 0.85
        for month in months
        if rng.random() < 0.6
    ]
    rows = _rows(rng, bac, slots, PROVINCE_TOTALS)
    commune, _cell, _officials = demo_places(province)
    if commune is not None:
        tet = Campaign.objects.create(
            uuid=new_uuid(),
            province=province,
            organization=commune,
            name="Tết vì người nghèo",
            description="Quyên góp tiền mua quà Tết cho hộ nghèo, gia đình chính sách.",
            starts_on=start,
            ends_on=dt.date(YEAR, 2, 28),
            collects_rice=False,
        )
        own = [pk for pk, path in cells if path.startswith(commune.path)]
        tet_slots = [(pk, m) for pk in own if rng.random() < 0.8 for m in months[:2]]
        rows += _rows(rng, tet, tet_slots, COMMUNE_TOTALS)
    CampaignResult.objects.bulk_create(rows, batch_size=2000)
    return count_rows(province)


def count_rows(province: Organization) -> dict:
    return {
        "campaigns": Campaign.objects.filter(province=province).count(),
        "campaign_results": CampaignResult.objects.filter(province=province).count(),
    }
