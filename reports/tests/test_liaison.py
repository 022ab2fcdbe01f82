"""The liaison-213 report: the same figures as liaison.services for the org and each child,
and the raw SQL of the introduced rate."""

import datetime as dt

from django.db import connection

from liaison import services
from reports.periods import Period
from reports.registry import get_report

END = dt.date(2025, 12, 31)
KEYS = ("working", "exempt", "eligible", "introduced", "received", "due", "commented", "well")


def compute(org):
    return get_report("liaison-213").compute(org, Period(dt.date(2025, 1, 1), END))


def test_each_row_equals_workplace_counts(world, small_world):
    for code in ("P1", "C1"):
        result = compute(world.org(code))
        want = services.workplace_counts(world.org(code), 2025)
        assert {k: result.total.values.get(k, 0) for k in KEYS} == {k: want[k] for k in KEYS}
        for row in result.rows:
            child = services.workplace_counts(row.org, 2025)
            assert {k: row.values.get(k, 0) for k in KEYS} == {k: child[k] for k in KEYS}, row.label


def test_the_introduced_figures_match_raw_sql(world, small_world):
    p1 = world.org("P1")
    with connection.cursor() as c:
        c.execute(
            "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM liaison_residenceliaison l "
            "  WHERE l.member_id = mm.id AND l.status IN ('introduced', 'received')) "
            "  THEN 1 ELSE 0 END), "
            " SUM(CASE WHEN EXISTS (SELECT 1 FROM liaison_residenceliaison l "
            "  WHERE l.member_id = mm.id AND l.status = 'exempt') THEN 1 ELSE 0 END) "
            "FROM members_member mm JOIN organizations_organization o ON o.id = mm.organization_id "
            "WHERE substr(o.path, 1, %s) = %s AND mm.status IN ('probationary', 'official') "
            "AND o.cell_type IN ('agency', 'public_service', 'school', 'state_enterprise', "
            "'private_enterprise', 'army', 'police')",
            [len(p1.path), p1.path],
        )
        working, introduced, exempt = c.fetchone()
    t = compute(p1).total.values
    assert (t["working"], t["introduced"], t["eligible"]) == (working, introduced, working - exempt)
    assert (t["eligible"], t["introduced"]) == (6, 4)


def test_the_residence_side_and_the_rates(world, small_world):
    result = compute(world.org("C1"))
    res = {
        i.key: (i.value, i.of) for i in next(g for g in result.groups if g.key == "residence").items
    }
    assert res["received"] == (3, 4)
    assert result.as_json()["total"]["introduced_rate"] == 80.0


def test_constant_queries_whatever_the_number_of_children(
    world, small_world, django_assert_num_queries
):
    from organizations import services as org_services
    from organizations.models import CellType, OrgKind

    p1 = world.org("P1")
    compute(p1)  # first use loads the report modules
    with django_assert_num_queries(3):  # children, workplace rows by cell, residence side
        compute(p1)
    for i in range(3):
        org_services.create_organization(
            parent=p1,
            kind=OrgKind.GRASSROOTS_CELL,
            name=f"Chi bộ Sở {i}",
            code=f"Y{i}",
            cell_type=CellType.AGENCY,
            founded_on=dt.date(2000, 1, 1),
        )
    p1.refresh_from_db()
    with django_assert_num_queries(3):
        assert len(compute(p1).rows) == 6
