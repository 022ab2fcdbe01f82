"""`meetings`: the cells' meeting life over a period (brief §15 seed 000 #1–4, seed 001 #1–3,
seed 003 #10), read only from the per-(cell, month) summary (reports.models.CellMonth).

Figures for an organization's subtree and the months the period touches (summaries are
monthly: a period from the 10th counts its whole first month):
- regular meetings due (cell-months in which the cell existed), held, minutes approved;
- attendance rate (present / expected) by cell-type group — village and residential cells
  against 85 %, the other cells against 95 % (seed 000 #1);
- absences with and without a reason;
- thematic meetings held per quarter, and the cells that held one;
- regular meetings prepared by a cell-committee meeting held beforehand;
- quality levels of the regular meetings by organization kind (grassroots cells, affiliated
  cells) (seed 001 #1–2).

One grouped query (rows per cell and quarter) plus the children of the organization.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from organizations.models import RESIDENTIAL_CELL_TYPES, Organization, OrgKind, subtree_q
from organizations.selectors import sort_nodes
from quality.models import QualityLevel
from reports.models import COUNT_FIELDS, QUARTERS, CellMonth, CellYear
from reports.periods import Period
from reports.registry import Column, Group, Item, Report, Result, Row, register
from reports.summary import Month, month_of, months_between, period_q

# Attendance targets by cell-type group (brief §15, seed 000 #1).
RESIDENTIAL = "residential"
OTHERS = "others"
ATTENDANCE_TARGETS = {RESIDENTIAL: 85, OTHERS: 95}
GROUP_LABELS = {
    RESIDENTIAL: _("Village and residential cells"),
    OTHERS: _("Other cells"),
}
KIND_LABELS = {
    OrgKind.GRASSROOTS_CELL: _("Grassroots cells"),
    OrgKind.CELL: _("Affiliated cells"),
}
LEVELS = ("good", "fair", "average", "weak")
LEVEL_LABELS = {lv.value: lv.label for lv in QualityLevel}


def period_months(date_from: dt.date, date_to: dt.date) -> list[Month]:
    return months_between(month_of(date_from), month_of(date_to))


def quarter(month: int) -> int:
    return (month - 1) // 3 + 1


def cells_q(org: Organization) -> Q:
    """The summary rows (CellMonth, CellYear) of the cells in org's subtree: the cell's path
    range and, for an organization of the tree, the row's own province key (a subtree lies in
    one province, goal P12). Without the key, PostgreSQL reads the whole summary table once it
    holds several provinces (the region data set: a province's month 88 → 25 ms)."""
    q = subtree_q(org.path, "cell__")
    return q & Q(province_id=org.province_id) if org.province_id else q


def subtree_rows(org: Organization, date_from: dt.date, date_to: dt.date):
    """The summary rows of the subtree's cells for the months of the period. The subtree is
    the cell path range (the organization index, then the (cell, year, month) key): as fast
    as the (province, year, month) index on a whole province, and far faster on a commune."""
    return CellMonth.objects.filter(
        cells_q(org), period_q(period_months(date_from, date_to), "year", "month")
    )


def whole_years(date_from: dt.date, date_to: dt.date) -> list[int]:
    """The years of a period made of whole calendar years (January to December), else []."""
    months = period_months(date_from, date_to)
    if not months or months[0][1] != 1 or months[-1][1] != 12:
        return []
    return list(range(months[0][0], months[-1][0] + 1))


def cell_quarters(org: Organization, date_from: dt.date, date_to: dt.date, fields=COUNT_FIELDS):
    """The summary rows of the subtree summed per cell and quarter: one grouped query.

    Yields (cell path, cell kind, cell type, year, quarter, {figure: sum})."""
    rows = (
        subtree_rows(org, date_from, date_to)
        .annotate(quarter=(F("month") + 2) / 3)
        .values_list("cell__path", "cell__kind", "cell__cell_type", "year", "quarter")
        .annotate(*[Sum(f) for f in fields])
        .order_by()
    )
    for path, kind, cell_type, year, q, *sums in rows:
        yield path, kind, cell_type, year, q, dict(zip(fields, sums, strict=True))


def children(org: Organization, on: dt.date) -> list[Organization]:
    """The organization's direct children active on the period's last day (the drill-down)."""
    # Organization.objects.active() is lost behind treebeard's get_queryset: filter here.
    return sort_nodes(
        Organization.objects.filter(subtree_q(org.path), depth=org.depth + 1).filter(
            Q(founded_on__isnull=True) | Q(founded_on__lte=on),
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on),
        )
    )


