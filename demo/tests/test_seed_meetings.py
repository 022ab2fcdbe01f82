"""seed_demo's year of meetings (scale small): what the meeting services would have written.

The seed bulk-inserts its rows; these tests hold them to the services' own rules:
the roster of the day, eligible voters, resolution numbering, the approval checks.
"""

import collections
import datetime as dt
import io
import random

from django.core.management import call_command
from django.utils import timezone

from demo import meetings as demo_meetings
from demo import structure
from demo.bulk import Table
from demo.meeting_cell import END_OF_REF, RESIDENTIAL, CellYear
from meetings import agenda, services
from meetings.models import (
    LOCKED_STATUSES,
    PRESENT_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    DocumentSequence,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    ResolutionKind,
    RosterKind,
    ScheduleRule,
    Speech,
    Task,
    Term,
    Vote,
)
from members.models import Member, Membership, MemberStatus
from organizations.models import CELL_KINDS, Organization

HELD = (MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)


def seed(**options) -> Organization:
    options = {"scale": "small", "seed": 1, **options}
    call_command("seed_demo", stdout=io.StringIO(), **options)
    return Organization.objects.get(depth=1, code=structure.root_code("small", options["seed"]))


def active_cells(province):
    return Organization.objects.filter(
        province=province, kind__in=CELL_KINDS, dissolved_on__isnull=True
    ).order_by("path")


def snapshot(province) -> dict:
    """The generated meetings and everything in them, without database ids."""
    meetings = Meeting.objects.filter(province=province, period_year=2025)
    dossier = dict(Member.objects.filter(province=province).values_list("pk", "dossier_no"))

    def checks(c):  # absence streaks are keyed by member id, which a reset changes
        streaks = c.get("consecutive_absences", {})
        return {**c, "consecutive_absences": {dossier[int(k)]: v for k, v in streaks.items()}}

    return {
        "meetings": [
            (*row[:-1], checks(row[-1]))
            for row in meetings.order_by("uuid").values_list(
                "uuid",
                "organization__code",
                "kind",
                "status",
                "title",
                "topic",
                "period_month",
                "scheduled_at",
                "started_at",
                "ended_at",
                "chair__dossier_no",
                "minutes_secretary__dossier_no",
                "minutes_approved_at",
                "prepares__uuid",
                "postponed_to__uuid",
                "checks",
            )
        ],
        "attendance": sorted(
            Attendance.objects.filter(province=province).values_list(
                "meeting__uuid", "member__dossier_no", "roster_kind", "member_status", "status"
            )
        ),
        "agenda": sorted(
            AgendaItem.objects.filter(province=province).values_list(
                "meeting__uuid", "order", "title", "presenter__dossier_no", "reviews__symbol"
            ),
            key=str,
        ),
        "speeches": sorted(
            Speech.objects.filter(province=province).values_list(
                "item__meeting__uuid", "speaker__dossier_no", "summary"
            )
        ),
        "resolutions": sorted(
            Resolution.objects.filter(province=province).values_list(
                "meeting__uuid", "symbol", "vote__eligible", "vote__yes"
            )
        ),
        "tasks": sorted(
            Task.objects.filter(province=province).values_list(
                "resolution__symbol", "description", "assignee__dossier_no", "status"
            ),
            key=str,
        ),
        "rules": sorted(
            ScheduleRule.objects.filter(province=province).values_list(
                "organization__code", "day_of_month", "time", "place", "valid_from"
            )
        ),
    }


def test_the_same_seed_gives_the_same_meetings_and_another_seed_others(db):
    province = seed()
    first = snapshot(province)
    assert len(first["meetings"]) > 200 and len(first["attendance"]) > 1500
    seed(reset=True)
    assert snapshot(seed()) == first
    other = snapshot(seed(seed=2))
    assert [m[7] for m in other["meetings"]] != [m[7] for m in first["meetings"]]


