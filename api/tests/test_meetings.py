"""The meetings API: list, detail, planning and the cycle's transitions, within the scope."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from meetings import services
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    Resolution,
    Speech,
    Vote,
)

JSON = "application/json"


def at(y, m, d, hh=19, mm=30):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def text(response) -> str:
    """The body with its unicode unescaped, so a name check cannot pass vacuously."""
    return json.dumps(response.json(), ensure_ascii=False)


def post(client, path, body=None, method="post", lang=None):
    return getattr(client, method)(
        f"/api/v1{path}",
        data=json.dumps(body or {}),
        content_type=JSON,
        headers={"Accept-Language": lang} if lang else {},
    )


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def calendar(world, k1):
    """K1's regular meetings of July–December 2025 (the 5th at 19:30) and one of K4's."""
    services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa thôn Đông",
        valid_from=dt.date(2025, 1, 1),
    )
    services.generate_regular_meetings(k1, dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    k4 = world.org("K4")
    services.plan_meeting(k4, kind=MeetingKind.REGULAR, scheduled_at=at(2025, 9, 6))
    return k1.meetings.order_by("scheduled_at")


@pytest.fixture
def meeting(calendar):
    """K1's September 2025 regular meeting, planned."""
    return calendar.get(period_month=9)


@pytest.fixture
def k4_meeting(world, calendar):
    return world.org("K4").meetings.get()


def held(meeting, world, marks=None):
    """Started, everyone present (then `marks`), as the secretary would record it."""
    services.start(
        meeting,
        started_at=meeting.scheduled_at,
        chair=world.member("Nguyễn Văn Đức", "K1"),
        minutes_secretary=world.member("Trần Thị Hoa", "K1"),
    )
    services.mark_all_present(meeting)
    if marks:
        services.record_attendance(meeting, marks)
    return meeting


def with_resolution(meeting, world):
    """A held meeting with an adopted resolution and a task for Hoa (member_k1)."""
    held(meeting, world)
    vote = services.record_vote(meeting, motion="Thông qua nghị quyết tháng 9", yes=2)
    return services.pass_resolution(
        meeting,
        kind="resolution",
        summary="Nghị quyết tháng 9",
        assessment="Hoàn thành thu đảng phí",
        directions="Vận động hộ dân",
        vote=vote,
        tasks=[
            {
                "description": "Vận động 2 hộ làm đường",
                "assignee": world.member("Trần Thị Hoa", "K1"),
                "due_date": dt.date(2025, 9, 30),
            },
            {"description": "Rà soát hồ sơ", "assignee_group": "Chi ủy"},
        ],
    )


def _user(world, username, role=None, org=None, member=None):
    user = User.objects.create_user(username=username, password="x-test-pass-1", member=member)
    if role:
        RoleAssignment.objects.create(
            user=user, role=role, organization=world.org(org), valid_from=dt.date(2020, 1, 1)
        )
    return user


@pytest.fixture
def secretary_k2(world):
    return _user(world, "secretary_k2", Role.SECRETARY, "K2", world.member("Hoàng Văn Bình", "K2"))


@pytest.fixture
def member_k2(world):
    return _user(world, "member_k2", member=world.member("Nguyễn Văn Đức", "K2"))


# ---- list ------------------------------------------------------------------------------


def months(response):
    return [(m["organization"]["name"], m["period_month"]) for m in response.json()["items"]]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", 7),
        ("staff_p1", 6),
        ("staff_c1", 6),
        ("committee_c1", 6),
        ("secretary_k1", 6),
        ("member_k1", 6),
        ("staff_p2", 1),
        ("nobody", 0),
    ],
)
def test_the_list_holds_the_meetings_of_the_callers_scope(
    token_client, world, calendar, username, expected
):
    r = token_client(username).get("/api/v1/meetings?page_size=200")
    assert r.status_code == 200
    assert r.json()["count"] == expected == len(r.json()["items"])
    k4 = world.org("K4").name
    assert (k4 in text(r)) == (username in ("admin", "staff_p2"))


