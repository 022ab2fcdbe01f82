"""Recording dues, and two questions about a member's dues.

record_payments validates every row of a cell's month first and raises a ValidationError
(translated, one message per bad row) before writing anything; then writes in one
transaction. Amounts are recorded as entered: rates are not computed (brief §5.10 [U]).
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dues.models import MAX_DIGITS, DuesPayment, DuesState, first_of_month, month_end
from dues.selectors import covering, last_month_counted, roster_memberships
from members.models import Member
from organizations.models import Organization

NOTE_MAX = 250
# Whole đồng, optionally grouped by thousands: 50000, 50.000, 50,000, 50 000 (and a sign,
# so that a negative amount gets its own message).
_AMOUNT = re.compile(r"^-?(\d+|\d{1,3}([.,\s]\d{3})+)$")


@dataclass
class PaymentRow:
    """One member's line of the month sheet, as posted."""

    member_id: int
    state: str  # DuesState
    amount: object = None  # Decimal, int, or the text typed ("50.000")
    note: str = ""  # the reason when excused, a note when paid
    paid_on: dt.date | None = None  # today when not given


def parse_amount(value) -> Decimal | None:
    """The amount in whole đồng, or None when empty; ValueError when it is not a number."""
    if value is None:
        return None
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
        if amount != amount.to_integral_value():
            raise ValueError(value)
        return amount
    text = str(value).strip().removesuffix("đ").strip()
    if not text:
        return None
    if not _AMOUNT.match(text):
        raise ValueError(value)
    return Decimal(re.sub(r"[.,\s]", "", text))


def _month_label(month: dt.date) -> str:
    return f"{month:%m/%Y}"


@transaction.atomic
def record_payments(cell: Organization, month: dt.date, rows: list[PaymentRow], by=None) -> int:
    """Record a cell's dues for one month: each row paid, excused or not paid (which removes
    a row recorded by mistake). All or nothing; returns the number of rows changed.

    Refused: a month in the future; a member not on the cell's roster that month; a member
    whose month is already recorded in another cell; a paid row without an amount, with a
    negative one or paid on a future day; an excused row without its reason.
    """
    today = timezone.localdate()
    month = first_of_month(month)
    if not cell.is_cell:
        raise ValidationError(_("Dues are recorded by a cell."))
    if month > first_of_month(today):
        raise ValidationError(
            _("%(month)s is in the future: dues are recorded up to the current month.")
            % {"month": _month_label(month)}
        )
    if cell.dissolved_on and month > first_of_month(cell.dissolved_on):
        raise ValidationError(
            _("The cell was dissolved on %(day)s.") % {"day": f"{cell.dissolved_on:%d/%m/%Y}"}
        )
    roster = {ms.member_id: ms.member for ms in roster_memberships(cell, month, month_end(month))}
    existing = {
        p.member_id: p
        for p in DuesPayment.objects.filter(
            member_id__in=[r.member_id for r in rows], month=month
        ).select_related("cell")
    }
    errors, plan, seen = [], [], set()
    for row in rows:
        member = roster.get(row.member_id)
        if member is None:
            errors.append(
                _("A member in the list is not on the cell's roster in %(month)s.")
                % {"month": _month_label(month)}
            )
            continue
        problem, values = _check_row(row, existing.get(row.member_id), cell, today)
        if row.member_id in seen:
            problem = _("listed twice.")
        seen.add(row.member_id)
        if problem:
            errors.append(f"{member.person.full_name}: {problem}")
        else:
            plan.append((member, existing.get(row.member_id), values))
    if errors:
        raise ValidationError(errors)
    changes = 0
    for member, record, values in plan:
        if values is None:  # not paid
            if record is not None:
                record.delete()
                changes += 1
        elif record is None:
            DuesPayment.objects.create(
                province_id=member.province_id,
                member=member,
                cell=cell,
                month=month,
                recorded_by=by,
                **values,
            )
            changes += 1
        elif _changed(record, values):
            for name, value in values.items():
                setattr(record, name, value)
            record.recorded_by = by
            record.save()
            changes += 1
    return changes


