"""GET /api/v1/campaigns and PUT /api/v1/campaigns/{uuid}/results/{org}: scope, the service's
refusals as 422 (nothing written). Every role × target: accounts/tests/test_api_authorization_matrix.py."""

import datetime as dt

import pytest
from django.test import Client

from accounts.models import ApiToken
from campaigns.models import CampaignResult
from campaigns.tests.targets import campaign_in


def api(world, username):
    _t, raw = ApiToken.issue(world.user(username), "test")
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def test_the_list_holds_the_campaigns_above_and_inside_the_scope(world, campaign):
    inside = campaign_in(world, "K1", name="Thôn Đông")
    campaign_in(world, "K2", name="Thôn Tây")
    campaign_in(world, "P2", name="Tỉnh khác")
    r = api(world, "secretary_k1").get("/api/v1/campaigns")
    assert r.status_code == 200
    names = [c["name"] for c in r.json()["items"]]
    assert sorted(names) == sorted([campaign.name, inside.name])
    item = next(c for c in r.json()["items"] if c["name"] == campaign.name)
    assert item["organization"]["uuid"] == str(world.org("P1").uuid)
    assert item["collects_rice"] is True and item["ends_on"] is None


def test_the_list_filtered_by_an_organization(world, campaign):
    campaign_in(world, "C2", name="Phường Bắc Sơn")
    client = api(world, "staff_p1")
    r = client.get("/api/v1/campaigns", {"org": str(world.org("K1").uuid)})
    assert [c["name"] for c in r.json()["items"]] == [campaign.name]
    assert client.get("/api/v1/campaigns", {"org": str(world.org("K4").uuid)}).status_code == 404


def put(client, campaign, org, body):
    return client.put(
        f"/api/v1/campaigns/{campaign.uuid}/results/{org.uuid}",
        data=body,
        content_type="application/json",
    )


def test_a_secretary_records_and_clears_their_cell(world, campaign):
    k1 = world.org("K1")
    client = api(world, "secretary_k1")
    body = {"month": "2025-09-17", "amount_vnd": 4400000, "rice_kg": "19.5", "beneficiaries": 3}
    r = put(client, campaign, k1, body)
    assert r.status_code == 200, r.content
    assert r.json() | {} == {
        "campaign": str(campaign.uuid),
        "organization": {"uuid": str(k1.uuid), "name": k1.name},
        "month": "2025-09-01",
        "amount_vnd": 4400000,
        "rice_kg": 19.5,
        "beneficiaries": 3,
        "note": "",
        "changed": True,
    }
    assert put(client, campaign, k1, body).json()["changed"] is False
    r = put(client, campaign, k1, {"month": "2025-09-01"})
    assert r.json()["changed"] is True and not CampaignResult.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"month": "2025-09-01", "amount_vnd": -1}, "cannot be negative"),
        ({"month": "2024-12-01", "amount_vnd": 1}, "outside the campaign's dates"),
        ({"month": "2099-01-01", "amount_vnd": 1}, "in the future"),
    ],
)
def test_refusals_are_422_and_write_nothing(world, campaign, body, message):
    r = put(api(world, "secretary_k1"), campaign, world.org("K1"), body)
    assert r.status_code == 422
    assert message in str(r.json())
    assert not CampaignResult.objects.exists()


def test_a_committee_member_reads_but_does_not_record(world, campaign):
    r = put(api(world, "committee_c1"), campaign, world.org("K1"), {"month": "2025-09-01"})
    assert r.status_code == 403


def test_an_organization_outside_the_campaign_is_404(world):
    c = campaign_in(world, "C1", starts_on=dt.date(2025, 1, 1))
    r = put(api(world, "staff_p1"), c, world.org("K3"), {"month": "2025-09-01", "amount_vnd": 1})
    assert r.status_code == 404 and not CampaignResult.objects.exists()