def test_a_sibling_cells_secretary_and_member_see_none_of_k1s_meetings(
    token_client, world, calendar, secretary_k2, member_k2
):
    for username in ("secretary_k2", "member_k2"):
        r = token_client(username).get("/api/v1/meetings")
        assert r.status_code == 200 and r.json()["count"] == 0
        assert (
            token_client(username).get(f"/api/v1/meetings?org={world.org('K1').uuid}").status_code
            == 404
        )


def test_the_list_is_in_time_order_with_local_times(token_client, world, calendar):
    r = token_client("secretary_k1").get("/api/v1/meetings")
    items = r.json()["items"]
    assert [i["period_month"] for i in items] == [7, 8, 9, 10, 11, 12]
    first = items[0]
    assert first["scheduled_at"] == "2025-07-05T19:30:00+07:00"
    assert first["organization"] == {"uuid": str(world.org("K1").uuid), "name": "Chi bộ thôn Đông"}
    assert (first["kind"], first["status"], first["place"]) == (
        "regular",
        "planned",
        "Nhà văn hóa thôn Đông",
    )
    assert first["title"].endswith("07/2025")


def test_the_list_filters_by_unit_days_kind_and_status(token_client, world, calendar, meeting):
    services.cancel(calendar.get(period_month=8), reason="Mưa bão")
    services.plan_meeting(
        world.org("K1"), kind=MeetingKind.THEMATIC, scheduled_at=at(2025, 9, 20), topic="Chuyên đề"
    )
    client = token_client("staff_p1")

    def get(query):
        r = client.get(f"/api/v1/meetings?{query}")
        assert r.status_code == 200, r.content
        return [(m["kind"], m["period_month"]) for m in r.json()["items"]]

    assert len(get(f"org={world.org('C1').uuid}")) == 7
    assert get(f"org={world.org('K2').uuid}") == []
    assert get("from=2025-09-05&to=2025-09-20") == [("regular", 9), ("thematic", 9)]
    assert get("from=2025-12-05") == [("regular", 12)]
    assert get("to=2025-07-05") == [("regular", 7)]
    assert get("kind=thematic") == [("thematic", 9)]
    assert get("status=cancelled") == [("regular", 8)]
    assert len(get("status=all")) == 7
    assert client.get(f"/api/v1/meetings?org={world.org('K4').uuid}").status_code == 404


def test_a_plain_member_filters_by_their_own_cell(token_client, world, calendar):
    r = token_client("member_k1").get(f"/api/v1/meetings?org={world.org('K1').uuid}")
    assert r.status_code == 200 and r.json()["count"] == 6


def test_bad_list_filters_are_422_naming_the_field(token_client, world, calendar):
    client = token_client("staff_p1")
    r = client.get(
        "/api/v1/meetings?from=2025-09-30&to=2025-09-01", headers={"Accept-Language": "en"}
    )
    assert r.status_code == 422
    [err] = r.json()["detail"]
    assert (err["field"], err["loc"]) == ("to", ["query", "to"])
    assert "before" in err["msg"]
    r = client.get("/api/v1/meetings?from=05/09/2025&kind=weekly&status=done")
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["detail"]} == {"from", "kind", "status"}


def test_the_list_runs_a_constant_number_of_queries(
    token_client, world, calendar, django_assert_max_num_queries
):
    services.generate_regular_meetings(world.org("K1"), dt.date(2026, 1, 1), dt.date(2028, 12, 31))
    for username in ("staff_p1", "member_k1"):
        client = token_client(username)
        client.get("/api/v1/me")
        for size in (1, 200):
            with django_assert_max_num_queries(4):
                r = client.get(f"/api/v1/meetings?page_size={size}")
            assert len(r.json()["items"]) == min(size, 42)


# ---- detail ----------------------------------------------------------------------------


