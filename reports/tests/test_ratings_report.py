"""The ratings report: figures vs raw SQL for the organization and each child, the cycle's
level names, and a constant number of queries."""

import datetime as dt

from django.db import connection

from ratings import services
from ratings.models import MemberReview, OrganizationReview, ReviewStatus
from reports.periods import Period
from reports.registry import get_report

D = dt.date
PERIOD = Period(D(2025, 1, 1), D(2025, 12, 31))
LEVELS = ("excellent", "good", "completed", "not_completed")


def compute(org, period=PERIOD):
    return get_report("ratings").compute(org, period)


def make_cycle(world):
    cycle = services.open_cycle(world.org("C1"), year=2025, by=world.user("staff_c1"))
    reviews = list(cycle.member_reviews.exclude(status=ReviewStatus.EXCLUDED).order_by("pk"))
    for review, level in zip(reviews, ("good", "excellent", "good"), strict=False):
        MemberReview.objects.filter(pk=review.pk).update(
            status=ReviewStatus.DECIDED, decided_level=level
        )
    if len(reviews) > 3:  # a complaint keeps its decided level
        MemberReview.objects.filter(pk=reviews[3].pk).update(
            status=ReviewStatus.COMPLAINED, decided_level="completed", complaint="Không đồng ý."
        )
    MemberReview.objects.filter(pk=reviews[-1].pk).update(
        status=ReviewStatus.EXCLUDED, exclusion="exempt", decided_level=""
    )
    first = cycle.org_reviews.order_by("pk").first()
    OrganizationReview.objects.filter(pk=first.pk).update(decided_level="good")
    return cycle


def raw(org):
    tree = [len(org.path), org.path]
    with connection.cursor() as c:
        c.execute(
            "SELECT r.status, r.decided_level, COUNT(*) FROM ratings_memberreview r "
            "JOIN ratings_reviewcycle y ON y.id = r.cycle_id "
            "JOIN organizations_organization o ON o.id = r.cell_id "
            "WHERE y.year = 2025 AND y.quarter IS NULL AND substr(o.path, 1, %s) = %s "
            "GROUP BY r.status, r.decided_level",
            tree,
        )
        members = c.fetchall()
        c.execute(
            "SELECT r.decided_level, COUNT(*) FROM ratings_organizationreview r "
            "JOIN ratings_reviewcycle y ON y.id = r.cycle_id "
            "JOIN organizations_organization o ON o.id = r.organization_id "
            "WHERE y.year = 2025 AND y.quarter IS NULL AND substr(o.path, 1, %s) = %s "
            "GROUP BY r.decided_level",
            tree,
        )
        orgs = c.fetchall()
    out = {"reviewed": sum(n for *_, n in members)}
    out["excluded"] = sum(n for s, _, n in members if s == "excluded")
    out["rated"] = out["reviewed"] - out["excluded"]
    for lv in LEVELS:
        out[lv] = sum(n for s, level, n in members if s != "excluded" and level == lv)
        out[f"org_{lv}"] = sum(n for level, n in orgs if level == lv)
    out["undecided"] = sum(n for s, level, n in members if s != "excluded" and not level)
    out["orgs"] = sum(n for _, n in orgs)
    out["org_undecided"] = sum(n for level, n in orgs if not level)
    return out


def test_each_row_matches_raw_sql(world):
    cycle = make_cycle(world)
    for code in ("P1", "C1", "K1"):
        result = compute(world.org(code))
        for row in (result.total, *result.rows):
            want = raw(row.org)
            assert {k: row.values.get(k, 0) for k in want} == want, row.label
    t = compute(world.org("C1")).total.values
    excluded = cycle.member_reviews.filter(status=ReviewStatus.EXCLUDED).count()
    assert (t["good"], t["excellent"], t["org_good"]) == (2, 1, 1)
    assert t["excluded"] == excluded >= 1
    assert t["rated"] == sum(t.get(k, 0) for k in (*LEVELS, "undecided"))


def test_levels_carry_the_cycle_names_and_other_years_do_not_count(world):
    cycle = make_cycle(world)
    cycle.level_names = {"member": {"good": "Tốt (tên cũ)"}, "organization": {}}
    cycle.save(update_fields=["level_names"])
    result = compute(world.org("C1"))
    labels = {c.key: str(c.label) for c in result.columns}
    assert labels["good"] == "Tốt (tên cũ)"
    assert labels["org_good"] == "Completed tasks well"
    members = next(g for g in result.groups if g.key == "members")
    assert {i.key: str(i.label) for i in members.items}["good"] == "Tốt (tên cũ)"
    assert result.as_json()["columns"][3]["label"] == "Completed tasks excellently"
    later = compute(world.org("C1"), Period(D(2026, 1, 1), D(2026, 12, 31)))
    assert later.total.values.get("reviewed", 0) == 0 and len(later.notes) == 2


def test_constant_queries_whatever_the_number_of_children(world, django_assert_num_queries):
    from organizations import services as org_services
    from organizations.models import CellType, OrgKind

    make_cycle(world)
    c1 = world.org("C1")
    compute(c1)
    with django_assert_num_queries(4):  # children, a cycle, member and organization reviews
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
