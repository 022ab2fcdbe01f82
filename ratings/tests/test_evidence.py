"""The evidence panel of a member's review: attendance at approved meetings of the period, tasks,
the year's residence comment and status decisions — in four queries for any number of members."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison import services as liaison_services
from liaison.tests.conftest import ANSWERS
from liaison.tests.targets import liaison_in
from lifecycle.models import StatusDecision
from meetings.models import Attendance, Meeting, Resolution, Task
from ratings import selectors, services


def _meeting(cell, year, month, status="approved", kind="regular"):
    return Meeting.objects.create(
        province_id=cell.province_id,
        organization=cell,
        kind=kind,
        status=status,
        period_year=year,
        period_month=month,
        scheduled_at=timezone.make_aware(dt.datetime(year, month, 5, 19, 30)),
    )


def _attend(meeting, member, status):
    Attendance.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        member=member,
        member_status=member.status,
        status=status,
    )


@pytest.fixture
def hoa_evidence(world):
    k1 = world.org("K1")
    hoa = world.member("Trần Thị Hoa", "K1")
    _attend(_meeting(k1, 2025, 9), hoa, "present")
    _attend(_meeting(k1, 2025, 10), hoa, "absent_unexcused")
    _attend(_meeting(k1, 2025, 11), hoa, "absent_excused")
    _attend(_meeting(k1, 2025, 7), hoa, "transferred_out")  # not expected
    _attend(_meeting(k1, 2025, 12, status="in_progress"), hoa, "present")  # not approved
    _attend(_meeting(k1, 2024, 12), hoa, "present")  # another year
    _attend(_meeting(k1, 2025, 8, kind="committee"), hoa, "present")  # not a cell meeting
    resolution = Resolution.objects.create(
        province_id=k1.province_id, meeting=_meeting(k1, 2025, 6)
    )
    for status in ("done", "not_done", "in_progress"):
        Task.objects.create(
            province_id=k1.province_id,
            organization=k1,
            resolution=resolution,
            description="Vận động",
            assignee=hoa,
            status=status,
        )
    for day in (dt.date(2025, 10, 1), dt.date(2024, 10, 1)):
        StatusDecision.objects.create(
            province_id=k1.province_id,
            member=hoa,
            kind="suspension",
            decision_no="12-QĐ/ĐU",
            decision_date=day,
            effective_date=day,
            end_date=day + dt.timedelta(days=60),
            deciding_organization=world.org("C1"),
            previous_status="official",
        )
    return hoa


def test_the_evidence_counts_what_happened_in_the_period(world, hoa_evidence):
    cycle = services.open_cycle(world.org("C1"), year=2025)
    worker = liaison_in(world, "K1").member
    liaison_services.record_comment(
        liaison_in(world, "K1"),
        year=2025,
        answers=ANSWERS,
        overall="good",
        commented_on=dt.date(2025, 12, 20),
    )
    e = selectors.evidence(cycle, [hoa_evidence.pk, worker.pk])
    hoa = e[hoa_evidence.pk]
    assert (hoa.meetings_expected, hoa.meetings_attended) == (3, 1)
    assert (hoa.absent_excused, hoa.absent_unexcused, hoa.attendance_percent) == (1, 1, 33)
    assert (hoa.tasks_assigned, hoa.tasks_done, hoa.tasks_not_done) == (3, 1, 1)
    assert [d.effective_date for d in hoa.decisions] == [dt.date(2025, 10, 1)]
    assert hoa.comment is None
    assert e[worker.pk].comment.overall == "good"
    assert e[worker.pk].meetings_expected == 0 and e[worker.pk].attendance_percent is None


def test_a_quarter_counts_its_own_months(world, hoa_evidence):
    cycle = services.open_cycle(world.org("C1"), year=2025, quarter=4)
    hoa = selectors.evidence(cycle, [hoa_evidence.pk])[hoa_evidence.pk]
    assert (hoa.meetings_expected, hoa.meetings_attended) == (2, 0)
    assert hoa.tasks_assigned == 0  # given in June


def test_the_evidence_of_a_whole_cycle_takes_four_queries(
    world, hoa_evidence, django_assert_num_queries
):
    cycle = services.open_cycle(world.org("C1"), year=2025)
    ids = list(cycle.member_reviews.values_list("member_id", flat=True))
    with django_assert_num_queries(4):
        e = selectors.evidence(cycle, ids)
    assert e[hoa_evidence.pk].meetings_expected == 3