def test_the_detail_holds_the_whole_meeting(token_client, world, meeting):
    hoa = world.member("Trần Thị Hoa", "K1")
    duc = world.member("Nguyễn Văn Đức", "K1")
    MeetingDocument.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        kind="draft_resolution",
        title="Dự thảo nghị quyết",
        posted_at=meeting.scheduled_at - dt.timedelta(days=3),
    )
    MeetingDocument.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        kind="other",
        title="Tài liệu muộn",
        posted_at=meeting.scheduled_at - dt.timedelta(hours=2),
    )
    services.prepare(meeting, draft_resolution="Dự thảo")
    services.request_absence(meeting, hoa, "Đi công tác")
    res = with_resolution(meeting, world)
    item = meeting.agenda.first()
    Speech.objects.create(province_id=meeting.province_id, item=item, speaker=duc, summary="Đồng ý")
    services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    services.approve_minutes(meeting)

    r = token_client("committee_c1").get(f"/api/v1/meetings/{meeting.uuid}")
    assert r.status_code == 200
    d = r.json()
    assert d["status"] == "approved" and d["duration_minutes"] == 95 and d["min_minutes"] == 90
    assert d["chair"] == {"uuid": str(duc.uuid), "full_name": "Nguyễn Văn Đức"}
    assert d["minutes_secretary"]["full_name"] == "Trần Thị Hoa"
    assert d["counts"]["expected"] == 3 and d["counts"]["present"] == 3
    assert d["counts"]["exempt"] == 1 and d["counts"]["rate"] == 100.0
    assert d["checks"]["duration_ok"] is True and d["checks"]["documents_late"] == ["Tài liệu muộn"]
    assert "consecutive_absences" not in d["checks"]
    assert d["agenda"][0]["speeches"] == [
        {"speaker": {"uuid": str(duc.uuid), "full_name": "Nguyễn Văn Đức"}, "summary": "Đồng ý"}
    ]
    assert {i["step"] for i in d["agenda"]} == {"opening", "proceedings", "closing"}
    [vote] = d["votes"]
    assert (vote["yes"], vote["eligible"], vote["adopted"], vote["percent"]) == (2, 2, True, 100.0)
    assert d["resolution"]["symbol"] == res.symbol == "01-NQ/CB"
    assert d["resolution"]["vote"] == vote["id"]
    tasks = d["resolution"]["tasks"]
    assert tasks[0]["assignee"]["full_name"] == "Trần Thị Hoa"
    assert tasks[0]["due_date"] == "2025-09-30"
    assert tasks[1]["assignee"] is None and tasks[1]["assignee_group"] == "Chi ủy"
    assert [(x["title"], x["posted_late"]) for x in d["documents"]] == [
        ("Dự thảo nghị quyết", False),
        ("Tài liệu muộn", True),
    ]
    [req] = d["absence_requests"]
    assert req["member"]["full_name"] == "Trần Thị Hoa" and req["reason"] == "Đi công tác"
    assert d["capabilities"] == ["view"]
    assert token_client("secretary_k1").get(f"/api/v1/meetings/{meeting.uuid}").json()[
        "capabilities"
    ] == ["view", "manage_members"]


def test_repeated_absences_name_members_not_database_ids(token_client, world, calendar):
    nam = world.member("Lê Văn Nam", "K1")
    for month in (7, 8, 9, 10):
        m = calendar.get(period_month=month)
        held(m, world, {nam.pk: (AttendanceStatus.ABSENT_EXCUSED, "Đi làm ăn xa")})
        services.end(m, ended_at=m.started_at + dt.timedelta(minutes=90))
        services.approve_minutes(m)
    october = calendar.get(period_month=10)
    d = token_client("staff_p1").get(f"/api/v1/meetings/{october.uuid}").json()
    assert d["repeated_absences"] == [
        {"member": {"uuid": str(nam.uuid), "full_name": "Lê Văn Nam"}, "count": 4}
    ]
    mine = token_client("member_k1").get(f"/api/v1/meetings/{october.uuid}").json()
    assert mine["repeated_absences"] == [] and "Lê Văn Nam" not in json.dumps(mine)


