"""`supervision`: the level above at the cells' meetings (brief §15 seed 000 #13, seed 001 #5–6,
seed 003 #11), read from the per-(cell, month) summary (reports.models.CellMonth).

- cadres assigned to follow the cells: cells followed on the first day of the period's last
  month, and the number of assignments then;
- visits per cell and quarter: reported visits (by their date) over the cell-quarters in which
  the cell existed;
- compliance: cell-quarters with at least the visits the rule requires (oversight.VisitPolicy:
  the rule of the nearest organization at or above the cell in force on the quarter's last day,
  else 1 — the rule of oversight.services.visits_due);
- cross-attendance: visits made by secretaries of other cells, and the cells that had one.

Three queries: the summary rows per cell and quarter, the last month's followers, the rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, subtree_q
from oversight.models import VisitPolicy
from reports.meetings import cell_quarters, cells_q, children, period_months, whole_years
from reports.models import QUARTERS, CellMonth, CellYear
from reports.periods import Period
from reports.registry import Column, Group, Item, Report, Result, Row, register
from reports.summary import month_last

DEFAULT_VISITS_PER_QUARTER = 1  # as oversight.services


def quarter_last(year: int, q: int) -> dt.date:
    return month_last((year, 3 * q))


def _ancestor_paths(org: Organization) -> list[str]:
    step = Organization.steplen
    return [org.path[:end] for end in range(step, len(org.path) + 1, step)]


def visit_rules(org: Organization, until: dt.date) -> list[tuple[str, dt.date, int]]:
    """(organization path, in force from, visits per quarter) of the rules set at or above org
    and below it, adopted by `until`: one query."""
    return list(
        VisitPolicy.objects.filter(
            Q(organization__path__in=_ancestor_paths(org)) | subtree_q(org.path, "organization__"),
            effective_from__lte=until,
        )
        .order_by("organization__path", "effective_from")
        .values_list("organization__path", "effective_from", "visits_per_quarter")
    )


def required_on(rules: list[tuple[str, dt.date, int]], on: dt.date):
    """A function cell path → visits required per quarter under the rules in force on `on`."""
    in_force: dict[str, int] = {}
    for path, since, n in rules:  # ordered by date: the latest rule of each organization wins
        if since <= on:
            in_force[path] = n
    step = Organization.steplen
    cache: dict[str, int] = {}

    def required(path: str) -> int:
        if path not in cache:
            cache[path] = next(
                (
                    in_force[path[:end]]
                    for end in range(len(path), 0, -step)
                    if path[:end] in in_force
                ),
                DEFAULT_VISITS_PER_QUARTER,
            )
        return cache[path]

    return required


@dataclass
class SupervisionFigures:
    total: dict = field(default_factory=lambda: defaultdict(int))
    by_child: dict = field(default_factory=dict)
    # (year, quarter) → {"cells", "visits", "compliant", "cross", "cells_cross"}
    quarters: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def as_dict(self) -> dict:
        return {
            "total": dict(self.total),
            "by_child": {k: dict(v) for k, v in self.by_child.items()},
            "quarters": {f"{y}-Q{q}": dict(v) for (y, q), v in sorted(self.quarters.items())},
        }


def year_cell_quarters(org: Organization, years: list[int]):
    """cell_quarters' rows from the yearly rows (one per cell and year instead of twelve):
    (cell path, None, None, year, quarter, {regular_due, visits_reported, cross_visits}) for
    each quarter with a month row."""
    parts = ("months", "due", "visits", "cross")
    fields = [f"q{q}_{p}" for q in QUARTERS for p in parts]
    rows = CellYear.objects.filter(cells_q(org), year__in=years).values_list(
        "cell__path", "year", *fields
    )
    for path, year, *values in rows:
        got = dict(zip(fields, values, strict=True))
        for q in QUARTERS:
            if got[f"q{q}_months"]:
                yield (
                    path,
                    None,
                    None,
                    year,
                    q,
                    {
                        "regular_due": got[f"q{q}_due"],
                        "visits_reported": got[f"q{q}_visits"],
                        "cross_visits": got[f"q{q}_cross"],
                    },
                )


def compute(
    org: Organization,
    date_from: dt.date,
    date_to: dt.date,
    kids: list | None = None,
    *,
    by_year: bool = True,
) -> SupervisionFigures:
    """The `supervision` figures of org's subtree over the months of [date_from, date_to]
    (a period of whole years reads the yearly rows unless `by_year` is False: same figures)."""
    kids = children(org, date_to) if kids is None else kids
    cut = len(org.path) + Organization.steplen
    out = SupervisionFigures(by_child={c.path: defaultdict(int) for c in kids})

    def add(path: str, key: str, n: int):
        out.total[key] += n
        child = out.by_child.get(path[:cut])
        if child is not None:
            child[key] += n

    months = period_months(date_from, date_to)
    last_y, last_q = months[-1][0], (months[-1][1] - 1) // 3 + 1
    rules = visit_rules(org, quarter_last(last_y, last_q))
    required = {}
    fields = ("regular_due", "visits_reported", "cross_visits")
    years = whole_years(date_from, date_to) if by_year else []
    source = (
        year_cell_quarters(org, years) if years else cell_quarters(org, date_from, date_to, fields)
    )
    for path, _kind, _type, year, q, f in source:
        if (year, q) not in required:
            required[(year, q)] = required_on(rules, quarter_last(year, q))
        row = out.quarters[(year, q)]
        add(path, "visits", f["visits_reported"])
        add(path, "cross", f["cross_visits"])
        row["visits"] += f["visits_reported"]
        row["cross"] += f["cross_visits"]
        if f["cross_visits"]:
            row["cells_cross"] += 1
            add(path, "cell_quarters_cross", 1)
        if f["regular_due"]:
            row["cells"] += 1
            add(path, "cell_quarters", 1)
            if f["visits_reported"] >= required[(year, q)](path):
                row["compliant"] += 1
                add(path, "compliant", 1)

    # Followers on the first day of the period's last month.
    ly, lm = months[-1]
    followed = CellMonth.objects.filter(cells_q(org), year=ly, month=lm).values_list(
        "cell__path", "regular_due", "supervisors"
    )
    for path, due, supervisors in followed:
        if due:
            add(path, "cells", 1)
            if supervisors:
                add(path, "cells_followed", 1)
        add(path, "supervisors", supervisors)
    return out


@register
class SupervisionReport(Report):
    name = "supervision"
    title = _("Supervision of the cells")
    description = _(
        "Cadres assigned to follow the cells, reported visits per cell and quarter, the cells "
        "visited as often as the rule requires, and cross-attendance by secretaries of other "
        "cells. Read from the monthly summaries: a period counts every month it touches."
    )
    as_of = False
    columns = [
        Column("cells", _("Cells (last month)")),
        Column("cells_followed", _("Cells with an assigned cadre"), of="cells"),
        Column("supervisors", _("Assignments")),
        Column("cell_quarters", _("Cell-quarters")),
        Column("visits", _("Visits reported")),
        Column("compliant", _("Cell-quarters visited as required"), of="cell_quarters"),
        Column("cross", _("Cross-attendance visits")),
        Column("cell_quarters_cross", _("Cell-quarters with cross-attendance"), of="cell_quarters"),
    ]

    def compute(self, org: Organization, period: Period) -> Result:
        kids = children(org, period.end)
        f = compute(org, period.start, period.end, kids)
        total = Row(org, dict(f.total))
        rows = [Row(c, dict(f.by_child[c.path])) for c in kids]
        quarters = sorted(f.quarters.items())
        groups = [
            Group(
                "compliance",
                _("Cells visited as required, per quarter"),
                [
                    Item(
                        f"{y}-Q{q}",
                        _("Quarter %(q)s/%(y)s") % {"q": q, "y": y},
                        v["compliant"],
                        v["cells"],
                    )
                    for (y, q), v in quarters
                ],
            ),
            Group(
                "visits",
                _("Visits per quarter"),
                [
                    Item(f"{y}-Q{q}", _("Quarter %(q)s/%(y)s") % {"q": q, "y": y}, v["visits"])
                    for (y, q), v in quarters
                ],
            ),
            Group(
                "cross",
                _("Cells with a cross-attendance visit, per quarter"),
                [
                    Item(
                        f"{y}-Q{q}",
                        _("Quarter %(q)s/%(y)s") % {"q": q, "y": y},
                        v["cells_cross"],
                        v["cells"],
                    )
                    for (y, q), v in quarters
                ],
            ),
        ]
        notes = []
        cq = f.total["cell_quarters"]
        if cq:
            per_cell = round(f.total["visits"] / cq, 2)
            notes.append(
                _("%(n)s visits per cell and quarter on average.")
                % {"n": formats.number_format(per_cell, 2)}
            )
        return Result(self, org, period, self.columns, total, rows, groups, notes)
