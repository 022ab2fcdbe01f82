"""Criteria the data decides, at their edges (brief §2.6, §12): full points when the check
passes, 0 otherwise, with the reason (in Vietnamese, as written into the minutes)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetings import services as meeting_services
from meetings.models import AttendanceStatus, MeetingDocument
from quality import services
from quality.models import AutoRule, Rubric
from quality.tests.conftest import hold


def sheet(rubric):
    return services.with_sheet(Rubric.objects.filter(pk=rubric.pk)).get()


def result(meeting, rubric, rule):
    """(points, reason) of the rubric's criterion with that rule."""
    rubric = sheet(rubric)
    criterion = next(c for c in rubric.all_criteria() if c.auto_rule == rule)
    return services.evaluate_auto(meeting, rubric)[criterion.pk]


def with_checks(meeting, **checks):
    meeting.checks.update(checks)
    meeting.save(update_fields=["checks"])
    return meeting


def test_a_meeting_without_approved_minutes_cannot_be_scored(september, rubric, world):
    with pytest.raises(ValidationError) as e:
        services.evaluate_auto(september, sheet(rubric))
    assert "not approved yet" in e.value.messages[0]
    hold(september, world, approve=False)
    with pytest.raises(ValidationError):
        services.evaluate_auto(september, sheet(rubric))


@pytest.mark.parametrize(
    ("present", "expected", "points", "reason"),
    [
        (17, 19, 10, "Có mặt 17/19 = 89,5 % > 85 %"),
        (17, 20, 0, "Có mặt 17/20 = 85 %, không trên 85 %"),  # exactly 85 % is not above
        (35, 41, 10, "Có mặt 35/41 = 85,4 % > 85 %"),
        (1701, 2001, 10, "Có mặt 1701/2001 = 85,01 % > 85 %"),
        (1699, 1999, 0, "Có mặt 1699/1999 = 84,99 %, không trên 85 %"),
    ],
)
def test_attendance_must_be_above_the_rate(
    september, rubric, world, present, expected, points, reason
):
    hold(september, world)
    with_checks(september, present=present, expected=expected)
    assert result(september, rubric, AutoRule.ATTENDANCE_RATE) == (points, reason)


def test_attendance_from_the_real_sheet(september, rubric, world):
    hoa = world.member("Trần Thị Hoa", "K1")
    hold(september, world, marks={hoa.pk: (AttendanceStatus.ABSENT_EXCUSED, "Ốm")})
    # Đức and Nam present, Hoa excused, Lan exempt (not expected): 2/3.
    assert result(september, rubric, AutoRule.ATTENDANCE_RATE) == (
        0,
        "Có mặt 2/3 = 66,7 %, không trên 85 %",
    )
    assert result(september, rubric, AutoRule.NO_UNEXCUSED) == (
        5,
        "Không có đảng viên vắng mặt không có lý do.",
    )


def test_one_unexcused_absence_loses_the_criterion(september, rubric, world):
    nam = world.member("Lê Văn Nam", "K1")
    hold(september, world, marks={nam.pk: (AttendanceStatus.ABSENT_UNEXCUSED, "")})
    assert result(september, rubric, AutoRule.NO_UNEXCUSED) == (
        0,
        "1 đảng viên vắng mặt không có lý do.",
    )


def test_more_than_three_absences_in_a_row(september, rubric, world):
    hold(september, world)
    assert result(september, rubric, AutoRule.NO_CONSECUTIVE)[0] == 5
    with_checks(september, consecutive_absences={"12": 4})
    assert result(september, rubric, AutoRule.NO_CONSECUTIVE) == (
        0,
        "1 đảng viên vắng mặt quá 3 lần liên tiếp trong năm.",
    )


@pytest.mark.parametrize(
    ("minutes", "points", "reason"),
    [
        (89, 0, "Sinh hoạt 89 phút, dưới mức tối thiểu 90 phút."),
        (90, 10, "Sinh hoạt 90 phút (tối thiểu 90)."),
    ],
)
def test_duration_89_or_90_minutes(september, rubric, world, minutes, points, reason):
    hold(september, world, minutes=minutes)
    assert result(september, rubric, AutoRule.DURATION) == (points, reason)


