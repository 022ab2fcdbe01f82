"""Every figure of the `meetings` and `supervision` reports equals a direct SQL computation
over the raw tables (meetings, attendance, scores, visits, assignments, rules), written here
separately from the summary code, on generated data; for the organization and each child;
and the reports cost the same number of queries however many cells there are."""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from meetings.models import Attendance, Meeting, SupervisorAssignment
from members.models import Member
from organizations.models import Organization, OrgKind, subtree_range
from organizations.services import create_organization
from oversight.models import Visit, VisitPolicy
from quality.models import MeetingScore, Rubric
from reports import meetings as meetings_report
from reports import summary
from reports import supervision as supervision_report
from reports.periods import Period
from reports.registry import get_report

D = dt.date
HELD = ("in_progress", "approved", "archived")
REGULAR = ("regular", "combined")
THEMATIC = ("thematic", "combined")
STATUSES = ("planned", "in_progress", "approved", "archived", "cancelled", "postponed")
ATTENDANCE = (
    "present",
    "late",
    "left_early",
    "absent_excused",
    "absent_unexcused",
    "exempt",
    "transferred_out",
    "",
)
LEVELS = ("good", "fair", "average", "weak")
PERIODS = [(D(2025, 1, 1), D(2025, 12, 31)), (D(2025, 2, 10), D(2025, 5, 20))]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(y, m, d, hh=19):
    return timezone.make_aware(dt.datetime(y, m, d, hh, 30))


# ---- generated data ----------------------------------------------------------------------------


