"""The visit rule (each cell visited at least N times a quarter) and the counts the compliance
board and the monthly report read: visits_required, visits_in_quarter, visits_due."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oversight import services
from oversight.models import Visit, VisitKind, VisitPolicy, VisitStatus

D = dt.date


@pytest.fixture
def visitor(world):
    return world.user("committee_c1")


def visit(cell, visitor, day, status=VisitStatus.REPORTED):
    return Visit.objects.create(
        province_id=cell.province_id,
        cell=cell,
        visitor=visitor,
        kind=VisitKind.OTHER,
        planned_on=day,
        status=status,
        reported_on=day if status == VisitStatus.REPORTED else None,
        cancel_reason="Bão" if status == VisitStatus.CANCELLED else "",
    )


def policy(org, n, day):
    return VisitPolicy.objects.create(
        province_id=org.province_id or org.pk,
        organization=org,
        visits_per_quarter=n,
        effective_from=day,
    )


# ---- quarters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "quarter", "first", "last"),
    [
        (2025, 1, D(2025, 1, 1), D(2025, 3, 31)),
        (2025, 2, D(2025, 4, 1), D(2025, 6, 30)),
        (2024, 1, D(2024, 1, 1), D(2024, 3, 31)),
        (2025, 4, D(2025, 10, 1), D(2025, 12, 31)),
    ],
)
def test_quarter_bounds(year, quarter, first, last):
    assert services.quarter_bounds(year, quarter) == (first, last)
    assert services.quarter_of(first) == services.quarter_of(last) == (year, quarter)


def test_there_is_no_fifth_quarter():
    with pytest.raises(ValueError):
        services.quarter_bounds(2025, 5)


# ---- visits_required --------------------------------------------------------------------------


def test_without_a_rule_each_cell_is_visited_once_a_quarter(world):
    assert services.visits_required(world.org("C1"), D(2025, 7, 1)) == 1
    assert services.visits_required(world.org("K1"), D(2025, 7, 1)) == 1


def test_a_committees_rule_holds_from_its_date(world):
    c1 = world.org("C1")
    policy(c1, 2, D(2025, 7, 1))
    assert services.visits_required(c1, D(2025, 6, 30)) == 1
    assert services.visits_required(c1, D(2025, 7, 1)) == 2
    assert services.visits_required(world.org("K1"), D(2025, 8, 1)) == 2  # its cells too
    assert services.visits_required(world.org("C2"), D(2025, 8, 1)) == 1  # not the neighbours


def test_the_provinces_rule_holds_until_a_commune_sets_its_own(world):
    p1, c1 = world.org("P1"), world.org("C1")
    policy(p1, 3, D(2025, 1, 1))
    assert services.visits_required(c1, D(2025, 5, 1)) == 3
    policy(c1, 1, D(2025, 4, 1))
    assert services.visits_required(c1, D(2025, 5, 1)) == 1
    assert services.visits_required(world.org("C2"), D(2025, 5, 1)) == 3
    assert services.visits_required(world.org("K4"), D(2025, 5, 1)) == 1  # another province


def test_the_latest_rule_of_a_committee_wins(world):
    c1 = world.org("C1")
    policy(c1, 2, D(2025, 1, 1))
    policy(c1, 4, D(2025, 10, 1))
    assert services.visits_required(c1, D(2025, 9, 30)) == 2
    assert services.visits_required(c1, D(2025, 10, 1)) == 4


def test_setting_the_rule_twice_for_a_day_replaces_it(world):
    c1 = world.org("C1")
    services.set_policy(c1, 2, D(2025, 7, 1), by=world.user("staff_c1"))
    services.set_policy(c1, 3, D(2025, 7, 1), by=world.user("staff_c1"))
    assert c1.visit_policies.get().visits_per_quarter == 3
    assert c1.visit_policies.get().history.first().history_user == world.user("staff_c1")


@pytest.mark.parametrize("n", [0, 13])
def test_the_rule_is_between_1_and_12_visits(world, n):
    with pytest.raises(ValidationError):
        services.set_policy(world.org("C1"), n, D(2025, 7, 1))
    assert not VisitPolicy.objects.exists()


def test_a_cell_sets_no_rule(world):
    with pytest.raises(ValidationError):
        services.set_policy(world.org("K1"), 1, D(2025, 7, 1))


# ---- visits_in_quarter ------------------------------------------------------------------------


def test_no_visit_no_count(world):
    assert services.visits_in_quarter(world.org("C1"), 2025, 3) == {}


def test_one_reported_visit_counts(world, visitor):
    k1 = world.org("K1")
    visit(k1, visitor, D(2025, 8, 5))
    assert services.visits_in_quarter(world.org("C1"), 2025, 3) == {k1.pk: 1}
    assert services.visits_in_quarter(world.org("P1"), 2025, 3) == {k1.pk: 1}
    assert services.visits_in_quarter(k1, 2025, 3) == {k1.pk: 1}


def test_a_cancelled_or_planned_visit_does_not_count(world, visitor):
    k1 = world.org("K1")
    visit(k1, visitor, D(2025, 8, 5), VisitStatus.CANCELLED)
    visit(k1, visitor, D(2025, 8, 6), VisitStatus.PLANNED)
    assert services.visits_in_quarter(world.org("C1"), 2025, 3) == {}
    visit(k1, visitor, D(2025, 8, 7))
    assert services.visits_in_quarter(world.org("C1"), 2025, 3) == {k1.pk: 1}


def test_the_quarter_boundary_31_march_and_1_april(world, visitor):
    k1, k2, c1 = world.org("K1"), world.org("K2"), world.org("C1")
    visit(k1, visitor, D(2025, 3, 31))
    visit(k2, visitor, D(2025, 4, 1))
    assert services.visits_in_quarter(c1, 2025, 1) == {k1.pk: 1}
    assert services.visits_in_quarter(c1, 2025, 2) == {k2.pk: 1}


def test_the_year_boundary(world, visitor):
    k1, c1 = world.org("K1"), world.org("C1")
    visit(k1, visitor, D(2024, 12, 31))
    visit(k1, visitor, D(2025, 1, 1))
    visit(k1, visitor, D(2025, 1, 2))
    assert services.visits_in_quarter(c1, 2024, 4) == {k1.pk: 1}
    assert services.visits_in_quarter(c1, 2025, 1) == {k1.pk: 2}


def test_only_the_cells_below_the_committee(world, visitor):
    visit(world.org("K3"), visitor, D(2025, 8, 5))  # C2
    visit(world.org("K4"), world.user("staff_p2"), D(2025, 8, 5))  # another province
    assert services.visits_in_quarter(world.org("C1"), 2025, 3) == {}
    assert set(services.visits_in_quarter(world.org("P1"), 2025, 3)) == {world.org("K3").pk}


def test_visits_in_quarter_is_one_query(world, visitor, django_assert_num_queries):
    for cell in ("K1", "K2"):
        for day in (5, 6, 7):
            visit(world.org(cell), visitor, D(2025, 8, day))
    c1 = world.org("C1")
    with django_assert_num_queries(1):
        counts = services.visits_in_quarter(c1, 2025, 3)
    assert sorted(counts.values()) == [3, 3]


# ---- visits_due -------------------------------------------------------------------------------


def by_code(rows):
    return {r.cell.code: (r.required, r.done, r.missing) for r in rows}


def test_visits_due_per_cell(world, visitor):
    policy(world.org("C1"), 2, D(2025, 1, 1))
    visit(world.org("K1"), visitor, D(2025, 7, 10))
    visit(world.org("K1"), visitor, D(2025, 9, 10))
    visit(world.org("K2"), visitor, D(2025, 9, 30))
    visit(world.org("K2"), visitor, D(2025, 10, 1))  # next quarter
    assert by_code(services.visits_due(world.org("C1"), 2025, 3)) == {
        "K1": (2, 2, 0),
        "K2": (2, 1, 1),
    }


def test_visits_due_from_the_province_uses_each_communes_rule(world, visitor):
    policy(world.org("P1"), 1, D(2025, 1, 1))
    policy(world.org("C2"), 3, D(2025, 1, 1))
    visit(world.org("K3"), visitor, D(2025, 8, 1))
    rows = by_code(services.visits_due(world.org("P1"), 2025, 3))
    assert rows == {"K1": (1, 0, 1), "K2": (1, 0, 1), "K3": (3, 1, 2), "G1": (1, 0, 1)}


def test_a_rule_adopted_during_the_quarter_applies_to_it(world):
    policy(world.org("C1"), 2, D(2025, 8, 15))
    assert by_code(services.visits_due(world.org("C1"), 2025, 3))["K1"] == (2, 0, 2)
    assert by_code(services.visits_due(world.org("C1"), 2025, 2))["K1"] == (1, 0, 1)


def test_a_cell_dissolved_before_the_quarter_is_not_due(world):
    k2 = world.org("K2")
    k2.dissolved_on = D(2025, 6, 1)
    k2.save()
    assert set(by_code(services.visits_due(world.org("C1"), 2025, 3))) == {"K1"}
    assert set(by_code(services.visits_due(world.org("C1"), 2025, 1))) == {"K1", "K2"}


def test_visits_due_for_a_cell_is_the_cell(world):
    assert by_code(services.visits_due(world.org("K1"), 2025, 3)) == {"K1": (1, 0, 1)}


def test_visits_due_takes_four_queries_however_many_cells(
    world, visitor, django_assert_num_queries
):
    p1 = world.org("P1")
    policy(world.org("C1"), 2, D(2025, 1, 1))
    for code in ("K1", "K2", "K3"):
        visit(world.org(code), visitor, D(2025, 8, 1))
    # the cells, the rules above, the rules below, the counts
    with django_assert_num_queries(4):
        rows = services.visits_due(p1, 2025, 3)
    assert len(rows) == 4