def _check_row(row: PaymentRow, record, cell, today) -> tuple[str, dict | None]:
    """(the problem with a row, or "") and the values to store (None: no row)."""
    if row.state not in DuesState.values:
        return _("unknown dues state."), None
    if record is not None and record.cell_id != cell.pk:
        return _("this month is already recorded in %(cell)s.") % {"cell": record.cell.name}, None
    text = (row.note or "").strip()
    if "\x00" in text:
        # A raw POST value: PostgreSQL cannot store NUL in text (chibo/tests/badinput).
        return _("the note contains a null character, which cannot be stored."), None
    if len(text) > NOTE_MAX:
        return _("the note is longer than %(n)s characters.") % {"n": NOTE_MAX}, None
    if row.state == DuesState.UNPAID:
        return "", None
    if row.state == DuesState.EXCUSED:
        if not text:
            return _("give the valid reason for not paying."), None
        return "", {"excused": True, "amount": None, "paid_on": None, "reason": text, "note": ""}
    try:
        amount = parse_amount(row.amount)
    except (ValueError, ArithmeticError):
        return _("the amount is not a whole number of đồng."), None
    if amount is None:
        return _("enter the amount paid."), None
    if amount < 0:
        return _("the amount cannot be negative."), None
    if amount >= 10**MAX_DIGITS:
        return _("the amount is too large."), None
    paid_on = row.paid_on or today
    if paid_on > today:
        return _("the payment date is in the future."), None
    return "", {"excused": False, "amount": amount, "paid_on": paid_on, "reason": "", "note": text}


def _changed(record: DuesPayment, values: dict) -> bool:
    """Saving a sheet again does not touch the rows that did not change (nor their dates)."""
    keys = ("excused", "amount", "reason", "note")
    return any(getattr(record, k) != values[k] for k in keys)


# ---- questions about one member ------------------------------------------------------------


def _next_month(month: dt.date) -> dt.date:
    return month_end(month) + dt.timedelta(days=1)


def paid_until(member: Member) -> dt.date | None:
    """The last month of the member's unbroken run of settled months (paid, or excused for a
    valid reason), counted from their first recorded month: "dues paid up to" on a transfer
    letter. None when nothing is recorded. A missing month ends the run, even if later
    months are paid: the member owes it."""
    months = list(member.dues_payments.order_by("month").values_list("month", flat=True))
    if not months:
        return None
    last = months[0]
    for m in months[1:]:
        if m != _next_month(last):
            break
        last = m
    return last


def months_unpaid(member: Member, year: int, up_to: dt.date | None = None) -> list[int]:
    """The months of `year` (up to the month of `up_to`, today by default) in which the member
    was on the roster of a cell that recorded dues for that month, and has no row for it:
    neither paid nor excused, in any cell. The rule of the strike-off trigger
    (dues.selectors.unpaid_dues), for one member."""
    last = last_month_counted(year, up_to)
    if not last:
        return []
    start, end = dt.date(year, 1, 1), dt.date(year, last, 1)
    periods = list(
        member.memberships.filter(covering(start, month_end(end))).values_list(
            "organization_id", "start_date", "end_date"
        )
    )
    used = set(
        DuesPayment.objects.filter(
            cell_id__in={p[0] for p in periods}, month__gte=start, month__lte=end
        ).values_list("cell_id", "month")
    )
    settled = set(
        member.dues_payments.filter(month__gte=start, month__lte=end).values_list(
            "month", flat=True
        )
    )
    out = []
    for n in range(1, last + 1):
        first = dt.date(year, n, 1)
        if first in settled:
            continue
        if any(
            (cell_id, first) in used and s <= month_end(first) and (e is None or e >= first)
            for cell_id, s, e in periods
        ):
            out.append(n)
    return out