@dataclass
class MeetingFigures:
    """Counts of the subtree (`total`) and of each direct child (`by_child`, by path)."""

    total: dict = field(default_factory=lambda: defaultdict(int))
    by_child: dict = field(default_factory=dict)
    # group → {"expected", "present"}: attendance by cell-type group.
    attendance: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    # (year, quarter) → {"thematic", "cells_thematic", "cells"}
    quarters: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    # org kind → {level: n, "scored": n}
    quality: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def as_dict(self) -> dict:
        def plain(d):
            return {k: plain(v) if isinstance(v, dict) else v for k, v in d.items()}

        return {
            "total": plain(self.total),
            "by_child": plain(self.by_child),
            "attendance": plain(self.attendance),
            "quarters": {f"{y}-Q{q}": plain(v) for (y, q), v in sorted(self.quarters.items())},
            "quality": plain(self.quality),
        }


# The quarter columns of a yearly row the report reads.
YEAR_QUARTER_PARTS = ("months", "due", "thematic", "thematic_cell")

# The columns summed per child and in total.
TOTAL_KEYS = (
    "regular_due",
    "regular_held",
    "minutes_approved",
    "committee_held",
    "expected",
    "present",
    "absent_excused",
    "absent_unexcused",
    "thematic_held",
    "scored",
    "level_good",
    "level_fair",
    "level_average",
    "level_weak",
)


SUMMED = (
    "regular_due",
    "regular_held",
    "minutes_approved",
    "committee_held",
    "expected",
    "present",
    "absent_excused",
    "absent_unexcused",
    "thematic_held",
    "level_good",
    "level_fair",
    "level_average",
    "level_weak",
)


def compute(
    org: Organization,
    date_from: dt.date,
    date_to: dt.date,
    kids: list | None = None,
    *,
    by_year: bool = True,
) -> MeetingFigures:
    """The `meetings` figures of org's subtree over the months of [date_from, date_to].

    Two grouped queries over the monthly rows: sums per (child, cell kind, cell-type group) —
    a few hundred groups for a province — and the cells per quarter. A period of whole years
    reads the yearly rows instead (CellYear: one per cell instead of twelve, goal P3), in one
    query, unless `by_year` is False; both give the same figures (a test holds them equal)."""
    kids = children(org, date_to) if kids is None else kids
    cut = len(org.path) + Organization.steplen
    out = MeetingFigures(by_child={c.path: defaultdict(int) for c in kids})
    years = whole_years(date_from, date_to) if by_year else []
    if years:
        rows = CellYear.objects.filter(cells_q(org), year__in=years)
    else:
        rows = subtree_rows(org, date_from, date_to)
    # By year, the quarter columns ride along in the same grouped query (grouped by year too),
    # so a year report is one query over one row per cell.
    extra = ("year",) if years else ()
    qfields = [f"q{q}_{w}" for q in QUARTERS for w in YEAR_QUARTER_PARTS] if years else []
    sums = (
        rows.annotate(
            child=Substr("cell__path", 1, cut),
            residential=Case(
                When(cell__cell_type__in=RESIDENTIAL_CELL_TYPES, then=Value(1)), default=Value(0)
            ),
        )
        .values_list("child", "cell__kind", "residential", *extra)
        .annotate(*[Sum(f) for f in (*SUMMED, *qfields)])
        .order_by()
    )
    for child_path, kind, residential, *rest in sums:
        year = rest.pop(0) if years else None
        f = dict(zip((*SUMMED, *qfields), rest, strict=True))
        f["scored"] = sum(f[f"level_{lv}"] for lv in LEVELS)
        child = out.by_child.get(child_path)
        for t in (out.total, child) if child is not None else (out.total,):
            for key in TOTAL_KEYS:
                t[key] += f[key]
        group = out.attendance[RESIDENTIAL if residential else OTHERS]
        group["expected"] += f["expected"]
        group["present"] += f["present"]
        kind_row = out.quality[kind]
        for lv in LEVELS:
            kind_row[lv] += f[f"level_{lv}"]
        kind_row["scored"] += f["scored"]
        for q in QUARTERS if years else ():
            if f[f"q{q}_months"]:  # a quarter with no month row is not reported, as by month
                row = out.quarters[(year, q)]
                row["thematic"] += f[f"q{q}_thematic"]
                row["cells"] += f[f"q{q}_due"]
                row["cells_thematic"] += f[f"q{q}_thematic_cell"]
    if years:
        return out
    quarters = (
        rows.annotate(quarter=(F("month") + 2) / 3)
        .values_list("year", "quarter")
        .annotate(
            thematic=Sum("thematic_held"),
            cells=Count("cell_id", distinct=True, filter=Q(regular_due__gt=0)),
            cells_thematic=Count("cell_id", distinct=True, filter=Q(thematic_held__gt=0)),
        )
        .order_by()
    )
    for year, q, thematic, cells, cells_thematic in quarters:
        out.quarters[(year, q)].update(
            thematic=thematic, cells=cells, cells_thematic=cells_thematic
        )
    return out


