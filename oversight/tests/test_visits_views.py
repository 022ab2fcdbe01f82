"""The supervision pages: the visit schedule and registering, the visit and its report, cancelling,
a committee's visits against the rule, a cell's visits, the rule's form, working groups and
cross-attendance; who may see and do what; query counts pinned on the lists."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from meetings import followers
from meetings import services as meeting_services
from meetings.tests import targets
from oversight import following, services
from oversight.models import (
    CrossAttendance,
    Visit,
    VisitKind,
    VisitPolicy,
    VisitStatus,
    WorkingGroup,
)

D = dt.date
SCHEDULE = reverse("oversight:schedule")


def future_meeting(world, code, days=10, kind="extraordinary"):
    day = timezone.localdate() + dt.timedelta(days=days)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(19, 30)))
    return meeting_services.plan_meeting(world.org(code), kind=kind, scheduled_at=at)


def url(name, obj):
    return reverse(f"oversight:{name}", args=[obj.uuid])


@pytest.fixture
def follower(world):
    """committee_c1 follows K1 (assignment in force)."""
    u = world.user("committee_c1")
    followers.assign_follower(world.org("K1"), u, D(2025, 1, 1))
    return u


@pytest.fixture
def past_visit(world, follower):
    """committee_c1's planned visit to K1's meeting of 5 September 2025."""
    meeting = targets.meeting_in(world, "K1")
    return services.plan_visit(world.org("K1"), follower, meeting=meeting, send=False)


def report_data(**kw):
    data = {
        "reported_on": "06/09/2025",
        "observed_total": "",
        "observed_level": "fair",
        "strengths": "Chuẩn bị chu đáo, đúng giờ",
        "shortcomings": "Ít đảng viên phát biểu",
        "recommendations": "Phân công chuẩn bị ý kiến trước",
    }
    return {**data, **kw}


# ---- the schedule and registering -------------------------------------------------------------


def test_the_schedule_lists_the_followed_cells_meetings_to_register(login, world, follower):
    k1_meeting = future_meeting(world, "K1")
    k3_meeting = future_meeting(world, "K3")
    body = login("committee_c1").get(SCHEDULE).content.decode()
    assert reverse("oversight:register", args=[k1_meeting.uuid]) in body
    assert reverse("oversight:register", args=[k3_meeting.uuid]) not in body
    assert world.org("K1").name in body


def test_registering_plans_the_visit(login, world, follower):
    m = future_meeting(world, "K1")
    c = login("committee_c1")
    r = c.post(reverse("oversight:register", args=[m.uuid]))
    assert r.status_code == 302 and r["Location"] == SCHEDULE
    v = Visit.objects.get(meeting=m)
    assert (v.visitor, v.kind, v.status, v.planned_on) == (
        follower,
        VisitKind.SUPERVISOR,
        VisitStatus.PLANNED,
        m.local_date,
    )
    body = c.get(SCHEDULE).content.decode()
    assert reverse("oversight:register", args=[m.uuid]) not in body
    assert v.get_absolute_url() in body
    # Registering twice is refused with a message, not a second visit.
    c.post(reverse("oversight:register", args=[m.uuid]))
    assert Visit.objects.filter(meeting=m).count() == 1


def test_the_schedule_of_someone_who_follows_nothing(login):
    r = login("member_k1").get(SCHEDULE)
    assert r.status_code == 200 and not r.context["upcoming"] and not r.context["visits"]


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    m = future_meeting(world, "K1")
    for r in (client.get(SCHEDULE), client.post(reverse("oversight:register", args=[m.uuid]))):
        assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("username", "status"),
    [("staff_p2", 404), ("nobody", 404), ("member_k1", 403), ("secretary_k1", 403), ("admin", 403)],
)
def test_who_may_not_register(login, world, username, status):
    m = future_meeting(world, "K1")
    assert login(username).post(reverse("oversight:register", args=[m.uuid])).status_code == status
    assert not Visit.objects.exists()


def test_the_schedule_query_count_is_pinned(login, world, follower, django_assert_num_queries):
    c = login("committee_c1")
    m = future_meeting(world, "K1", days=5)
    services.plan_visit(world.org("K1"), follower, meeting=m, send=False)
    # session, user, scope, three followed-cell queries, meetings, visits, cells
    with django_assert_num_queries(9):
        c.get(SCHEDULE)
    following.create_group(
        world.org("C1"),
        name="Tổ 1",
        members=[follower],
        cells=[world.org("K1"), world.org("K2")],
        valid_from=D(2025, 1, 1),
    )
    for code, days in (("K1", 20), ("K2", 6), ("K2", 30)):
        services.plan_visit(
            world.org(code), follower, meeting=future_meeting(world, code, days), send=False
        )
    future_meeting(world, "K2", days=40)
    with django_assert_num_queries(9):
        r = c.get(SCHEDULE)
    assert len(r.context["upcoming"]) == 5 and len(r.context["visits"]) == 4


def test_the_meetings_page_links_to_the_schedule_of_those_who_follow(login, world, follower):
    assert SCHEDULE in login("committee_c1").get(reverse("meetings:mine")).content.decode()
    assert SCHEDULE not in login("member_k1").get(reverse("meetings:mine")).content.decode()


def test_the_meeting_page_offers_registration_to_a_follower(login, world, follower):
    m = future_meeting(world, "K1")
    register = reverse("oversight:register", args=[m.uuid])
    assert register in login("committee_c1").get(m.get_absolute_url()).content.decode()
    assert register not in login("secretary_k1").get(m.get_absolute_url()).content.decode()
    services.plan_visit(world.org("K1"), follower, meeting=m, send=False)
    body = login("secretary_k1").get(m.get_absolute_url()).content.decode()
    assert follower.display_name() in body  # the cell sees who will attend


# ---- cross-attendance: a secretary visiting a cell outside their scope ------------------------


def test_a_cross_attending_secretary_registers_and_reports(login, world):
    following.create_cross(
        world.org("C1"),
        visitor=world.user("secretary_k1"),
        from_cell=world.org("K1"),
        cell=world.org("K2"),
        valid_from=D(2025, 1, 1),
    )
    c = login("secretary_k1")
    m = future_meeting(world, "K2")
    assert reverse("oversight:register", args=[m.uuid]) in c.get(SCHEDULE).content.decode()
    assert c.post(reverse("oversight:register", args=[m.uuid])).status_code == 302
    v = Visit.objects.get(meeting=m)
    assert v.kind == VisitKind.CROSS
    assert c.get(v.get_absolute_url()).status_code == 200  # K2 is outside their scope
    past = targets.meeting_in(world, "K2")
    r = c.post(reverse("oversight:meeting_report", args=[past.uuid]), report_data())
    assert r.status_code == 302
    reported = Visit.objects.get(meeting=past)
    assert (reported.kind, reported.status) == (VisitKind.CROSS, VisitStatus.REPORTED)
    # The report's page is theirs; the meeting's page is still not.
    assert c.get(reported.get_absolute_url()).status_code == 200
    assert c.get(past.get_absolute_url()).status_code == 404


# ---- one visit --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("committee_c1", 200),  # the visitor
        ("secretary_k1", 200),  # the cell
        ("staff_c1", 200),  # the committee above
        ("staff_p1", 200),
        ("admin", 200),
        ("member_k1", 404),
        ("staff_p2", 404),
        ("nobody", 404),
    ],
)
def test_who_sees_a_visit(login, world, past_visit, username, status):
    assert login(username).get(past_visit.get_absolute_url()).status_code == status


def test_the_visitor_files_the_report(login, world, past_visit):
    c = login("committee_c1")
    assert c.get(url("visit_report", past_visit)).status_code == 200
    r = c.post(url("visit_report", past_visit), report_data())
    assert r.status_code == 302 and r["Location"] == past_visit.get_absolute_url()
    past_visit.refresh_from_db()
    assert (past_visit.status, past_visit.observed_level, past_visit.reported_on) == (
        VisitStatus.REPORTED,
        "fair",
        D(2025, 9, 6),
    )
    assert past_visit.meeting.guests.get().is_supervisor
    body = login("secretary_k1").get(past_visit.get_absolute_url()).content.decode()
    assert "Ít đảng viên phát biểu" in body


def test_a_report_dated_before_the_meeting_is_refused_on_the_form(login, world, past_visit):
    r = login("committee_c1").post(
        url("visit_report", past_visit), report_data(reported_on="04/09/2025")
    )
    assert r.status_code == 200 and r.context["form"].errors["reported_on"]
    past_visit.refresh_from_db()
    assert past_visit.status == VisitStatus.PLANNED


@pytest.mark.parametrize(
    ("username", "status"), [("secretary_k1", 403), ("staff_c1", 403), ("staff_p2", 404)]
)
def test_only_the_visitor_reports(login, world, past_visit, username, status):
    c = login(username)
    assert c.get(url("visit_report", past_visit)).status_code == status
    assert c.post(url("visit_report", past_visit), report_data()).status_code == status
    past_visit.refresh_from_db()
    assert past_visit.status == VisitStatus.PLANNED


def test_reporting_directly_after_a_meeting(login, world, follower):
    meeting = targets.meeting_in(world, "K1")
    c = login("committee_c1")
    page = reverse("oversight:meeting_report", args=[meeting.uuid])
    assert c.get(page).status_code == 200
    r = c.post(page, report_data())
    v = Visit.objects.get(meeting=meeting)
    assert r["Location"] == v.get_absolute_url()
    assert (v.kind, v.status) == (VisitKind.SUPERVISOR, VisitStatus.REPORTED)
    # Once there is a visit, the page leads to its report.
    r = c.get(page)
    assert r.status_code == 302 and r["Location"] == url("visit_report", v)


def test_a_refused_direct_report_writes_nothing(login, world, follower):
    meeting = targets.meeting_in(world, "K1")
    r = login("committee_c1").post(
        reverse("oversight:meeting_report", args=[meeting.uuid]),
        report_data(strengths="", shortcomings="", recommendations="", observed_level=""),
    )
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert not Visit.objects.exists()


@pytest.mark.parametrize("username", ["committee_c1", "staff_c1"])
def test_the_visitor_or_the_committee_staff_cancel(login, world, past_visit, username):
    c = login(username)
    r = c.post(url("visit_cancel", past_visit), {"reason": "Trùng lịch tiếp dân"})
    assert r.status_code == 302
    past_visit.refresh_from_db()
    assert (past_visit.status, past_visit.cancel_reason) == ("cancelled", "Trùng lịch tiếp dân")


def test_cancelling_needs_a_reason_and_the_right(login, world, past_visit):
    login("committee_c1").post(url("visit_cancel", past_visit), {"reason": ""})
    past_visit.refresh_from_db()
    assert past_visit.status == VisitStatus.PLANNED
    assert (
        login("secretary_k1").post(url("visit_cancel", past_visit), {"reason": "X"}).status_code
        == 403
    )
    assert (
        login("staff_p2").post(url("visit_cancel", past_visit), {"reason": "X"}).status_code == 404
    )
    assert login("committee_c1").get(url("visit_cancel", past_visit)).status_code == 405


# ---- a committee's visits, a cell's -----------------------------------------------------------


def reported(world, code, day, visitor="committee_c1"):
    cell = world.org(code)
    return Visit.objects.create(
        province_id=cell.province_id,
        cell=cell,
        visitor=world.user(visitor),
        kind=VisitKind.OTHER,
        planned_on=day,
        status=VisitStatus.REPORTED,
        reported_on=day,
    )


def test_the_committees_visits_this_quarter(login, world):
    reported(world, "K1", D(2025, 8, 5))
    reported(world, "K1", D(2025, 10, 1))  # next quarter
    r = login("committee_c1").get(url("committee_visits", world.org("C1")) + "?year=2025&quarter=3")
    rows = {d.cell.code: (d.required, d.done, d.missing) for d in r.context["due"]}
    assert rows == {"K1": (1, 1, 0), "K2": (1, 0, 1)}
    assert r.context["due"][0].cell.code == "K2"  # missing first
    assert r.context["visited"] == 1 and len(r.context["visits"]) == 1


def test_the_committees_visits_page_query_count_is_pinned(login, world, django_assert_num_queries):
    c = login("staff_p1")
    page = url("committee_visits", world.org("P1")) + "?year=2025&quarter=3"
    reported(world, "K1", D(2025, 8, 5))
    # session, user, scope, the organization (a province: no ancestors), cells, rules above,
    # rules below, counts, visits, the rule of the committee
    with django_assert_num_queries(10):
        c.get(page)
    VisitPolicy.objects.create(
        province=world.org("P1"), organization=world.org("C1"), effective_from=D(2025, 1, 1)
    )
    for code in ("K2", "K3", "G1"):
        for day in (5, 6):
            reported(world, code, D(2025, 9, day))
    with django_assert_num_queries(10):
        r = c.get(page)
    assert len(r.context["visits"]) == 7


@pytest.mark.parametrize(
    ("username", "status"),
    [("committee_c1", 200), ("staff_c1", 200), ("secretary_k1", 404), ("staff_p2", 404)],
)
def test_who_sees_the_committees_visits(login, world, username, status):
    assert login(username).get(url("committee_visits", world.org("C1"))).status_code == status


def test_a_cell_is_not_a_committee(login, world):
    assert login("staff_c1").get(url("committee_visits", world.org("K1"))).status_code == 404
    assert login("staff_c1").get(url("cell_visits", world.org("C1"))).status_code == 404


def test_the_cells_visits(login, world, past_visit):
    reported(world, "K1", timezone.localdate())
    r = login("secretary_k1").get(url("cell_visits", world.org("K1")))
    assert r.status_code == 200 and len(r.context["visits"]) == 2 and r.context["done"] == 1
    assert login("member_k1").get(url("cell_visits", world.org("K1"))).status_code == 404


def test_the_rule_is_set_by_the_committee_staff(login, world):
    c1 = world.org("C1")
    r = login("staff_c1").post(
        url("policy", c1), {"visits_per_quarter": "2", "effective_from": "01/07/2025"}
    )
    assert r.status_code == 302 and r["Location"] == url("committee_visits", c1)
    assert services.visits_required(c1, D(2025, 8, 1)) == 2
    assert login("committee_c1").get(url("policy", c1)).status_code == 403
    r = login("staff_c1").post(url("policy", c1), {"visits_per_quarter": "0", "effective_from": ""})
    assert r.status_code == 200 and set(r.context["form"].errors) == {
        "visits_per_quarter",
        "effective_from",
    }


# ---- working groups and cross-attendance ------------------------------------------------------


def test_the_committee_staff_create_and_edit_a_working_group(login, world):
    c1 = world.org("C1")
    c = login("staff_c1")
    assert c.get(url("group_create", c1)).status_code == 200
    data = {
        "name": "Tổ công tác số 1",
        "members": [world.user("committee_c1").pk, world.user("staff_p1").pk],
        "cells": [world.org("K1").pk, world.org("K2").pk],
        "valid_from": "01/07/2025",
        "valid_to": "",
    }
    r = c.post(url("group_create", c1), data)
    g = WorkingGroup.objects.get()
    assert r["Location"] == g.get_absolute_url() and g.members.count() == 2
    r = c.post(
        url("group_edit", g),
        {**data, "name": "Tổ công tác khu Đông", "cells": [world.org("K1").pk]},
    )
    g.refresh_from_db()
    assert g.name == "Tổ công tác khu Đông" and g.cells.count() == 1
    body = login("committee_c1").get(url("groups", c1)).content.decode()
    assert "Tổ công tác khu Đông" in body
    assert login("committee_c1").get(g.get_absolute_url()).status_code == 200


def test_a_working_group_form_refuses_outsiders(login, world):
    c1 = world.org("C1")
    r = login("staff_c1").post(
        url("group_create", c1),
        {
            "name": "Tổ 1",
            "members": [world.user("secretary_k1").pk],
            "cells": [world.org("K3").pk],
            "valid_from": "01/07/2025",
        },
    )
    assert r.status_code == 200 and set(r.context["form"].errors) == {"members", "cells"}
    assert not WorkingGroup.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"), [("committee_c1", 403), ("secretary_k1", 404), ("staff_p2", 404)]
)
def test_who_may_not_create_a_group(login, world, username, status):
    c1 = world.org("C1")
    r = login(username).post(url("group_create", c1), {"name": "X", "valid_from": "01/07/2025"})
    assert r.status_code == status and not WorkingGroup.objects.exists()


def test_the_committee_staff_pair_secretaries_and_end_the_pair(login, world):
    c1 = world.org("C1")
    c = login("staff_c1")
    assert c.get(url("cross_create", c1)).status_code == 200
    role = RoleAssignment.objects.get(user__username="secretary_k1")
    r = c.post(
        url("cross_create", c1),
        {"visitor": role.pk, "cell": world.org("K2").pk, "valid_from": "01/07/2025"},
    )
    assert r["Location"] == url("cross", c1)
    pair = CrossAttendance.objects.get()
    assert (pair.from_cell, pair.cell) == (world.org("K1"), world.org("K2"))
    body = login("committee_c1").get(url("cross", c1)).content.decode()
    assert world.user("secretary_k1").display_name() in body
    c = login("staff_c1")  # the same test client, signed in again
    c.post(reverse("oversight:cross_end", args=[c1.uuid]), {"pair": pair.pk, "on": "31/12/2025"})
    pair.refresh_from_db()
    assert pair.valid_to == D(2025, 12, 31)
    assert (
        login("committee_c1")
        .post(reverse("oversight:cross_end", args=[c1.uuid]), {"pair": pair.pk, "on": "01/01/2026"})
        .status_code
        == 403
    )


def test_pairing_a_secretary_with_their_own_cell_is_refused_on_the_form(login, world):
    c1 = world.org("C1")
    role = RoleAssignment.objects.get(user__username="secretary_k1")
    r = login("staff_c1").post(
        url("cross_create", c1),
        {"visitor": role.pk, "cell": world.org("K1").pk, "valid_from": "01/07/2025"},
    )
    assert r.status_code == 200 and "cell" in r.context["form"].errors
    assert not CrossAttendance.objects.exists()


def test_the_pages_are_linked_from_the_organization_and_followers_pages(login, world):
    c = login("staff_c1")
    body = c.get(world.org("C1").get_absolute_url()).content.decode()
    for name in ("committee_visits", "groups", "cross"):
        assert url(name, world.org("C1")) in body
    body = c.get(reverse("meetings:cell_followers", args=[world.org("K1").uuid])).content.decode()
    assert url("cell_visits", world.org("K1")) in body and url("groups", world.org("C1")) in body


# ---- a visit on a day without a meeting ---------------------------------------------------


def test_a_committee_member_plans_a_visit_on_a_date(world, login):
    from oversight.models import Visit

    k1 = world.org("K1")
    client = login("committee_c1")
    page = client.get(url("cell_visits", k1)).content.decode()
    assert reverse("oversight:cell_plan", args=[k1.uuid]) in page
    day = (timezone.localdate() + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    response = client.post(reverse("oversight:cell_plan", args=[k1.uuid]), {"planned_on": day})
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.meeting is None and visit.visitor == world.user("committee_c1")


def test_a_bad_date_is_refused_on_the_page_and_nothing_planned(world, login):
    from oversight.models import Visit

    k1 = world.org("K1")
    response = login("committee_c1").post(
        reverse("oversight:cell_plan", args=[k1.uuid]), {"planned_on": "31/02/2026"}
    )
    assert response.status_code == 200
    assert "planned_on" in response.context["plan_form"].errors
    assert not Visit.objects.exists()


def test_the_cells_own_secretary_does_not_plan_a_visit_to_it(world, login):
    from oversight.models import Visit

    k1 = world.org("K1")
    client = login("secretary_k1")
    assert (
        reverse("oversight:cell_plan", args=[k1.uuid])
        not in client.get(url("cell_visits", k1)).content.decode()
    )
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert (
        client.post(reverse("oversight:cell_plan", args=[k1.uuid]), {"planned_on": day}).status_code
        == 403
    )
    assert not Visit.objects.exists()
