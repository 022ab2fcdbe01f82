"""The per-(cell, month) summary table: each kind of service call leaves it equal to a rebuild
from scratch, months open for the whole province, the rebuild command, constant queries."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from meetings import followers
from meetings import services as meeting_services
from meetings.models import AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from organizations.models import Organization, OrgKind
from oversight import services as visit_services
from quality import services as quality_services
from quality.models import ConfirmerRole, RubricKind
from quality.tests.conftest import manual_points
from reports import summary
from reports.models import COUNT_FIELDS, QUARTER_FIELDS, CellMonth, CellYear

D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(y, m, d, hh=19, mm=30):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def snapshot() -> dict:
    months = {
        (r.cell_id, r.year, r.month): (r.province_id, r.figures()) for r in CellMonth.objects.all()
    }
    years = {(r["cell_id"], r["year"]): r for r in CellYear.objects.values()}
    for r in years.values():
        del r["id"]
    return {"months": months, "years": years}


def years_from_months() -> dict:
    """CellYear as it should be: the month rows summed per cell and year, in Python."""
    out = {}
    for r in CellMonth.objects.all():
        y = out.setdefault(
            (r.cell_id, r.year),
            {"province_id": r.province_id, "cell_id": r.cell_id, "year": r.year}
            | dict.fromkeys(COUNT_FIELDS + QUARTER_FIELDS, 0),
        )
        for f in COUNT_FIELDS:
            y[f] += getattr(r, f)
        q = (r.month - 1) // 3 + 1
        y[f"q{q}_months"] += 1
        y[f"q{q}_due"] = max(y[f"q{q}_due"], int(r.regular_due > 0))
        y[f"q{q}_thematic"] += r.thematic_held
        y[f"q{q}_thematic_cell"] = max(y[f"q{q}_thematic_cell"], int(r.thematic_held > 0))
        y[f"q{q}_visits"] += r.visits_reported
        y[f"q{q}_cross"] += r.cross_visits
    return out


def rebuild_all():
    for p in Organization.objects.filter(kind=OrgKind.PROVINCE):
        summary.rebuild(p)


def assert_matches_rebuild():
    """The table as the services left it equals a rebuild from the raw data."""
    kept = snapshot()
    assert kept["years"] == years_from_months()  # the yearly rows follow the monthly ones
    rebuild_all()
    fresh = snapshot()
    assert kept == fresh


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def year_2025(world, k1):
    """K1's regular meetings of 2025 (the 5th of each month), then the table rebuilt."""
    meeting_services.set_schedule(
        k1, day_of_month=5, time=dt.time(19, 30), place="Nhà văn hóa", valid_from=D(2025, 1, 1)
    )
    meeting_services.generate_regular_meetings(k1, D(2025, 1, 1), D(2025, 12, 31))
    rebuild_all()
    return {m.period_month: m for m in k1.meetings.filter(period_year=2025, kind="regular")}


def hold(meeting, world, *, marks=None, approve=True):
    meeting_services.start(
        meeting,
        started_at=meeting.scheduled_at,
        chair=world.member("Nguyễn Văn Đức", "K1"),
        minutes_secretary=world.member("Trần Thị Hoa", "K1"),
    )
    meeting_services.mark_all_present(meeting)
    if marks:
        meeting_services.record_attendance(meeting, marks)
    meeting_services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    if approve:
        meeting_services.approve_minutes(meeting)
    meeting.refresh_from_db()
    return meeting


def row(cell, y, m) -> CellMonth:
    return CellMonth.objects.get(cell=cell, year=y, month=m)


# ---- each kind of service call ------------------------------------------------------------


def test_starting_a_meeting_counts_it_held_and_its_roster_expected(world, k1, year_2025):
    m = year_2025[3]
    meeting_services.start(m, started_at=m.scheduled_at)
    r = row(k1, 2025, 3)
    assert (r.regular_due, r.regular_held, r.minutes_approved) == (1, 1, 0)
    # The roster without the exempt member, nobody marked yet.
    roster = m.attendance.exclude(status__in=("exempt", "transferred_out"))
    assert (r.expected, r.present) == (roster.count(), 0) != (0, 0)
    assert_matches_rebuild()


