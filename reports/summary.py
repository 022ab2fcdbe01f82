"""Building and maintaining the per-(cell, month) summary table (reports.models.CellMonth).

One builder, `build(...)`, computes the rows of some cells over some months in a handful of
grouped queries (the cells, the meetings, the committee meetings, the attendance, the scores,
the visits, the supervisors), whatever the number of cells and months. It serves both paths:

- the services call `recompute_cell_month(cell_id, year, month)` at the end of their atomic
  block, so the row changes in the same transaction as the data (about ten small queries);
- `manage.py rebuild_summaries` calls `rebuild(province, year=None)`, which builds a whole
  province at once and replaces its rows (bulk_create).

Which rows exist: a cell has a row for a month when it existed during the month (a regular
meeting was due) or has anything counted in it. The months of a province run from the first
month with a meeting or a visit to the current month (or the last month with data, if later).
The first recompute of a month the province has no row for yet "opens" the month: it builds
the rows of every cell of the province for that month, so the cells that did nothing still
count as due. Structural changes (a cell founded or dissolved) change which months are due:
organizations.services calls `recompute_for_cell` in the same transaction.

Concurrency: a recompute locks its cell's organization row first (PostgreSQL; SQLite has one
writer), so two transactions touching the same cell rebuild its rows one after the other, the
second from the first's committed data; two transactions opening the same month for different
cells both insert the month's rows with ON CONFLICT DO NOTHING, so the second neither fails nor
doubles a row.

Counting rules, each the same as the meetings and oversight apps:
- a meeting counts for its period (period_year / period_month), not its date; held means in
  progress, approved or archived (meetings.models.MeetingQuerySet.held);
- regular = regular or combined; thematic = thematic or combined (a combined meeting is both);
- attendance = the home roster of the held regular meeting, minus exempt and temporarily
  elsewhere (meetings.services.attendance_summary);
- a committee meeting counts when held and scheduled before the held regular meeting it prepares;
- visits count when reported, by their date (planned_on), as the visit rule does;
- supervisors: distinct cadres whose assignment is in force on the month's first day.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from meetings.models import (
    LOCKED_STATUSES,
    NOT_EXPECTED_STATUSES,
    PRESENT_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    RosterKind,
    SupervisorAssignment,
)
from organizations.models import CELL_KINDS, Organization
from oversight.models import Visit, VisitKind, VisitStatus
from quality.models import MeetingScore, QualityLevel
from reports.models import COUNT_FIELDS, QUARTER_FIELDS, QUARTERS, CellMonth, CellYear

HELD_STATUSES = (MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)
LEVEL_FIELDS = {
    QualityLevel.GOOD: "level_good",
    QualityLevel.FAIR: "level_fair",
    QualityLevel.AVERAGE: "level_average",
    QualityLevel.WEAK: "level_weak",
}

Month = tuple[int, int]  # (year, month)


def month_first(ym: Month) -> dt.date:
    return dt.date(ym[0], ym[1], 1)


def month_last(ym: Month) -> dt.date:
    y, m = ym
    nxt = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
    return nxt - dt.timedelta(days=1)


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from `first` to `last`, both included."""
    out = []
    y, m = first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_of(day: dt.date) -> Month:
    return day.year, day.month


# ---- the builder ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Which cells to build: a whole province, or one cell."""

    province_id: int
    cell_id: int | None = None

    def cells_q(self) -> Q:
        if self.cell_id is not None:
            return Q(pk=self.cell_id)
        return Q(province_id=self.province_id)


def period_q(months: list[Month], year_field: str, month_field: str) -> Q:
    """Rows whose (year, month) lies between the first and the last of `months`."""
    (y1, m1), (y2, m2) = months[0], months[-1]
    if y1 == y2:
        return Q(**{year_field: y1, f"{month_field}__gte": m1, f"{month_field}__lte": m2})
    return (
        Q(**{year_field: y1, f"{month_field}__gte": m1})
        | Q(**{f"{year_field}__gt": y1, f"{year_field}__lt": y2})
        | Q(**{year_field: y2, f"{month_field}__lte": m2})
    )


