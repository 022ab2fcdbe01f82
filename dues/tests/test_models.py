"""The dues row: one per member and month, paid (amount, date) or excused (reason)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from dues.models import DuesPayment
from dues.tests.helpers import excuse, pay
from organizations import services as org_services


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")


def _row(member, **kwargs):
    values = {
        "province_id": member.province_id,
        "member": member,
        "cell": member.organization,
        "month": dt.date(2025, 9, 1),
    }
    return DuesPayment(**(values | kwargs))


def test_a_month_is_stored_as_its_first_day(duc):
    p = pay(duc, dt.date(2025, 9, 17))
    p.refresh_from_db()
    assert p.month == dt.date(2025, 9, 1)


def test_one_row_per_member_and_month(duc):
    pay(duc, dt.date(2025, 9, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        excuse(duc, dt.date(2025, 9, 1), cell=duc.organization)


@pytest.mark.parametrize(
    "values",
    [
        {"amount": None, "paid_on": dt.date(2025, 9, 5)},  # paid without an amount
        {"amount": Decimal(30000), "paid_on": None},  # paid without a date
        {"amount": Decimal(-1), "paid_on": dt.date(2025, 9, 5)},  # negative
        {"excused": True, "reason": ""},  # excused without a reason
        {"excused": True, "reason": "ốm", "amount": Decimal(0)},  # excused with an amount
        {"amount": Decimal(1), "paid_on": dt.date(2025, 9, 5), "reason": "x"},  # paid + reason
    ],
)
def test_the_database_refuses_a_row_neither_paid_nor_excused(duc, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(duc, **values).save()


def test_a_zero_amount_is_allowed_as_entered(duc):
    _row(duc, amount=Decimal(0), paid_on=dt.date(2025, 9, 5)).save()


def test_changes_are_kept_in_the_history(duc):
    p = pay(duc, dt.date(2025, 9, 1), 30000)
    p.amount = Decimal(35000)
    p.save()
    p.delete()
    assert [h.history_type for h in DuesPayment.history.order_by("history_id")] == ["+", "~", "-"]


def test_rows_follow_the_member_when_the_cell_moves_to_another_province(world, duc):
    p = pay(duc, dt.date(2025, 6, 1))
    org_services.move(world.org("K1"), world.org("C3"), dt.date(2025, 7, 1))
    p.refresh_from_db()
    assert p.province_id == world.org("P2").pk