def test_attendance_changes_update_present_and_absences(world, k1, year_2025):
    m = year_2025[4]
    hoa = world.member("Trần Thị Hoa", "K1")
    nam = world.member("Nguyễn Văn Đức", "K1")
    hold(
        m,
        world,
        marks={
            hoa.pk: (AttendanceStatus.ABSENT_EXCUSED, "Ốm"),
            nam.pk: (AttendanceStatus.ABSENT_UNEXCUSED, ""),
        },
        approve=False,
    )
    r = row(k1, 2025, 4)
    expected = m.attendance.exclude(status__in=("exempt", "transferred_out")).count()
    assert (r.expected, r.present, r.absent_excused, r.absent_unexcused) == (
        expected,
        expected - 2,
        1,
        1,
    )
    assert_matches_rebuild()
    meeting_services.record_attendance(m, {nam.pk: (AttendanceStatus.LATE, "")})
    assert row(k1, 2025, 4).present == expected - 1
    assert_matches_rebuild()


def test_approving_and_archiving_count_the_minutes(world, k1, year_2025):
    m = hold(year_2025[5], world)
    assert row(k1, 2025, 5).minutes_approved == 1
    assert_matches_rebuild()
    meeting_services.archive(m)
    assert row(k1, 2025, 5).minutes_approved == 1
    assert_matches_rebuild()


def test_cancel_and_postpone_leave_the_month_due_and_not_held(world, k1, year_2025):
    meeting_services.cancel(year_2025[6], reason="Bão")
    meeting_services.postpone(year_2025[7], new_time=at(2025, 7, 12), reason="Mùa vụ")
    assert (row(k1, 2025, 6).regular_due, row(k1, 2025, 6).regular_held) == (1, 0)
    assert row(k1, 2025, 7).regular_held == 0
    assert_matches_rebuild()


def test_thematic_and_committee_meetings_count(world, k1, year_2025):
    regular = year_2025[8]
    committee = meeting_services.plan_meeting(
        k1, kind=MeetingKind.COMMITTEE, scheduled_at=at(2025, 8, 1), prepares=regular
    )
    meeting_services.start(committee, started_at=committee.scheduled_at)
    thematic = meeting_services.plan_meeting(
        k1, kind=MeetingKind.THEMATIC, scheduled_at=at(2025, 8, 20), topic="Chuyển đổi số"
    )
    meeting_services.start(thematic, started_at=thematic.scheduled_at)
    assert row(k1, 2025, 8).thematic_held == 1
    assert row(k1, 2025, 8).committee_held == 0  # the regular meeting is not held yet
    hold(regular, world)
    r = row(k1, 2025, 8)
    assert (r.regular_held, r.committee_held, r.thematic_held) == (1, 1, 1)
    assert_matches_rebuild()


def test_scores_self_and_confirmed_count_by_final_level(world, k1, year_2025):
    p1 = world.org("P1")
    installed = quality_services.install_preset(
        p1, "provincial_100", D(2025, 1, 1), by=world.user("staff_p1")
    )
    rubric = next(r for r in installed if r.kind == RubricKind.REGULAR)
    m = hold(year_2025[9], world)
    score = quality_services.record_self_score(
        m, manual_points(rubric), by=world.user("secretary_k1")
    )
    r = row(k1, 2025, 9)
    assert sum(getattr(r, f"level_{lv}") for lv in ("good", "fair", "average", "weak")) == 1
    assert getattr(r, f"level_{score.final_level}") == 1
    assert_matches_rebuild()
    quality_services.confirm_score(
        score, None, by=world.user("committee_c1"), role=ConfirmerRole.COMMITTEE, total=55
    )
    score.refresh_from_db()
    assert getattr(row(k1, 2025, 9), f"level_{score.final_level}") == 1
    assert_matches_rebuild()