def test_a_second_run_adds_no_meetings_and_reset_replaces_them(db):
    province = seed()
    before = snapshot(province)
    counts = {m: m.objects.count() for m in (Meeting, Attendance, AgendaItem, Vote, Task)}
    assert seed() == province
    assert snapshot(province) == before
    assert {m: m.objects.count() for m in counts} == counts
    old = set(
        Meeting.objects.filter(province=province, period_year=2025).values_list("pk", flat=True)
    )
    new_province = seed(reset=True)
    new = set(
        Meeting.objects.filter(province=new_province, period_year=2025).values_list("pk", flat=True)
    )
    assert min(new) > max(old)  # keys are never reused: history rows still name the old ones
    assert not Meeting.objects.filter(pk__in=old).exists()
    assert not Attendance.objects.filter(province_id=province.pk).exists()
    assert Meeting.objects.filter(province=new_province, period_year=2025).count() == len(old)
    # Bulk-inserted seed data writes no change history.
    assert not Meeting.history.filter(province=new_province).exists()
    assert not Attendance.history.filter(province=new_province).exists()


def test_every_cell_has_a_schedule_for_every_month_of_2025(db):
    province = seed()
    for cell in active_cells(province):
        for month in range(1, 13):
            rule = services.rule_on(cell, dt.date(2025, month, 1))
            assert rule is not None, (cell.code, month)
            assert 1 <= rule.day_of_month <= 28 and rule.place
            if cell.cell_type in RESIDENTIAL:
                assert rule.time >= dt.time(18, 0), cell.code  # evenings in villages
            else:
                assert dt.time(7, 0) <= rule.time <= dt.time(17, 0), cell.code
        assert services.rule_on(cell, structure.REF) is not None
    places = ScheduleRule.objects.filter(province=province).values_list("place", flat=True)
    assert any(p.startswith("Nhà văn hóa") for p in places)
    assert any(p.startswith(("Hội trường", "Phòng họp")) for p in places)


def test_regular_meetings_follow_the_schedule_one_a_month(db):
    province = seed()
    cells = list(active_cells(province))
    regular = Meeting.objects.filter(province=province, period_year=2025, kind__in=REGULAR_KINDS)
    live = regular.exclude(status__in=(MeetingStatus.CANCELLED, MeetingStatus.POSTPONED))
    per_month = collections.Counter(live.values_list("organization", "period_month"))
    assert max(per_month.values()) == 1  # never two regular meetings in a month
    assert 0.9 * 12 * len(cells) <= len(per_month) < 12 * len(cells)  # a few months missing
    on_the_day = 0
    for m in live.filter(postponed_from__isnull=True).select_related("organization"):
        rule = services.rule_on(m.organization, dt.date(2025, m.period_month, 1))
        planned = dt.date(2025, m.period_month, rule.day_of_month)
        assert abs((m.local_date - planned).days) <= 10, m.pk
        on_the_day += m.local_date == planned
    assert on_the_day >= 0.7 * live.count()
    for m in regular.filter(status=MeetingStatus.POSTPONED):
        new = m.postponed_to
        assert m.status_note and new.scheduled_at > m.scheduled_at
        assert (new.organization_id, new.period_month, new.kind) == (
            m.organization_id,
            m.period_month,
            m.kind,
        )
        assert not m.agenda.exists() and not m.attendance.exists()
    assert regular.filter(status=MeetingStatus.POSTPONED).exists()
    for m in regular.filter(status=MeetingStatus.CANCELLED):
        assert m.status_note and not m.attendance.exists()
    assert live.filter(kind=MeetingKind.COMBINED).exclude(topic="").exists()


