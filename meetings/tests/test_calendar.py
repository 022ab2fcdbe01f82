"""Schedules, the calendars of a cell and of a committee, and planning a meeting."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingKind, MeetingStatus, ScheduleRule
from organizations.models import CellType, Organization, OrgKind
from organizations.services import create_organization

TODAY = timezone.localdate()
NEXT_YEAR = TODAY.year + 1


def at(y, m, d, hh=19, mm=30):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


@pytest.fixture(autouse=True)
def english(client, settings):
    # Assertions read the English msgids, whatever the state of the Vietnamese catalogue.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def k1_2025(k1):
    """K1 meets on the 5th from July 2025; its regular meetings of Jul–Dec 2025 are planned."""
    services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa thôn Đông",
        valid_from=dt.date(2025, 7, 1),
    )
    services.generate_regular_meetings(k1, dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    return {m.period_month: m for m in k1.meetings.filter(period_year=2025)}


def held_and_approved(meeting, world):
    duc, hoa = world.member("Nguyễn Văn Đức", "K1"), world.member("Trần Thị Hoa", "K1")
    services.start(meeting, started_at=meeting.scheduled_at, chair=duc, minutes_secretary=hoa)
    services.mark_all_present(meeting)
    services.end(meeting, ended_at=meeting.scheduled_at + dt.timedelta(minutes=95))
    services.approve_minutes(meeting)


def new_cells(parent, n, prefix="X", cell_type=CellType.VILLAGE):
    return [
        create_organization(
            parent=parent,
            kind=OrgKind.CELL,
            name=f"Chi bộ {prefix} {i:03d}",
            code=f"{prefix}{i:03d}",
            cell_type=cell_type,
        )
        for i in range(n)
    ]


def states(body: str) -> list[str]:
    return re.findall(r'class="cal-st st-(\w+)"', body)


# ---- a cell's schedule ---------------------------------------------------------------------


def schedule_url(cell):
    return reverse("meetings:cell_schedule", args=[cell.uuid])


def test_the_schedule_page_shows_the_current_and_past_rules(login, k1):
    services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa",
        valid_from=dt.date(2024, 1, 1),
    )
    services.set_schedule(
        k1,
        day_of_month=10,
        time=dt.time(8, 0),
        place="Hội trường thôn",
        valid_from=dt.date(2025, 1, 1),
    )
    body = login("secretary_k1").get(schedule_url(k1)).content.decode()
    assert "Hội trường thôn" in body and "Nhà văn hóa" in body
    assert "31/12/2024" in body  # the old rule ended the day before the new one
    assert "in force" in body


def test_a_new_schedule_plans_the_regular_meetings_up_to_the_end_of_the_year(login, k1):
    client = login("secretary_k1")
    r = client.post(
        schedule_url(k1),
        {
            "day_of_month": "12",
            "time": "19h30",
            "place": " Nhà văn hóa thôn Đông ",
            "valid_from": f"01/01/{NEXT_YEAR}",
            "valid_to": "",
            "generate": "on",
        },
    )
    assert r.status_code == 302
    rule = k1.schedule_rules.get()
    assert (rule.day_of_month, rule.time, rule.place) == (
        12,
        dt.time(19, 30),
        "Nhà văn hóa thôn Đông",
    )
    planned = k1.meetings.filter(kind=MeetingKind.REGULAR, period_year=NEXT_YEAR)
    assert planned.count() == 12
    assert {timezone.localtime(m.scheduled_at).day for m in planned} == {12}
    body = client.get(r["Location"]).content.decode()
    assert "12 regular meetings planned" in body


def test_a_schedule_without_generation_plans_nothing(login, k1):
    login("secretary_k1").post(
        schedule_url(k1),
        {
            "day_of_month": "3",
            "time": "08:00",
            "place": "Hội trường",
            "valid_from": f"01/01/{NEXT_YEAR}",
        },
    )
    assert k1.schedule_rules.count() == 1 and not k1.meetings.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day_of_month", "31", "between 1 and 28"),
        ("day_of_month", "abc", "between 1 and 28"),
        ("time", "25:00", "hh:mm"),
        ("time", "chiều", "hh:mm"),
        ("place", "   ", "This field is required"),
        ("valid_from", "31/02/2026", "dd/mm/yyyy"),
        ("valid_to", "01/01/2020", "before the start date"),
    ],
)
def test_bad_schedule_input_is_explained_and_changes_nothing(login, k1, field, value, message):
    data = {
        "day_of_month": "5",
        "time": "19:30",
        "place": "Nhà văn hóa",
        "valid_from": "01/01/2026",
        "generate": "on",
    }
    data[field] = value
    r = login("secretary_k1").post(schedule_url(k1), data)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not k1.schedule_rules.exists() and not k1.meetings.exists()


@pytest.mark.parametrize(
    ("user", "cell", "status"),
    [
        ("secretary_k1", "K1", 200),
        ("staff_c1", "K2", 200),
        ("committee_c1", "K1", 403),
        ("member_k1", "K1", 404),
        ("secretary_k1", "K2", 404),
        ("staff_p2", "K1", 404),
    ],
)
def test_the_schedule_page_needs_to_manage_the_cell(login, world, user, cell, status):
    client = login(user)
    url = schedule_url(world.org(cell))
    assert client.get(url).status_code == status
    r = client.post(
        url, {"day_of_month": "5", "time": "19:30", "place": "X", "valid_from": "01/01/2026"}
    )
    assert r.status_code == (302 if status == 200 else status)
    assert ScheduleRule.objects.filter(organization=world.org(cell)).exists() == (status == 200)


def test_the_schedule_page_of_a_committee_is_not_found(login, world):
    assert login("staff_c1").get(schedule_url(world.org("C1"))).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, k1):
    r = client.get(schedule_url(k1))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


# ---- a committee's schedule for a term --------------------------------------------------


def committee_schedule_url(org):
    return reverse("meetings:committee_schedule", args=[org.uuid])


TERM = {
    "day_of_month": "5",
    "time": "19:30",
    "place": "Nhà văn hóa thôn",
    "valid_from": f"01/01/{NEXT_YEAR}",
    "valid_to": f"31/12/{NEXT_YEAR}",
}


def test_a_committee_sets_the_schedule_of_all_its_cells_once(login, world):
    c1 = world.org("C1")
    extra = new_cells(c1, 3)
    client = login("staff_c1")
    r = client.post(committee_schedule_url(c1), TERM)
    assert r.status_code == 302
    cells = [world.org("K1"), world.org("K2"), *extra]
    for cell in cells:
        assert cell.meetings.filter(period_year=NEXT_YEAR, kind=MeetingKind.REGULAR).count() == 12
    body = client.get(r["Location"]).content.decode()
    assert "The schedule is set for 5 cells" in body and "60 regular meetings were planned" in body
    assert "5 cells meet on day 5 at 19:30" not in body  # the term starts next year
    # Again: nothing more is planned, each cell keeps one rule.
    client.post(committee_schedule_url(c1), TERM)
    assert Meeting.objects.filter(organization__in=cells).count() == 60
    assert ScheduleRule.objects.filter(organization__in=cells).count() == 5
    assert not world.org("K3").meetings.exists()  # another commune's cell


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid_to": ""}, "This field is required"),
        ({"valid_to": f"31/12/{NEXT_YEAR + 7}"}, "at most five years"),
        ({"day_of_month": "29"}, "between 1 and 28"),
    ],
)
def test_bad_term_input_is_explained_and_changes_nothing(login, world, changes, message):
    r = login("staff_c1").post(committee_schedule_url(world.org("C1")), {**TERM, **changes})
    assert r.status_code == 200 and message in r.content.decode()
    assert not ScheduleRule.objects.exists() and not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("staff_c1", 200),
        ("staff_p1", 200),
        ("committee_c1", 403),
        ("secretary_k1", 404),
        ("staff_p2", 404),
        ("member_k1", 404),
    ],
)
def test_the_committee_schedule_needs_structure_rights(login, world, user, status):
    client = login(user)
    url = committee_schedule_url(world.org("C1"))
    assert client.get(url).status_code == status
    client.post(url, TERM)
    assert ScheduleRule.objects.exists() == (status == 200)


# ---- the calendar of a cell ---------------------------------------------------------------


def cell_calendar_url(cell, year=2025):
    return reverse("meetings:cell_calendar", args=[cell.uuid]) + f"?year={year}"


def test_the_cell_calendar_lists_the_year_by_month_with_flags(login, world, k1, k1_2025):
    held_and_approved(k1_2025[7], world)
    services.cancel(k1_2025[10], reason="Bão")
    services.plan_meeting(
        k1,
        kind=MeetingKind.THEMATIC,
        scheduled_at=at(2025, 8, 20),
        topic="Học tập Nghị quyết",
        place="Nhà văn hóa",
    )
    body = login("secretary_k1").get(cell_calendar_url(k1)).content.decode()
    assert "Month 7/2025" in body and "Học tập Nghị quyết" in body
    assert reverse("meetings:detail", args=[k1_2025[7].uuid]) in body
    # Jan–Jun and the cancelled October have no regular meeting; Q1, Q2 and Q4 no thematic one.
    assert body.count('class="flag small">No regular meeting<') == 7
    assert body.count("No thematic meeting this quarter") == 3
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    row_of = {m: next(r for r in rows if str(k1_2025[m].uuid) in r) for m in (7, 10, 11)}
    assert states(row_of[7]) == ["approved"] and "Minutes approved" in row_of[7]
    assert states(row_of[10]) == ["cancelled"] and "Bão" in row_of[10]
    assert states(row_of[11]) == ["overdue"] and "Date passed, not recorded" in row_of[11]
    assert "Plan a meeting" in body


def test_a_plain_member_sees_their_own_cell_calendar_but_no_other(login, world, k1, k1_2025):
    client = login("member_k1")
    r = client.get(cell_calendar_url(k1))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Nhà văn hóa thôn Đông" in body and "Plan a meeting" not in body
    assert client.get(cell_calendar_url(world.org("K2"))).status_code == 404


@pytest.mark.parametrize(
    ("user", "cell", "status"),
    [
        ("committee_c1", "K2", 200),
        ("secretary_k1", "K2", 404),
        ("staff_p2", "K1", 404),
        ("nobody", "K1", 404),
        ("staff_c1", "C1", 404),
    ],
)
def test_the_cell_calendar_is_scoped(login, world, user, cell, status):
    assert login(user).get(cell_calendar_url(world.org(cell))).status_code == status


def test_the_cell_calendar_costs_the_same_queries_however_many_meetings(
    login, k1, k1_2025, django_assert_max_num_queries
):
    client = login("secretary_k1")
    with django_assert_max_num_queries(6):
        client.get(cell_calendar_url(k1))
    for month in range(7, 13):
        services.plan_meeting(
            k1, kind=MeetingKind.THEMATIC, scheduled_at=at(2025, month, 20), topic=f"Chủ đề {month}"
        )
    with django_assert_max_num_queries(6):
        r = client.get(cell_calendar_url(k1))
    assert r.content.decode().count("Chủ đề") == 6


# ---- the calendar of a committee ------------------------------------------------------------


def committee_calendar_url(org, **params):
    query = "&".join(f"{k}={v}" for k, v in {"year": 2025, **params}.items())
    return reverse("meetings:committee_calendar", args=[org.uuid]) + "?" + query


def test_the_committee_grid_shows_each_months_regular_meeting_status(login, world, k1, k1_2025):
    held_and_approved(k1_2025[7], world)
    services.start(k1_2025[8], started_at=k1_2025[8].scheduled_at)
    services.postpone(k1_2025[9], new_time=at(2025, 9, 12), reason="Trùng lịch")
    services.cancel(k1_2025[10], reason="Bão")
    body = login("staff_c1").get(committee_calendar_url(world.org("C1"))).content.decode()
    rows = re.findall(r"<tr><th class=\"name\" scope=\"row\">(.*?)</tr>", body, re.S)
    k1_row = next(r for r in rows if "Chi bộ thôn Đông" in r)
    # Jan–Jun missing, Jul approved, Aug held, Sep (postponed, then planned, date passed),
    # Oct cancelled, Nov–Dec planned but never recorded.
    assert states(k1_row) == ["missing"] * 6 + [
        "approved",
        "held",
        "overdue",
        "cancelled",
        "overdue",
        "overdue",
    ]
    k2_row = next(r for r in rows if "Chi bộ thôn Tây" in r)
    assert states(k2_row) == ["missing"] * 12
    assert "Chi bộ tổ dân phố 1" not in body  # another commune
    assert "✓" in k1_row and "!" in k2_row  # a symbol, not colour alone


def test_the_committee_grid_shows_planned_months_ahead(login, world, k1):
    services.set_schedule(
        k1, day_of_month=5, time=dt.time(19, 30), place="X", valid_from=dt.date(NEXT_YEAR, 1, 1)
    )
    services.generate_regular_meetings(k1, dt.date(NEXT_YEAR, 1, 1), dt.date(NEXT_YEAR, 6, 30))
    body = (
        login("staff_c1")
        .get(committee_calendar_url(world.org("C1"), year=NEXT_YEAR))
        .content.decode()
    )
    k1_row = next(r for r in re.findall(r'scope="row">(.*?)</tr>', body, re.S) if "thôn Đông" in r)
    assert states(k1_row) == ["planned"] * 6 + ["none"] * 6


def test_the_committee_month_list_shows_the_regular_and_other_meetings(login, world, k1, k1_2025):
    services.plan_meeting(
        k1, kind=MeetingKind.THEMATIC, scheduled_at=at(2025, 9, 20), topic="Chuyển đổi số"
    )
    body = login("committee_c1").get(committee_calendar_url(world.org("C1"), month=9)).content
    body = body.decode()
    assert "05/09/2025 19:30" in body and "Nhà văn hóa thôn Đông" in body
    assert "Thematic meeting" in body
    assert "Chi bộ thôn Tây" in body


def test_the_committee_grid_filters_by_cell_type(login, world):
    new_cells(world.org("C1"), 2, prefix="S", cell_type=CellType.SCHOOL)
    body = (
        login("staff_c1")
        .get(committee_calendar_url(world.org("C1"), type="school"))
        .content.decode()
    )
    assert "Chi bộ S 000" in body and "Chi bộ thôn Đông" not in body


def test_the_committee_grid_costs_the_same_queries_for_2_or_22_cells(
    login, world, django_assert_max_num_queries
):
    c1 = world.org("C1")
    client = login("staff_c1")
    with django_assert_max_num_queries(8):
        client.get(committee_calendar_url(c1))
    for cell in new_cells(c1, 20):
        services.set_schedule(
            cell, day_of_month=5, time=dt.time(19, 30), place="X", valid_from=dt.date(2025, 1, 1)
        )
        services.generate_regular_meetings(cell, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    with django_assert_max_num_queries(8):
        r = client.get(committee_calendar_url(c1))
    assert len(states(r.content.decode())) >= 22 * 12
    with django_assert_max_num_queries(8):
        client.get(committee_calendar_url(c1, month=3))


def test_a_province_grid_groups_cells_under_their_committee(login, world):
    body = login("staff_p1").get(committee_calendar_url(world.org("P1"))).content.decode()
    assert body.index("Đảng bộ phường Bắc Sơn") < body.index("Chi bộ tổ dân phố 1")
    assert body.index("Đảng bộ xã An Bình") < body.index("Chi bộ thôn Đông")
    assert "Chi bộ thôn Trung" not in body  # another province


@pytest.mark.parametrize(
    ("user", "org", "status"),
    [
        ("committee_c1", "C1", 200),
        ("secretary_k1", "C1", 404),
        ("staff_p2", "C1", 404),
        ("member_k1", "C1", 404),
        ("secretary_k1", "K1", 200),
    ],
)
def test_the_committee_calendar_is_scoped(login, world, user, org, status):
    assert login(user).get(committee_calendar_url(world.org(org))).status_code == status


def test_the_printable_yearly_calendar_lists_each_cells_days(login, world, k1, k1_2025):
    services.postpone(k1_2025[9], new_time=at(2025, 9, 12, 8, 0), reason="Trùng lịch")
    r = login("committee_c1").get(
        reverse("meetings:committee_yearly", args=[world.org("C1").uuid]) + "?year=2025&to=2026"
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "LỊCH SINH HOẠT CHI BỘ NĂM 2025" in body and "LỊCH SINH HOẠT CHI BỘ NĂM 2026" in body
    assert "Nhà văn hóa thôn Đông" in body and "19:30" in body
    assert "<td>12<br><small>08:00</small></td>" in body  # the postponed September meeting


# ---- planning a meeting --------------------------------------------------------------------------


def plan_url(cell):
    return reverse("meetings:plan", args=[cell.uuid])


def future(days):
    return TODAY + dt.timedelta(days=days)


@pytest.fixture
def upcoming(k1):
    """K1's next regular meeting, within a few weeks."""
    services.set_schedule(
        k1, day_of_month=15, time=dt.time(19, 30), place="Nhà văn hóa", valid_from=TODAY
    )
    services.generate_regular_meetings(k1, future(2), future(70))
    return k1.meetings.filter(kind=MeetingKind.REGULAR).order_by("scheduled_at").first()


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        (MeetingKind.THEMATIC, {"topic": "Học tập và làm theo tư tưởng Hồ Chí Minh"}),
        (MeetingKind.EXTRAORDINARY, {"title": "Bàn việc phòng chống bão"}),
        (MeetingKind.LIAISON, {}),
        (MeetingKind.YEAR_END, {}),
        (MeetingKind.COMBINED, {"topic": "Chuyển đổi số"}),
    ],
)
def test_a_secretary_plans_each_kind_of_meeting(login, k1, kind, extra):
    day = dt.date(NEXT_YEAR, 3, 10)
    r = login("secretary_k1").post(
        plan_url(k1),
        {
            "kind": kind,
            "date": day.strftime("%d/%m/%Y"),
            "time": "08:00",
            "place": "Hội trường",
            **extra,
        },
    )
    meeting = k1.meetings.get()
    assert r.status_code == 302 and r["Location"] == reverse("meetings:detail", args=[meeting.uuid])
    assert meeting.kind == kind and meeting.status == MeetingStatus.PLANNED
    assert timezone.localtime(meeting.scheduled_at) == at(NEXT_YEAR, 3, 10, 8, 0)
    assert (meeting.period_year, meeting.period_month) == (NEXT_YEAR, 3)
    assert meeting.topic == extra.get("topic", "") and meeting.place == "Hội trường"


