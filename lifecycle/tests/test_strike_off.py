"""The strike-off trigger: unexcused absence from the regular meeting 3 months in a year.

The other half, dues unpaid 3 months in a year, is tested in dues/tests/test_strike_off.py.
"""

import datetime as dt

import pytest
from django.utils import timezone

from lifecycle import selectors
from meetings.models import Attendance, Meeting, MeetingKind, MeetingStatus


def meeting(cell, month, *, year=2025, kind=MeetingKind.REGULAR, status=MeetingStatus.APPROVED):
    return Meeting.objects.create(
        province_id=cell.province_id,
        organization=cell,
        kind=kind,
        status=status,
        period_year=year,
        period_month=month,
        scheduled_at=timezone.make_aware(dt.datetime(year, month, 5, 19, 30)),
    )


def absent(member, m, status="absent_unexcused"):
    return Attendance.objects.create(
        province_id=m.province_id,
        meeting=m,
        member=member,
        member_status=member.status,
        status=status,
    )


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def nam(world):
    return world.member("Lê Văn Nam", "K1")


def flagged(org, year=2025):
    return {f.name: f.months for f in selectors.strike_off_flags(org, year)}


def test_two_months_are_not_flagged_three_are(k1, nam):
    for month in (7, 9):
        absent(nam, meeting(k1, month))
    assert flagged(k1) == {}
    absent(nam, meeting(k1, 11))
    assert flagged(k1) == {"Lê Văn Nam": [7, 9, 11]}
    assert selectors.member_unexcused_months(nam, 2025) == [7, 9, 11]


def test_excused_absences_do_not_count(k1, nam):
    absent(nam, meeting(k1, 7))
    absent(nam, meeting(k1, 8))
    absent(nam, meeting(k1, 9), status="absent_excused")
    assert flagged(k1) == {}


def test_other_years_do_not_count(k1, nam):
    absent(nam, meeting(k1, 11))
    absent(nam, meeting(k1, 12))
    absent(nam, meeting(k1, 1, year=2026))
    assert flagged(k1, 2025) == {}
    assert flagged(k1, 2026) == {}


def test_only_regular_meetings_with_approved_minutes_count(k1, nam):
    absent(nam, meeting(k1, 7))
    absent(nam, meeting(k1, 8, kind=MeetingKind.COMBINED))  # counts: regular and thematic
    absent(nam, meeting(k1, 9, kind=MeetingKind.THEMATIC))
    absent(nam, meeting(k1, 10, status=MeetingStatus.IN_PROGRESS))
    assert flagged(k1) == {}
    absent(nam, meeting(k1, 11, status=MeetingStatus.ARCHIVED))
    assert flagged(k1) == {"Lê Văn Nam": [7, 8, 11]}


def test_two_meetings_in_one_month_count_as_one_month(k1, nam):
    absent(nam, meeting(k1, 7))
    absent(nam, meeting(k1, 7, kind=MeetingKind.COMBINED))
    absent(nam, meeting(k1, 8))
    assert flagged(k1) == {}


def test_the_flag_covers_the_subtree_and_stays_inside_it(world, nam, k1):
    for month in (7, 8, 9):
        absent(nam, meeting(k1, month))
    assert "Lê Văn Nam" in flagged(world.org("C1"))
    assert "Lê Văn Nam" in flagged(world.org("P1"))
    assert flagged(world.org("K2")) == {}
    assert flagged(world.org("P2")) == {}


def test_members_who_left_are_not_flagged(k1, nam):
    for month in (7, 8, 9):
        absent(nam, meeting(k1, month))
    nam.status = "left"
    nam.save(update_fields=["status"])
    assert flagged(k1) == {}


def test_two_queries_absences_and_dues(world, k1, nam, django_assert_num_queries):
    bình = world.member("Hoàng Văn Bình", "K2")
    k2 = world.org("K2")
    for month in (7, 8, 9):
        absent(nam, meeting(k1, month))
        absent(bình, meeting(k2, month))
    c1 = world.org("C1")
    # One grouped query of absences, one of unpaid dues (dues/tests/test_strike_off.py).
    with django_assert_num_queries(2):
        flags = selectors.strike_off_flags(c1, 2025)
    assert [f.name for f in flags] == ["Lê Văn Nam", "Hoàng Văn Bình"]
