"""The structure report, each figure checked against raw SQL written here independently."""

from django.db import connection

from reports.periods import Period
from reports.registry import get_report
from reports.tests.conftest import TO

ACTIVE = ("probationary", "official", "exempt", "suspended")
ORG_ON = "(o.founded_on IS NULL OR o.founded_on <= %s) AND (o.dissolved_on IS NULL OR o.dissolved_on > %s)"
HOME_ON = "m.kind = 'home' AND m.start_date <= %s AND (m.end_date IS NULL OR m.end_date >= %s)"
LINK_ON = (
    "(cv.valid_from IS NULL OR cv.valid_from <= %s) AND (cv.valid_to IS NULL OR cv.valid_to >= %s)"
)
VILLAGE_ON = (
    "(v.valid_from IS NULL OR v.valid_from <= %s) AND (v.valid_to IS NULL OR v.valid_to >= %s)"
)
IN_TREE = "substr({}.path, 1, %s) = %s"
# A member's status on the date %s: the status recorded just before their first decision after
# it (else the current one), probationary if their official date is still to come.
STATUS_THEN = (
    "COALESCE((SELECT sd.previous_status FROM lifecycle_statusdecision sd "
    "WHERE sd.member_id = mm.id AND sd.effective_date > %s "
    "ORDER BY sd.effective_date, sd.id LIMIT 1), mm.status)"
)
STATUS_ON = (
    f"CASE WHEN mm.official_date > %s AND {STATUS_THEN} IN ('official', 'exempt') "
    f"THEN 'probationary' ELSE {STATUS_THEN} END"
)


def sql(query, params):
    with connection.cursor() as c:
        c.execute(query, params)
        return c.fetchall()


def expected(path, d):
    tree = [len(path), path]
    kinds = dict(
        sql(
            f"SELECT o.kind, COUNT(*) FROM organizations_organization o "
            f"WHERE {IN_TREE.format('o')} AND {ORG_ON} GROUP BY o.kind",
            [*tree, d, d],
        )
    )
    n_villages = [
        n
        for (n,) in sql(
            f"SELECT COUNT(DISTINCT cv.village_id) FROM organizations_organization o "
            f"JOIN organizations_cellvillage cv ON cv.organization_id = o.id "
            f"WHERE o.kind IN ('cell', 'grassroots_cell') AND {IN_TREE.format('o')} AND {ORG_ON} "
            f"AND {LINK_ON} GROUP BY o.id",
            [*tree, d, d, d, d],
        )
    ]
    official = [
        n
        for (n,) in sql(
            f"SELECT (SELECT COUNT(*) FROM members_membership m "
            f"JOIN members_member mm ON mm.id = m.member_id "
            f"WHERE m.organization_id = o.id AND {STATUS_ON} = 'official' AND {HOME_ON}) "
            f"FROM organizations_organization o "
            f"WHERE o.kind IN ('cell', 'grassroots_cell') AND {IN_TREE.format('o')} AND {ORG_ON}",
            [d, d, d, d, d, *tree, d, d],
        )
    ]
    statuses = dict(
        sql(
            f"SELECT st, COUNT(*) FROM (SELECT {STATUS_ON} AS st FROM members_membership m "
            f"JOIN members_member mm ON mm.id = m.member_id "
            f"JOIN organizations_organization o ON o.id = m.organization_id "
            f"WHERE {IN_TREE.format('o')} AND {HOME_ON}) x GROUP BY st",
            [d, d, d, *tree, d, d],
        )
    )
    ((villages, none),) = sql(
        f"SELECT COUNT(*), SUM(CASE WHEN NOT EXISTS ("
        f"  SELECT 1 FROM members_person pe JOIN members_member mm ON mm.person_id = pe.id "
        f"  JOIN members_membership m ON m.member_id = mm.id "
        f"  WHERE pe.residence_village_id = v.id AND {STATUS_ON} IN {ACTIVE} AND {HOME_ON}"
        f") AND NOT EXISTS ("
        f"  SELECT 1 FROM organizations_cellvillage cv WHERE cv.village_id = v.id AND {LINK_ON}"
        f") THEN 1 ELSE 0 END) "
        f"FROM organizations_village v JOIN organizations_organization o ON o.id = v.commune_id "
        f"WHERE {IN_TREE.format('o')} AND {VILLAGE_ON}",
        [d, d, d, d, d, d, d, *tree, d, d],
    )
    cells = kinds.get("cell", 0) + kinds.get("grassroots_cell", 0)
    return {
        "grassroots_committees": kinds.get("grassroots_committee", 0),
        "grassroots_cells": kinds.get("grassroots_cell", 0),
        "affiliated_cells": kinds.get("cell", 0),
        "cells": cells,
        "village_cells": len(n_villages),
        "independent_cells": sum(1 for n in n_villages if n == 1),
        "combined_cells": sum(1 for n in n_villages if n > 1),
        "small_cells": sum(1 for n in official if n < 3),
        "villages": villages,
        "villages_no_member": int(none or 0),
        "members": sum(statuses.get(s, 0) for s in ACTIVE),
        "official": statuses.get("official", 0),
    }