def _fetch_together(parts: list[tuple]) -> list[list[tuple]]:
    """The rows of several values_list querysets, each part being (queryset, indexes of its
    date columns). On PostgreSQL in one statement: a saved meeting's recompute is a dozen tiny
    queries whose cost is the round trip, not the work (P4: 36 ms for 15 statements), so the
    seven reads of `build` travel together as one JSON array per part. Elsewhere (SQLite, in
    process) one query each."""
    if connection.vendor != "postgresql":
        return [list(qs) for qs, _dates in parts]
    selects, params = [], []
    for qs, _dates in parts:
        sql, p = qs.query.get_compiler(using=qs.db).as_sql()
        selects.append(f"(SELECT json_agg(s) FROM ({sql}) s)")  # noqa: S608 -- compiled
        params.extend(p)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)  # noqa: S608 -- compiled querysets
        columns = cursor.fetchone()
    out = []
    for (_qs, dates), rows in zip(parts, columns, strict=True):
        fetched = []
        for obj in rows or ():
            row = list(obj.values())
            for i in dates:
                if row[i] is not None:
                    row[i] = dt.date.fromisoformat(row[i])
            fetched.append(tuple(row))
        out.append(fetched)
    return out


def build(target: Target, months: list[Month]) -> dict[tuple[int, int, int], dict]:
    """(cell id, year, month) → {province_id, figures…} for the target's cells over `months`
    (consecutive, sorted). Only rows that exist (due, or anything counted) are returned.
    Seven queries (one statement on PostgreSQL, see _fetch_together)."""
    if not months:
        return {}
    return _build(target, months)[0]


