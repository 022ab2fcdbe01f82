"""The meetings API: attendance, votes, the resolution, absence requests and tasks."""

import datetime as dt

import pytest

from api.tests import test_meetings as base
from api.tests.test_meetings import held, post, text, with_resolution
from meetings import services
from meetings.models import (
    AbsenceRequest,
    Attendance,
    AttendanceStatus,
    Meeting,
    Resolution,
    Task,
    TaskReport,
    Vote,
)

# The fixtures of test_meetings.py, shared by name.
k1 = base.k1
calendar = base.calendar
meeting = base.meeting
secretary_k2 = base.secretary_k2
member_k2 = base.member_k2

# ---- attendance ---------------------------------------------------------------------------


def test_before_the_sheet_exists_it_shows_who_is_expected_without_writing(
    token_client, world, meeting
):
    r = token_client("secretary_k1").get(f"/api/v1/meetings/{meeting.uuid}/attendance")
    assert r.status_code == 200
    d = r.json()
    assert d["roster_built"] is False
    rows = {a["member"]["full_name"]: a for a in d["items"]}
    assert set(rows) == {"Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Nam", "Phạm Thị Lan"}
    assert rows["Phạm Thị Lan"]["status"] == "exempt"
    assert rows["Lê Văn Nam"]["member_status"] == "probationary"
    assert rows["Trần Thị Hoa"]["roster_kind"] == "home" and rows["Trần Thị Hoa"]["status"] == ""
    assert d["counts"]["expected"] == 3 and d["counts"]["unmarked"] == 3
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_marking_attendance_builds_the_sheet_and_sets_the_marks(token_client, world, meeting):
    hoa, nam = world.member("Trần Thị Hoa", "K1"), world.member("Lê Văn Nam", "K1")
    r = post(
        token_client("secretary_k1"),
        f"/meetings/{meeting.uuid}/attendance",
        {
            "marks": [
                {"member": str(hoa.uuid), "status": "absent_excused", "reason": "Ốm"},
                {"member": str(nam.uuid), "status": "late"},
            ]
        },
        method="put",
    )
    assert r.status_code == 200, r.content
    d = r.json()
    assert d["roster_built"] is True and d["changed"] == 2
    rows = {a["member"]["full_name"]: (a["status"], a["reason"]) for a in d["items"]}
    assert rows["Trần Thị Hoa"] == ("absent_excused", "Ốm")
    assert rows["Lê Văn Nam"] == ("late", "")
    assert rows["Nguyễn Văn Đức"] == ("", "")
    assert d["counts"]["absent_excused"] == 1 and d["counts"]["present"] == 1
    assert Attendance.objects.filter(meeting=meeting).count() == 4


