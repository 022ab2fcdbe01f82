"""Pages: the member's status, card and badges page, its forms, and the per-organization lists."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lifecycle import services
from lifecycle.models import BadgeAward, CardEvent, PartyAgeInterruption, StatusDecision
from lifecycle.tests.test_strike_off import absent, meeting
from members.models import Member, MemberStatus


@pytest.fixture
def nam(world):
    return world.member("Lê Văn Nam", "K1")


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")


def page(member):
    return reverse("lifecycle:member", args=[member.uuid])


# ---- the member page ----------------------------------------------------------------------


def test_the_member_page_links_here(login, nam):
    body = login("secretary_k1").get(nam.get_absolute_url()).content.decode()
    assert page(nam) in body


@pytest.mark.parametrize(
    ("user", "status", "forms"),
    [
        ("admin", 200, True),
        ("staff_p1", 200, True),
        ("staff_c1", 200, True),
        ("committee_c1", 200, False),  # same scope, read only
        ("secretary_k1", 200, False),  # manages members, not committee decisions
        ("staff_p2", 404, False),  # another province
        ("nobody", 404, False),
    ],
)
def test_who_sees_the_member_page_and_its_forms(login, duc, user, status, forms):
    response = login(user).get(page(duc))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert duc.person.full_name in body
        assert (reverse("lifecycle:decision_new", args=[duc.uuid]) in body) is forms
        assert (reverse("lifecycle:badge_new", args=[duc.uuid]) in body) is forms


def test_a_member_sees_their_own_page_but_not_another(login, world):
    client = login("member_k1")  # Trần Thị Hoa
    assert client.get(page(world.member("Trần Thị Hoa", "K1"))).status_code == 200
    assert client.get(page(world.member("Nguyễn Văn Đức", "K1"))).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, duc):
    response = client.get(page(duc))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_member_page_shows_decisions_cards_badges_and_absences(
    login, duc, world, django_assert_num_queries
):
    services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    services.award_badge(duc, years=30, award_date=dt.date(2020, 9, 2), decision_no="7-QĐ/TU")
    services.add_interruption(
        duc, start_date=dt.date(2001, 1, 1), end_date=dt.date(2001, 1, 10), note="Gián đoạn"
    )
    services.record_decision(
        duc,
        kind="suspension",
        decision_no="4-QĐ/ĐU",
        decision_date=dt.date(2025, 8, 1),
        effective_date=dt.date(2025, 8, 1),
        end_date=dt.date(2025, 10, 31),
        deciding_organization=world.org("C1"),
        reason="Đang xem xét kỷ luật",
    )
    k1 = world.org("K1")
    for month in (7, 8, 9):
        absent(duc, meeting(k1, month, year=2026))
    # Dues: K1 records January to April; Đức paid January only.
    from dues.services import PaymentRow, record_payments

    year = timezone.localdate().year
    hoa = world.member("Trần Thị Hoa", "K1")
    record_payments(
        k1, dt.date(year, 1, 1), [PaymentRow(duc.pk, "paid", 30000, paid_on=dt.date(year, 1, 5))]
    )
    for month in (2, 3, 4):
        record_payments(
            k1,
            dt.date(year, month, 1),
            [PaymentRow(hoa.pk, "paid", 30000, paid_on=dt.date(year, month, 5))],
        )
    client = login("staff_c1")
    url = page(duc)
    # 9 + the dues: the member's periods, the months recorded, their rows, the unbroken run;
    # + the audit entry of the view.
    with django_assert_num_queries(14):
        response = client.get(url)
    body = response.content.decode()
    dues_row = body[body.index("Đảng phí chưa đóng") :][:400]
    assert f"2/{year}, 3/{year}, 4/{year}" in dues_row and f"01/{year}" in dues_row, dues_row
    for text in ("01234567", "7-QĐ/TU", "4-QĐ/ĐU", "Đang xem xét kỷ luật", "Gián đoạn", "7/2026"):
        assert text in body
    assert 'class="warn"' in body  # the suspension's period is over but not ended


# ---- recording ----------------------------------------------------------------------------


def test_recording_a_strike_off(login, duc, world):
    client = login("staff_c1")
    url = reverse("lifecycle:decision_new", args=[duc.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "strike_off",
            "decision_no": "15-QĐ/ĐU",
            "decision_date": "01/09/2025",
            "effective_date": "01/09/2025",
            "deciding_organization": world.org("C1").pk,
            "deciding_body": "Ban Thường vụ Đảng ủy xã",
            "ground": "missed_activities",
            "reason": "Bỏ sinh hoạt 3 tháng",
        },
    )
    assert response.status_code == 302
    duc.refresh_from_db()
    assert duc.status == MemberStatus.LEFT and duc.left_reason == "strike_off"
    assert not duc.memberships.current().exists()
    d = StatusDecision.objects.get()
    assert d.deciding_organization.code == "C1"


def test_bad_input_shows_the_error_and_writes_nothing(login, duc, world):
    client = login("staff_c1")
    url = reverse("lifecycle:decision_new", args=[duc.uuid])
    before = Member.history.count()
    response = client.post(
        url,
        {
            "kind": "expulsion",
            "decision_no": "",
            "decision_date": "01/09/2025",
            "effective_date": "01/09/2025",
            "deciding_organization": world.org("K1").pk,
            "reason": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "decision number" in body.lower() or "số quyết định" in body.lower()
    assert not StatusDecision.objects.exists()
    assert Member.history.count() == before


def test_a_deciding_organization_outside_the_member_line_is_not_offered(login, duc, world):
    client = login("staff_p1")
    response = client.post(
        reverse("lifecycle:decision_new", args=[duc.uuid]),
        {
            "kind": "exemption",
            "decision_date": "01/09/2025",
            "effective_date": "01/09/2025",
            "deciding_organization": world.org("K2").pk,
            "ground": "health",
        },
    )
    assert response.status_code == 200
    assert not StatusDecision.objects.exists()


def test_a_member_who_left_gets_no_decision_form(login, duc, world):
    services.record_decision(
        duc,
        kind="death",
        decision_no="1-TB",
        reason="Từ trần",
        decision_date=dt.date(2025, 8, 1),
        effective_date=dt.date(2025, 8, 1),
        deciding_organization=world.org("K1"),
    )
    client = login("staff_c1")
    assert (
        reverse("lifecycle:decision_new", args=[duc.uuid])
        not in client.get(page(duc)).content.decode()
    )
    response = client.get(reverse("lifecycle:decision_new", args=[duc.uuid]))
    assert response.status_code == 302


def test_recording_card_events(login, duc):
    client = login("staff_c1")
    url = reverse("lifecycle:card_event_new", args=[duc.uuid])
    response = client.post(
        url, {"kind": "issue", "card_no": "01234567", "series": "2003", "date": "05/01/2004"}
    )
    assert response.status_code == 302
    response = client.post(url, {"kind": "loss", "date": "01/03/2020", "note": "Mất"})
    assert response.status_code == 302
    response = client.post(url, {"kind": "replacement", "series": "2003", "date": "01/06/2020"})
    assert response.status_code == 302
    assert list(CardEvent.objects.order_by("id").values_list("kind", flat=True)) == [
        "issue",
        "loss",
        "replacement",
    ]
    response = client.post(url, {"kind": "replacement", "date": "01/07/2020", "series": ""})
    assert response.status_code == 200
    assert CardEvent.objects.count() == 3


def test_recording_a_badge_and_an_interruption(login, duc):
    client = login("staff_c1")
    response = client.post(
        reverse("lifecycle:badge_new", args=[duc.uuid]),
        {"years": "30", "award_date": "02/09/2020", "decision_no": "7-QĐ/TU"},
    )
    assert response.status_code == 302
    assert BadgeAward.objects.get().years == 30
    response = client.post(
        reverse("lifecycle:badge_new", args=[duc.uuid]),
        {"years": "40", "award_date": "02/09/2020", "decision_no": "8-QĐ/TU"},
    )
    assert response.status_code == 200  # 40 years only in 2030
    assert BadgeAward.objects.count() == 1
    response = client.post(
        reverse("lifecycle:interruption_new", args=[duc.uuid]),
        {"start_date": "01/01/2001", "end_date": "31/01/2001", "note": "Gián đoạn"},
    )
    assert response.status_code == 302
    assert PartyAgeInterruption.objects.get().days == 31


@pytest.mark.parametrize(
    ("user", "status"),
    [("secretary_k1", 403), ("committee_c1", 403), ("staff_p2", 404), ("nobody", 404)],
)
@pytest.mark.parametrize(
    "name", ["decision_new", "card_event_new", "badge_new", "interruption_new"]
)
def test_recording_needs_the_structure_capability(login, duc, user, status, name):
    client = login(user)
    url = reverse(f"lifecycle:{name}", args=[duc.uuid])
    assert client.get(url).status_code == status
    response = client.post(
        url,
        {
            "kind": "death",
            "decision_no": "1",
            "decision_date": "01/09/2025",
            "effective_date": "01/09/2025",
            "reason": "x",
            "card_no": "01234567",
            "series": "2003",
            "date": "05/01/2004",
            "years": "30",
            "award_date": "02/09/2020",
            "start_date": "01/01/2001",
            "end_date": "02/01/2001",
            "note": "x",
        },
    )
    assert response.status_code == status
    duc.refresh_from_db()
    assert duc.status == MemberStatus.OFFICIAL
    assert not (
        CardEvent.objects.exists()
        or BadgeAward.objects.exists()
        or PartyAgeInterruption.objects.exists()
    )


# ---- per organization -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "org", "status"),
    [
        ("secretary_k1", "K1", 200),
        ("committee_c1", "C1", 200),
        ("staff_p1", "P1", 200),
        ("secretary_k1", "K2", 404),
        ("staff_p2", "K1", 404),
        ("member_k1", "K1", 404),
    ],
)
@pytest.mark.parametrize("name", ["strike_off", "badges_due"])
def test_who_sees_the_organization_lists(login, world, user, org, status, name):
    response = login(user).get(reverse(f"lifecycle:{name}", args=[world.org(org).uuid]))
    assert response.status_code == status


def test_the_strike_off_page_lists_flagged_members(login, world, nam, django_assert_num_queries):
    k1 = world.org("K1")
    for month in (7, 8, 9):
        absent(nam, meeting(k1, month))
    absent(world.member("Trần Thị Hoa", "K1"), meeting(k1, 10))
    client = login("committee_c1")
    url = reverse("lifecycle:strike_off", args=[world.org("C1").uuid]) + "?year=2025"
    with django_assert_num_queries(7):  # … the absences, the unpaid dues
        response = client.get(url)
    body = response.content.decode()
    assert "Lê Văn Nam" in body
    assert "7/2025, 8/2025, 9/2025" in body
    assert "Trần Thị Hoa" not in body
    assert page(nam) in body


def test_the_strike_off_page_reads_a_bad_year_as_this_year(login, world):
    response = login("secretary_k1").get(
        reverse("lifecycle:strike_off", args=[world.org("K1").uuid]) + "?year=abc"
    )
    assert response.status_code == 200


def test_the_badges_page_lists_who_is_due_and_awarded_members_drop_out(
    login, world, duc, django_assert_num_queries
):
    client = login("staff_c1")
    url = reverse("lifecycle:badges_due", args=[world.org("C1").uuid])
    with django_assert_num_queries(6):
        body = client.get(url).content.decode()
    assert "Nguyễn Văn Đức" in body and "Hoàng Văn Bình" in body
    assert reverse("lifecycle:badge_new", args=[duc.uuid]) + "?years=30" in body
    services.award_badge(duc, years=30, award_date=dt.date(2020, 9, 2), decision_no="1")
    assert "Nguyễn Văn Đức" not in client.get(url).content.decode()


def test_the_badges_page_offers_the_next_four_award_dates(login, world):
    client = login("committee_c1")
    url = reverse("lifecycle:badges_due", args=[world.org("K1").uuid])
    body = client.get(url).content.decode()
    assert "Record the award" not in body and "Ghi nhận trao tặng" not in body
    response = client.get(url + "?on=1999-01-01")  # not an award date: the next one
    assert response.status_code == 200


def test_the_badges_page_pages_a_long_list_and_counts_per_badge(
    login, world, duc, monkeypatch, django_assert_num_queries
):
    from lifecycle import views

    monkeypatch.setattr(views, "BADGE_PAGE", 1)
    client = login("staff_c1")
    url = reverse("lifecycle:badges_due", args=[world.org("C1").uuid])
    with django_assert_num_queries(6):  # the same count as the whole list: one page at a time
        response = client.get(url)
    total = response.context["total"]
    assert total >= 2 and len(response.context["due"]) == 1
    body = response.content.decode()
    assert f"Trang 1/{total}" in body or f"Trang 1 / {total}" in body or "Trang 1" in body
    assert f"on={response.context['on'].isoformat()}&amp;page=2" in body
    assert sum(n for _years, n in response.context["per_badge"]) == total
    second = client.get(url, {"on": response.context["on"].isoformat(), "page": "2"})
    assert second.context["due"][0].member != response.context["due"][0].member