def _build(target: Target, months: list[Month], also: list[tuple] = ()) -> tuple[dict, list]:
    """build(), and the rows of the `also` parts read in the same go (see _fetch_together)."""
    wanted = set(months)
    first, last = month_first(months[0]), month_last(months[-1])
    rows: dict[tuple[int, int, int], dict] = {}
    province_of: dict[int, int] = {}

    def row(cell_id: int, y: int, m: int) -> dict:
        key = (cell_id, y, m)
        if key not in rows:
            rows[key] = dict.fromkeys(COUNT_FIELDS, 0)
        return rows[key]

    def scoped(prefix: str) -> Q:
        # Rows of the target's cells: by the row's own province key for a whole province.
        if target.cell_id is not None:
            return Q(**{f"{prefix}organization_id": target.cell_id})
        return Q(**{f"{prefix}province_id": target.province_id})

    # 1. The cells, and the months each existed in.
    cells = (
        Organization.objects.filter(target.cells_q(), kind__in=CELL_KINDS)
        .values_list("pk", "province_id", "founded_on", "dissolved_on")
        .order_by()
    )
    # 2. The meetings of the period: held regular and thematic meetings, approved minutes.
    meetings = (
        Meeting.objects.filter(
            scoped(""),
            period_q(months, "period_year", "period_month"),
            kind__in=(*REGULAR_KINDS, *THEMATIC_KINDS),
            status__in=HELD_STATUSES,
        )
        .values_list("organization_id", "period_year", "period_month", "kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # 3. Committee meetings held before the held regular meeting they prepare.
    committee = (
        Meeting.objects.filter(
            scoped("prepares__"),
            period_q(months, "prepares__period_year", "prepares__period_month"),
            kind=MeetingKind.COMMITTEE,
            status__in=HELD_STATUSES,
            prepares__kind__in=REGULAR_KINDS,
            prepares__status__in=HELD_STATUSES,
            scheduled_at__lt=F("prepares__scheduled_at"),
        )
        .values_list("prepares__organization_id", "prepares__period_year", "prepares__period_month")
        .order_by()
        .distinct()
    )
    # 4. Attendance of the held regular meetings (home roster, expected members).
    attendance = (
        Attendance.objects.filter(
            scoped("meeting__"),
            period_q(months, "meeting__period_year", "meeting__period_month"),
            meeting__kind__in=REGULAR_KINDS,
            meeting__status__in=HELD_STATUSES,
            roster_kind=RosterKind.HOME,
        )
        .exclude(status__in=NOT_EXPECTED_STATUSES)
        .values_list("meeting__organization_id", "meeting__period_year", "meeting__period_month")
        .annotate(
            expected=Count("pk"),
            present=Count("pk", filter=Q(status__in=PRESENT_STATUSES)),
            excused=Count("pk", filter=Q(status=AttendanceStatus.ABSENT_EXCUSED)),
            unexcused=Count("pk", filter=Q(status=AttendanceStatus.ABSENT_UNEXCUSED)),
        )
        .order_by()
    )
    # 5. Quality levels of the held regular meetings.
    scores = (
        MeetingScore.objects.filter(
            scoped("meeting__"),
            period_q(months, "meeting__period_year", "meeting__period_month"),
            meeting__kind__in=REGULAR_KINDS,
            meeting__status__in=HELD_STATUSES,
        )
        .values_list(
            "meeting__organization_id",
            "meeting__period_year",
            "meeting__period_month",
            "final_level",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    # 6. Reported visits by date (and the cross-attendance ones).
    visit_q = (
        Q(cell_id=target.cell_id)
        if target.cell_id is not None
        else Q(province_id=target.province_id)
    )
    visits = (
        Visit.objects.filter(
            visit_q,
            status=VisitStatus.REPORTED,
            planned_on__gte=first,
            planned_on__lte=last,
        )
        .values_list("cell_id", "planned_on", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # 7. Cadres following each cell on each month's first day.
    assignments = (
        SupervisorAssignment.objects.filter(
            Q(organization_id=target.cell_id)
            if target.cell_id is not None
            else Q(province_id=target.province_id),
            Q(valid_to__isnull=True) | Q(valid_to__gte=first),
            valid_from__lte=last,
        )
        .values_list("organization_id", "user_id", "valid_from", "valid_to")
        .order_by()
    )
    (
        cells,
        meetings,
        committee,
        attendance,
        scores,
        visits,
        assignments,
        *extra,
    ) = _fetch_together(
        [
            (cells, (2, 3)),
            (meetings, ()),
            (committee, ()),
            (attendance, ()),
            (scores, ()),
            (visits, (1,)),
            (assignments, (2, 3)),
            *also,
        ]
    )

    for pk, province_id, founded, dissolved in cells:
        province_of[pk] = province_id
        for ym in months:
            if (founded is None or founded <= month_last(ym)) and (
                dissolved is None or dissolved >= month_first(ym)
            ):
                row(pk, *ym)["regular_due"] = 1

    for cell_id, y, m, kind, status, n in meetings:
        if (y, m) not in wanted or cell_id not in province_of:
            continue
        r = row(cell_id, y, m)
        if kind in REGULAR_KINDS:
            r["regular_held"] = 1
            if status in LOCKED_STATUSES:
                r["minutes_approved"] = 1
        if kind in THEMATIC_KINDS:
            r["thematic_held"] += n

    for cell_id, y, m in committee:
        if (y, m) in wanted and cell_id in province_of:
            row(cell_id, y, m)["committee_held"] = 1

    for cell_id, y, m, expected, present, excused, unexcused in attendance:
        if (y, m) not in wanted or cell_id not in province_of:
            continue
        r = row(cell_id, y, m)
        r["expected"], r["present"] = expected, present
        r["absent_excused"], r["absent_unexcused"] = excused, unexcused

    for cell_id, y, m, level, n in scores:
        if (y, m) in wanted and cell_id in province_of and level in LEVEL_FIELDS:
            row(cell_id, y, m)[LEVEL_FIELDS[level]] += n

    for cell_id, day, kind, n in visits:
        if cell_id not in province_of:
            continue
        r = row(cell_id, day.year, day.month)
        r["visits_reported"] += n
        if kind == VisitKind.CROSS:
            r["cross_visits"] += n

    following: dict[tuple[int, int, int], set] = defaultdict(set)
    for cell_id, user_id, valid_from, valid_to in assignments:
        if cell_id not in province_of:
            continue
        for ym in months:
            day = month_first(ym)
            if valid_from <= day and (valid_to is None or valid_to >= day):
                following[(cell_id, *ym)].add(user_id)
    for (cell_id, y, m), users in following.items():
        row(cell_id, y, m)["supervisors"] = len(users)

    out = {}
    for key, figures in rows.items():
        if any(figures.values()):
            figures["province_id"] = province_of[key[0]]
            out[key] = figures
    return out, extra


COLUMNS = ("province_id", "cell_id", "year", "month", *COUNT_FIELDS)


def _write(built: dict, delete_q: Q, *, keep_existing: bool = False) -> int:
    """Replace the rows matching `delete_q` with the built ones (with `keep_existing`, add the
    built rows whose (cell, year, month) has no row yet, and leave the others).

    Plain executemany: the rows are integers only, and bulk_create's per-value field machinery
    made a province's 65,000 rows take 25 s on SQLite (2 s this way)."""
    CellMonth.objects.filter(delete_q).delete()
    if not built:
        return 0
    qn = connection.ops.quote_name
    # ON CONFLICT DO NOTHING: the same statement on SQLite (3.24+) and PostgreSQL.
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(  # noqa: S608 -- names from the model
        qn(CellMonth._meta.db_table),
        ", ".join(qn(c) for c in COLUMNS),
        ", ".join(["%s"] * len(COLUMNS)),
        " ON CONFLICT DO NOTHING" if keep_existing else "",
    )
    values = [
        (f["province_id"], cell_id, y, m, *(f[k] for k in COUNT_FIELDS))
        for (cell_id, y, m), f in built.items()
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(values), 5000):
            cursor.executemany(sql, values[i : i + 5000])
    return len(values)


def _refresh_years(
    scope_sql: str, scope_params: list, years: list[int], prune: set[int] | None = None
) -> None:
    """Bring the CellYear rows of some cells and years in line with their CellMonth rows.

    `scope_sql` picks the cells ("cell_id = %s" or "province_id = %s", on both tables). One
    upsert (INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE: the same statement on SQLite and
    PostgreSQL, and safe against a concurrent refresh of the same row) and one delete of the
    years left without a month row."""
    if not years:
        return
    qn = connection.ops.quote_name
    months, table = qn(CellMonth._meta.db_table), qn(CellYear._meta.db_table)
    in_years = ", ".join(["%s"] * len(years))
    sums = [f"SUM({qn(f)})" for f in COUNT_FIELDS]
    per_quarter = []
    for q in QUARTERS:
        inside = f"{qn('month')} BETWEEN {3 * q - 2} AND {3 * q}"
        per_quarter += [
            f"SUM(CASE WHEN {inside} THEN 1 ELSE 0 END)",
            f"MAX(CASE WHEN {inside} AND {qn('regular_due')} > 0 THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {inside} THEN {qn('thematic_held')} ELSE 0 END)",
            f"MAX(CASE WHEN {inside} AND {qn('thematic_held')} > 0 THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {inside} THEN {qn('visits_reported')} ELSE 0 END)",
            f"SUM(CASE WHEN {inside} THEN {qn('cross_visits')} ELSE 0 END)",
        ]
    figures = (*COUNT_FIELDS, *QUARTER_FIELDS)
    columns = ", ".join(qn(c) for c in ("province_id", "cell_id", "year", *figures))
    updates = ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in ("province_id", *figures))
    # Names from the models, values as parameters.
    upsert = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"SELECT {qn('province_id')}, {qn('cell_id')}, {qn('year')}, "
        f"{', '.join(sums + per_quarter)} FROM {months} "
        f"WHERE {scope_sql} AND {qn('year')} IN ({in_years}) "
        f"GROUP BY {qn('province_id')}, {qn('cell_id')}, {qn('year')} "
        f"ORDER BY {qn('cell_id')}, {qn('year')} "
        f"ON CONFLICT ({qn('cell_id')}, {qn('year')}) DO UPDATE SET {updates}"
    )
    emptied = (
        f"DELETE FROM {table} WHERE {scope_sql} AND {qn('year')} IN ({in_years}) "  # noqa: S608
        f"AND NOT EXISTS (SELECT 1 FROM {months} m WHERE m.{qn('cell_id')} = "
        f"{table}.{qn('cell_id')} AND m.{qn('year')} = {table}.{qn('year')})"
    )
    with connection.cursor() as cursor:
        cursor.execute(upsert, [*scope_params, *years])
        # `prune`: the caller knows which years may have been left without a month row.
        if prune is None or prune:
            cursor.execute(emptied, [*scope_params, *years])


def _years(months: list[Month]) -> list[int]:
    return sorted({y for y, _m in months})


# ---- maintenance, called by the services ---------------------------------------------------


def _open_months(province_id: int, months: list[Month]) -> None:
    """Create the rows of every cell of the province for the months that have come (up to the
    current one) and have no row yet, among those a rebuild would write (province_months). One
    query when every month is open already."""
    due = [ym for ym in months if ym <= month_of(timezone.localdate())]
    if not due:
        return
    province_rows = CellMonth.objects.filter(province_id=province_id)
    have = set(
        province_rows.filter(period_q(due, "year", "month")).values_list("year", "month").distinct()
    )
    missing = [ym for ym in due if ym not in have]
    if missing:
        # Only the months a rebuild would write (from the first meeting or visit on).
        summarized = set(province_months(province_id))
        missing = [ym for ym in missing if ym in summarized]
    if missing:
        # Another transaction may be opening the same months: its rows win, ours are skipped.
        opened = months_between(missing[0], missing[-1])
        _write(build(Target(province_id), opened), Q(pk__in=[]), keep_existing=True)
        _refresh_years(
            f"{connection.ops.quote_name('province_id')} = %s", [province_id], _years(opened)
        )


def recompute_cell_month(cell_id: int, year: int, month: int, province_id: int | None = None):
    """Bring one cell's row for one month up to date with the data. Call it inside the atomic
    block of a service function that changes a counted figure. Thirteen small queries."""
    recompute_cell_months(cell_id, [(year, month)], province_id)


def recompute_cell_months(
    cell_id: int, months: list[Month], province_id: int | None = None
) -> None:
    """The same for a run of months of one cell (e.g. a follower's period).

    Four statements in the common case, whatever the number of months: the cell's lock; the
    builder's reads together with the cell's existing rows (one statement on PostgreSQL); an
    upsert of the month rows; an upsert of the year rows. Opening a month, removing a row the
    data no longer supports, or a year left without months add their own (rare) statements."""
    if not months:
        return
    months = sorted(set(months))
    months = months_between(months[0], months[-1])
    # No savepoint inside the caller's transaction: the row is part of its work.
    with transaction.atomic(savepoint=False):
        # The cell's row lock orders concurrent recomputes of the same cell (see the top).
        locked = (
            Organization.objects.select_for_update()
            .filter(pk=cell_id)
            .values_list("province_id", flat=True)
            .first()
        )
        province_id = province_id or locked
        if province_id is None:
            return
        period = period_q(months, "year", "month")
        existing_q = CellMonth.objects.filter(period, cell_id=cell_id).values_list("year", "month")
        built, (existing,) = _build(
            Target(province_id, cell_id), months, also=[(existing_q.order_by(), ())]
        )
        existing = {tuple(ym) for ym in existing}
        # A month is open once any row of it exists, and opening writes every due cell's row:
        # this cell's own row says so without reading the province's (months ahead open when
        # they come).
        unopened = [ym for ym in months if ym not in existing]
        if unopened:
            _open_months(province_id, unopened)
        _upsert_months(built)
        stale = [
            ym for ym in months if ym in existing and (cell_id, *ym) not in built
        ]  # the data no longer supports the row (e.g. a meeting of a month not due undone)
        if stale:
            CellMonth.objects.filter(period_q(stale, "year", "month"), cell_id=cell_id).delete()
        years = _years(months)
        _refresh_years(
            f"{connection.ops.quote_name('cell_id')} = %s",
            [cell_id],
            years,
            prune={y for y in years if not any(k[1] == y for k in built)},
        )


def _upsert_months(built: dict) -> None:
    """Insert or update the built rows (INSERT … ON CONFLICT DO UPDATE: the same statement on
    SQLite and PostgreSQL)."""
    if not built:
        return
    qn = connection.ops.quote_name
    updates = ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in ("province_id", *COUNT_FIELDS))
    sql = (
        f"INSERT INTO {qn(CellMonth._meta.db_table)} ({', '.join(qn(c) for c in COLUMNS)}) "  # noqa: S608 -- names from the model
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
        f"ON CONFLICT ({qn('cell_id')}, {qn('year')}, {qn('month')}) DO UPDATE SET {updates}"
    )
    values = [
        (f["province_id"], cell_id, y, m, *(f[k] for k in COUNT_FIELDS))
        for (cell_id, y, m), f in built.items()
    ]
    with connection.cursor() as cursor:
        if len(values) == 1:
            cursor.execute(sql, values[0])
        else:
            cursor.executemany(sql, values)


def _months_from(province_id: int, since: Month) -> list[Month]:
    """The months from `since` to the last month summarized (or the current one), never before
    the province's first summarized month; nothing summarized yet: the current month alone, as
    a rebuild would write."""
    rows = CellMonth.objects.filter(province_id=province_id)
    first = rows.order_by("year", "month").values_list("year", "month").first()
    last = rows.order_by("-year", "-month").values_list("year", "month").first()
    today = month_of(timezone.localdate())
    start = max(since, first) if first else today
    end = max(last or today, today)
    return months_between(start, end) if start <= end else []


def recompute_for_cell(cell: Organization, since: dt.date | None) -> None:
    """A cell was founded or dissolved on `since`: which months are due changed from that month
    on. Rebuilds the cell's rows from there (see _months_from)."""
    if cell.kind not in CELL_KINDS or cell.province_id is None:
        return
    since_month = month_of(since) if since else month_of(timezone.localdate())
    recompute_cell_months(cell.pk, _months_from(cell.province_id, since_month), cell.province_id)


def recompute_for_meeting(meeting: Meeting) -> None:
    """The row of a meeting's cell and period (a committee meeting counts for the period of
    the meeting it prepares, which is its own)."""
    recompute_cell_month(
        meeting.organization_id, meeting.period_year, meeting.period_month, meeting.province_id
    )


def recompute_for_visit(visit: Visit, *, previous_day: dt.date | None = None) -> None:
    """The row of a visit's cell and month (and of the month it was dated before, if moved)."""
    day = visit.planned_on
    recompute_cell_month(visit.cell_id, day.year, day.month, visit.province_id)
    if previous_day and month_of(previous_day) != month_of(day):
        recompute_cell_month(
            visit.cell_id, previous_day.year, previous_day.month, visit.province_id
        )


def recompute_for_assignment(assignment: SupervisorAssignment) -> None:
    """A follower's period changed: the cell's rows from its start (see _months_from: a period
    may start years before the first summarized month)."""
    months = _months_from(assignment.province_id, month_of(assignment.valid_from))
    recompute_cell_months(assignment.organization_id, months, assignment.province_id)


# ---- rebuild -----------------------------------------------------------------------------------


def province_months(province: Organization | int, year: int | None = None) -> list[Month]:
    """The months summarized for a province: from its first meeting or visit to the current
    month, or to the last month with a held meeting or a reported visit if later (meetings
    merely planned ahead do not open months); within `year` when given."""
    meetings = Meeting.objects.filter(province=province)
    held = meetings.filter(status__in=HELD_STATUSES)
    visits = Visit.objects.filter(province=province)
    bounds = []
    for qs, lo in ((meetings, True), (held, False)):
        agg = qs.aggregate(y=(Min if lo else Max)("period_year"))
        if agg["y"] is not None:
            m = qs.filter(period_year=agg["y"]).aggregate(m=(Min if lo else Max)("period_month"))
            bounds.append((agg["y"], m["m"]))
    agg = visits.aggregate(lo=Min("planned_on"))
    if agg["lo"]:
        bounds.append(month_of(agg["lo"]))
    agg = visits.filter(status=VisitStatus.REPORTED).aggregate(hi=Max("planned_on"))
    if agg["hi"]:
        bounds.append(month_of(agg["hi"]))
    today = month_of(timezone.localdate())
    first, last = min([*bounds, today]), max([*bounds, today])
    if year is not None:
        first, last = max(first, (year, 1)), min(last, (year, 12))
    return months_between(first, last) if first <= last else []


@dataclass
class RebuildResult:
    province: Organization
    months: int
    rows: int
    seconds: float


def rebuild(province: Organization, year: int | None = None) -> RebuildResult:
    """Replace a province's summary rows (or one year's) with a from-scratch build."""
    started = time.perf_counter()
    months = province_months(province, year)
    with transaction.atomic():
        if months:
            built = build(Target(province.pk), months)
            scope = Q(province=province)
            if year is not None:
                scope &= period_q(months, "year", "month")
            n = _write(built, scope)
        else:
            n = 0
            if year is None:
                CellMonth.objects.filter(province=province).delete()
        if year is None:
            CellYear.objects.filter(province=province).delete()
        by_province = f"{connection.ops.quote_name('province_id')} = %s"
        _refresh_years(by_province, [province.pk], _years(months) or ([year] if year else []))
    return RebuildResult(province, len(months), n, time.perf_counter() - started)