def test_a_combined_meeting_needs_120_minutes(september, rubric, world):
    september.kind = "combined"
    september.save()
    hold(september, world, minutes=119)
    assert result(september, rubric, AutoRule.DURATION)[0] == 0
    with_checks(september, duration_minutes=120)
    assert result(september, rubric, AutoRule.DURATION)[0] == 10


@pytest.mark.parametrize(
    ("ahead", "points", "reason"),
    [
        (dt.timedelta(hours=24), 5, "1 tài liệu được đăng trước ít nhất 1 ngày."),
        (
            dt.timedelta(hours=23, minutes=59),
            0,
            "1/1 tài liệu đăng muộn, chưa đủ 1 ngày trước buổi sinh hoạt.",
        ),
    ],
)
def test_documents_posted_24_hours_or_23_59_ahead(september, rubric, world, ahead, points, reason):
    # posted_late: posted after scheduled_at − 1 day (meetings.models.MeetingDocument).
    MeetingDocument.objects.create(
        province_id=september.province_id,
        meeting=september,
        kind="agenda",
        title="Chương trình sinh hoạt",
        text="…",
        posted_at=september.scheduled_at - ahead,
    )
    hold(september, world)
    assert result(september, rubric, AutoRule.DOCUMENTS_ON_TIME) == (points, reason)


def test_no_document_posted(september, rubric, world):
    hold(september, world)
    assert result(september, rubric, AutoRule.DOCUMENTS_ON_TIME) == (
        0,
        "Không có tài liệu nào gửi đảng viên.",
    )


def test_the_cell_committee_met_beforehand(september, rubric, world, k1):
    committee = meeting_services.plan_meeting(
        k1,
        kind="committee",
        scheduled_at=september.scheduled_at - dt.timedelta(days=3),
        prepares=september,
    )
    meeting_services.start(committee, started_at=committee.scheduled_at)
    hold(september, world)
    assert result(september, rubric, AutoRule.COMMITTEE_MEETING) == (
        5,
        "Chi ủy đã họp trước buổi sinh hoạt.",
    )


def test_without_a_committee_meeting(september, rubric, world):
    hold(september, world)
    assert result(september, rubric, AutoRule.COMMITTEE_MEETING)[0] == 0


@pytest.mark.parametrize(
    ("speakers", "present", "points"),
    [(3, 10, 5), (2, 10, 0), (1, 3, 5), (0, 3, 0)],  # at least 30 % of those present
)
def test_share_of_members_who_spoke(september, rubric, world, speakers, present, points):
    hold(september, world)
    with_checks(september, speakers=speakers, present=present)
    assert result(september, rubric, AutoRule.SPEAKERS_SHARE)[0] == points


def test_speakers_reason(september, rubric, world):
    hold(september, world)
    with_checks(september, speakers=1, present=3)
    assert result(september, rubric, AutoRule.SPEAKERS_SHARE) == (
        5,
        "1/3 người có mặt phát biểu = 33,3 % ≥ 30 %",
    )


def test_minutes_complete_needs_chair_secretary_times_and_the_three_steps(september, rubric, world):
    hold(september, world)
    assert result(september, rubric, AutoRule.MINUTES_COMPLETE)[0] == 5
    september.agenda.filter(step="closing").delete()
    september.minutes_secretary = None
    september.save()
    assert result(september, rubric, AutoRule.MINUTES_COMPLETE) == (
        0,
        "Còn thiếu: thư ký ghi biên bản; nội dung ở bước “Kết thúc”.",
    )


def test_a_resolution_or_conclusion(september, rubric, world):
    hold(september, world)
    assert result(september, rubric, AutoRule.RESOLUTION)[0] == 0
    with_checks(september, has_resolution=True)
    assert result(september, rubric, AutoRule.RESOLUTION) == (
        5,
        "Đã thông qua nghị quyết hoặc kết luận.",
    )