@pytest.mark.parametrize(
    ("mark", "field"),
    [
        ({"status": "absent_excused", "reason": ""}, "marks"),
        ({"status": "asleep"}, "marks.0.status"),
        ({"member": "binh", "status": "present"}, "marks.0.member"),
    ],
)
def test_a_bad_mark_is_422_and_leaves_no_sheet_behind(token_client, world, meeting, mark, field):
    binh = world.member("Hoàng Văn Bình", "K2")
    hoa = world.member("Trần Thị Hoa", "K1")
    member = str(binh.uuid) if mark.get("member") == "binh" else str(hoa.uuid)
    r = post(
        token_client("secretary_k1"),
        f"/meetings/{meeting.uuid}/attendance",
        {"marks": [{**mark, "member": member}]},
        method="put",
    )
    assert r.status_code == 422
    assert field in {e["field"] for e in r.json()["detail"]}
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_a_member_marked_twice_is_refused(token_client, world, meeting):
    hoa = str(world.member("Trần Thị Hoa", "K1").uuid)
    held(meeting, world)
    r = post(
        token_client("secretary_k1"),
        f"/meetings/{meeting.uuid}/attendance",
        {"marks": [{"member": hoa, "status": "late"}, {"member": hoa, "status": "present"}]},
        method="put",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "marks.1.member"
    assert Attendance.objects.get(meeting=meeting, member__uuid=hoa).status == "present"


def test_approved_minutes_lock_the_attendance(token_client, world, meeting):
    held(meeting, world)
    services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    services.approve_minutes(meeting)
    hoa = world.member("Trần Thị Hoa", "K1")
    r = post(
        token_client("staff_p1"),
        f"/meetings/{meeting.uuid}/attendance",
        {"marks": [{"member": str(hoa.uuid), "status": "late"}]},
        method="put",
    )
    assert r.status_code == 422
    assert Attendance.objects.get(meeting=meeting, member=hoa).status == "present"


def test_all_present_marks_only_those_not_yet_marked(token_client, world, meeting):
    nam = world.member("Lê Văn Nam", "K1")
    services.start(meeting, started_at=meeting.scheduled_at)
    services.record_attendance(meeting, {nam.pk: (AttendanceStatus.ABSENT_UNEXCUSED, "")})
    r = post(token_client("secretary_k1"), f"/meetings/{meeting.uuid}/attendance/all-present")
    assert r.status_code == 200 and r.json()["changed"] == 2
    assert Attendance.objects.get(meeting=meeting, member=nam).status == "absent_unexcused"


def test_a_plain_member_sees_the_counts_and_only_their_own_row(token_client, world, meeting):
    hoa, nam = world.member("Trần Thị Hoa", "K1"), world.member("Lê Văn Nam", "K1")
    held(meeting, world, {nam.pk: (AttendanceStatus.ABSENT_EXCUSED, "Khám bệnh tâm thần")})
    r = token_client("member_k1").get(f"/api/v1/meetings/{meeting.uuid}/attendance")
    assert r.status_code == 200
    d = r.json()
    assert [a["member"]["uuid"] for a in d["items"]] == [str(hoa.uuid)]
    assert d["counts"]["absent_excused"] == 1
    assert "Khám bệnh" not in text(r) and "Lê Văn Nam" not in text(r)
    full = token_client("committee_c1").get(f"/api/v1/meetings/{meeting.uuid}/attendance")
    assert "Khám bệnh tâm thần" in text(full)


@pytest.mark.parametrize("username", ["staff_p2", "secretary_k2", "member_k2", "nobody"])
def test_the_sheet_of_a_meeting_outside_the_scope_is_404(
    token_client, world, meeting, secretary_k2, member_k2, username
):
    held(meeting, world)
    r = token_client(username).get(f"/api/v1/meetings/{meeting.uuid}/attendance")
    assert r.status_code == 404 and "Trần Thị Hoa" not in text(r)
    hoa = str(world.member("Trần Thị Hoa", "K1").uuid)
    r = post(
        token_client(username),
        f"/meetings/{meeting.uuid}/attendance",
        {"marks": [{"member": hoa, "status": "late"}]},
        method="put",
    )
    assert r.status_code == 404


@pytest.mark.parametrize("username", ["committee_c1", "member_k1"])
def test_readers_cannot_mark_attendance(token_client, world, meeting, username):
    held(meeting, world)
    hoa = str(world.member("Trần Thị Hoa", "K1").uuid)
    r = post(
        token_client(username),
        f"/meetings/{meeting.uuid}/attendance",
        {"marks": [{"member": hoa, "status": "late"}]},
        method="put",
    )
    assert r.status_code == 403
    assert Attendance.objects.get(meeting=meeting, member__uuid=hoa).status == "present"


# ---- votes and resolution -------------------------------------------------------------------


def test_votes_count_only_official_members_present(token_client, world, meeting):
    held(meeting, world)
    client = token_client("secretary_k1")
    r = post(client, f"/meetings/{meeting.uuid}/votes", {"motion": "Thông qua", "yes": 3})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "__all__"
    r = post(client, f"/meetings/{meeting.uuid}/votes", {"motion": "Thông qua", "yes": -1})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "yes"
    r = post(client, f"/meetings/{meeting.uuid}/votes", {"motion": " ", "yes": 1})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "motion"
    assert not Vote.objects.filter(meeting=meeting).exists()
    r = post(client, f"/meetings/{meeting.uuid}/votes", {"motion": "Thông qua", "yes": 1, "no": 1})
    assert r.status_code == 201
    assert r.json() | {"id": 0} == {
        "id": 0,
        "motion": "Thông qua",
        "eligible": 2,
        "yes": 1,
        "no": 1,
        "abstain": 0,
        "adopted": False,
        "percent": 50.0,
    }


def test_the_resolution_needs_an_adopting_vote_of_this_meeting(
    token_client, world, calendar, meeting
):
    held(meeting, world)
    other = calendar.get(period_month=10)
    held(other, world)
    foreign = services.record_vote(other, motion="Khác", yes=2)
    failed = services.record_vote(meeting, motion="Thông qua", yes=1)
    client = token_client("secretary_k1")
    path = f"/meetings/{meeting.uuid}/resolution"
    r = post(client, path, {"vote": foreign.pk})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "vote"
    r = post(client, path, {"vote": failed.pk})
    assert r.status_code == 422 and "1" in r.json()["detail"][0]["msg"]
    r = post(client, path, {})
    assert r.status_code == 422
    assert not Resolution.objects.filter(meeting=meeting).exists()


def test_the_resolution_is_numbered_and_its_tasks_assigned_by_member_uuid(
    token_client, world, meeting
):
    held(meeting, world)
    vote = services.record_vote(meeting, motion="Thông qua", yes=2)
    hoa = world.member("Trần Thị Hoa", "K1")
    r = post(
        token_client("secretary_k1"),
        f"/meetings/{meeting.uuid}/resolution",
        {
            "summary": "Nghị quyết tháng 9",
            "assessment": "Tốt",
            "directions": "Làm đường",
            "vote": vote.pk,
            "tasks": [
                {
                    "description": "Vận động hộ dân",
                    "assignee": str(hoa.uuid),
                    "due_date": "2025-09-30",
                },
                {"description": "Rà soát", "assignee_group": "Chi ủy"},
            ],
        },
    )
    assert r.status_code == 201, r.content
    d = r.json()
    assert (d["kind"], d["number"], d["symbol"], d["vote"]) == (
        "resolution",
        1,
        "01-NQ/CB",
        vote.pk,
    )
    assert d["tasks"][0]["assignee"]["uuid"] == str(hoa.uuid)
    assert d["tasks"][0]["due_date"] == "2025-09-30" and d["tasks"][0]["status"] == "assigned"
    assert d["tasks"][1]["assignee_group"] == "Chi ủy"
    r = post(
        token_client("secretary_k1"), f"/meetings/{meeting.uuid}/resolution", {"kind": "conclusion"}
    )
    assert r.status_code == 422  # one resolution per meeting


@pytest.mark.parametrize(
    ("task", "field"),
    [
        ({"description": "X", "assignee": "binh"}, "tasks.0.assignee"),
        ({"description": "X"}, "__all__"),
        ({"description": ""}, "tasks.0.description"),
        (
            {"description": "X", "due_date": "30/09/2025", "assignee_group": "Chi ủy"},
            "tasks.0.due_date",
        ),
    ],
)
def test_a_bad_task_is_422_and_nothing_is_recorded(token_client, world, meeting, task, field):
    held(meeting, world)
    if task.get("assignee") == "binh":
        task = {**task, "assignee": str(world.member("Hoàng Văn Bình", "K2").uuid)}
    r = post(
        token_client("secretary_k1"),
        f"/meetings/{meeting.uuid}/resolution",
        {"kind": "conclusion", "tasks": [task]},
    )
    assert r.status_code == 422
    assert field in {e["field"] for e in r.json()["detail"]}
    assert not Resolution.objects.exists() and not Task.objects.exists()


# ---- absence requests -----------------------------------------------------------------------


def test_a_member_asks_to_be_excused_and_the_secretary_approves(token_client, world, meeting):
    r = post(
        token_client("member_k1"),
        f"/meetings/{meeting.uuid}/absence-requests",
        {"reason": "Đi công tác"},
    )
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["member"]["full_name"] == "Trần Thị Hoa" and d["status"] == "pending"
    again = post(
        token_client("member_k1"), f"/meetings/{meeting.uuid}/absence-requests", {"reason": "x"}
    )
    assert again.status_code == 422
    r = post(
        token_client("secretary_k1"),
        f"/absence-requests/{d['id']}/decision",
        {"approve": True, "note": "Đồng ý"},
    )
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["decision_note"]) == ("approved", "Đồng ý")
    services.build_roster(meeting)
    a = Attendance.objects.get(meeting=meeting, member__uuid=d["member"]["uuid"])
    assert (a.status, a.reason) == ("absent_excused", "Đi công tác")
    r = post(
        token_client("secretary_k1"), f"/absence-requests/{d['id']}/decision", {"approve": False}
    )
    assert r.status_code == 422  # already decided
    assert AbsenceRequest.objects.get(pk=d["id"]).status == "approved"