def test_committee_thematic_liaison_and_year_end_meetings_are_where_they_belong(db):
    province = seed()
    cells = list(active_cells(province))
    meetings = Meeting.objects.filter(province=province, period_year=2025)
    committee = meetings.filter(kind=MeetingKind.COMMITTEE).select_related("prepares")
    for c in committee:
        p = c.prepares
        assert p.organization_id == c.organization_id and p.kind in REGULAR_KINDS
        assert 2 <= (p.local_date - c.local_date).days <= 5
        assert c.period_month == p.period_month and not c.attendance.exists()
    first_planned = meetings.filter(kind__in=REGULAR_KINDS, postponed_from__isnull=True).exclude(
        status=MeetingStatus.CANCELLED
    )
    assert committee.count() >= 0.7 * first_planned.count()
    quarters = {
        (org, (month - 1) // 3)
        for org, month in meetings.filter(kind__in=THEMATIC_KINDS).values_list(
            "organization", "period_month"
        )
    }
    assert len(quarters) >= 0.8 * 4 * len(cells)
    assert not meetings.filter(kind=MeetingKind.THEMATIC, topic="").exists()
    liaison = collections.Counter(
        meetings.filter(kind=MeetingKind.LIAISON).values_list("organization__cell_type", flat=True)
    )
    residential = [c for c in cells if c.cell_type in RESIDENTIAL]
    assert set(liaison) <= set(RESIDENTIAL) and sum(liaison.values()) == 2 * len(residential)
    year_end = meetings.filter(kind=MeetingKind.YEAR_END)
    assert year_end.count() == len(cells)
    assert set(year_end.values_list("period_month", flat=True)) == {12}


def test_held_meetings_have_times_chairs_and_approvals_before_the_reference_date(db):
    province = seed()
    meetings = Meeting.objects.filter(province=province, period_year=2025)
    held = meetings.filter(status__in=HELD)
    assert held.count() >= 0.85 * meetings.count()
    durations = []
    for m in held:
        assert m.started_at >= m.scheduled_at and m.ended_at > m.started_at
        assert m.chair_id and m.minutes_secretary_id and m.ended_at <= END_OF_REF
        if m.kind != MeetingKind.COMMITTEE:
            row = m.attendance.get(member_id=m.chair_id)
            assert row.status in PRESENT_STATUSES
        if m.kind == MeetingKind.REGULAR:
            durations.append(m.duration_minutes)
        if m.is_locked:
            assert m.ended_at < m.minutes_approved_at <= END_OF_REF
        else:
            assert m.minutes_approved_at is None and m.checks == {}
    # Most regular meetings last 90-150 minutes; the small demo has three urban cells of
    # elderly members that often keep it to an hour, so the share is lower than a province's.
    assert sum(90 <= d <= 150 for d in durations) >= 0.65 * len(durations)
    assert any(d < 90 for d in durations)
    # The reference date is 31/12/2025: some of December is not recorded yet.
    unrecorded = meetings.filter(
        status__in=(MeetingStatus.PLANNED, MeetingStatus.PREPARED, MeetingStatus.NOTICE_SENT)
    )
    assert unrecorded.filter(period_month=12).exists()
    assert not unrecorded.filter(period_month__lt=11).exists()
    assert meetings.filter(status=MeetingStatus.IN_PROGRESS).exists()
    assert not unrecorded.filter(attendance__isnull=False).exists()


def test_attendance_rows_are_the_roster_of_the_meeting_day(db):
    province = seed()
    members = {m.pk: m for m in Member.objects.filter(province=province)}
    periods = collections.defaultdict(list)
    for p in Membership.objects.filter(province=province):
        periods[(p.member_id, p.organization_id)].append(p)
    seen = collections.Counter()
    held = Meeting.objects.filter(province=province, period_year=2025, status__in=HELD).exclude(
        kind=MeetingKind.COMMITTEE
    )
    for m in held:
        day = m.local_date
        rows = {a.member_id: a for a in m.attendance.all()}
        expected = {r["member"].pk: r for r in services.expected_roster(m)}
        for member_id, a in rows.items():
            # Only members of the cell on that day, by their membership periods.
            assert any(
                p.start_date <= day and (p.end_date is None or p.end_date >= day)
                for p in periods[(member_id, m.organization_id)]
            )
            member = members[member_id]
            if member_id not in expected:  # left the Party after the meeting
                assert member.status == MemberStatus.LEFT and member.status_date > day
                continue
            exp = expected[member_id]
            assert a.roster_kind == exp["roster_kind"]
            if a.member_status == member.status:
                assert (
                    a.status in (AttendanceStatus.EXEMPT, AttendanceStatus.TRANSFERRED_OUT)
                ) == (exp["status"] in (AttendanceStatus.EXEMPT, AttendanceStatus.TRANSFERRED_OUT))
                if exp["status"]:
                    assert a.status == exp["status"]
            else:  # the status on the meeting day, not today's
                seen["earlier status"] += 1
            if a.member_status == MemberStatus.OFFICIAL:
                assert member.official_date <= day
            elif a.member_status == MemberStatus.PROBATIONARY:
                assert member.official_date is None or member.official_date > day
            assert a.status, "every row is marked"
            if a.status == AttendanceStatus.ABSENT_EXCUSED:
                assert a.reason
            seen[a.status] += 1
            seen[a.roster_kind] += 1
        assert set(expected) <= set(rows)
    for key in (
        AttendanceStatus.EXEMPT,
        AttendanceStatus.TRANSFERRED_OUT,
        AttendanceStatus.ABSENT_EXCUSED,
        AttendanceStatus.ABSENT_UNEXCUSED,
        RosterKind.TEMPORARY,
        "earlier status",
    ):
        assert seen[key], key
    expected = Attendance.objects.filter(
        province=province, roster_kind=RosterKind.HOME, meeting__status__in=HELD
    ).exclude(status__in=(AttendanceStatus.EXEMPT, AttendanceStatus.TRANSFERRED_OUT))
    rate = expected.filter(status__in=PRESENT_STATUSES).count() / expected.count()
    assert 0.86 <= rate <= 0.97


def test_votes_count_official_home_members_present_and_adopt_the_resolutions(db):
    province = seed()
    votes = Vote.objects.filter(province=province).select_related("meeting")
    assert votes.exists()
    for v in votes:
        assert v.eligible == services.eligible_voters(v.meeting), v.pk
        assert v.yes + v.no + v.abstain <= v.eligible
    approved_regular = Meeting.objects.filter(
        province=province, kind__in=REGULAR_KINDS, status__in=LOCKED_STATUSES
    )
    for m in approved_regular:
        res = m.resolution
        assert res.kind == ResolutionKind.RESOLUTION and res.vote.adopted
        tasks = list(res.tasks.all())
        assert 1 <= len(tasks) <= 4
        on_sheet = set(m.attendance.values_list("member_id", flat=True))
        for t in tasks:
            assert (t.assignee_id in on_sheet) if t.assignee_id else t.assignee_group
    statuses = set(Task.objects.filter(province=province).values_list("status", flat=True))
    assert {"done", "not_done", "assigned"} <= statuses


def test_resolution_numbers_run_from_01_per_cell_and_term(db):
    province = seed()
    for cell in active_cells(province):
        by_term = collections.defaultdict(list)
        for res in (
            Resolution.objects.filter(meeting__organization=cell)
            .select_related("meeting")
            .order_by("meeting__scheduled_at")
        ):
            term = services.current_term_start(cell, res.meeting.local_date)
            by_term[term].append(res)
        current = Term.objects.get(organization=cell, end_date__isnull=True).start_date
        assert by_term[current][0].number == 1 and by_term[current][0].symbol == "01-NQ/CB"
        for term, resolutions in by_term.items():
            numbers = [r.number for r in resolutions]
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), cell.code
            assert all(r.symbol == f"{r.number:02d}-NQ/CB" for r in resolutions)
            seq = DocumentSequence.objects.get(organization=cell, doc_type="NQ", term_start=term)
            assert seq.last_number == numbers[-1]
        # The next resolution passed in the app continues the sequence.
        assert services.next_number(cell, "NQ", structure.REF) == len(by_term[current]) + 1