def test_visits_count_when_reported_and_followers_on_the_first(world, k1, year_2025):
    cadre = world.user("committee_c1")
    followers.assign_follower(k1, cadre, D(2025, 7, 1))
    assert row(k1, 2025, 6).supervisors == 0
    assert row(k1, 2025, 7).supervisors == 1
    assert_matches_rebuild()
    m = year_2025[10]
    visit = visit_services.plan_visit(k1, cadre, meeting=m, send=False)
    assert row(k1, 2025, 10).visits_reported == 0
    visit_services.report_visit(
        visit, reported_on=D(2025, 10, 6), strengths="Chuẩn bị chu đáo", send=False
    )
    assert row(k1, 2025, 10).visits_reported == 1
    assert_matches_rebuild()
    other = visit_services.plan_visit(k1, cadre, planned_on=D(2025, 11, 20), send=False)
    visit_services.cancel_visit(other, reason="Họp đột xuất", send=False)
    assert row(k1, 2025, 11).visits_reported == 0
    assert_matches_rebuild()
    followers.end_follower(k1.supervisors.get(), D(2025, 9, 15))
    assert (row(k1, 2025, 9).supervisors, row(k1, 2025, 10).supervisors) == (1, 0)
    assert_matches_rebuild()


def test_an_amendment_of_approved_minutes_updates_the_row(world, k1, year_2025):
    m = hold(year_2025[2], world)
    a = m.attendance.get(member=world.member("Trần Thị Hoa", "K1"))

    def apply():
        a.status = AttendanceStatus.ABSENT_UNEXCUSED
        a.save()

    meeting_services.amend(m, reason="Ghi nhầm", changes=[{"field": "attendance"}], apply=apply)
    assert row(k1, 2025, 2).absent_unexcused == 1
    assert_matches_rebuild()


# ---- months, rows, rebuild ----------------------------------------------------------------


def test_the_first_change_of_a_month_opens_it_for_every_cell_of_the_province(world, k1):
    meeting_services.set_schedule(
        k1, day_of_month=5, time=dt.time(19, 30), place="Nhà văn hóa", valid_from=D(2025, 1, 1)
    )
    meeting_services.generate_regular_meetings(k1, D(2025, 3, 1), D(2025, 3, 31))
    assert not CellMonth.objects.filter(year=2025, month=3).exists()
    meeting_services.start(k1.meetings.get(), started_at=at(2025, 3, 5))
    cells = set(
        CellMonth.objects.filter(year=2025, month=3).values_list("cell__code", "regular_due")
    )
    # Every cell of P1, none of P2; the committees have no row.
    assert cells == {("K1", 1), ("K2", 1), ("K3", 1), ("G1", 1)}


def test_a_row_counts_only_months_the_cell_existed(world, k1):
    k2 = world.org("K2")
    Organization.objects.filter(pk=k2.pk).update(dissolved_on=D(2025, 3, 10))
    Meeting.objects.create(
        province_id=k1.province_id,
        organization=k1,
        kind=MeetingKind.REGULAR,
        status=MeetingStatus.APPROVED,
        period_year=2025,
        period_month=2,
        scheduled_at=at(2025, 2, 5),
    )
    rebuild_all()
    due = dict(CellMonth.objects.filter(cell=k2, year=2025).values_list("month", "regular_due"))
    assert due == {2: 1, 3: 1}  # gone from April on: no row at all


def test_the_rebuild_command_prints_rows_and_time(world, k1, year_2025):
    out = io.StringIO()
    call_command("rebuild_summaries", "--province", "P1", stdout=out)
    text = out.getvalue()
    assert "P1" in text and "rows" in text and " s" in text
    n = CellMonth.objects.filter(province=world.org("P1")).count()
    assert f"{n} rows" in text
    call_command("rebuild_summaries", "--year", "2025", stdout=io.StringIO())
    assert CellMonth.objects.filter(province=world.org("P1")).count() == n


