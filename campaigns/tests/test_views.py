"""The campaign pages: who sees and does what, the month sheet all or nothing, and constant
queries. (Every role × target is in accounts/tests/test_authorization_matrix.py.)"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignResult
from campaigns.tests.targets import campaign_in

D = dt.date


def login(client, world, name):
    client.force_login(world.user(name))
    return client


def sheet_url(campaign, org, month=None):
    url = reverse("campaigns:sheet", args=[campaign.uuid, org.uuid])
    return url + (f"?month={month:%Y-%m}" if month else "")


def test_the_list_shows_the_province_campaign_to_a_cell_secretary(client, world, campaign):
    other = campaign_in(world, "K2", name="Phong trào thôn Tây")
    r = login(client, world, "secretary_k1").get(reverse("campaigns:list"))
    assert r.status_code == 200
    body = r.content.decode()
    assert campaign.name in body and other.name not in body
    assert reverse("campaigns:create", args=[world.org("K1").uuid]) not in body  # not staff


def test_the_list_offers_staff_to_launch_one(client, world, campaign):
    body = login(client, world, "staff_c1").get(reverse("campaigns:list")).content.decode()
    assert reverse("campaigns:create", args=[world.org("C1").uuid]) in body


def test_the_list_is_404_without_an_organization_role(client, world, campaign):
    assert login(client, world, "member_k1").get(reverse("campaigns:list")).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, world, campaign):
    for url in (
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[campaign.uuid]),
        sheet_url(campaign, world.org("K1")),
    ):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_the_list_reads_a_constant_number_of_queries(
    client, world, campaign, django_assert_num_queries
):
    login(client, world, "staff_p1")
    client.get(reverse("campaigns:list"))
    with django_assert_num_queries(5) as ctx:
        client.get(reverse("campaigns:list"))
    for i in range(3):
        campaign_in(world, "C1", name=f"Phong trào {i}")
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert "Phong trào 2" in client.get(reverse("campaigns:list")).content.decode()


def test_staff_launch_a_campaign(client, world):
    c1 = world.org("C1")
    login(client, world, "staff_c1")
    url = reverse("campaigns:create", args=[c1.uuid])
    r = client.post(
        url, {"name": "Tết vì người nghèo", "starts_on": "01/01/2025", "collects_money": "on"}
    )
    c = Campaign.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("campaigns:detail", args=[c.uuid])
    assert (c.organization, c.province, c.created_by) == (
        c1,
        world.org("P1"),
        world.user("staff_c1"),
    )
    assert c.figures == ["amount_vnd"]


def test_a_bad_campaign_form_writes_nothing(client, world):
    login(client, world, "staff_c1")
    url = reverse("campaigns:create", args=[world.org("C1").uuid])
    r = client.post(
        url,
        {"name": "X", "starts_on": "01/05/2025", "ends_on": "01/04/2025", "collects_money": "on"},
    )
    assert r.status_code == 400 and not Campaign.objects.exists()
    assert "không thể kết thúc trước khi bắt đầu" in r.content.decode()
    r = client.post(url, {"name": "X", "starts_on": "01/05/2025"})
    assert r.status_code == 400 and "ít nhất một chỉ tiêu" in r.content.decode()


def test_only_staff_of_the_launching_committee_edit(client, world, campaign):
    url = reverse("campaigns:edit", args=[campaign.uuid])
    assert login(client, world, "staff_c1").get(url).status_code == 403  # sees it, below
    assert login(client, world, "staff_p2").get(url).status_code == 404  # another province
    login(client, world, "staff_p1")
    r = client.post(
        url,
        {
            "name": "Tiết kiệm làm theo Bác 2025",
            "starts_on": "01/01/2025",
            "ends_on": "31/12/2025",
            "collects_money": "on",
            "collects_rice": "on",
            "collects_beneficiaries": "on",
        },
    )
    assert r.status_code == 302
    campaign.refresh_from_db()
    assert campaign.ends_on == D(2025, 12, 31)


def test_the_detail_shows_a_secretary_their_own_part_and_sheet(client, world, campaign):
    k1, k2 = world.org("K1"), world.org("K2")
    for org, amount in ((k1, 500_000), (k2, 4_000_000)):
        CampaignResult.objects.create(
            province=world.org("P1"),
            campaign=campaign,
            organization=org,
            month=D(2025, 9, 1),
            amount_vnd=amount,
        )
    r = login(client, world, "secretary_k1").get(reverse("campaigns:detail", args=[campaign.uuid]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "500.000 đ" in body and "4.500.000" not in body  # K1's part only
    assert sheet_url(campaign, k1) in body
    assert reverse("campaigns:edit", args=[campaign.uuid]) not in body


def test_a_campaign_of_another_commune_is_404(client, world):
    c = campaign_in(world, "C2")
    r = login(client, world, "staff_c1").get(reverse("campaigns:detail", args=[c.uuid]))
    assert r.status_code == 404


# ---- the month sheet --------------------------------------------------------------------


def test_the_commune_sheet_lists_itself_and_its_cells(client, world, campaign):
    c1 = world.org("C1")
    r = login(client, world, "staff_c1").get(sheet_url(campaign, c1, D(2025, 9, 1)))
    assert r.status_code == 200
    names = [row.org.code for row in r.context["rows"]]
    assert names == ["C1", "K1", "K2"]


def test_a_secretary_records_their_cell_in_vietnamese_numbers(client, world, campaign):
    k1 = world.org("K1")
    login(client, world, "secretary_k1")
    url = sheet_url(campaign, k1, D(2025, 9, 1))
    r = client.post(
        url,
        {
            "month": "2025-09",
            f"o_{k1.pk}": "1",
            f"m_{k1.pk}": "4.400.000",
            f"r_{k1.pk}": "19.741",
            f"b_{k1.pk}": "25",
            f"n_{k1.pk}": "",
        },
    )
    assert r.status_code == 302
    result = CampaignResult.objects.get()
    assert (result.amount_vnd, result.rice_kg, result.beneficiaries) == (4400000, 19741, 25)
    with timezone.override("Asia/Ho_Chi_Minh"):
        page = client.get(url)
    assert 'value="4400000"' in page.content.decode() and 'value="19741"' in page.content.decode()


def test_a_secretary_cannot_open_the_commune_or_a_sibling_sheet(client, world, campaign):
    login(client, world, "secretary_k1")
    assert client.get(sheet_url(campaign, world.org("C1"))).status_code == 404
    assert client.get(sheet_url(campaign, world.org("K2"))).status_code == 404
    # A committee member reads but does not record.
    login(client, world, "committee_c1")
    assert client.get(sheet_url(campaign, world.org("K1"))).status_code == 403


def test_an_organization_outside_the_campaign_is_404(client, world):
    c = campaign_in(world, "C1")
    login(client, world, "staff_p1")
    assert client.get(sheet_url(c, world.org("K3"))).status_code == 404


def test_a_bad_row_saves_nothing_and_keeps_what_was_typed(client, world, campaign):
    c1, k1, k2 = world.org("C1"), world.org("K1"), world.org("K2")
    login(client, world, "staff_c1")
    r = client.post(
        sheet_url(campaign, c1, D(2025, 9, 1)),
        {
            "month": "2025-09",
            f"o_{k1.pk}": "1",
            f"m_{k1.pk}": "100.000",
            f"o_{k2.pk}": "1",
            f"m_{k2.pk}": "-3",
        },
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "Chi bộ thôn Tây: tiền không được âm." in body  # pages are in Vietnamese
    assert "Chưa có gì được lưu." in body and 'value="100.000"' in body
    assert not CampaignResult.objects.exists()


@pytest.mark.parametrize("month", ["2024-12", "2099-01"])
def test_a_month_outside_the_campaign_or_to_come_saves_nothing(client, world, campaign, month):
    k1 = world.org("K1")
    login(client, world, "secretary_k1")
    r = client.post(sheet_url(campaign, k1), {"month": month, f"o_{k1.pk}": "1", f"m_{k1.pk}": "1"})
    assert r.status_code == 400 and not CampaignResult.objects.exists()


def test_the_sheet_reads_a_constant_number_of_queries(
    client, world, campaign, django_assert_num_queries
):
    from organizations import services as org_services
    from organizations.models import CellType, OrgKind

    c1 = world.org("C1")
    login(client, world, "staff_c1")
    url = sheet_url(campaign, c1, D(2025, 9, 1))
    client.get(url)
    with django_assert_num_queries(8) as ctx:
        client.get(url)
    for i in range(3):
        org_services.create_organization(
            parent=c1,
            kind=OrgKind.CELL,
            name=f"Chi bộ Mới {i}",
            code=f"N{i}",
            cell_type=CellType.VILLAGE,
            founded_on=D(2000, 1, 1),
        )
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert len(client.get(url).context["rows"]) == 6