def test_a_plain_member_reads_their_cells_meeting_without_others_absences(
    token_client, world, meeting
):
    hoa = world.member("Trần Thị Hoa", "K1")
    services.request_absence(meeting, world.member("Lê Văn Nam", "K1"), "Việc riêng bí mật")
    services.request_absence(meeting, hoa, "Đi công tác")
    r = token_client("member_k1").get(f"/api/v1/meetings/{meeting.uuid}")
    assert r.status_code == 200
    d = r.json()
    assert [a["member"]["uuid"] for a in d["absence_requests"]] == [str(hoa.uuid)]
    assert "Việc riêng bí mật" not in text(r)
    assert d["capabilities"] == ["view"]


def test_the_meeting_record_is_read_out_to_members_votes_and_resolution_included(
    token_client, world, meeting
):
    with_resolution(meeting, world)
    d = token_client("member_k1").get(f"/api/v1/meetings/{meeting.uuid}").json()
    assert len(d["votes"]) == 1 and d["resolution"]["symbol"] == "01-NQ/CB"
    assert d["counts"]["present"] == 3


@pytest.mark.parametrize("username", ["staff_p2", "secretary_k2", "member_k2", "nobody"])
def test_a_meeting_outside_the_scope_is_404_without_data(
    token_client, world, meeting, secretary_k2, member_k2, username
):
    r = token_client(username).get(f"/api/v1/meetings/{meeting.uuid}")
    assert r.status_code == 404
    assert "Chi bộ thôn Đông" not in text(r)
    assert "Nhà văn hóa" not in text(r)


def test_a_meeting_of_another_province_is_404_for_staff_and_a_bad_uuid_too(
    token_client, world, k4_meeting
):
    client = token_client("staff_p1")
    assert client.get(f"/api/v1/meetings/{k4_meeting.uuid}").status_code == 404
    assert client.get("/api/v1/meetings/not-a-uuid").status_code == 422
    assert client.get("/api/v1/meetings/00000000-0000-0000-0000-000000000000").status_code == 404


def test_anonymous_callers_get_401(anon, meeting):
    assert anon.get("/api/v1/meetings").status_code == 401
    assert anon.get(f"/api/v1/meetings/{meeting.uuid}").status_code == 401
    assert post(anon, f"/meetings/{meeting.uuid}/cancel", {"reason": "x"}).status_code == 401


def test_the_detail_runs_a_constant_number_of_queries(
    token_client, world, calendar, django_assert_max_num_queries
):
    small, big = calendar.get(period_month=9), calendar.get(period_month=10)
    with_resolution(small, world)
    with_resolution(big, world)
    duc = world.member("Nguyễn Văn Đức", "K1")
    items = AgendaItem.objects.bulk_create(
        AgendaItem(province_id=big.province_id, meeting=big, step="proceedings", title=f"Mục {i}")
        for i in range(30)
    )
    Speech.objects.bulk_create(
        Speech(province_id=big.province_id, item=i, speaker=duc, summary="Ý kiến")
        for i in items
        for _ in range(3)
    )
    for n in range(20):
        services.record_vote(big, motion=f"Biểu quyết {n}", yes=2)
        MeetingDocument.objects.create(
            province_id=big.province_id, meeting=big, kind="other", title=f"Tài liệu {n}"
        )
    for username in ("staff_p1", "member_k1"):
        client = token_client(username)
        client.get("/api/v1/me")
        for m in (small, big):
            with django_assert_max_num_queries(12):
                r = client.get(f"/api/v1/meetings/{m.uuid}")
            assert r.status_code == 200


# ---- planning ---------------------------------------------------------------------------


def test_the_secretary_plans_a_thematic_meeting(token_client, world, calendar):
    r = post(
        token_client("secretary_k1"),
        f"/cells/{world.org('K1').uuid}/meetings",
        {
            "kind": "thematic",
            "scheduled_at": "2025-09-20T08:00",
            "place": "Hội trường",
            "topic": "Học tập Nghị quyết",
        },
    )
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["scheduled_at"] == "2025-09-20T08:00:00+07:00"  # no offset: Vietnam time
    assert (d["kind"], d["status"], d["topic"], d["period_month"]) == (
        "thematic",
        "planned",
        "Học tập Nghị quyết",
        9,
    )
    assert Meeting.objects.filter(uuid=d["uuid"], organization__code="K1").exists()


