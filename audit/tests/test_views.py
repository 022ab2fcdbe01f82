"""The pages: who viewed a record (the member, the staff above), and the staff's audit log."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.log import record
from audit.models import Action, AuditEntry


def accesses_url(member):
    return reverse("audit:accesses", args=[member.uuid])


def test_a_member_sees_who_viewed_their_record_with_role_organization_and_time(login, world):
    hoa = world.member("Trần Thị Hoa", "K1")
    login("staff_c1").get(hoa.get_absolute_url())
    client = login("member_k1")
    response = client.get(reverse("audit:mine"))
    assert response.status_code == 302 and response.url == accesses_url(hoa)
    body = client.get(accesses_url(hoa)).content.decode()
    assert "staff_c1" in body and world.org("C1").name in body
    assert "Cán bộ Ban Tổ chức" in body or "Organization-board staff" in body
    assert timezone.localtime().strftime("%d/%m/%Y") in body


def test_a_user_without_a_member_record_has_no_such_page(login, world):
    assert login("staff_p1").get(reverse("audit:mine")).status_code == 404


def test_the_staff_above_the_cell_see_the_page_other_readers_get_403(login, world):
    hoa = world.member("Trần Thị Hoa", "K1")
    assert login("staff_c1").get(accesses_url(hoa)).status_code == 200
    assert login("staff_p1").get(accesses_url(hoa)).status_code == 200
    assert login("secretary_k1").get(accesses_url(hoa)).status_code == 403
    assert login("committee_c1").get(accesses_url(hoa)).status_code == 403


def test_out_of_scope_is_404_and_anonymous_goes_to_sign_in(client, login, world):
    hoa = world.member("Trần Thị Hoa", "K1")
    response = client.get(accesses_url(hoa))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert login("staff_p2").get(accesses_url(hoa)).status_code == 404
    nam = world.member("Lê Văn Nam", "K1")
    assert login("member_k1").get(accesses_url(nam)).status_code == 404


def test_the_page_lists_only_accesses_to_this_record_not_logins(login, world):
    hoa = world.member("Trần Thị Hoa", "K1")
    nam = world.member("Lê Văn Nam", "K1")
    login("staff_c1").get(nam.get_absolute_url())  # someone else's record
    record(Action.LOGIN, world.user("member_k1"), user=world.user("member_k1"), member=hoa)
    response = login("member_k1").get(accesses_url(hoa))
    entries = list(response.context["page"].object_list)
    assert all(e.member_id == hoa.pk and e.action != Action.LOGIN for e in entries)


def test_the_record_page_links_to_it(login, world):
    hoa = world.member("Trần Thị Hoa", "K1")
    body = login("member_k1").get(hoa.get_absolute_url()).content.decode()
    assert reverse("audit:mine") in body
    assert reverse("audit:subject_export", args=[hoa.uuid]) not in body
    body = login("staff_c1").get(hoa.get_absolute_url()).content.decode()
    assert accesses_url(hoa) in body and reverse("audit:subject_export", args=[hoa.uuid]) in body


# ---- the staff's log --------------------------------------------------------------------


def test_the_log_is_for_organization_board_staff_and_administrators(client, login, world):
    url = reverse("audit:log")
    assert client.get(url).status_code == 302
    for user in ("secretary_k1", "committee_c1", "member_k1", "nobody"):
        assert login(user).get(url).status_code == 404, user
    for user in ("staff_c1", "staff_p1", "admin"):
        assert login(user).get(url).status_code == 200, user


def test_staff_see_the_entries_of_their_subtree_only(login, world):
    login("secretary_k1").get(world.member("Lê Văn Nam", "K1").get_absolute_url())
    login("staff_p2").get(world.member("Bùi Văn Tâm", "K4").get_absolute_url())
    seen = set(
        login("staff_c1")
        .get(reverse("audit:log"))
        .context["page"]
        .paginator.object_list.values_list("username", flat=True)
    )
    assert "secretary_k1" in seen and "staff_p2" not in seen
    every = set(
        login("admin")
        .get(reverse("audit:log"))
        .context["page"]
        .paginator.object_list.values_list("username", flat=True)
    )
    assert {"secretary_k1", "staff_p2"} <= every


def test_the_log_filters_by_user_action_and_dates(login, world):
    login("secretary_k1").get(world.member("Lê Văn Nam", "K1").get_absolute_url())
    client = login("staff_p1")
    page = client.get(reverse("audit:log"), {"user": "secretary_k1", "action": "view"}).context[
        "page"
    ]
    assert page.paginator.count >= 1
    assert {(e.username, e.action) for e in page} == {("secretary_k1", "view")}
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    page = client.get(reverse("audit:log"), {"date_from": tomorrow.isoformat()}).context["page"]
    assert page.paginator.count == 0
    page = client.get(
        reverse("audit:log"), {"date_from": today.isoformat(), "date_to": today.isoformat()}
    ).context["page"]
    assert page.paginator.count >= 1
    # Dates as people type them (dd/mm/yyyy), shown back the same way.
    typed = today.strftime("%d/%m/%Y")
    response = client.get(reverse("audit:log"), {"date_from": typed, "date_to": typed})
    assert response.context["page"].paginator.count >= 1
    assert f'value="{typed}"' in response.content.decode()
    response = client.get(reverse("audit:log"), {"date_from": "31/02/2025"})
    assert "01/07/2025" in response.content.decode()  # the "enter a date as …" message


def test_a_reversed_date_range_is_a_clear_message(login, world):
    response = login("staff_p1").get(
        reverse("audit:log"), {"date_from": "2025-05-02", "date_to": "2025-05-01"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngày kết thúc đang trước ngày bắt đầu." in body


@pytest.mark.parametrize("url_name", ["log", "accesses"])
def test_the_pages_run_a_constant_number_of_queries(login, world, url_name):
    hoa = world.member("Trần Thị Hoa", "K1")
    client = login("staff_p1")
    url = reverse("audit:log") if url_name == "log" else accesses_url(hoa)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(60):
        login("staff_c1").get(hoa.get_absolute_url())
    client = login("staff_p1")
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page"].paginator.count > 50  # two pages
    assert len(many) == len(few)


def test_the_audit_pages_write_no_entry_for_themselves_beyond_what_they_show(login, world):
    client = login("staff_p1")
    before = AuditEntry.objects.count()
    client.get(reverse("audit:log"))
    assert AuditEntry.objects.count() == before


def test_the_account_page_links_to_who_viewed_my_record_and_to_the_log_for_staff(login, world):
    mine, log = f'href="{reverse("audit:mine")}"', f'href="{reverse("audit:log")}"'
    body = login("member_k1").get(reverse("accounts:profile")).content.decode()
    assert mine in body and log not in body
    body = login("staff_p1").get(reverse("accounts:profile")).content.decode()
    assert log in body
    body = login("secretary_k1").get(reverse("accounts:profile")).content.decode()
    assert log not in body
