"""The admissions report: figures vs raw SQL for the organization and each child, vs
admissions.targets.results over a whole year, and a constant number of queries."""

import datetime as dt

from django.db import connection

from admissions.models import AdmissionTarget, Candidate, Stage
from admissions.targets import results
from admissions.tests.targets import new_candidate
from admissions.tests.test_targets import admit
from reports.periods import Period
from reports.registry import get_report

D = dt.date
PERIOD = Period(D(2025, 1, 1), D(2025, 12, 31))


def compute(org, period=PERIOD):
    return get_report("admissions").compute(org, period)


def make_data(world):
    k1, k2, k3 = world.org("K1"), world.org("K2"), world.org("K3")
    admit(k1, "Lò Thị A", D(2025, 3, 1), sex="F", ethnicity="03", youth=True, birth=D(2000, 5, 1))
    admit(k1, "Trần B", D(2025, 6, 1), birth=D(1995, 6, 1))  # 30th birthday on the day: 30
    admit(k1, "Trần B2", D(2025, 6, 1), birth=D(1995, 6, 2))  # the day before: under 30
    admit(k2, "Nguyễn Thị C", D(2025, 11, 30), sex="F", birth=D(1980, 1, 1))
    admit(k3, "Lê D", D(2025, 2, 2), youth=True, birth=D(2003, 1, 1))
    admit(k1, "Cũ E", D(2024, 12, 31))  # before the period
    for code, n in (("C1", 10), ("K1", 4), ("K2", 2)):
        org = world.org(code)
        AdmissionTarget.objects.create(
            organization=org, province_id=org.province_id, year=2025, admissions=n
        )
    AdmissionTarget.objects.create(
        organization=k1, province_id=k1.province_id, year=2024, admissions=99
    )
    a = new_candidate(k1, "Ứng viên Một")
    b = new_candidate(k2, "Ứng viên Hai")
    c = new_candidate(k1, "Ứng viên Ba")
    Candidate.objects.filter(pk=b.pk).update(stage=Stage.DOSSIER)
    Candidate.objects.filter(pk=c.pk).update(stage=Stage.REJECTED)
    return a


def raw(org, start, end):
    """Admitted, minority, women, youth union (independent SQL) and open candidates."""
    with connection.cursor() as c:
        c.execute(
            "SELECT COUNT(*), "
            " SUM(CASE WHEN p.ethnicity <> '01' THEN 1 ELSE 0 END), "
            " SUM(CASE WHEN p.sex = 'F' THEN 1 ELSE 0 END), "
            " SUM(CASE WHEN p.youth_union THEN 1 ELSE 0 END) "
            "FROM members_member mm JOIN members_person p ON p.id = mm.person_id "
            "LEFT JOIN admissions_candidate ca ON ca.member_id = mm.id "
            "LEFT JOIN organizations_organization co ON co.id = ca.organization_id "
            "JOIN organizations_organization ho ON ho.id = mm.organization_id "
            "WHERE substr(COALESCE(co.path, ho.path), 1, %s) = %s "
            "AND mm.ceremony_date >= %s AND mm.ceremony_date <= %s",
            [len(org.path), org.path, start, end],
        )
        admitted, minority, women, youth = c.fetchone()
        c.execute(
            "SELECT COUNT(*) FROM admissions_candidate ca "
            "JOIN organizations_organization o ON o.id = ca.organization_id "
            "WHERE substr(o.path, 1, %s) = %s AND ca.stage IN "
            "('listed', 'sympathizer', 'trained', 'dossier', 'checked', 'voted', 'decided')",
            [len(org.path), org.path],
        )
        (candidates,) = c.fetchone()
        c.execute(
            "SELECT admissions FROM admissions_admissiontarget "
            "WHERE organization_id = %s AND year = 2025",
            [org.pk],
        )
        target = (c.fetchone() or (0,))[0]
    return {
        "admitted": admitted,
        "minority": minority or 0,
        "women": women or 0,
        "youth_union": youth or 0,
        "candidates": candidates,
        "target": target,
    }


def test_each_row_matches_raw_sql(world):
    make_data(world)
    for code in ("P1", "C1", "K1"):
        result = compute(world.org(code))
        for row in (result.total, *result.rows):
            want = raw(row.org, PERIOD.start, PERIOD.end)
            assert {k: row.values.get(k, 0) for k in want} == want, row.label


def test_the_figures_and_the_groups(world):
    before = compute(world.org("C1")).total.values  # the test world's own 2025 admissions
    make_data(world)
    result = compute(world.org("C1"))
    t = result.total.values
    added = {k: t.get(k, 0) - before.get(k, 0) for k in ("admitted", "minority", "women")}
    assert (t["target"], added) == (10, {"admitted": 4, "minority": 1, "women": 2})
    # A (24) and B2 (29) are under 30; B turned 30 on the day
    assert t.get("under_30", 0) - before.get("under_30", 0) == 2
    assert (t.get("candidates", 0), t.get("on_probation", 0)) == (2, 0)
    groups = {g.key: {i.key: (i.value, i.of) for i in g.items} for g in result.groups}
    assert groups["stages"]["listed"] == (1, 2) and groups["stages"]["dossier"] == (1, 2)
    assert sum(v for v, _ in groups["cell_types"].values()) == t["admitted"]
    assert result.as_json()["total"]["admitted_rate"] == 100 * t["admitted"] / 10
    k2 = next(r for r in result.rows if r.org == world.org("K2"))
    assert k2.values["target"] == 2


def test_a_whole_year_agrees_with_the_targets_page(world):
    make_data(world)
    c1 = world.org("C1")
    by_unit = results(c1, 2025)
    result = compute(c1)
    for row in result.rows:
        want = by_unit.get(row.org.path)
        got = {k: row.values.get(k, 0) for k in ("admitted", "minority", "women", "under_30")}
        assert got == ({k: getattr(want, k) for k in got} if want else dict.fromkeys(got, 0)), (
            row.label
        )


def test_the_period_bounds_the_ceremonies(world):
    spring = Period(D(2025, 3, 1), D(2025, 6, 1))
    before = compute(world.org("C1"), spring).total.values.get("admitted", 0)
    make_data(world)
    assert compute(world.org("C1"), spring).total.values["admitted"] - before == 3


def test_constant_queries_whatever_the_number_of_children(world, django_assert_num_queries):
    from organizations import services as org_services
    from organizations.models import CellType, OrgKind

    make_data(world)
    c1 = world.org("C1")
    compute(c1)
    with django_assert_num_queries(4):  # children, new members, targets, candidates
        n = len(compute(c1).rows)
    for i in range(3):
        org_services.create_organization(
            parent=c1,
            kind=OrgKind.CELL,
            name=f"Chi bộ thôn Mới {i}",
            code=f"N{i}",
            cell_type=CellType.VILLAGE,
            founded_on=D(2000, 1, 1),
        )
    c1.refresh_from_db()
    with django_assert_num_queries(4):
        assert len(compute(c1).rows) == n + 3
