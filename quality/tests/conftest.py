import datetime as dt

import pytest
from django.utils import timezone, translation

from meetings import services as meeting_services
from quality import services
from quality.models import RubricKind


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the site's default language is Vietnamese); the
    automatic reasons are written in Vietnamese whatever the language."""
    with translation.override("en"):
        yield


def at(y, m, d, hh=19, mm=30):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def p1(world):
    return world.org("P1")


@pytest.fixture
def rubric(p1, world):
    """P1's provincial 100-point sheet (regular meetings), in force from 1/1/2025."""
    installed = services.install_preset(
        p1, "provincial_100", dt.date(2025, 1, 1), by=world.user("staff_p1")
    )
    return next(r for r in installed if r.kind == RubricKind.REGULAR)


@pytest.fixture
def september(k1):
    """K1's regular meeting of September 2025 (the 5th, 19:30), planned."""
    meeting_services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa thôn Đông",
        valid_from=dt.date(2025, 1, 1),
    )
    meeting_services.generate_regular_meetings(k1, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    return k1.meetings.get(period_year=2025, period_month=9, kind="regular")


def hold(meeting, world, *, minutes=95, marks=None, approve=True):
    """Open the meeting, everyone present (then `marks`), close after `minutes`, approve."""
    meeting_services.start(
        meeting,
        started_at=meeting.scheduled_at,
        chair=world.member("Nguyễn Văn Đức", "K1"),
        minutes_secretary=world.member("Trần Thị Hoa", "K1"),
    )
    meeting_services.mark_all_present(meeting)
    if marks:
        meeting_services.record_attendance(meeting, marks)
    meeting_services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=minutes))
    if approve:
        meeting_services.approve_minutes(meeting)
    meeting.refresh_from_db()
    return meeting


def manual_points(rubric, value=None) -> dict:
    """Full marks (or `value`) on every manual criterion."""
    return {
        c.pk: (c.max_points if value is None else value)
        for c in services.with_sheet(type(rubric).objects.filter(pk=rubric.pk)).get().all_criteria()
        if not c.auto_rule
    }