def test_a_committee_meeting_prepares_a_regular_meeting_of_the_same_cell(
    token_client, world, meeting, k4_meeting
):
    client = token_client("staff_p1")
    path = f"/cells/{world.org('K1').uuid}/meetings"
    body = {"kind": "committee", "scheduled_at": "2025-09-01T19:30:00+07:00"}
    r = post(client, path, {**body, "prepares": str(k4_meeting.uuid)})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "prepares"
    r = post(client, path, {**body, "prepares": str(meeting.uuid)})
    assert r.status_code == 201 and r.json()["prepares"] == str(meeting.uuid)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "thematic", "scheduled_at": "2025-09-20T08:00"}, "topic"),
        ({"kind": "regular", "scheduled_at": "2025-09-20T08:00"}, "kind"),
        ({"kind": "weekly", "scheduled_at": "2025-09-20T08:00"}, "kind"),
        ({"kind": "thematic", "scheduled_at": "tomorrow", "topic": "X"}, "scheduled_at"),
        ({"kind": "thematic", "scheduled_at": "2025-09-20T08:00", "topik": "X"}, "topik"),
        ({"kind": "committee", "scheduled_at": "2025-09-20T08:00"}, "prepares"),
    ],
)
def test_planning_refuses_bad_input_with_the_field_and_writes_nothing(
    token_client, world, calendar, body, field
):
    before = Meeting.objects.count()
    r = post(token_client("secretary_k1"), f"/cells/{world.org('K1').uuid}/meetings", body)
    assert r.status_code == 422
    assert field in {e["field"] for e in r.json()["detail"]}
    assert all(e["msg"] for e in r.json()["detail"])
    assert Meeting.objects.count() == before


def test_meetings_are_planned_for_cells_only(token_client, world):
    r = post(
        token_client("staff_p1"),
        f"/cells/{world.org('C1').uuid}/meetings",
        {"kind": "extraordinary", "scheduled_at": "2025-09-20T08:00"},
    )
    assert r.status_code == 422 and "Đảng bộ xã An Bình" in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("username", "status"),
    [("committee_c1", 403), ("member_k1", 404), ("staff_p2", 404), ("secretary_k2", 404)],
)
def test_planning_needs_to_run_the_cell(token_client, world, secretary_k2, username, status):
    r = post(
        token_client(username),
        f"/cells/{world.org('K1').uuid}/meetings",
        {"kind": "extraordinary", "scheduled_at": "2025-09-20T08:00"},
    )
    assert r.status_code == status
    assert not Meeting.objects.filter(kind="extraordinary").exists()


# ---- transitions --------------------------------------------------------------------------


