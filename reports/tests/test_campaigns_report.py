"""The campaigns report: figures vs raw SQL for the organization and each child, one campaign
or all, the months counted, a constant number of queries, and the page, XLSX and API."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.http import Http404
from django.urls import reverse

from accounts.models import ApiToken
from campaigns.models import CampaignResult
from campaigns.tests.targets import campaign_in
from reports.periods import Period
from reports.registry import fmt_number, get_report

D = dt.date
YEAR = Period(D(2025, 1, 1), D(2025, 12, 31))


def compute(org, period=YEAR, **options):
    return get_report("campaigns").compute(org, period, **options)


def result(campaign, org, month, money=0, rice=0, people=0):
    return CampaignResult.objects.create(
        province_id=org.province_id or org.pk,
        campaign=campaign,
        organization=org,
        month=month,
        amount_vnd=money,
        rice_kg=Decimal(str(rice)),
        beneficiaries=people,
    )


@pytest.fixture
def data(world):
    """The province's campaign (P1), a commune's (C1), one of the other province (P2)."""
    p1, c1 = world.org("P1"), world.org("C1")
    k1, k2, k3, g1 = (world.org(c) for c in ("K1", "K2", "K3", "G1"))
    bac = campaign_in(world, "P1", name="Tiết kiệm làm theo Bác", starts_on=D(2025, 1, 1))
    tet = campaign_in(
        world, "C1", name="Tết vì người nghèo", starts_on=D(2025, 1, 1), ends_on=D(2025, 2, 28)
    )
    old = campaign_in(world, "P1", name="Cũ", starts_on=D(2020, 1, 1), ends_on=D(2020, 12, 31))
    far = campaign_in(world, "P2", name="Tỉnh khác", starts_on=D(2025, 1, 1))
    result(bac, k1, D(2025, 3, 1), 1_200_000_000, "5000.5", 500)
    result(bac, k1, D(2025, 4, 1), 800_000_000, 4000, 400)
    result(bac, k2, D(2025, 3, 1), 1_000_000_000, "5740.5", 625)
    result(bac, k3, D(2025, 5, 1), 900_000_000, 4000, 300)
    result(bac, g1, D(2025, 6, 1), 500_000_000, 1000, 200)
    result(bac, c1, D(2025, 6, 1), 1_000_000, 0, 0)  # the commune's own
    result(bac, k1, D(2024, 12, 1), 7, 7, 7)  # before the period (and the campaign)
    result(tet, k1, D(2025, 1, 1), 30_000_000, 200, 20)
    result(tet, k2, D(2025, 2, 1), 20_000_000, 100, 10)
    result(old, k1, D(2020, 5, 1), 99, 99, 99)
    result(far, world.org("K4"), D(2025, 3, 1), 5, 5, 5)
    return {"bac": bac, "tet": tet, "old": old, "far": far, "p1": p1}


def raw(org, start, end, campaign_ids):
    """Money, rice, people and organizations reporting, in plain SQL."""
    marks = ", ".join(["%s"] * len(campaign_ids))
    with connection.cursor() as c:
        c.execute(
            "SELECT COALESCE(SUM(r.amount_vnd), 0), COALESCE(SUM(r.rice_kg), 0), "
            " COALESCE(SUM(r.beneficiaries), 0), COUNT(DISTINCT r.organization_id) "
            "FROM campaigns_campaignresult r "
            "JOIN organizations_organization o ON o.id = r.organization_id "
            f"WHERE substr(o.path, 1, %s) = %s AND r.campaign_id IN ({marks}) "
            "AND r.month >= %s AND r.month <= %s",
            [len(org.path), org.path, *campaign_ids, start, end],
        )
        money, rice, people, n = c.fetchone()
    return {
        "amount_vnd": int(money),
        "rice_kg": Decimal(str(rice)).quantize(Decimal("0.01")),
        "beneficiaries": int(people),
        "reporting": n,
    }


def values(row):
    v = {k: row.values.get(k, 0) for k in ("amount_vnd", "beneficiaries", "reporting")}
    v["rice_kg"] = Decimal(row.values.get("rice_kg", 0)).quantize(Decimal("0.01"))
    return v


@pytest.mark.parametrize("code", ["P1", "C1", "K1", "U1"])
def test_all_campaigns_match_sql_for_the_organization_and_each_child(world, data, code):
    org = world.org(code)
    ids = [data["bac"].pk, data["tet"].pk]  # running in 2025 and seen from P1's subtree
    res = compute(org)
    assert values(res.total) == raw(org, D(2025, 1, 1), D(2025, 12, 31), ids)
    for row in res.rows:
        assert values(row) == raw(row.org, D(2025, 1, 1), D(2025, 12, 31), ids), row.org.code


def test_the_province_totals_and_a_group_per_campaign(world, data):
    res = compute(world.org("P1"))
    assert res.total.values["amount_vnd"] == 4_401_000_000 + 50_000_000
    assert res.total.values["rice_kg"] == Decimal("19741.00") + 300
    assert res.total.values["beneficiaries"] == 2025 + 30
    assert res.total.values["reporting"] == 5  # K1, K2, K3, G1 and C1 itself
    assert [g.title for g in res.groups] == ["Tiết kiệm làm theo Bác", "Tết vì người nghèo"]
    bac = {i.key: i.value for i in res.groups[0].items}
    assert bac == {
        "amount_vnd": 4_401_000_000,
        "rice_kg": Decimal("19741.00"),
        "beneficiaries": 2025,
        "reporting": 5,
    }
    assert not res.groups[0].chart
    c1_row = next(r for r in res.rows if r.org.code == "C1")
    assert c1_row.values["amount_vnd"] == 3_000_000_000 + 1_000_000 + 50_000_000
    # Seen from C1, its own result counts in the total, in no child.
    at_c1 = compute(world.org("C1"))
    children = sum(r.values.get("amount_vnd", 0) for r in at_c1.rows)
    assert at_c1.total.values["amount_vnd"] - children == 1_000_000


def test_one_campaign_chosen_by_its_uuid(world, data):
    p1 = world.org("P1")
    res = compute(p1, campaign=str(data["tet"].uuid))
    assert res.total.values["amount_vnd"] == 50_000_000
    assert [g.title for g in res.groups] == ["Tết vì người nghèo"]
    assert res.options_query == f"campaign={data['tet'].uuid}"
    # A campaign of another province, or not a uuid: 404.
    with pytest.raises(Http404):
        compute(p1, campaign=str(data["far"].uuid))
    with pytest.raises(Http404):
        compute(p1, campaign="nope")
    # Seen from K3 (under C2), C1's campaign is not one it takes part in.
    with pytest.raises(Http404):
        compute(world.org("K3"), campaign=str(data["tet"].uuid))


def test_a_month_counts_when_it_overlaps_the_period(world, data):
    k1 = world.org("K1")
    res = compute(k1, Period(D(2025, 3, 15), D(2025, 4, 10)), campaign=str(data["bac"].uuid))
    assert res.total.values["amount_vnd"] == 2_000_000_000


def test_a_finished_campaign_is_left_out_by_default_but_can_be_chosen(world, data):
    p1 = world.org("P1")
    assert "Cũ" not in [g.title for g in compute(p1).groups]
    old = compute(p1, Period(D(2020, 1, 1), D(2020, 12, 31)))
    assert old.total.values["amount_vnd"] == 99
    choices = [label for _v, label in compute(p1).filters[0].choices]
    assert choices[1:] == ["Tiết kiệm làm theo Bác", "Tết vì người nghèo", "Cũ"]


def test_rice_is_shown_with_its_decimals_only_when_it_has_some():
    from django.utils import translation

    with translation.override("vi"):
        assert fmt_number(Decimal("19741.00"), 2) == "19.741"
        assert fmt_number(Decimal("12.50"), 2) == "12,5"
        assert fmt_number(4_400_000_000) == "4.400.000.000"


def test_constant_queries_whatever_the_number_of_children_and_campaigns(
    world, data, django_assert_num_queries
):
    from organizations import services as org_services
    from organizations.models import CellType, OrgKind

    c1 = world.org("C1")
    compute(c1)
    with django_assert_num_queries(3):  # children, campaigns, results
        n = len(compute(c1).rows)
    for i in range(3):
        cell = org_services.create_organization(
            parent=c1,
            kind=OrgKind.CELL,
            name=f"Chi bộ thôn Mới {i}",
            code=f"N{i}",
            cell_type=CellType.VILLAGE,
            founded_on=D(2000, 1, 1),
        )
        extra = campaign_in(world, "C1", name=f"Phong trào {i}", starts_on=D(2025, 1, 1))
        result(extra, cell, D(2025, 7, 1), 1000, 1, 1)
    c1.refresh_from_db()
    with django_assert_num_queries(3):
        assert len(compute(c1).rows) == n + 3


def test_the_page_keeps_the_campaign_in_its_links_and_offers_the_choice(client, world, data):
    client.force_login(world.user("staff_p1"))
    p1, tet = world.org("P1"), data["tet"]
    url = reverse("reports:report", args=["campaigns"])
    r = client.get(
        url, {"org": p1.uuid, "from": "01/01/2025", "to": "31/12/2025", "campaign": tet.uuid}
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert f'<option value="{tet.uuid}" selected>' in body
    c1 = world.org("C1")
    assert f"?org={c1.uuid}&amp;from=01/01/2025&amp;to=31/12/2025&amp;campaign={tet.uuid}" in body
    assert "50.000.000" in body
    r = client.get(url, {"org": p1.uuid, "campaign": data["far"].uuid})
    assert r.status_code == 404


def test_a_cell_secretary_sees_the_province_campaign_for_their_cell(client, world, data):
    client.force_login(world.user("secretary_k1"))
    r = client.get(
        reverse("reports:report", args=["campaigns"]),
        {"from": "01/01/2025", "to": "31/12/2025", "campaign": data["bac"].uuid},
    )
    assert r.status_code == 200
    assert r.context["result"].total.values["amount_vnd"] == 2_000_000_000


def test_the_page_reads_a_constant_number_of_queries(
    client, world, data, django_assert_num_queries
):
    client.force_login(world.user("staff_p1"))
    url = reverse("reports:report", args=["campaigns"])
    query = {"org": world.org("P1").uuid, "from": "01/01/2025", "to": "31/12/2025"}
    client.get(url, query)
    with django_assert_num_queries(7):
        client.get(url, query)


def test_the_xlsx_has_the_rice_with_its_decimals(client, world, data):
    client.force_login(world.user("staff_p1"))
    r = client.get(
        reverse("reports:export", args=["campaigns"]),
        {
            "org": world.org("P1").uuid,
            "from": "01/01/2025",
            "to": "31/12/2025",
            "campaign": data["bac"].uuid,
        },
    )
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert 4_401_000_000 in cells and 19741 in cells


def test_the_api_serves_the_report_with_the_campaign(client, world, data):
    _t, raw_token = ApiToken.issue(world.user("staff_p1"), "test")
    r = client.get(
        "/api/v1/reports/campaigns",
        {
            "org": world.org("P1").uuid,
            "from": "2025-01-01",
            "to": "2025-12-31",
            "campaign": data["bac"].uuid,
        },
        headers={"Authorization": f"Bearer {raw_token}"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["total"] == {
        "amount_vnd": 4_401_000_000,
        "rice_kg": 19741.0,
        "beneficiaries": 2025,
        "reporting": 5,
    }
    assert body["groups"][0]["items"][1] == {
        "key": "rice_kg",
        "label": "Gạo (kg)",  # the API speaks Vietnamese by default
        "value": 19741.0,
        "of": None,
        "rate": None,
    }
