"""Small factories for the dues tests."""

import datetime as dt
from decimal import Decimal

from dues.models import DuesPayment


def pay(member, month: dt.date, amount=30000, *, cell=None, paid_on=None):
    """A paid month, written directly (the service has its own tests)."""
    return DuesPayment.objects.create(
        province_id=member.province_id,
        member=member,
        cell=cell or member.organization,
        month=month,
        amount=Decimal(amount),
        paid_on=paid_on or month,
    )


def excuse(member, month: dt.date, reason="Hoàn cảnh khó khăn, chi bộ đồng ý", *, cell=None):
    return DuesPayment.objects.create(
        province_id=member.province_id,
        member=member,
        cell=cell or member.organization,
        month=month,
        excused=True,
        reason=reason,
    )


def months_ago(today: dt.date, n: int) -> dt.date:
    """The first day of the month n months before today's."""
    k = today.year * 12 + today.month - 1 - n
    return dt.date(k // 12, k % 12 + 1, 1)
