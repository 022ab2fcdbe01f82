"""A campaign launched by a given organization of the test world (the authorization matrices'
target: its visibility is that organization's)."""

import datetime as dt

from campaigns.models import Campaign


def campaign_in(world, code: str, **fields) -> Campaign:
    org = world.org(code)
    campaign, _ = Campaign.objects.get_or_create(
        organization=org,
        name=fields.pop("name", f"Tiết kiệm làm theo Bác ({code})"),
        defaults={
            "province_id": org.province_id or org.pk,
            "starts_on": dt.date(2020, 1, 1),
            **fields,
        },
    )
    return campaign