@pytest.fixture
def generated(world):
    """A year of meetings, rosters, scores, visits, followers and visit rules in P1's cells
    (two more cells under C1, one founded in April, K2 dissolved in August)."""
    rng = random.Random(6)
    p1, c1 = world.org("P1"), world.org("C1")
    extra = [
        create_organization(
            parent=c1, kind=OrgKind.CELL, name=f"Chi bộ thôn {i}", code=f"X{i}", cell_type=t
        )
        for i, t in ((1, "village"), (2, "school"))
    ]
    Organization.objects.filter(pk=extra[1].pk).update(founded_on=D(2025, 4, 15))
    Organization.objects.filter(code="K2").update(dissolved_on=D(2025, 8, 20))
    cells = list(Organization.objects.filter(province=p1, kind__in=("cell", "grassroots_cell")))
    members = list(Member.objects.filter(province=p1))
    users = [world.user(u) for u in ("committee_c1", "staff_c1", "staff_p1", "secretary_k1")]
    rubric = Rubric.objects.create(
        province=p1,
        organization=p1,
        kind="regular",
        name="Phiếu",
        effective_from=D(2020, 1, 1),
        good_from=Decimal(90),
        fair_from=Decimal(70),
        average_from=Decimal(50),
    )
    for cell in cells:
        for month in range(1, 13):
            for kind in rng.choices(
                ["regular", "combined", "thematic", "extraordinary"], [6, 1, 2, 1], k=2
            ):
                m = Meeting.objects.create(
                    province=p1,
                    organization=cell,
                    kind=kind,
                    status=rng.choice(STATUSES),
                    period_year=2025,
                    period_month=month,
                    scheduled_at=at(2025, month, rng.randint(3, 25)),
                )
                if rng.random() < 0.5:
                    Meeting.objects.create(
                        province=p1,
                        organization=cell,
                        kind="committee",
                        status=rng.choice(STATUSES),
                        prepares=m,
                        period_year=2025,
                        period_month=month,
                        scheduled_at=m.scheduled_at + dt.timedelta(days=rng.choice((-3, 2))),
                    )
                for member in rng.sample(members, rng.randint(0, 6)):
                    Attendance.objects.create(
                        province=p1,
                        meeting=m,
                        member=member,
                        roster_kind=rng.choice(("home", "home", "temporary")),
                        member_status="official",
                        status=rng.choice(ATTENDANCE),
                    )
                if rng.random() < 0.6:
                    level = rng.choice(LEVELS)
                    MeetingScore.objects.create(
                        province=p1,
                        meeting=m,
                        organization=cell,
                        period_year=2025,
                        period_month=month,
                        rubric=rubric,
                        status="self_scored",
                        self_total=Decimal(60),
                        self_level=level,
                        self_on=D(2025, month, 28),
                        final_level=level,
                    )
        for _ in range(rng.randint(0, 8)):
            day = D(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            status = rng.choice(("planned", "reported", "reported", "cancelled"))
            Visit.objects.create(
                province=p1,
                cell=cell,
                visitor=rng.choice(users),
                kind=rng.choice(("supervisor", "working_group", "cross", "other")),
                planned_on=day,
                status=status,
                reported_on=day if status == "reported" else None,
            )
        for _ in range(rng.randint(0, 2)):
            start = D(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
            SupervisorAssignment.objects.create(
                province=p1,
                user=rng.choice(users),
                organization=cell,
                valid_from=start,
                valid_to=rng.choice((None, start + dt.timedelta(days=rng.randint(0, 120)))),
            )
    VisitPolicy.objects.create(
        province=p1, organization=c1, visits_per_quarter=2, effective_from=D(2025, 5, 10)
    )
    VisitPolicy.objects.create(
        province=p1, organization=p1, visits_per_quarter=1, effective_from=D(2024, 1, 1)
    )
    summary.rebuild(p1)
    return p1


# ---- the direct SQL ----------------------------------------------------------------------------


def sql(query: str, params) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def in_list(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _months(d1, d2):
    out, (y, m) = [], (d1.year, d1.month)
    while (y, m) <= (d2.year, d2.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _last_day(y, m):
    return (D(y + 1, 1, 1) if m == 12 else D(y, m + 1, 1)) - dt.timedelta(days=1)


class Direct:
    """The figures of one organization and period, straight from the raw tables."""

    CELL = "o.kind IN ('cell', 'grassroots_cell') AND o.path >= %s AND o.path <= %s"

    def __init__(self, org, d1, d2):
        self.lo, self.hi = subtree_range(org.path)
        self.months = _months(d1, d2)
        self.ym = (self.months[0][0] * 100 + self.months[0][1],) + (
            self.months[-1][0] * 100 + self.months[-1][1],
        )
        self.first, self.last = D(*self.months[0], 1), _last_day(*self.months[-1])

    def _existing(self, months):
        """Cells of the subtree that existed during any of `months`."""
        first, last = D(*months[0], 1), _last_day(*months[-1])
        return sql(
            f"SELECT o.id, o.path FROM organizations_organization o WHERE {self.CELL} "  # noqa: S608
            "AND (o.founded_on IS NULL OR o.founded_on <= %s) "
            "AND (o.dissolved_on IS NULL OR o.dissolved_on >= %s)",
            [self.lo, self.hi, last, first],
        )

    def due(self):
        return sum(len(self._existing([ym])) for ym in self.months)

    def _distinct_meeting_months(self, kinds, statuses):
        return sql(
            "SELECT COUNT(*) FROM (SELECT DISTINCT m.organization_id, m.period_year, "  # noqa: S608
            "m.period_month FROM meetings_meeting m "
            "JOIN organizations_organization o ON o.id = m.organization_id "
            f"WHERE {self.CELL} AND m.kind IN {in_list(kinds)} "
            f"AND m.status IN {in_list(statuses)} "
            "AND m.period_year * 100 + m.period_month BETWEEN %s AND %s) t",
            [self.lo, self.hi, *self.ym],
        )[0][0]

    def held(self):
        return self._distinct_meeting_months(REGULAR, HELD)

    def approved(self):
        return self._distinct_meeting_months(REGULAR, ("approved", "archived"))

    def committee(self):
        return sql(
            "SELECT COUNT(*) FROM (SELECT DISTINCT r.organization_id, r.period_year, "  # noqa: S608
            "r.period_month FROM meetings_meeting c "
            "JOIN meetings_meeting r ON r.id = c.prepares_id "
            "JOIN organizations_organization o ON o.id = r.organization_id "
            f"WHERE {self.CELL} AND c.kind = 'committee' AND c.status IN {in_list(HELD)} "
            f"AND r.kind IN {in_list(REGULAR)} AND r.status IN {in_list(HELD)} "
            "AND c.scheduled_at < r.scheduled_at "
            "AND r.period_year * 100 + r.period_month BETWEEN %s AND %s) t",
            [self.lo, self.hi, *self.ym],
        )[0][0]

    def attendance(self):
        """group → (expected, present, excused, unexcused)."""
        rows = sql(
            "SELECT CASE WHEN o.cell_type IN ('village', 'residential') THEN 'residential' "  # noqa: S608
            "ELSE 'others' END AS g, COUNT(*), "
            "SUM(CASE WHEN a.status IN ('present', 'late', 'left_early') THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN a.status = 'absent_excused' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN a.status = 'absent_unexcused' THEN 1 ELSE 0 END) "
            "FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id "
            "JOIN organizations_organization o ON o.id = m.organization_id "
            f"WHERE {self.CELL} AND m.kind IN {in_list(REGULAR)} "
            f"AND m.status IN {in_list(HELD)} AND a.roster_kind = 'home' "
            "AND a.status NOT IN ('exempt', 'transferred_out') "
            "AND m.period_year * 100 + m.period_month BETWEEN %s AND %s "
            "GROUP BY CASE WHEN o.cell_type IN ('village', 'residential') THEN 'residential' "
            "ELSE 'others' END",
            [self.lo, self.hi, *self.ym],
        )
        return {g: tuple(int(x or 0) for x in rest) for g, *rest in rows}

    def thematic(self):
        """(year, quarter) → (meetings, cells holding one)."""
        rows = sql(
            "SELECT m.period_year, (m.period_month + 2) / 3, COUNT(*), "  # noqa: S608
            "COUNT(DISTINCT m.organization_id) FROM meetings_meeting m "
            "JOIN organizations_organization o ON o.id = m.organization_id "
            f"WHERE {self.CELL} AND m.kind IN {in_list(THEMATIC)} "
            f"AND m.status IN {in_list(HELD)} "
            "AND m.period_year * 100 + m.period_month BETWEEN %s AND %s "
            "GROUP BY m.period_year, (m.period_month + 2) / 3",
            [self.lo, self.hi, *self.ym],
        )
        return {(int(y), int(q)): (n, c) for y, q, n, c in rows}

    def quarters(self):
        """(year, quarter) → the months of the period in it."""
        out = defaultdict(list)
        for y, m in self.months:
            out[(y, (m - 1) // 3 + 1)].append((y, m))
        return out

    def quality(self):
        """org kind → {level: n}."""
        rows = sql(
            "SELECT o.kind, s.final_level, COUNT(*) FROM quality_meetingscore s "  # noqa: S608
            "JOIN meetings_meeting m ON m.id = s.meeting_id "
            "JOIN organizations_organization o ON o.id = m.organization_id "
            f"WHERE {self.CELL} AND m.kind IN {in_list(REGULAR)} "
            f"AND m.status IN {in_list(HELD)} "
            "AND m.period_year * 100 + m.period_month BETWEEN %s AND %s "
            "GROUP BY o.kind, s.final_level",
            [self.lo, self.hi, *self.ym],
        )
        out = defaultdict(dict)
        for kind, level, n in rows:
            out[kind][level] = n
        return out

    def visits(self):
        """[(cell id, date, kind)] of the reported visits in the period."""
        rows = sql(
            "SELECT v.cell_id, v.planned_on, v.kind FROM oversight_visit v "  # noqa: S608
            "JOIN organizations_organization o ON o.id = v.cell_id "
            f"WHERE {self.CELL} AND v.status = 'reported' "
            "AND v.planned_on >= %s AND v.planned_on <= %s",
            [self.lo, self.hi, self.first, self.last],
        )
        return [(c, D.fromisoformat(str(d)[:10]), k) for c, d, k in rows]

    def required(self, path, on):
        rows = sql(
            "SELECT o.path, p.visits_per_quarter FROM oversight_visitpolicy p "
            "JOIN organizations_organization o ON o.id = p.organization_id "
            "WHERE p.effective_from <= %s ORDER BY p.effective_from",
            [on],
        )
        rules = dict(rows)  # the latest rule of each organization
        for end in range(len(path), 0, -4):
            if path[:end] in rules:
                return rules[path[:end]]
        return 1

    def compliance(self):
        """(year, quarter) → (cells, cells visited as required)."""
        visits = defaultdict(int)
        for cell_id, day, _kind in self.visits():
            visits[(cell_id, day.year, (day.month - 1) // 3 + 1)] += 1
        out = {}
        for (y, q), months in self.quarters().items():
            cells = self._existing(months)
            last = _last_day(y, 3 * q)
            ok = sum(visits[(cid, y, q)] >= self.required(path, last) for cid, path in cells)
            out[(y, q)] = (len(cells), ok)
        return out

    def followers(self):
        """(cells existing in the last month followed on its first day, distinct pairs)."""
        day = D(*self.months[-1], 1)
        existing = {cid for cid, _ in self._existing(self.months[-1:])}
        rows = sql(
            "SELECT DISTINCT s.organization_id, s.user_id FROM meetings_supervisorassignment s "  # noqa: S608
            "JOIN organizations_organization o ON o.id = s.organization_id "
            f"WHERE {self.CELL} AND s.valid_from <= %s "
            "AND (s.valid_to IS NULL OR s.valid_to >= %s)",
            [self.lo, self.hi, day, day],
        )
        return len({c for c, _ in rows if c in existing}), len(rows), len(existing)


# ---- the comparisons ---------------------------------------------------------------------------


def meetings_total_direct(org, d1, d2) -> dict:
    q = Direct(org, d1, d2)
    att = q.attendance()
    levels = defaultdict(int)
    for by_level in q.quality().values():
        for lv, n in by_level.items():
            levels[lv] += n
    return {
        "regular_due": q.due(),
        "regular_held": q.held(),
        "minutes_approved": q.approved(),
        "committee_held": q.committee(),
        "expected": sum(v[0] for v in att.values()),
        "present": sum(v[1] for v in att.values()),
        "absent_excused": sum(v[2] for v in att.values()),
        "absent_unexcused": sum(v[3] for v in att.values()),
        "thematic_held": sum(n for n, _ in q.thematic().values()),
        "scored": sum(levels.values()),
        **{f"level_{lv}": levels[lv] for lv in LEVELS},
    }


def supervision_total_direct(org, d1, d2) -> dict:
    q = Direct(org, d1, d2)
    visits = q.visits()
    compliance = q.compliance()
    followed, pairs, cells = q.followers()
    cross_cells = {(c, d.year, (d.month - 1) // 3 + 1) for c, d, k in visits if k == "cross"}
    return {
        "visits": len(visits),
        "cross": sum(k == "cross" for _c, _d, k in visits),
        "cell_quarters": sum(n for n, _ in compliance.values()),
        "compliant": sum(ok for _, ok in compliance.values()),
        "cell_quarters_cross": len(cross_cells),
        "cells": cells,
        "cells_followed": followed,
        "supervisors": pairs,
    }


def _orgs(world):
    return [world.org(c) for c in ("P1", "C1", "C2", "U1", "K1")]


@pytest.mark.parametrize("d1,d2", PERIODS)
def test_every_meetings_figure_equals_the_direct_sql(world, generated, d1, d2):
    for org in _orgs(world):
        f = meetings_report.compute(org, d1, d2)
        expected = meetings_total_direct(org, d1, d2)
        assert {k: f.total[k] for k in expected} == expected, org.code
        for child in meetings_report.children(org, d2):
            want = meetings_total_direct(child, d1, d2)
            got = f.by_child[child.path]
            assert {k: got[k] for k in want} == want, child.code
        q = Direct(org, d1, d2)
        att = q.attendance()
        for g in ("residential", "others"):
            assert (f.attendance[g]["expected"], f.attendance[g]["present"]) == att.get(
                g, (0, 0, 0, 0)
            )[:2]
        thematic = q.thematic()
        for (y, qq), months in q.quarters().items():
            meetings, cells = thematic.get((y, qq), (0, 0))
            row = f.quarters[(y, qq)]
            assert (row["thematic"], row["cells_thematic"]) == (meetings, cells)
            assert row["cells"] == len(q._existing(months))
        quality = q.quality()
        for kind in ("grassroots_cell", "cell"):
            for lv in LEVELS:
                assert f.quality[kind][lv] == quality.get(kind, {}).get(lv, 0), (kind, lv)


@pytest.mark.parametrize("d1,d2", PERIODS)
def test_every_supervision_figure_equals_the_direct_sql(world, generated, d1, d2):
    for org in _orgs(world):
        f = supervision_report.compute(org, d1, d2)
        expected = supervision_total_direct(org, d1, d2)
        assert {k: f.total[k] for k in expected} == expected, org.code
        for child in meetings_report.children(org, d2):
            want = supervision_total_direct(child, d1, d2)
            got = f.by_child[child.path]
            assert {k: got[k] for k in want} == want, child.code
        q = Direct(org, d1, d2)
        for (y, qq), (cells, ok) in q.compliance().items():
            assert (f.quarters[(y, qq)]["cells"], f.quarters[(y, qq)]["compliant"]) == (cells, ok)


def test_a_whole_year_reads_the_yearly_rows_with_the_same_figures(
    world, generated, django_assert_num_queries
):
    """The yearly rows (CellYear) give exactly what the twelve monthly rows give."""
    d1, d2 = PERIODS[0]
    assert meetings_report.whole_years(d1, d2) == [2025]
    assert meetings_report.whole_years(*PERIODS[1]) == []
    for org in _orgs(world):
        by_year = meetings_report.compute(org, d1, d2)
        by_month = meetings_report.compute(org, d1, d2, by_year=False)
        assert by_year.as_dict() == by_month.as_dict(), org.code
        by_year = supervision_report.compute(org, d1, d2)
        by_month = supervision_report.compute(org, d1, d2, by_year=False)
        assert by_year.as_dict() == by_month.as_dict(), org.code
    p1 = world.org("P1")
    kids = meetings_report.children(p1, d2)
    with django_assert_num_queries(1) as ctx:  # one grouped query over one row per cell
        meetings_report.compute(p1, d1, d2, kids)
    assert all("reports_cellyear" in q["sql"] for q in ctx.captured_queries)


def test_the_data_exercises_every_figure(world, generated):
    """Guard against a vacuous comparison: the generated year has some of everything."""
    t = meetings_total_direct(world.org("P1"), *PERIODS[0])
    s = supervision_total_direct(world.org("P1"), *PERIODS[0])
    assert all(t[k] for k in t), t
    assert all(s[k] for k in s), s
    assert 0 < s["compliant"] < s["cell_quarters"]


@pytest.mark.parametrize("name", ["meetings", "supervision"])
def test_the_registered_reports_render_counts_and_rates(world, generated, name):
    result = get_report(name).compute(world.org("P1"), Period(*PERIODS[0]))
    data = result.as_json()
    assert data["report"] == name
    assert {c["organization"]["name"] for c in data["children"]} >= {world.org("C1").name}
    assert all(isinstance(v, int | float | None) for v in data["total"].values())
    assert result.groups and all(g.items for g in result.groups)


@pytest.mark.parametrize("name", ["meetings", "supervision"])
def test_the_reports_cost_the_same_queries_with_more_cells(
    world, generated, name, django_assert_num_queries
):
    report = get_report(name)
    period = Period(*PERIODS[0])
    p1 = world.org("P1")
    # The year: the children, then meetings 1 grouped query, supervision 3.
    with django_assert_num_queries(2 if name == "meetings" else 4) as ctx:
        report.compute(p1, period)
    n = len(ctx.captured_queries)
    for i in range(5):
        create_organization(
            parent=world.org("C2"),
            kind=OrgKind.CELL,
            name=f"Chi bộ mới {i}",
            code=f"N{i}",
            cell_type="residential",
        )
    summary.rebuild(p1)
    p1.refresh_from_db()
    with django_assert_num_queries(n):
        report.compute(p1, period)