def test_a_committee_meeting_prepares_one_of_the_coming_regular_meetings(login, k1, upcoming):
    client = login("secretary_k1")
    page = client.get(plan_url(k1) + f"?prepares={upcoming.uuid}").content.decode()
    assert f'value="{upcoming.pk}" selected' in page
    day = timezone.localtime(upcoming.scheduled_at).date() - dt.timedelta(days=2)
    r = client.post(
        plan_url(k1),
        {
            "kind": "committee",
            "prepares": upcoming.pk,
            "date": day.strftime("%d/%m/%Y"),
            "time": "14:00",
        },
    )
    assert r.status_code == 302
    c = k1.meetings.get(kind=MeetingKind.COMMITTEE)
    assert c.prepares == upcoming and c.period_month == upcoming.period_month


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"kind": "thematic"}, "Give the topic of the thematic meeting."),
        ({"kind": "committee"}, "Choose the regular meeting this committee meeting prepares."),
        ({"kind": "committee", "prepares": "AFTER"}, "must come before the meeting it prepares"),
        ({"kind": "extraordinary", "prepares": "BEFORE"}, "Only a cell-committee meeting"),
        ({"kind": "regular", "date": "SAME_MONTH"}, "already has its regular meeting"),
        ({"kind": "thematic", "topic": "X", "date": "31/02/2027"}, "dd/mm/yyyy"),
        ({"kind": "thematic", "topic": "X", "date": "01/01/2099"}, "check the year"),
        ({"kind": "thematic", "topic": "X", "time": "25:61"}, "hh:mm"),
        ({"kind": "nonsense", "topic": "X"}, "Select a valid choice"),
    ],
)
def test_planning_errors_are_shown_on_the_form_and_change_nothing(
    login, k1, upcoming, data, field_message
):
    local = timezone.localtime(upcoming.scheduled_at)
    dates = {
        "AFTER": (local + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "SAME_MONTH": local.replace(day=20).strftime("%d/%m/%Y"),
    }
    post = {"date": (local - dt.timedelta(days=1)).strftime("%d/%m/%Y"), "time": "19:30", **data}
    if data.get("prepares") in ("AFTER", "BEFORE"):
        post["prepares"] = upcoming.pk
        if data["prepares"] == "AFTER":
            post["date"] = dates["AFTER"]
    if post["date"] == "SAME_MONTH":
        post["date"] = dates["SAME_MONTH"]
    before = Meeting.objects.count()
    r = login("secretary_k1").post(plan_url(k1), post)
    assert r.status_code == 200
    assert field_message in r.content.decode()
    assert Meeting.objects.count() == before


@pytest.mark.parametrize(
    ("user", "cell", "status"),
    [
        ("staff_c1", "K1", 200),
        ("committee_c1", "K1", 403),
        ("member_k1", "K1", 404),
        ("secretary_k1", "K2", 404),
    ],
)
def test_planning_needs_to_manage_the_cell(login, world, user, cell, status):
    client = login(user)
    url = plan_url(world.org(cell))
    assert client.get(url).status_code == status
    r = client.post(url, {"kind": "extraordinary", "date": f"10/03/{NEXT_YEAR}", "time": "8:00"})
    assert r.status_code == (302 if status == 200 else status)
    assert Meeting.objects.exists() == (status == 200)


def test_cells_of_a_dissolved_or_other_kind_cannot_be_planned(login, world):
    assert login("staff_c1").get(plan_url(world.org("C1"))).status_code == 404
    assert Organization.objects.filter(code="C1").exists()