# ---- the report page, export and API (reports.registry) -------------------------------------


@register
class MeetingsReport(Report):
    name = "meetings"
    title = _("Cell meetings")
    description = _(
        "Regular meetings due, held and with approved minutes; attendance by cell type "
        "against the targets of village and residential cells and of the other cells; "
        "absences with and without a reason; thematic meetings per quarter; committee "
        "meetings held beforehand; the quality of the meetings by kind of cell. Read from "
        "the monthly summaries: a period counts every month it touches."
    )
    as_of = False
    columns = [
        Column("regular_due", _("Regular meetings due")),
        Column("regular_held", _("Regular meetings held"), of="regular_due"),
        Column("minutes_approved", _("Minutes approved"), of="regular_held"),
        Column("committee_held", _("Prepared by a committee meeting"), of="regular_held"),
        Column("expected", _("Members expected")),
        Column("present", _("Members present"), of="expected"),
        Column("absent_excused", _("Absent with reason"), of="expected"),
        Column("absent_unexcused", _("Absent without reason"), of="expected"),
        Column("thematic_held", _("Thematic meetings held")),
        Column("scored", _("Meetings scored"), of="regular_held"),
        Column("level_good", _("Rated good"), of="scored"),
    ]

    def compute(self, org: Organization, period: Period) -> Result:
        kids = children(org, period.end)
        f = compute(org, period.start, period.end, kids)
        total = Row(org, dict(f.total))
        rows = [Row(c, dict(f.by_child[c.path])) for c in kids]
        absences = f.total["absent_excused"] + f.total["absent_unexcused"]
        groups = [
            Group(
                "attendance",
                _("Attendance by cell type (target)"),
                [
                    Item(
                        g,
                        f"{GROUP_LABELS[g]} (≥ {ATTENDANCE_TARGETS[g]} %)",
                        f.attendance[g]["present"],
                        f.attendance[g]["expected"],
                    )
                    for g in (RESIDENTIAL, OTHERS)
                ],
            ),
            Group(
                "absences",
                _("Absences"),
                [
                    Item("excused", _("With reason"), f.total["absent_excused"], absences),
                    Item("unexcused", _("Without reason"), f.total["absent_unexcused"], absences),
                ],
            ),
            Group(
                "thematic",
                _("Cells holding a thematic meeting, per quarter"),
                [
                    Item(
                        f"{y}-Q{q}",
                        _("Quarter %(q)s/%(y)s: %(n)s thematic meetings")
                        % {"q": q, "y": y, "n": v["thematic"]},
                        v["cells_thematic"],
                        v["cells"],
                    )
                    for (y, q), v in sorted(f.quarters.items())
                ],
            ),
        ]
        for kind in (OrgKind.GRASSROOTS_CELL, OrgKind.CELL):
            k = f.quality[kind]
            groups.append(
                Group(
                    f"quality_{kind}",
                    _("Quality of the meetings: %(kind)s") % {"kind": KIND_LABELS[kind]},
                    [Item(lv, LEVEL_LABELS[lv], k[lv], k["scored"]) for lv in LEVELS],
                )
            )
        return Result(self, org, period, self.columns, total, rows, groups)
