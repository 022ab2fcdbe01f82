"""Read-side helpers: a cell's roster for a month, the month sheet, the year grid, and the
months of unpaid dues that feed the strike-off trigger.

Each is a fixed number of queries, whatever the number of members.

Who is on a cell's roster for a month: every member with a period in the cell (home, or
temporarily attached) covering at least one day of the month, still in the Party.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from dues.models import DuesPayment, DuesState, first_of_month, month_end
from members.models import ACTIVE_STATUSES, Membership, MembershipKind
from organizations.models import Organization, subtree_q


def covering(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """Membership periods that overlap the days first..last (end dates are inclusive)."""
    return Q(**{f"{prefix}start_date__lte": last}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": first})
    )


def last_month_counted(year: int, up_to: dt.date | None = None) -> int:
    """How many months of `year` have begun by `up_to` (today by default): 12 for a past
    year, 0 for a future one."""
    up_to = up_to or timezone.localdate()
    if year < up_to.year:
        return 12
    if year > up_to.year:
        return 0
    return up_to.month


def roster_memberships(cell: Organization, first: dt.date, last: dt.date, **annotations):
    """The periods in the cell overlapping first..last of members still in the Party, one per
    member (the home period first), with the member and person loaded."""
    rows = (
        Membership.objects.filter(covering(first, last), organization=cell)
        .filter(member__status__in=ACTIVE_STATUSES)
        .select_related("member__person")
        .annotate(**annotations)
        .order_by("member__person__sort_key", "member_id", "kind", "-start_date")
    )
    seen, out = set(), []
    for ms in rows:
        if ms.member_id not in seen:
            seen.add(ms.member_id)
            out.append(ms)
    # Home members first, those attached from other cells after them (as on the attendance sheet).
    return sorted(out, key=lambda ms: ms.kind != MembershipKind.HOME)


# ---- the month sheet ------------------------------------------------------------------------


@dataclass
class SheetRow:
    member: object
    attached: bool  # temporarily attached here from another cell
    previous_amount: Decimal | None
    record: DuesPayment | None = None  # this month's row, in this cell or elsewhere
    cell_id: int = 0  # the cell of the sheet
    posted: object = None  # a PaymentRow sent back with an error: shown as typed

    @property
    def member_id(self):
        return self.member.pk

    @property
    def elsewhere(self) -> bool:
        """Recorded for this month in another cell (read only here)."""
        return self.record is not None and self.record.cell_id != self.cell_id

    @property
    def state(self) -> str:
        if self.record is None:
            return DuesState.UNPAID
        return DuesState.EXCUSED if self.record.excused else DuesState.PAID

    @property
    def amount(self):
        if self.record is not None and not self.record.excused:
            return self.record.amount
        return self.previous_amount

    @property
    def text(self) -> str:
        if self.record is None:
            return ""
        return self.record.reason if self.record.excused else self.record.note

    # What the inputs show: as posted when the save was refused, else as recorded.
    @property
    def value_state(self) -> str:
        return self.posted.state if self.posted else self.state

    @property
    def value_amount(self):
        return self.posted.amount if self.posted else self.amount

    @property
    def amount_input(self) -> str:
        """The amount as the input shows it: plain digits, or what was typed."""
        value = self.value_amount
        if value is None:
            return ""
        return str(int(value)) if isinstance(value, Decimal) else str(value)

    @property
    def value_text(self) -> str:
        return self.posted.note if self.posted else self.text


def month_sheet(cell: Organization, month: dt.date) -> list[SheetRow]:
    """Every member on the cell's roster for the month, with the amount they paid last
    (before this month, in any cell) and this month's record. Two queries."""
    month = first_of_month(month)
    previous = (
        DuesPayment.objects.filter(member=OuterRef("member_id"), month__lt=month, excused=False)
        .order_by("-month")
        .values("amount")[:1]
    )
    memberships = roster_memberships(
        cell, month, month_end(month), previous_amount=Subquery(previous)
    )
    records = {
        p.member_id: p
        for p in DuesPayment.objects.filter(
            member_id__in=[ms.member_id for ms in memberships], month=month
        ).select_related("cell")
    }
    return [
        SheetRow(
            member=ms.member,
            attached=ms.kind == MembershipKind.TEMPORARY,
            previous_amount=ms.previous_amount,
            record=records.get(ms.member_id),
            cell_id=cell.pk,
        )
        for ms in memberships
    ]


def sheet_summary(rows: list[SheetRow]) -> dict:
    paid = [r for r in rows if r.state == DuesState.PAID]
    return {
        "expected": len(rows),
        "paid": len(paid),
        "excused": sum(1 for r in rows if r.state == DuesState.EXCUSED),
        "unpaid": sum(1 for r in rows if r.state == DuesState.UNPAID),
        "total": sum((r.record.amount for r in paid if not r.elsewhere), Decimal(0)),
    }


# ---- the year grid --------------------------------------------------------------------------


@dataclass
class GridCell:
    month: int
    code: str = ""  # paid, elsewhere, excused, unpaid, or "" (not in the cell / not recorded)
    record: DuesPayment | None = None


@dataclass
class GridRow:
    member: object
    attached: bool = False
    cells: list[GridCell] = field(default_factory=list)
    total: Decimal = Decimal(0)
    unpaid: int = 0