def test_stored_checks_equal_compute_checks(db):
    province = seed()
    locked = list(
        Meeting.objects.filter(province=province, period_year=2025, status__in=LOCKED_STATUSES)
    )
    sample = random.Random(3).sample(locked, 60)
    # Make sure the sample has the interesting cases, not only the common ones.
    sample += [m for m in locked if m.kind != MeetingKind.REGULAR][:20]
    sample += [m for m in locked if m.checks["documents"]][:10]
    sample += [m for m in locked if m.checks["consecutive_absences"]][:5]
    for m in sample:
        assert m.checks == services.compute_checks(m), (m.pk, m.kind)
    values = collections.Counter()
    for m in locked:
        for key in ("duration_ok", "attendance_ok", "documents_ok", "committee_meeting_held"):
            values[(key, m.checks[key])] += 1
    # Good and bad meetings both: the checks have something to show.
    assert values[("duration_ok", True)] and values[("duration_ok", False)]
    assert values[("attendance_ok", True)] and values[("attendance_ok", False)]
    assert values[("documents_ok", True)] and values[("committee_meeting_held", True)]


def test_agendas_are_the_default_items_with_the_review_of_last_months_resolution(db):
    province = seed()
    meetings = Meeting.objects.filter(province=province, period_year=2025).exclude(
        status__in=(MeetingStatus.PLANNED, MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)
    )
    reviewed = 0
    for m in meetings.select_related("organization"):
        items = list(m.agenda.all())
        defaults = [i["title"] for i in agenda.default_items(m.kind, m.organization.cell_type)]
        previous = (
            services._previous_resolution(m) if m.kind in REGULAR_KINDS else None  # noqa: SLF001
        )
        titles = [i.title for i in items if i.reviews_id is None]
        assert sorted(titles) == sorted(defaults), m.pk
        reviews = [i for i in items if i.reviews_id]
        assert [i.reviews_id for i in reviews] == ([previous.pk] if previous else [])
        reviewed += bool(reviews)
        if m.status in HELD and m.kind != MeetingKind.COMMITTEE:
            present = set(
                m.attendance.filter(status__in=PRESENT_STATUSES).values_list("member_id", flat=True)
            )
            speakers = set(
                Speech.objects.filter(item__meeting=m).values_list("speaker_id", flat=True)
            )
            assert speakers and speakers <= present, m.pk
    assert reviewed > 50


