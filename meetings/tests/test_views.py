"""The meeting page, its transitions, the attendance sheet, minutes, votes, resolution, tasks, absences."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from meetings import services
from meetings.models import (
    Attendance,
    AttendanceStatus,
    MeetingStatus,
    Resolution,
    Task,
    TaskReport,
)

D = dt.date(2025, 9, 5)


@pytest.fixture
def meeting(world):
    k1 = world.org("K1")
    services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa thôn Đông",
        valid_from=dt.date(2025, 1, 1),
    )
    services.generate_regular_meetings(k1, dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    return k1.meetings.get(period_year=2025, period_month=9)


def fmt(d):
    return timezone.localtime(d).strftime("%d/%m/%Y %H:%M")


def test_the_whole_month_through_the_pages(login, world, meeting, django_assert_max_num_queries):
    c = login("secretary_k1")
    url = meeting.get_absolute_url()
    assert c.get(url).status_code == 200
    r = c.post(f"{url}prepare/", {"draft_resolution": ""})
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED  # refused: the draft is required
    c.post(f"{url}prepare/", {"draft_resolution": "Dự thảo nghị quyết tháng 9"})
    world.user("member_k1").__class__.objects.filter(username="member_k1").update(
        email="hoa@example.vn"
    )
    c.post(f"{url}notice/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTICE_SENT
    assert len(mail.outbox) == 1 and "hoa@example.vn" in mail.outbox[0].to
    duc, hoa = world.member("Nguyễn Văn Đức", "K1"), world.member("Trần Thị Hoa", "K1")
    r = c.post(
        f"{url}start/",
        {"started_at": fmt(meeting.scheduled_at), "chair": duc.pk, "minutes_secretary": hoa.pk},
    )
    assert r["Location"].endswith("/attendance/")
    assert c.post(f"{url}attendance/", {"all_present": "1"}).status_code == 302
    nam = world.member("Lê Văn Nam", "K1")
    r = c.post(
        f"{url}attendance/{nam.pk}/",
        {f"s_{nam.pk}": "absent_excused", f"r_{nam.pk}": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Hãy ghi lý do vắng của đồng chí Lê Văn Nam" in r.content.decode()
    r = c.post(
        f"{url}attendance/{nam.pk}/",
        {f"s_{nam.pk}": "absent_excused", f"r_{nam.pk}": "Ốm"},
        HTTP_HX_REQUEST="true",
    )
    assert "Có mặt 2/3" in r.content.decode()
    item = meeting.agenda.filter(step="proceedings").first()
    c.post(
        f"{url}items/{item.pk}/speeches/",
        {"speaker": hoa.pk, "summary": "Đề nghị làm đường bê tông"},
    )
    c.post(
        f"{url}items/{item.pk}/",
        {
            "step": "proceedings",
            "title": item.title,
            "notes": "Thảo luận sôi nổi",
            "conclusion": "Thống nhất làm đường",
        },
    )
    r = c.post(f"{url}votes/", {"motion": "Thông qua nghị quyết", "yes": 2, "no": 0, "abstain": 0})
    vote = meeting.votes.get()
    assert vote.adopted and vote.eligible == 2
    r = c.post(
        f"{url}resolution/",
        {
            "kind": "resolution",
            "summary": "Tháng 9",
            "assessment": "Tốt",
            "directions": "Làm đường",
            "vote": vote.pk,
            "t-TOTAL_FORMS": 2,
            "t-INITIAL_FORMS": 0,
            "t-0-description": "Vận động nhân dân hiến đất",
            "t-0-assignee": duc.pk,
            "t-0-due_date": "30/09/2025",
            "t-1-description": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Resolution.objects.get(meeting=meeting).symbol == "01-NQ/CB"
    c.post(f"{url}end/", {"ended_at": fmt(meeting.scheduled_at + dt.timedelta(minutes=95))})
    c.post(f"{url}approve/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    with django_assert_max_num_queries(30):
        body = c.get(url).content.decode()
    assert "Đề nghị làm đường bê tông" in body and "2/2" in body and "01-NQ/CB" in body
    october = world.org("K1").meetings.get(period_year=2025, period_month=10)
    body = c.get(october.get_absolute_url()).content.decode()
    assert "Đánh giá kết quả thực hiện nghị quyết tháng trước" in body
    assert "Vận động nhân dân hiến đất" in body


def test_meeting_page_query_count_does_not_grow_with_members(
    login, world, meeting, django_assert_max_num_queries
):
    c = login("secretary_k1")
    services.start(meeting, started_at=meeting.scheduled_at)
    services.mark_all_present(meeting)
    with django_assert_max_num_queries(30) as q1:
        c.get(meeting.get_absolute_url())
    from members.models import Member, Person
    from members.services import create_member

    for i in range(8):
        create_member(
            person=Person(full_name=f"Đảng Viên {i}", sex="M", birth_date=dt.date(1980, 1, 1)),
            member=Member(
                dossier_no=f"{900000 + i}TN",
                status="official",
                ceremony_date=dt.date(2005, 1, 1),
                official_date=dt.date(2006, 1, 1),
            ),
            organization=world.org("K1"),
            start_date=dt.date(2025, 1, 1),
        )
    services.build_roster(meeting)
    services.mark_all_present(meeting)
    with django_assert_max_num_queries(len(q1.captured_queries)):
        c.get(meeting.get_absolute_url())


def test_a_member_requests_absence_and_the_secretary_approves(login, world, meeting, client):
    c = login("member_k1")
    body = c.get(meeting.get_absolute_url()).content.decode()
    assert "Xin vắng mặt" in body or "excused" in body.lower() or "vắng" in body
    c.post(f"{meeting.get_absolute_url()}absence/", {"reason": "Đi công tác Hà Nội"})
    req = meeting.absence_requests.get()
    assert req.member == world.member("Trần Thị Hoa", "K1")
    c2 = login("secretary_k1")
    c2.post(f"{meeting.get_absolute_url()}absence/{req.pk}/", {"decision": "approve"})
    req.refresh_from_db()
    assert req.status == "approved"
    services.build_roster(meeting)
    assert (
        Attendance.objects.get(meeting=meeting, member=req.member).status
        == AttendanceStatus.ABSENT_EXCUSED
    )


def test_a_member_sees_their_cell_meeting_but_not_others_attendance_reasons(login, world, meeting):
    services.start(meeting, started_at=meeting.scheduled_at)
    services.mark_all_present(meeting)
    nam = world.member("Lê Văn Nam", "K1")
    services.record_attendance(
        meeting, {nam.pk: (AttendanceStatus.ABSENT_EXCUSED, "Bệnh riêng tư")}
    )
    body = login("member_k1").get(meeting.get_absolute_url()).content.decode()
    assert "Bệnh riêng tư" not in body
    assert login("member_k1").get(f"{meeting.get_absolute_url()}attendance/").status_code == 403


def test_read_only_and_out_of_scope(login, world, meeting):
    assert login("committee_c1").get(meeting.get_absolute_url()).status_code == 200
    assert (
        login("committee_c1")
        .post(f"{meeting.get_absolute_url()}prepare/", {"draft_resolution": "x"})
        .status_code
        == 403
    )
    assert login("staff_p2").get(meeting.get_absolute_url()).status_code == 404
    k2 = world.org("K2")
    services.set_schedule(
        k2,
        day_of_month=6,
        time=dt.time(19, 0),
        place="Nhà văn hóa thôn Tây",
        valid_from=dt.date(2025, 1, 1),
    )
    services.generate_regular_meetings(k2, dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    other = k2.meetings.get()
    assert login("secretary_k1").get(other.get_absolute_url()).status_code == 404
    assert login("member_k1").get(other.get_absolute_url()).status_code == 404


def test_invalid_transitions_are_refused_with_a_message_and_change_nothing(login, world, meeting):
    c = login("secretary_k1")
    r = c.post(f"{meeting.get_absolute_url()}approve/", follow=True)
    assert "không thể" in r.content.decode() or "cannot" in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    r = c.post(
        f"{meeting.get_absolute_url()}postpone/",
        {"reason": "Bão", "new_time": "32/13/2025 10:00"},
        follow=True,
    )
    assert "dd/mm/yyyy hh:mm" in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_attendance_after_approval_is_a_recorded_correction(login, world, meeting):
    c = login("secretary_k1")
    services.start(
        meeting,
        started_at=meeting.scheduled_at,
        chair=world.member("Nguyễn Văn Đức", "K1"),
        minutes_secretary=world.member("Trần Thị Hoa", "K1"),
    )
    services.mark_all_present(meeting)
    services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    services.approve_minutes(meeting)
    nam = world.member("Lê Văn Nam", "K1")
    url = f"{meeting.get_absolute_url()}attendance/"
    data = {f"s_{a.member_id}": a.status for a in meeting.attendance.all()}
    data[f"s_{nam.pk}"] = "late"
    r = c.post(url, data)
    assert "lý do" in r.content.decode()
    assert Attendance.objects.get(meeting=meeting, member=nam).status == "present"
    data["amend_reason"] = "Ghi nhầm: đồng chí Nam đến muộn"
    c.post(url, data)
    assert Attendance.objects.get(meeting=meeting, member=nam).status == "late"
    assert meeting.amendments.get().reason.startswith("Ghi nhầm")


def test_members_report_progress_on_their_tasks(login, world, meeting):
    services.start(meeting, started_at=meeting.scheduled_at)
    services.mark_all_present(meeting)
    vote = services.record_vote(meeting, motion="NQ", yes=2)
    hoa = world.member("Trần Thị Hoa", "K1")
    res = services.pass_resolution(
        meeting,
        kind="resolution",
        summary="",
        assessment="",
        directions="",
        vote=vote,
        tasks=[{"description": "Thu quỹ khuyến học", "assignee": hoa}],
    )
    task = Task.objects.get(resolution=res)
    c = login("member_k1")
    assert "Thu quỹ khuyến học" in c.get("/meetings/").content.decode()
    c.post(f"/meetings/tasks/{task.pk}/", {"text": "Đã thu được 70%"})
    assert TaskReport.objects.get(task=task).text == "Đã thu được 70%"
    assert c.post(f"/meetings/tasks/{task.pk}/", {"status": "done"}).status_code == 403
    login("secretary_k1").post(
        f"/meetings/tasks/{task.pk}/", {"status": "done", "result": "Hoàn thành"}
    )
    task.refresh_from_db()
    assert task.status == "done"
    assert login("staff_p2").get(f"/meetings/tasks/{task.pk}/").status_code == 404


def test_my_meetings_links_to_my_own_cell_calendar(login, world):
    calendar = f"/meetings/cells/{world.org('K1').uuid}/calendar/"
    for username in ("member_k1", "secretary_k1"):
        page = login(username).get("/meetings/").content.decode()
        assert calendar in page and "Lịch sinh hoạt chi bộ của tôi" in page, username
    # A commune committee sees many cells: no single "my cell" link.
    assert (
        "Lịch sinh hoạt chi bộ của tôi"
        not in login("committee_c1").get("/meetings/").content.decode()
    )


def test_my_meetings_query_count_does_not_grow_with_meetings(
    login, world, django_assert_max_num_queries
):
    k1 = world.org("K1")
    today = timezone.localdate()
    services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Hội trường",
        valid_from=today.replace(day=1),
    )
    c = login("member_k1")
    with django_assert_max_num_queries(12) as few:
        c.get("/meetings/")
    services.generate_regular_meetings(k1, today, today + dt.timedelta(days=59))
    for n in range(4):
        services.plan_meeting(
            k1,
            kind="thematic",
            scheduled_at=timezone.now() + dt.timedelta(days=n + 1),
            place="Hội trường",
            topic=f"Chuyên đề {n}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get("/meetings/").content.decode()
    assert page.count("Sinh hoạt chuyên đề") >= 4


def test_a_task_in_progress_is_not_a_meeting_in_progress():
    from django.utils import translation

    from meetings.models import TaskStatus

    with translation.override("vi"):
        assert str(MeetingStatus.IN_PROGRESS.label) == "Đang họp"
        assert str(TaskStatus.IN_PROGRESS.label) == "Đang thực hiện"


def test_before_the_opening_the_page_shows_who_is_expected(login, world, meeting):
    nam = world.member("Lê Văn Nam", "K1")
    services.decide_absence(
        services.request_absence(meeting, nam, "Đi công tác"), approve=True, user=None
    )
    expected = services.expected_roster(meeting)
    page = login("secretary_k1").get(meeting.get_absolute_url()).content.decode()
    assert "Dự kiến theo danh sách đảng viên của chi bộ vào ngày họp" in page
    assert "Lê Văn Nam (Đi công tác)" in page
    home = [r for r in expected if r["roster_kind"] == "home"]
    assert f"<dt>Đảng viên của chi bộ</dt><dd>{len(home)} (" in page
    assert not meeting.attendance.exists()  # a preview writes nothing


def test_module_level_labels_follow_the_user_language(login, world, meeting):
    """Labels built at import time must be lazy, or English users see Vietnamese chips."""
    from django.conf import settings

    services.start(meeting, started_at=meeting.scheduled_at)
    for lang, excused, all_villages in (
        ("en", "Excused", ">All<"),
        ("vi", "Vắng có lý do", ">Tất cả<"),
    ):
        c = login("secretary_k1")
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        sheet = c.get(f"{meeting.get_absolute_url()}attendance/").content.decode()
        assert excused in sheet, lang
        staff = login("staff_p1")
        staff.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        assert all_villages in staff.get("/org/villages/").content.decode(), lang


def test_opinions_and_minutes_documents_come_once_the_meeting_is_open(login, world, meeting):
    c = login("secretary_k1")
    services.prepare(meeting, draft_resolution="Dự thảo")
    page = c.get(meeting.get_absolute_url()).content.decode()
    assert "Ghi ý kiến phát biểu" not in page and "minutes.pdf" not in page
    services.start(meeting, started_at=meeting.scheduled_at)
    page = c.get(meeting.get_absolute_url()).content.decode()
    assert "Ghi ý kiến phát biểu" in page and "minutes.pdf" in page