def test_absence_is_requested_before_the_meeting_and_with_a_reason(token_client, world, meeting):
    client = token_client("member_k1")
    r = post(client, f"/meetings/{meeting.uuid}/absence-requests", {"reason": ""})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason"
    held(meeting, world)
    r = post(client, f"/meetings/{meeting.uuid}/absence-requests", {"reason": "Ốm"})
    assert r.status_code == 422
    assert not AbsenceRequest.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [("staff_p1", 403), ("committee_c1", 403), ("staff_p2", 404), ("member_k2", 404)],
)
def test_only_members_of_the_cell_ask_to_be_excused(
    token_client, world, meeting, member_k2, username, status
):
    r = post(
        token_client(username), f"/meetings/{meeting.uuid}/absence-requests", {"reason": "Bận"}
    )
    assert r.status_code == status
    assert not AbsenceRequest.objects.exists()


@pytest.mark.parametrize(
    ("username", "whose", "status"),
    [
        ("member_k1", "Trần Thị Hoa", 403),  # their own: visible, not theirs to decide
        ("member_k1", "Lê Văn Nam", 404),  # another member's: not theirs to know of
        ("committee_c1", "Lê Văn Nam", 403),
        ("staff_p2", "Lê Văn Nam", 404),
        ("secretary_k2", "Lê Văn Nam", 404),
        ("staff_c1", "Lê Văn Nam", 200),
    ],
)
def test_deciding_an_absence_needs_to_run_the_cell(
    token_client, world, meeting, secretary_k2, username, whose, status
):
    req = services.request_absence(meeting, world.member(whose, "K1"), "Bận việc gia đình")
    r = post(token_client(username), f"/absence-requests/{req.pk}/decision", {"approve": True})
    assert r.status_code == status
    if status != 200:
        assert "Bận việc gia đình" not in text(r)
        req.refresh_from_db()
        assert req.status == "pending"