def compute(org, d=TO):
    return get_report("structure").compute(org, Period(d.replace(day=1), d))


def values(row, keys):
    return {k: row.values.get(k, 0) for k in keys}


def test_every_figure_matches_raw_sql_for_the_org_and_each_child(world, extra):
    for code in ("P1", "C1", "C2", "K1", "P2"):
        org = world.org(code)
        result = compute(org)
        want = expected(org.path, TO)
        assert values(result.total, want) == want, code
        for row in result.rows:
            child = expected(row.org.path, TO)
            assert values(row, child) == child, (code, row.label)


def test_the_figures_of_the_extra_world(world, extra):
    t = compute(world.org("P1")).total.values
    # K1 covers V1+V3 (combined), K5 covers V6–V8 (combined), K2 V2 and K3 V5 (independent).
    assert (t["independent_cells"], t["combined_cells"], t["village_cells"]) == (2, 2, 4)
    # V10 only: V9 has a resident, V3 is covered by K1.
    assert t["villages_no_member"] == 1
    # K6 (dissolved) and K7 (not founded yet) are not counted; K5 has 3 official members.
    assert t["cells"] == 5 and t["small_cells"] == 4


def test_the_distributions(world, extra):
    result = compute(world.org("P1"))
    groups = {g.key: {i.key: (i.value, i.of) for i in g.items} for g in result.groups}
    assert groups["village_cells"] == {"1": (2, 4), "2": (1, 2), "3": (1, 2)}
    assert groups["villages"]["none"] == (1, 9)
    assert groups["statuses"]["official"][0] == result.total.values["official"]
    assert groups["kinds"]["grassroots_committee"] == (2, None)


def test_members_are_counted_by_their_status_on_the_date(world, extra):
    """Statuses of the past come from the dated history: a decision after the date recorded
    the status before it, and an official date still to come means probationary then."""
    import datetime as dt

    from lifecycle.models import DecisionKind, StatusDecision
    from members.models import Member, MemberStatus

    k1 = world.org("K1")
    now = compute(k1).total.values
    before = compute(k1, TO.replace(year=TO.year - 1)).total.values
    officials = Member.objects.filter(organization=k1, status=MemberStatus.OFFICIAL).order_by("pk")
    late, exempted = officials[0], officials[1]
    # One became official only after the earlier date; the other was exempted after it.
    Member.objects.filter(pk=late.pk).update(
        official_date=TO.replace(year=TO.year - 1) + dt.timedelta(days=1)
    )
    StatusDecision.objects.create(
        province=k1.province,
        member=exempted,
        kind=DecisionKind.EXEMPTION,
        decision_no="01-QĐ/ĐU",
        deciding_organization=world.org("C1"),
        decision_date=TO.replace(year=TO.year - 1),
        effective_date=TO.replace(year=TO.year - 1) + dt.timedelta(days=1),
        previous_status=MemberStatus.OFFICIAL,
    )
    Member.objects.filter(pk=exempted.pk).update(status=MemberStatus.EXEMPT)
    then = compute(k1, TO.replace(year=TO.year - 1)).total.values
    assert then["official"] == before["official"] - 1  # the late one was probationary
    assert then["members"] == before["members"]
    assert compute(k1).total.values["official"] == now["official"] - 1  # exempt today
    for d in (TO, TO.replace(year=TO.year - 1)):
        want = expected(k1.path, d)
        assert values(compute(k1, d).total, want) == want


def test_a_past_date_leaves_out_later_organizations(world, extra):
    before = compute(world.org("C2"), TO.replace(year=2023))
    assert before.total.values["cells"] == 2  # K3 and K6, dissolved only in 2024
    assert expected(world.org("C2").path, TO.replace(year=2023))["cells"] == 2


def test_constant_queries_whatever_the_number_of_children(world, extra, django_assert_num_queries):
    from organizations import services as org_services
    from organizations.models import CellType, OrgKind

    p1 = world.org("P1")
    with django_assert_num_queries(5):
        compute(p1)
    for i in range(4):
        org_services.create_organization(
            parent=p1,
            kind=OrgKind.GRASSROOTS_CELL,
            name=f"Chi bộ cơ sở {i}",
            code=f"X{i}",
            cell_type=CellType.AGENCY,
            founded_on=TO.replace(year=2000),
        )
    p1.refresh_from_db()
    with django_assert_num_queries(5):
        assert len(compute(p1).rows) == 7