def year_grid(cell: Organization, year: int, today: dt.date | None = None) -> dict:
    """Members × months of a year for one cell: who paid, was excused, or did not pay in a
    month the cell recorded dues for. Members on the roster for some day of the year, and any
    member who paid here that year (a member who left since). Two queries."""
    today = today or timezone.localdate()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    periods = list(
        Membership.objects.filter(covering(start, end), organization=cell)
        .filter(member__status__in=ACTIVE_STATUSES)
        .select_related("member__person")
        .order_by("member__person__sort_key", "member_id", "kind")
    )
    payments = list(
        DuesPayment.objects.filter(month__gte=start, month__lte=end)
        .filter(
            Q(cell=cell)
            | Q(
                member__in=Membership.objects.filter(
                    covering(start, end), organization=cell
                ).values("member_id")
            )
        )
        .select_related("cell", "member__person")
    )
    used = {p.month.month for p in payments if p.cell_id == cell.pk}
    by_member: dict[int, dict[int, DuesPayment]] = {}
    for p in payments:
        by_member.setdefault(p.member_id, {})[p.month.month] = p
    rows: dict[int, GridRow] = {}
    spans: dict[int, list] = {}
    for ms in periods:
        row = rows.setdefault(ms.member_id, GridRow(member=ms.member))
        row.attached = row.attached or ms.kind == MembershipKind.TEMPORARY
        spans.setdefault(ms.member_id, []).append((ms.start_date, ms.end_date))
    for p in payments:
        if p.cell_id == cell.pk and p.member_id not in rows:
            rows[p.member_id] = GridRow(member=p.member)
            spans[p.member_id] = []
    last = last_month_counted(year, today)
    for member_id, row in rows.items():
        paid = by_member.get(member_id, {})
        for m in range(1, 13):
            first = dt.date(year, m, 1)
            gc = GridCell(month=m, record=paid.get(m))
            if gc.record is not None:
                if gc.record.excused:
                    gc.code = "excused"
                elif gc.record.cell_id != cell.pk:
                    gc.code = "elsewhere"
                else:
                    gc.code = "paid"
                    row.total += gc.record.amount
            elif (
                m in used
                and m <= last
                and any(
                    s <= month_end(first) and (e is None or e >= first) for s, e in spans[member_id]
                )
            ):
                gc.code = "unpaid"
                row.unpaid += 1
            row.cells.append(gc)
    ordered = sorted(rows.values(), key=lambda r: (r.attached, r.member.person.sort_key))
    months = []
    for m in range(1, 13):
        here = [p for p in payments if p.cell_id == cell.pk and p.month.month == m]
        months.append(
            {
                "month": m,
                "first": dt.date(year, m, 1),
                "used": m in used,
                "open": m <= last,
                "paid": sum(1 for p in here if not p.excused),
                "total": sum((p.amount for p in here if not p.excused), Decimal(0)),
            }
        )
    return {
        "rows": ordered,
        "months": months,
        "total": sum((r.total for r in ordered), Decimal(0)),
    }


# ---- the strike-off trigger -----------------------------------------------------------------


def unpaid_dues(org: Organization, year: int, up_to: dt.date | None = None) -> dict:
    """Members still in the Party with months of `year` (up to the month of `up_to`, today by
    default) in which they were on the roster of a cell of the organization's subtree, that
    cell recorded dues for the month (for anyone), and they have no row for it — neither paid
    nor excused, in any cell. A cell that records no dues for a month flags nobody for it.

    One query: a row per membership period with one flag per month, only the periods with
    an unpaid month. Returns {member_id: {"member__uuid": …, …, "months": [month numbers]}}.
    """
    last = last_month_counted(year, up_to)
    if not last:
        return {}
    months = [dt.date(year, m, 1) for m in range(1, last + 1)]
    in_use = DuesPayment.objects.filter(cell=OuterRef("organization_id"))
    settled = DuesPayment.objects.filter(member=OuterRef("member_id"))
    flags = {
        f"u{m.month}": Case(
            When(
                covering(m, month_end(m))
                & Exists(in_use.filter(month=m))
                & ~Exists(settled.filter(month=m)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
        for m in months
    }
    rows = (
        Membership.objects.filter(
            subtree_q(org.path, "organization__"),
            covering(months[0], month_end(months[-1])),
            member__status__in=ACTIVE_STATUSES,
        )
        # Only the cells that record dues this year: the others are not read further.
        .filter(Exists(in_use.filter(month__gte=months[0], month__lte=months[-1])))
        .annotate(**flags)
        .filter(reduce(or_, (Q(**{name: True}) for name in flags)))
        .values(
            "member_id",
            "member__uuid",
            "member__person__full_name",
            "member__person__sort_key",
            "member__organization__name",
            "member__organization__path",
            "member__status",
            *flags,
        )
        .order_by()
    )
    out: dict = {}
    for r in rows:
        entry = out.setdefault(
            r["member_id"],
            {k: v for k, v in r.items() if k not in flags} | {"months": set()},
        )
        entry["months"].update(int(name[1:]) for name in flags if r[name])
    for entry in out.values():
        entry["months"] = sorted(entry["months"])
    return out