def test_an_unknown_absence_request_is_404(token_client, world):
    client = token_client("staff_p1")
    for rid in (999999, 2**70):
        r = post(client, f"/absence-requests/{rid}/decision", {"approve": True})
        assert r.status_code == 404


# ---- tasks --------------------------------------------------------------------------------


@pytest.fixture
def tasks(world, calendar, meeting):
    """K1's September resolution (a task for Hoa, one for the committee) and a K4 task."""
    with_resolution(meeting, world)
    k4 = world.org("K4").meetings.get()
    services.start(k4, started_at=k4.scheduled_at)
    services.mark_all_present(k4)
    services.pass_resolution(
        k4,
        kind="conclusion",
        summary="",
        assessment="",
        directions="",
        vote=None,
        tasks=[{"description": "Việc thôn Trung", "assignee_group": "Chi ủy"}],
    )
    return {t.description: t for t in Task.objects.all()}


def descriptions(r):
    assert r.status_code == 200, r.content
    return sorted(t["description"] for t in r.json()["items"])


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("member_k1", ["Vận động 2 hộ làm đường"]),
        ("secretary_k1", ["Rà soát hồ sơ", "Vận động 2 hộ làm đường"]),
        ("staff_p1", ["Rà soát hồ sơ", "Vận động 2 hộ làm đường"]),
        ("committee_c1", []),
        ("staff_p2", ["Việc thôn Trung"]),
        ("admin", ["Rà soát hồ sơ", "Việc thôn Trung", "Vận động 2 hộ làm đường"]),
        ("nobody", []),
    ],
)
def test_the_task_list_holds_my_tasks_and_those_of_cells_i_run(
    token_client, world, tasks, username, expected
):
    assert descriptions(token_client(username).get("/api/v1/tasks")) == expected


def test_a_task_in_the_list(token_client, world, tasks, meeting):
    r = token_client("member_k1").get("/api/v1/tasks")
    [t] = r.json()["items"]
    assert t["organization"]["name"] == "Chi bộ thôn Đông"
    assert t["meeting"] == str(meeting.uuid) and t["resolution"] == "01-NQ/CB"
    assert (t["status"], t["due_date"], t["reports"]) == ("assigned", "2025-09-30", 0)


def test_the_task_list_filters_by_status_and_unit(token_client, world, tasks):
    client = token_client("staff_p1")
    Task.objects.filter(description="Rà soát hồ sơ").update(status="done")
    assert descriptions(client.get("/api/v1/tasks?status=open")) == ["Vận động 2 hộ làm đường"]
    assert descriptions(client.get("/api/v1/tasks?status=done")) == ["Rà soát hồ sơ"]
    assert len(descriptions(client.get(f"/api/v1/tasks?org={world.org('C1').uuid}"))) == 2
    assert descriptions(client.get(f"/api/v1/tasks?org={world.org('K2').uuid}")) == []
    assert client.get(f"/api/v1/tasks?org={world.org('K4').uuid}").status_code == 404
    assert client.get("/api/v1/tasks?status=late").status_code == 422