def test_the_whole_cycle_through_the_api(token_client, world, meeting):
    client = token_client("secretary_k1")
    base = f"/meetings/{meeting.uuid}"
    r = post(client, f"{base}/prepare", {"draft_resolution": "Dự thảo nghị quyết tháng 9"})
    assert r.status_code == 200 and r.json()["status"] == "prepared"
    assert r.json()["agenda"] and r.json()["draft_resolution"] == "Dự thảo nghị quyết tháng 9"
    r = post(client, f"{base}/notice")
    assert r.json()["status"] == "notice_sent" and r.json()["notice_sent_at"]
    duc, hoa = world.member("Nguyễn Văn Đức", "K1"), world.member("Trần Thị Hoa", "K1")
    r = post(
        client,
        f"{base}/start",
        {
            "started_at": "2025-09-05T19:30:00+07:00",
            "chair": str(duc.uuid),
            "minutes_secretary": str(hoa.uuid),
        },
    )
    assert r.status_code == 200, r.content
    d = r.json()
    assert d["status"] == "in_progress" and d["chair"]["full_name"] == "Nguyễn Văn Đức"
    assert d["started_at"] == "2025-09-05T19:30:00+07:00"
    assert d["counts"]["total"] == 4 and d["counts"]["unmarked"] == 3  # Lan is exempt
    assert post(client, f"{base}/attendance/all-present").json()["changed"] == 3
    r = post(client, f"{base}/votes", {"motion": "Thông qua nghị quyết", "yes": 2})
    assert r.status_code == 201 and r.json()["adopted"] is True
    vote_id = r.json()["id"]
    r = post(
        client,
        f"{base}/resolution",
        {
            "summary": "Nghị quyết tháng 9",
            "vote": vote_id,
            "tasks": [{"description": "Vận động hộ dân", "assignee": str(hoa.uuid)}],
        },
    )
    assert r.status_code == 201 and r.json()["symbol"] == "01-NQ/CB"
    r = post(client, f"{base}/end", {"ended_at": "2025-09-05T21:10:00+07:00"})
    assert r.json()["duration_minutes"] == 100
    r = post(client, f"{base}/approve")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved" and r.json()["checks"]["duration_ok"] is True
    r = post(client, f"{base}/archive")
    assert r.json()["status"] == "archived"


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("approve", {}),
        ("archive", {}),
        ("end", {"ended_at": "2025-09-05T21:00"}),
        ("votes", {"motion": "Thông qua", "yes": 1}),
        ("resolution", {"kind": "conclusion"}),
    ],
)
def test_a_transition_the_state_does_not_allow_is_422_and_changes_nothing(
    token_client, world, meeting, action, body
):
    before = (
        Meeting.history.count(),
        Attendance.objects.count(),
        AgendaItem.objects.count(),
        Vote.objects.count(),
        Resolution.objects.count(),
    )
    r = post(
        token_client("secretary_k1"),
        f"/meetings/{meeting.uuid}/{action}",
        body,
        lang="en",
    )
    assert r.status_code == 422, r.content
    assert "Planned" in r.json()["detail"][0]["msg"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    after = (
        Meeting.history.count(),
        Attendance.objects.count(),
        AgendaItem.objects.count(),
        Vote.objects.count(),
        Resolution.objects.count(),
    )
    assert after == before


def test_preparing_without_the_draft_resolution_leaves_no_agenda_behind(
    token_client, world, meeting
):
    r = post(token_client("secretary_k1"), f"/meetings/{meeting.uuid}/prepare", {})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "draft_resolution"
    assert not meeting.agenda.exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_approval_lists_every_missing_piece(token_client, world, meeting):
    services.start(meeting, started_at=meeting.scheduled_at)
    r = post(token_client("secretary_k1"), f"/meetings/{meeting.uuid}/approve")
    assert r.status_code == 422
    assert len(r.json()["detail"]) == 3  # end time, chair and secretary, unmarked members
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_PROGRESS


def test_the_chair_must_be_a_member_of_the_cell(token_client, world, meeting):
    r = post(
        token_client("staff_p1"),
        f"/meetings/{meeting.uuid}/start",
        {"chair": str(world.member("Hoàng Văn Bình", "K2").uuid)},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "chair"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and not meeting.attendance.exists()


def test_the_end_cannot_come_before_the_start(token_client, world, meeting):
    services.start(meeting, started_at=at(2025, 9, 5))
    r = post(
        token_client("secretary_k1"),
        f"/meetings/{meeting.uuid}/end",
        {"ended_at": "2025-09-05T18:00:00+07:00"},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "ended_at"
    meeting.refresh_from_db()
    assert meeting.ended_at is None


def test_postponing_keeps_the_meeting_and_plans_a_new_one(token_client, world, meeting):
    client = token_client("secretary_k1")
    r = post(client, f"/meetings/{meeting.uuid}/postpone", {"new_time": "2025-09-04T19:30"})
    assert r.status_code == 422 and {e["field"] for e in r.json()["detail"]} == {"reason"}
    r = post(
        client,
        f"/meetings/{meeting.uuid}/postpone",
        {"new_time": "2025-09-04T19:30", "reason": "Mưa bão"},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "new_time"
    r = post(
        client,
        f"/meetings/{meeting.uuid}/postpone",
        {"new_time": "2025-09-12T19:30", "reason": "Mưa bão"},
    )
    assert r.status_code == 200
    d = r.json()
    assert d["status"] == "postponed" and d["status_note"] == "Mưa bão"
    new = Meeting.objects.get(uuid=d["postponed_to"])
    assert new.status == MeetingStatus.PLANNED and new.period_month == 9
    r = post(client, f"/meetings/{meeting.uuid}/cancel", {"reason": "x"})
    assert r.status_code == 422


def test_cancelling_needs_a_reason(token_client, world, meeting):
    client = token_client("secretary_k1")
    r = post(client, f"/meetings/{meeting.uuid}/cancel", {"reason": "   "})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason"
    r = post(client, f"/meetings/{meeting.uuid}/cancel", {"reason": "Dịch bệnh"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"


WRITES = [
    ("prepare", {"draft_resolution": "Dự thảo"}),
    ("notice", {}),
    ("start", {}),
    ("end", {"ended_at": "2025-09-05T21:00"}),
    ("approve", {}),
    ("archive", {}),
    ("postpone", {"new_time": "2025-09-12T19:30", "reason": "Bão"}),
    ("cancel", {"reason": "Bão"}),
    ("attendance/all-present", {}),
    ("votes", {"motion": "X", "yes": 1}),
    ("resolution", {"kind": "conclusion"}),
]


@pytest.mark.parametrize(("action", "body"), WRITES)
@pytest.mark.parametrize("username", ["committee_c1", "member_k1"])
def test_readers_of_the_cell_get_403_on_every_write(
    token_client, world, meeting, username, action, body
):
    before = Meeting.history.count()
    r = post(token_client(username), f"/meetings/{meeting.uuid}/{action}", body)
    assert r.status_code == 403
    assert Meeting.history.count() == before


@pytest.mark.parametrize(("action", "body"), WRITES)
@pytest.mark.parametrize("username", ["staff_p2", "secretary_k2", "nobody"])
def test_outsiders_get_404_on_every_write(
    token_client, world, meeting, secretary_k2, username, action, body
):
    r = post(token_client(username), f"/meetings/{meeting.uuid}/{action}", body)
    assert r.status_code == 404
    assert "Chi bộ thôn Đông" not in text(r)


def test_openapi_lists_the_meeting_operations_with_ids(anon, world):
    schema = anon.get("/api/v1/openapi.json").json()
    ops = {
        op["operationId"]: (method, path)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }
    assert ops["list_meetings"] == ("get", "/api/v1/meetings")
    assert ops["get_meeting"] == ("get", "/api/v1/meetings/{meeting_uuid}")
    assert ops["plan_meeting"] == ("post", "/api/v1/cells/{org_uuid}/meetings")
    assert ops["record_meeting_attendance"] == ("put", "/api/v1/meetings/{meeting_uuid}/attendance")
    assert ops["decide_absence_request"] == (
        "post",
        "/api/v1/absence-requests/{request_id}/decision",
    )
    assert ops["update_task"] == ("patch", "/api/v1/tasks/{task_id}")
    mine = {
        op_id: v
        for op_id, v in ops.items()
        if any(w in v[1] for w in ("meetings", "tasks", "absence-requests"))
    }
    # 21 of the meeting cycle, 3 of its quality score (api/routers/quality.py).
    assert len(mine) == 24
    for method, path in mine.values():
        op = schema["paths"][path][method]
        assert op["summary"] and op["description"]
        if method != "get":
            assert {"401", "403", "404", "422"} <= set(op["responses"]), (method, path)
    assert "YYYY-MM-DD" in str(schema["components"]["schemas"]["TaskOut"])