def test_the_rebuild_command_refuses_an_unknown_province(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_summaries", "--province", "XX", stdout=io.StringIO())


def test_a_move_across_provinces_rekeys_the_rows(world, k1, year_2025):
    from organizations import services as org_services

    hold(year_2025[3], world)
    c3 = world.org("C3")
    org_services.move(world.org("K2"), c3, D(2025, 12, 1))
    assert set(
        CellMonth.objects.filter(cell__code="K2").values_list("province__code", flat=True)
    ) == {"P2"}


# ---- queries -------------------------------------------------------------------------------


def test_a_recompute_is_a_handful_of_queries(world, k1, year_2025, django_assert_num_queries):
    # The cell's lock, the build's reads with the cell's existing rows (7 + 1 queries on
    # SQLite, one statement on PostgreSQL), the upsert of the month rows and of the year rows.
    reads = 1 if connection.vendor == "postgresql" else 8
    with django_assert_num_queries(3 + reads):
        summary.recompute_cell_month(k1.pk, 2025, 3, k1.province_id)
    with django_assert_num_queries(3 + reads):
        summary.recompute_cell_month(k1.pk, 2025, 4)
    with django_assert_num_queries(3 + reads):
        summary.recompute_cell_months(k1.pk, [(2025, m) for m in range(1, 13)])


def test_the_build_is_constant_in_queries(world, k1, year_2025, django_assert_num_queries):
    p1 = world.org("P1")
    months = [(2025, m) for m in range(1, 13)]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 7):
        built = summary.build(summary.Target(p1.pk), months)
    assert {k[0] for k in built} == set(
        Organization.objects.filter(province=p1, kind__in=("cell", "grassroots_cell")).values_list(
            "pk", flat=True
        )
    )
    assert all(set(v) == {*COUNT_FIELDS, "province_id"} for v in built.values())


# ---- structure changes, concurrency ----------------------------------------------------------


def test_a_cell_founded_in_the_past_is_due_from_its_founding_month(world, k1, year_2025):
    from organizations import services as org_services
    from organizations.models import CellType

    cell = org_services.create_organization(
        parent=world.org("C1"),
        kind=OrgKind.CELL,
        name="Chi bộ thôn Mới",
        code="K9",
        cell_type=CellType.VILLAGE,
        founded_on=D(2025, 10, 20),
    )
    due = dict(CellMonth.objects.filter(cell=cell, year=2025).values_list("month", "regular_due"))
    assert due == {10: 1, 11: 1, 12: 1}
    assert_matches_rebuild()


def test_a_dissolved_cell_is_no_longer_due(world, k1, year_2025):
    from organizations import services as org_services

    k3 = world.org("K3")
    assert row(k3, 2025, 12).regular_due == 1
    org_services._dissolve(k3, D(2025, 9, 1), "Sáp nhập thôn", None, "")
    due = dict(CellMonth.objects.filter(cell=k3, year=2025).values_list("month", "regular_due"))
    assert due == dict.fromkeys(range(1, 10), 1)  # due through September, then no row
    assert_matches_rebuild()


def test_opening_a_month_another_transaction_opened_writes_nothing_twice(world, k1):
    """Two transactions opening the same month: the second's rows are skipped, not an error."""
    month = (2025, 4)
    built = summary.build(summary.Target(k1.province_id), [month])
    summary._write(built, summary.Q(pk__in=[]), keep_existing=True)
    n = CellMonth.objects.filter(year=2025, month=4).count()
    summary._write(built, summary.Q(pk__in=[]), keep_existing=True)
    assert CellMonth.objects.filter(year=2025, month=4).count() == n == 4


def test_a_follower_from_years_back_opens_no_month_before_the_summaries(world, k1, year_2025):
    """A follower's period may start long before the first summarized month: only the months
    already summarized change, as a rebuild would have them."""
    first = CellMonth.objects.order_by("year", "month").values_list("year", "month").first()
    followers.assign_follower(k1, world.user("committee_c1"), D(2019, 3, 1))
    assert CellMonth.objects.order_by("year", "month").values_list("year", "month").first() == first
    assert row(k1, 2025, 1).supervisors == 1
    assert_matches_rebuild()