def test_the_task_list_runs_a_constant_number_of_queries(
    token_client, world, tasks, meeting, django_assert_max_num_queries
):
    res = meeting.resolution
    Task.objects.bulk_create(
        Task(
            province_id=res.province_id,
            organization_id=meeting.organization_id,
            resolution=res,
            description=f"Việc {i}",
            assignee=world.member("Trần Thị Hoa", "K1"),
        )
        for i in range(60)
    )
    for username in ("secretary_k1", "member_k1"):
        client = token_client(username)
        client.get("/api/v1/me")
        for size in (1, 200):
            with django_assert_max_num_queries(4):
                r = client.get(f"/api/v1/tasks?page_size={size}")
            assert len(r.json()["items"]) == min(size, 61 + (username == "secretary_k1"))


@pytest.mark.parametrize(
    ("username", "task", "status"),
    [
        ("member_k1", "Vận động 2 hộ làm đường", 201),  # their own
        ("member_k1", "Rà soát hồ sơ", 403),  # the committee's
        ("secretary_k1", "Rà soát hồ sơ", 201),
        ("staff_p1", "Vận động 2 hộ làm đường", 201),
        ("committee_c1", "Rà soát hồ sơ", 403),
        ("staff_p2", "Rà soát hồ sơ", 404),
        ("secretary_k2", "Rà soát hồ sơ", 404),
        ("member_k2", "Vận động 2 hộ làm đường", 404),
        ("secretary_k1", "Việc thôn Trung", 404),
    ],
)
def test_progress_is_reported_by_the_assignee_or_the_cells_managers(
    token_client, world, tasks, secretary_k2, member_k2, username, task, status
):
    r = post(
        token_client(username), f"/tasks/{tasks[task].pk}/reports", {"text": "Đã vận động 1 hộ"}
    )
    assert r.status_code == status
    assert TaskReport.objects.count() == (status == 201)
    if status == 201:
        d = r.json()
        assert d["task"] == tasks[task].pk and d["text"] == "Đã vận động 1 hộ"
        user = world.user(username)
        assert d["member"] == (
            {"uuid": str(user.member.uuid), "full_name": user.member.person.full_name}
            if user.member_id
            else None
        )


def test_a_report_needs_text_and_an_existing_task(token_client, world, tasks):
    client = token_client("secretary_k1")
    task = tasks["Rà soát hồ sơ"]
    r = post(client, f"/tasks/{task.pk}/reports", {"text": "  "})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "text"
    assert post(client, "/tasks/999999/reports", {"text": "x"}).status_code == 404
    assert post(client, f"/tasks/{2**70}/reports", {"text": "x"}).status_code == 404
    assert not TaskReport.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("secretary_k1", 200),
        ("staff_c1", 200),
        ("member_k1", 403),
        ("committee_c1", 403),
        ("staff_p2", 404),
        ("secretary_k2", 404),
    ],
)
def test_only_the_cells_managers_set_a_tasks_status_and_result(
    token_client, world, tasks, secretary_k2, username, status
):
    task = tasks["Vận động 2 hộ làm đường"]  # member_k1's own
    versions = task.history.count()
    r = post(
        token_client(username),
        f"/tasks/{task.pk}",
        {"status": "done", "result": "Đã vận động 2 hộ"},
        method="patch",
    )
    assert r.status_code == status
    task.refresh_from_db()
    if status == 200:
        assert (r.json()["status"], r.json()["result"]) == ("done", "Đã vận động 2 hộ")
        assert (task.status, task.result) == ("done", "Đã vận động 2 hộ")
        assert task.history.count() == versions + 1
    else:
        assert task.status == "assigned" and task.history.count() == versions


def test_a_task_patch_sends_only_what_changes(token_client, world, tasks):
    task = tasks["Rà soát hồ sơ"]
    client = token_client("secretary_k1")
    r = post(client, f"/tasks/{task.pk}", {"status": "in_progress"}, method="patch")
    assert r.status_code == 200 and r.json()["result"] == ""
    r = post(client, f"/tasks/{task.pk}", {"status": "finished"}, method="patch")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "status"
    r = post(client, f"/tasks/{task.pk}", {"statuss": "done"}, method="patch")
    assert r.status_code == 422
    task.refresh_from_db()
    assert task.status == "in_progress"


def test_every_meeting_write_is_a_json_api_with_nothing_written_on_a_malformed_body(
    token_client, world, meeting
):
    client = token_client("secretary_k1")
    r = client.post(
        f"/api/v1/meetings/{meeting.uuid}/cancel", data="{", content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "json_invalid"
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"