def test_the_planner_misses_postpones_and_cancels_a_few_meetings_in_a_province(db):
    """The small province has too few cell-months to see ~3 %: plan many cell-years in memory."""
    province = seed()
    cells, people, away = demo_meetings.load(province)
    writer = demo_meetings.Writer(province.pk)
    rng = random.Random(11)
    ctx = demo_meetings.Context(province, rng, random.Random(12), writer, cells, people, away, {})
    months = missing = postponed = cancelled = committees = thematic_quarters = 0
    for _ in range(40):
        for cell in cells:
            year = CellYear(ctx, cell)
            year._profile()  # noqa: SLF001 -- planning only, nothing is written
            year._schedule()  # noqa: SLF001
            year._terms()  # noqa: SLF001
            year._plan_regular()  # noqa: SLF001
            year._plan_committees()  # noqa: SLF001
            year._plan_thematic()  # noqa: SLF001
            months += 12
            missing += 12 - len(year.regular)
            postponed += sum(s.status == MeetingStatus.POSTPONED for s in year.shells)
            cancelled += sum(s.status == MeetingStatus.CANCELLED for s in year.shells)
            committees += sum(s.kind == MeetingKind.COMMITTEE for s in year.shells)
            thematic_quarters += len(
                {(s.month - 1) // 3 for s in year.shells if s.kind in THEMATIC_KINDS}
            )
    assert 0.015 <= missing / months <= 0.05
    assert postponed and cancelled
    assert 0.8 <= committees / (months - missing) <= 0.9
    assert 0.85 <= thematic_quarters / (months / 3) <= 0.98
    assert all(isinstance(t, Table) and not t.written for t in writer.tables())


def test_no_meeting_is_scheduled_after_the_reference_date_unless_postponed_there(db):
    province = seed()
    late = Meeting.objects.filter(province=province, period_year=2025, scheduled_at__gt=END_OF_REF)
    assert all(m.postponed_from.exists() for m in late)
    assert not Meeting.objects.filter(
        province=province, period_year=2025, started_at__gt=END_OF_REF
    ).exists()


def test_the_weeks_ahead_are_planned_from_each_cell_schedule(db):
    """History stops at 31/12/2025; the regular meetings of the next 60 days are planned so a
    demo user has something to prepare today, and a reseed the same day gives the same rows."""
    province = seed()
    today = timezone.localdate()
    ahead = Meeting.objects.filter(province=province, scheduled_at__date__gte=today)
    ahead = ahead.filter(period_year__gte=today.year)
    cells = active_cells(province)
    assert ahead.exists()
    assert set(ahead.values_list("status", flat=True)) == {MeetingStatus.PLANNED}
    assert set(ahead.values_list("kind", flat=True)) == {MeetingKind.REGULAR}
    assert set(ahead.values_list("organization_id", flat=True)) <= set(
        cells.values_list("pk", flat=True)
    )
    for m in ahead:
        rule = services.rule_on(m.organization, m.local_date)
        assert rule and m.local_date.day == rule.day_of_month
        assert (m.local_date - today).days <= 60
    # One regular meeting per cell and month, and planning again adds nothing.
    months = list(ahead.values_list("organization_id", "period_year", "period_month"))
    assert len(months) == len(set(months))
    uuids = set(ahead.values_list("uuid", flat=True))
    assert demo_meetings.plan_upcoming(province) == 0
    seed(reset=True)
    assert set(Meeting.objects.filter(uuid__in=uuids).values_list("uuid", flat=True)) == uuids
