"""The meeting cycle's transitions and rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ResolutionKind,
    Step,
    Task,
)
from members.models import Membership, MembershipKind


def at(y, m, d, hh=19, mm=30):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def meeting(k1):
    services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa thôn Đông",
        valid_from=dt.date(2025, 1, 1),
    )
    services.generate_regular_meetings(k1, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    return k1.meetings.get(period_year=2025, period_month=9)


def held(meeting, world, marks=None, start=None):
    """Run a meeting through to in progress with attendance marked."""
    services.start(
        meeting,
        started_at=start or meeting.scheduled_at,
        chair=world.member("Nguyễn Văn Đức", "K1"),
        minutes_secretary=world.member("Trần Thị Hoa", "K1"),
    )
    services.mark_all_present(meeting)
    if marks:
        services.record_attendance(meeting, marks)
    return meeting


def test_schedule_generates_one_regular_meeting_a_month_and_only_once(k1, meeting):
    assert k1.meetings.filter(kind=MeetingKind.REGULAR, period_year=2025).count() == 12
    assert meeting.local_date == dt.date(2025, 9, 5) and meeting.place == "Nhà văn hóa thôn Đông"
    assert services.generate_regular_meetings(k1, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 0


def test_a_new_schedule_closes_the_previous_rule(k1, meeting):
    rule = services.set_schedule(
        k1, day_of_month=10, time=dt.time(8, 0), place="Hội trường", valid_from=dt.date(2026, 1, 1)
    )
    assert k1.schedule_rules.count() == 2
    assert services.rule_on(k1, dt.date(2025, 6, 1)).day_of_month == 5
    assert services.rule_on(k1, dt.date(2026, 6, 1)) == rule
    with pytest.raises(ValidationError):
        services.set_schedule(
            k1, day_of_month=31, time=dt.time(8, 0), place="X", valid_from=dt.date(2026, 2, 1)
        )


def test_thematic_never_replaces_the_regular_meeting(k1, meeting):
    with pytest.raises(ValidationError):
        services.plan_meeting(k1, kind=MeetingKind.REGULAR, scheduled_at=at(2025, 9, 20))
    with pytest.raises(ValidationError):
        services.plan_meeting(
            k1, kind=MeetingKind.THEMATIC, scheduled_at=at(2025, 9, 20)
        )  # no topic
    t = services.plan_meeting(
        k1,
        kind=MeetingKind.THEMATIC,
        scheduled_at=at(2025, 9, 20),
        topic="Học tập Nghị quyết Trung ương",
    )
    assert (t.period_year, t.period_month) == (2025, 9)


def test_committee_meeting_prepares_a_regular_one_before_it(k1, meeting):
    with pytest.raises(ValidationError):
        services.plan_meeting(
            k1, kind=MeetingKind.COMMITTEE, scheduled_at=at(2025, 9, 6), prepares=meeting
        )
    c = services.plan_meeting(
        k1, kind=MeetingKind.COMMITTEE, scheduled_at=at(2025, 9, 1), prepares=meeting
    )
    assert c.prepares == meeting and c.period_month == 9


def test_preparation_fills_the_three_step_agenda(meeting):
    with pytest.raises(ValidationError):
        services.prepare(meeting)  # the draft resolution is needed
    services.prepare(meeting, draft_resolution="Dự thảo nghị quyết tháng 3")
    steps = set(meeting.agenda.values_list("step", flat=True))
    assert steps == {Step.OPENING, Step.PROCEEDINGS, Step.CLOSING}
    assert meeting.agenda.filter(title__contains="dân chủ ở cơ sở").exists()  # village cell content
    with pytest.raises(ValidationError):
        services.prepare(meeting, draft_resolution="again")


def test_roster_presets_exempt_and_attached_members(meeting, world):
    binh = world.member("Hoàng Văn Bình", "K2")
    Membership.objects.create(
        province_id=binh.province_id,
        member=binh,
        organization=world.org("K1"),
        kind=MembershipKind.TEMPORARY,
        start_date=dt.date(2025, 1, 1),
    )
    services.build_roster(meeting)
    rows = {
        a.member.person.full_name: a for a in meeting.attendance.select_related("member__person")
    }
    assert set(rows) == {
        "Nguyễn Văn Đức",
        "Trần Thị Hoa",
        "Lê Văn Nam",
        "Phạm Thị Lan",
        "Hoàng Văn Bình",
    }
    assert rows["Phạm Thị Lan"].status == AttendanceStatus.EXEMPT
    assert rows["Hoàng Văn Bình"].roster_kind == "temporary"
    assert services.build_roster(meeting) == 0


def test_attendance_rate_excludes_exempt_and_counts_attached_separately(meeting, world):
    held(
        meeting,
        world,
        {world.member("Trần Thị Hoa", "K1").pk: (AttendanceStatus.ABSENT_EXCUSED, "Ốm")},
    )
    s = services.attendance_summary(list(meeting.attendance.all()))
    # Nam (probationary, present) and Đức present; Hoa excused; Lan exempt.
    assert (s["expected"], s["present"], s["exempt"], s["rate"]) == (3, 2, 1, 66.7)
    assert len(s["absent_excused"]) == 1


def test_an_excused_absence_needs_a_reason(meeting, world):
    held(meeting, world)
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting, {world.member("Lê Văn Nam", "K1").pk: (AttendanceStatus.ABSENT_EXCUSED, "")}
        )


def test_only_official_members_present_vote_and_more_than_half_adopts(meeting, world):
    held(meeting, world)
    assert services.eligible_voters(meeting) == 2  # Đức and Hoa; Nam is probationary, Lan exempt
    with pytest.raises(ValidationError):
        services.record_vote(meeting, motion="Thông qua nghị quyết", yes=3)
    vote = services.record_vote(meeting, motion="Thông qua nghị quyết", yes=1, no=1)
    assert not vote.adopted
    with pytest.raises(ValidationError):
        services.pass_resolution(
            meeting,
            kind=ResolutionKind.RESOLUTION,
            summary="",
            assessment="",
            directions="",
            vote=vote,
            tasks=[],
        )
    vote = services.record_vote(meeting, motion="Thông qua nghị quyết", yes=2)
    assert vote.adopted and vote.percent == 100.0


def test_resolution_numbers_run_per_term_and_tasks_carry_to_next_month(meeting, world, k1):
    held(meeting, world)
    vote = services.record_vote(meeting, motion="Thông qua nghị quyết", yes=2)
    duc = world.member("Nguyễn Văn Đức", "K1")
    res = services.pass_resolution(
        meeting,
        kind=ResolutionKind.RESOLUTION,
        summary="Tháng 3",
        assessment="",
        directions="",
        vote=vote,
        tasks=[
            {
                "description": "Vận động 2 hộ dự họp",
                "assignee": duc,
                "due_date": dt.date(2025, 9, 30),
            }
        ],
    )
    assert res.symbol == "01-NQ/CB"
    april = k1.meetings.get(period_year=2025, period_month=10)
    services.fill_agenda(april)
    review = april.agenda.get(reviews__isnull=False)
    assert review.reviews == res and review.step == Step.PROCEEDINGS
    assert Task.objects.filter(resolution=res, status="assigned").count() == 1
    held(april, world)
    v2 = services.record_vote(april, motion="NQ", yes=2)
    res2 = services.pass_resolution(
        april,
        kind=ResolutionKind.RESOLUTION,
        summary="",
        assessment="",
        directions="",
        vote=v2,
        tasks=[],
    )
    assert res2.symbol == "02-NQ/CB"


def test_approving_the_minutes_checks_completeness_computes_checks_and_locks(meeting, world):
    held(meeting, world, start=at(2025, 9, 5, 19, 30))
    with pytest.raises(ValidationError) as e:
        services.approve_minutes(meeting)
    assert "end" in str(e.value).lower() or "kết thúc" in str(e.value)
    services.end(meeting, ended_at=at(2025, 9, 5, 20, 40))
    services.approve_minutes(meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    c = meeting.checks
    assert c["duration_minutes"] == 70 and c["duration_ok"] is False
    assert c["attendance_rate"] == 100.0 and c["committee_meeting_held"] is False
    assert c["documents_ok"] is False and c["thematic_this_quarter"] is False
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting, {world.member("Lê Văn Nam", "K1").pk: ("absent_unexcused", "")}
        )


def test_locked_roster_does_not_change_when_members_move_later(meeting, world):
    held(meeting, world)
    services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    services.approve_minutes(meeting)
    from members.services import move_member

    move_member(world.member("Lê Văn Nam", "K1"), world.org("K2"), dt.date(2025, 11, 1))
    assert meeting.attendance.count() == 4
    assert services.build_roster(meeting) == 0


def test_more_than_three_consecutive_absences_are_flagged(k1, meeting, world):
    nam = world.member("Lê Văn Nam", "K1")
    for month in (7, 8, 9, 10):
        m = k1.meetings.get(period_year=2025, period_month=month)
        held(m, world, {nam.pk: (AttendanceStatus.ABSENT_EXCUSED, "Đi làm ăn xa")})
        services.end(m, ended_at=m.started_at + dt.timedelta(minutes=90))
        services.approve_minutes(m)
    october = k1.meetings.get(period_year=2025, period_month=10)
    assert october.checks["consecutive_absences"] == {str(nam.pk): 4}
    september = k1.meetings.get(period_year=2025, period_month=9)
    assert september.checks["consecutive_absences"] == {}


def test_postpone_moves_the_content_to_a_new_meeting(meeting):
    services.prepare(meeting, draft_resolution="Dự thảo")
    new = services.postpone(meeting, new_time=at(2025, 9, 12), reason="Mưa bão")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.POSTPONED and meeting.postponed_to == new
    assert new.agenda.count() > 0 and AgendaItem.objects.filter(meeting=meeting).count() == 0
    with pytest.raises(ValidationError):
        services.cancel(meeting, reason="x")


def test_absence_request_is_approved_into_the_roster(meeting, world):
    hoa = world.member("Trần Thị Hoa", "K1")
    req = services.request_absence(meeting, hoa, "Đi công tác")
    with pytest.raises(ValidationError):
        services.request_absence(meeting, hoa, "again")
    services.decide_absence(req, approve=True)
    services.build_roster(meeting)
    a = Attendance.objects.get(meeting=meeting, member=hoa)
    assert (a.status, a.reason) == (AttendanceStatus.ABSENT_EXCUSED, "Đi công tác")


def test_amending_locked_minutes_is_recorded(meeting, world):
    held(meeting, world)
    services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    services.approve_minutes(meeting)
    nam = Attendance.objects.get(meeting=meeting, member=world.member("Lê Văn Nam", "K1"))

    def apply():
        Attendance.objects.filter(pk=nam.pk).update(status=AttendanceStatus.LATE)

    with pytest.raises(ValidationError):
        services.amend(meeting, reason="", changes=[{"x": 1}], apply=apply)
    a = services.amend(
        meeting,
        reason="Ghi nhầm",
        changes=[{"member": nam.member_id, "from": "present", "to": "late"}],
        apply=apply,
    )
    assert (
        a.meeting == meeting and Attendance.objects.get(pk=nam.pk).status == AttendanceStatus.LATE
    )


def test_all_meetings_query_helpers(k1, meeting):
    assert Meeting.objects.in_month(2025, 9).regular().filter(organization=k1).count() == 1


def test_recording_attendance_keeps_who_marked_what(meeting, world):
    services.start(meeting, started_at=meeting.scheduled_at)
    services.build_roster(meeting)
    secretary = world.user("secretary_k1")
    nam = world.member("Lê Văn Nam", "K1")
    duc = world.member("Nguyễn Văn Đức", "K1")
    marks = {nam.pk: (AttendanceStatus.LATE, ""), duc.pk: (AttendanceStatus.PRESENT, "")}
    assert services.record_attendance(meeting, marks, user=secretary) == 2
    row = meeting.attendance.get(member=nam)
    assert (row.status, row.recorded_by) == (AttendanceStatus.LATE, secretary)
    last = row.history.order_by("-history_id").first()
    assert (last.status, last.history_user, last.history_type) == ("late", secretary, "~")
    # Nothing changed: nothing written, not even history.
    before = row.history.count()
    assert services.record_attendance(meeting, marks, user=secretary) == 0
    assert row.history.count() == before
