"""Unpaid dues feed the strike-off flag: 3 months in a year without a valid reason.

A month counts only when the member's cell recorded dues for it (for anyone), the member
was on that cell's roster, and has no row for it (neither paid nor excused, in any cell).
"""

import datetime as dt

import pytest

from dues import selectors as dues_selectors
from dues import services
from dues.tests.helpers import excuse, pay
from lifecycle import selectors
from lifecycle.tests.test_strike_off import absent, meeting
from members.models import Membership

END_2025 = dt.date(2025, 12, 31)


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")


@pytest.fixture
def hoa(world):
    """Pays every month: her rows say the cell records dues."""
    hoa = world.member("Trần Thị Hoa", "K1")
    for m in range(1, 13):
        pay(hoa, dt.date(2025, m, 1))
    return hoa


def flags(org, year=2025, today=END_2025):
    """{(name, home cell): (months absent, months of dues unpaid, grounds)}: the test world
    has two members named Nguyễn Văn Đức."""
    return {
        (f.name, f.cell): (f.months, f.dues_months, [g.value for g in f.grounds])
        for f in selectors.strike_off_flags(org, year, today)
    }


DUC = ("Nguyễn Văn Đức", "Chi bộ thôn Đông")
NAM = ("Lê Văn Nam", "Chi bộ thôn Đông")


def pay_all_but(member, months, year=2025):
    for m in range(1, 13):
        if m not in months:
            pay(member, dt.date(year, m, 1))


def test_two_unpaid_months_are_not_flagged_three_are(k1, duc, hoa):
    pay_all_but(duc, {4, 9, 11})
    assert flags(k1)[DUC] == ([], [4, 9, 11], ["dues_unpaid"])
    assert services.months_unpaid(duc, 2025, END_2025) == [4, 9, 11]
    pay(duc, dt.date(2025, 11, 1))
    assert DUC not in flags(k1)


def test_excused_months_do_not_count(k1, duc, hoa):
    pay_all_but(duc, {4, 9, 11})
    excuse(duc, dt.date(2025, 9, 1))
    assert "Nguyễn Văn Đức" not in flags(k1)


def test_a_cell_without_any_dues_records_flags_no_one(world):
    # K2 records nothing: its members have no rows at all, and are not flagged en masse.
    assert flags(world.org("K2")) == {}
    assert flags(world.org("P1")) == {}


def test_only_the_months_the_cell_recorded_count(world, k1, duc):
    hoa = world.member("Trần Thị Hoa", "K1")  # the cell records only the months she paid
    for m in (1, 2):
        pay(hoa, dt.date(2025, m, 1))
    assert DUC not in flags(k1)  # two months recorded, two unpaid
    pay(hoa, dt.date(2025, 3, 1))
    assert flags(k1)[DUC][1] == [1, 2, 3]


def test_only_months_up_to_the_current_one(k1, duc, hoa):
    pay_all_but(duc, {6, 7, 8, 9})
    # On 20 August, September has not begun: three months so far.
    assert flags(k1, today=dt.date(2025, 8, 20))[DUC][1] == [6, 7, 8]
    assert DUC not in flags(k1, today=dt.date(2025, 7, 20))
    assert flags(k1, year=2026, today=END_2025) == {}


def test_only_months_the_member_was_in_the_cell(world, k1, hoa):
    nam = world.member("Lê Văn Nam", "K1")  # in the cell from 1 June 2025
    for m in range(8, 13):
        pay(nam, dt.date(2025, m, 1))
    # January to May were before he joined: June and July are his only unpaid months.
    assert NAM not in flags(k1)
    assert dues_selectors.unpaid_dues(k1, 2025, END_2025)[nam.pk]["months"] == [6, 7]
    nam.dues_payments.filter(month=dt.date(2025, 8, 1)).delete()
    assert flags(k1)[NAM][1] == [6, 7, 8]


def test_paid_in_another_cell_counts_as_paid(world, k1, duc, hoa):
    k2 = world.org("K2")
    Membership.objects.create(
        province_id=duc.province_id,
        member=duc,
        organization=k2,
        kind="temporary",
        start_date=dt.date(2025, 1, 1),
    )
    for m in range(1, 13):
        pay(duc, dt.date(2025, m, 1), cell=k2)
    assert DUC not in flags(world.org("C1"))


def test_members_who_left_are_not_flagged(k1, duc, hoa):
    pay_all_but(duc, {1, 2, 3})
    duc.status = "left"
    duc.save(update_fields=["status"])
    assert DUC not in flags(k1)


def test_the_flag_stays_inside_the_subtree(world, duc, hoa):
    pay_all_but(duc, {1, 2, 3})
    assert DUC in flags(world.org("C1"))
    assert DUC in flags(world.org("P1"))
    assert flags(world.org("K2")) == {}
    assert flags(world.org("P2")) == {}


def test_absences_and_dues_are_told_apart(k1, duc, hoa):
    pay_all_but(duc, {1, 2, 3})
    for month in (7, 8, 9):
        absent(duc, meeting(k1, month))
    assert flags(k1)[DUC] == (
        [7, 8, 9],
        [1, 2, 3],
        ["missed_activities", "dues_unpaid"],
    )


def test_two_queries_whatever_the_number_of_members(world, k1, hoa, django_assert_num_queries):
    binh = world.member("Hoàng Văn Bình", "K2")
    k2, c1 = world.org("K2"), world.org("C1")
    for month in (7, 8, 9):
        absent(binh, meeting(k2, month))
    with django_assert_num_queries(2):
        result = selectors.strike_off_flags(c1, 2025, END_2025)
    # K1 records dues all year and only Hoa pays; K2 records none.
    assert [(f.name, f.dues, f.absences) for f in result] == [
        ("Nguyễn Văn Đức", True, False),
        ("Phạm Thị Lan", True, False),
        ("Lê Văn Nam", True, False),
        ("Hoàng Văn Bình", False, True),
    ]
