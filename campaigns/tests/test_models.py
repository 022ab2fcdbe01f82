"""The campaign rules kept by the models and the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from campaigns.models import Campaign, CampaignResult
from campaigns.tests.targets import campaign_in

D = dt.date


def test_a_campaign_cannot_end_before_it_starts(world):
    p1 = world.org("P1")
    c = Campaign(
        organization=p1, province=p1, name="X", starts_on=D(2025, 5, 1), ends_on=D(2025, 4, 1)
    )
    with pytest.raises(ValidationError):
        c.full_clean()
    with pytest.raises(IntegrityError):
        c.save()


def test_a_campaign_collects_at_least_one_figure(world):
    p1 = world.org("P1")
    c = Campaign(organization=p1, province=p1, name="X", starts_on=D(2025, 1, 1))
    c.collects_money = c.collects_rice = c.collects_beneficiaries = False
    with pytest.raises(ValidationError):
        c.full_clean()


def test_months_covered_and_the_subtree_takes_part(world):
    c = campaign_in(world, "C1", starts_on=D(2025, 3, 15), ends_on=D(2025, 6, 10))
    assert not c.covers_month(D(2025, 2, 1))
    assert c.covers_month(D(2025, 3, 1))  # the 15th is in March
    assert c.covers_month(D(2025, 6, 30))
    assert not c.covers_month(D(2025, 7, 1))
    assert c.takes_part(world.org("K1")) and c.takes_part(world.org("C1"))
    assert not c.takes_part(world.org("K3")) and not c.takes_part(world.org("P1"))
    assert c.figures == ["amount_vnd", "rice_kg", "beneficiaries"]


def test_one_result_per_organization_and_month_stored_on_the_first(world):
    c = campaign_in(world, "P1")
    k1 = world.org("K1")
    r = CampaignResult.objects.create(
        province=world.org("P1"), campaign=c, organization=k1, month=D(2025, 9, 17), rice_kg=5
    )
    assert r.month == D(2025, 9, 1)
    with pytest.raises(IntegrityError):
        CampaignResult.objects.create(
            province=world.org("P1"), campaign=c, organization=k1, month=D(2025, 9, 1)
        )


def test_rice_cannot_be_negative_in_the_database(world):
    c = campaign_in(world, "P1")
    with pytest.raises(IntegrityError):
        CampaignResult.objects.create(
            province=world.org("P1"),
            campaign=c,
            organization=world.org("K1"),
            month=D(2025, 9, 1),
            rice_kg=Decimal("-1"),
        )


def test_both_models_follow_their_organization_across_provinces():
    assert Campaign.TENANT_PATH == "organization__"
    assert CampaignResult.TENANT_PATH == "organization__"
