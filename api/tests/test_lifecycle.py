"""The lifecycle API: a member's decisions, card and badges; strike-off flags and badges due."""

import datetime as dt
import json

import pytest

from lifecycle import services
from lifecycle.models import BadgeAward, CardEvent, StatusDecision
from lifecycle.tests.test_strike_off import absent, meeting
from members.models import Member, MemberStatus

JSON = "application/json"


def post(client, path, body=None, lang=None):
    return client.post(
        f"/api/v1{path}",
        data=json.dumps(body or {}),
        content_type=JSON,
        headers={"Accept-Language": lang} if lang else {},
    )


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")


def suspension(world, **extra):
    return {
        "kind": "suspension",
        "decision_no": "4-QĐ/ĐU",
        "decision_date": "2025-08-01",
        "effective_date": "2025-08-01",
        "end_date": "2025-10-31",
        "deciding_organization": str(world.org("C1").uuid),
        "reason": "Đang xem xét kỷ luật",
        **extra,
    }


# ---- read ------------------------------------------------------------------------------


def test_the_members_life(token_client, anon, world, duc, django_assert_max_num_queries):
    services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    services.award_badge(duc, years=30, award_date=dt.date(2020, 9, 2), decision_no="7-QĐ/TU")
    client = token_client("staff_c1")
    client.get("/api/v1/me")
    with django_assert_max_num_queries(12):
        r = client.get(f"/api/v1/members/{duc.uuid}/life")
    assert r.status_code == 200
    d = r.json()
    assert d["card_state"] == "active"
    assert d["card_events"][0]["card_no"] == "01234567"
    assert d["badge_awards"][0]["years"] == 30
    assert d["can_manage"] is True
    assert (
        token_client("committee_c1").get(f"/api/v1/members/{duc.uuid}/life").json()["can_manage"]
        is False
    )
    r = token_client("staff_p2").get(f"/api/v1/members/{duc.uuid}/life")
    assert r.status_code == 404
    assert duc.person.full_name not in text(r)
    assert anon.get(f"/api/v1/members/{duc.uuid}/life").status_code == 401


# ---- write -----------------------------------------------------------------------------


def test_recording_a_decision(token_client, anon, world, duc):
    path = f"/members/{duc.uuid}/decisions"
    # The cell's secretary manages members, not committee decisions.
    assert post(token_client("secretary_k1"), path, suspension(world)).status_code == 403
    assert post(token_client("committee_c1"), path, suspension(world)).status_code == 403
    assert post(token_client("staff_p2"), path, suspension(world)).status_code == 404
    assert post(anon, path, suspension(world)).status_code == 401
    assert not StatusDecision.objects.exists()
    r = post(token_client("staff_c1"), path, suspension(world))
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "suspended"
    assert r.json()["decisions"][0]["deciding_organization"]["name"] == world.org("C1").name


def test_a_refused_decision_is_a_422_and_writes_nothing(token_client, world, duc):
    client = token_client("staff_c1")
    path = f"/members/{duc.uuid}/decisions"
    before = Member.history.count()
    # A suspension must say when it ends (the service's rule).
    r = post(client, path, suspension(world, end_date=None))
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "end_date"
    # The deciding organization is the member's cell or above, named by uuid.
    r = post(client, path, suspension(world, deciding_organization=str(world.org("K4").uuid)))
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "deciding_organization"
    assert world.org("K4").name not in text(r)
    # A decision the status does not allow (ending a suspension that was never made).
    r = post(client, path, suspension(world, kind="suspension_end", end_date=None))
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "kind"
    r = post(client, path, {"kind": "promotion"})
    assert r.status_code == 422
    assert "kind" in {e["field"] for e in r.json()["detail"]}
    assert not StatusDecision.objects.exists()
    assert Member.history.count() == before
    duc.refresh_from_db()
    assert duc.status == MemberStatus.OFFICIAL


def test_card_badge_and_interruption(token_client, world, duc):
    client = token_client("staff_p1")
    r = post(
        client,
        f"/members/{duc.uuid}/card-events",
        {"kind": "issue", "card_no": "01234567", "series": "2003", "date": "2004-01-05"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["card_state"] == "active"
    # Issued already: a second issue is not one of the events possible now.
    r = post(
        client,
        f"/members/{duc.uuid}/card-events",
        {"kind": "issue", "card_no": "01234568", "date": "2004-01-05"},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "kind"
    assert CardEvent.objects.count() == 1
    r = post(
        client,
        f"/members/{duc.uuid}/badges",
        {"years": 30, "award_date": "2020-09-02", "decision_no": "7-QĐ/TU"},
    )
    assert r.status_code == 201, r.content
    # Not yet 70 years of party age.
    r = post(
        client,
        f"/members/{duc.uuid}/badges",
        {"years": 70, "award_date": "2020-09-02", "decision_no": "8-QĐ/TU"},
    )
    assert r.status_code == 422
    assert BadgeAward.objects.count() == 1
    r = post(
        client,
        f"/members/{duc.uuid}/interruptions",
        {"start_date": "2001-01-01", "end_date": "2001-01-10", "note": "Gián đoạn"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["interruptions"][0]["days"] == 10
    r = post(
        client,
        f"/members/{duc.uuid}/interruptions",
        {"start_date": "2001-02-10", "end_date": "2001-02-01", "note": "Sai"},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "end_date"


# ---- per organization ------------------------------------------------------------------


def test_strike_off_flags(token_client, anon, world, duc, django_assert_max_num_queries):
    k1 = world.org("K1")
    for month in (7, 8, 9):
        absent(duc, meeting(k1, month, year=2025))
    client = token_client("committee_c1")
    client.get("/api/v1/me")
    path = f"/api/v1/organizations/{world.org('C1').uuid}/strike-off-flags"
    with django_assert_max_num_queries(5):  # token, roles, the org, absences, unpaid dues
        r = client.get(path, {"year": 2025})
    assert r.status_code == 200
    assert r.json()["year"] == 2025
    assert [(i["full_name"], i["months"], i["dues_months"]) for i in r.json()["items"]] == [
        ("Nguyễn Văn Đức", [7, 8, 9], [])
    ]
    assert client.get(path, {"year": 2024}).json()["items"] == []
    assert client.get(path, {"year": "x"}).status_code == 422
    assert token_client("staff_p2").get(path).status_code == 404
    assert anon.get(path).status_code == 401


def test_badges_due(token_client, world, django_assert_max_num_queries):
    client = token_client("staff_p1")
    client.get("/api/v1/me")
    path = f"/api/v1/organizations/{world.org('P1').uuid}/badges-due"
    with django_assert_max_num_queries(4):
        r = client.get(path)
    assert r.status_code == 200
    d = r.json()
    assert d["on"] == d["award_dates"][0]
    assert d["count"] == len(d["items"])
    assert all(i["years"] >= 30 for i in d["items"])
    r = client.get(path, {"on": "2026-12-25"}, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "on"
    assert r.json()["detail"][0]["msg"].startswith("Choose one of the next award dates")
    assert token_client("staff_p2").get(path).status_code == 404
