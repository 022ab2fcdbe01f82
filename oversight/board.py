"""The compliance board of a committee (issue 5 item 4), and the reminders sent from it.

For one month, each cell below the committee: the month's regular meeting (held, planned,
missed, postponed…), whether its minutes are approved, the quarter's thematic meeting, the
visits of the level above this quarter against the rule, and the quality level of the
regular meeting (MeetingScore.final_level) with anything below “fair” flagged.

The board reads a whole committee — a province of 4,000 cells included — in a handful of
grouped queries, whatever the number of cells: the cells, their parents, the month's regular
meetings, the quarter's thematic meetings, the visit rule and counts
(oversight.services.visits_due), the planned visits, the scores and the reminders. Each
cell's row is then classified in Python; totals and the "only problems" filter use every
row, and the page shows 200 of them.

Which month a meeting counts for is its period (period_year / period_month), not its date:
a meeting of March held on 2 April is March's, so Q1's. Visits count by their date (the visit
rule of oversight/services.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import CELL_ROLES, RoleAssignment
from audit.log import record_bulk
from audit.models import Action
from meetings.calendar_views import State, month_state
from meetings.models import (
    LOCKED_STATUSES,
    OPEN_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    Meeting,
    MeetingStatus,
    SupervisorAssignment,
)
from meetings.notices import SITE_URL
from organizations.models import CELL_KINDS, Organization, subtree_q
from oversight import services as visit_services
from oversight.models import Reminder, ReminderTopic, Visit, VisitStatus
from quality.models import QUALITY_RANK, MeetingScore, QualityLevel

PAGE_SIZE = 200
HELD_STATUSES = (MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)
# The regular-meeting states that are a problem (see meetings.calendar_views.STATES).
REGULAR_PROBLEMS = ("missing", "overdue", "postponed", "cancelled")
BELOW_FAIR = (QualityLevel.AVERAGE, QualityLevel.WEAK)
LEVEL_PROBLEM = "level"


class Problem:
    """The board's problem filters: the four reminder topics, and a level below fair."""

    REGULAR = ReminderTopic.REGULAR
    MINUTES = ReminderTopic.MINUTES
    THEMATIC = ReminderTopic.THEMATIC
    VISIT = ReminderTopic.VISIT
    LEVEL = LEVEL_PROBLEM
    LABELS = {
        **{t.value: t.label for t in ReminderTopic},
        LEVEL_PROBLEM: _("Quality below fair"),
    }


# Who is reminded of what: the cell's secretary and deputy of its meetings, the cadres
# following the cell of a missing visit.
SECRETARY_TOPICS = (ReminderTopic.REGULAR, ReminderTopic.MINUTES, ReminderTopic.THEMATIC)
FOLLOWER_TOPICS = (ReminderTopic.VISIT,)


# ---- the month shown ----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, params, today: dt.date) -> Period:
        """The month of the query string (?year=2025&month=3), else the current one."""
        try:
            year = int(params.get("year", ""))
            month = int(params.get("month", ""))
        except (TypeError, ValueError):
            return cls(today.year, today.month)
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            return cls(today.year, today.month)
        return cls(year, month)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return self.next.first - dt.timedelta(days=1)

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1

    @property
    def quarter_months(self) -> list[int]:
        return list(range(3 * self.quarter - 2, 3 * self.quarter + 1))

    @property
    def quarter_first(self) -> dt.date:
        return dt.date(self.year, self.quarter_months[0], 1)

    @property
    def quarter_last(self) -> dt.date:
        return visit_services.quarter_bounds(self.year, self.quarter)[1]

    @property
    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    @property
    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def quarter_due(self, today: dt.date) -> bool:
        """Is the quarter's rule (a thematic meeting, the visits) now due? From the first day
        of the quarter's last month: earlier, a cell still has time and is not flagged."""
        return today >= dt.date(self.year, self.quarter_months[-1], 1)

    def __str__(self):
        return f"{self.month:02d}/{self.year}"


# ---- the rows -------------------------------------------------------------------------------


@dataclass
class Row:
    cell: BoardCell
    parent: BoardCell | None
    regular: State
    regular_meeting: dict | None
    minutes: str  # "approved" | "pending" (held, minutes not approved) | "" (no held meeting)
    thematic: str  # "held" | "planned" | "overdue" | "missing" | "not_yet" | "none"
    thematic_meeting: dict | None
    visits_done: int
    visits_required: int
    visits_planned: int
    level: str
    problems: list[str] = field(default_factory=list)
    reminder: dict | None = None
    group_start: bool = False

    @property
    def remindable(self) -> list[str]:
        return [p for p in self.problems if p != LEVEL_PROBLEM]

    @property
    def visited(self) -> bool:
        return self.visits_done >= self.visits_required

    @property
    def level_below_fair(self) -> bool:
        return self.level in BELOW_FAIR

    @property
    def level_label(self) -> str:
        return QualityLevel(self.level).label if self.level else ""

    @property
    def problem_labels(self) -> list[str]:
        return [str(Problem.LABELS[p]) for p in self.problems]


@dataclass
class Board:
    committee: Organization
    period: Period
    today: dt.date
    rows: list[Row]  # every cell (before the problem filter)
    totals: dict

    @property
    def grouped(self) -> bool:
        return any(r.parent is not None and r.parent.pk != self.committee.pk for r in self.rows)

    def filtered(self, problem: str = "") -> list[Row]:
        """Rows with any problem ("any"), or with one kind of problem, or all ("")."""
        if not problem:
            return self.rows
        if problem == "any":
            return [r for r in self.rows if r.problems]
        return [r for r in self.rows if problem in r.problems]


@dataclass(eq=False, slots=True)
class BoardCell:
    """A cell (or a parent) as the board needs it: plain values, not a model instance (a
    province has 4,000 of them)."""

    pk: int
    uuid: object
    name: str
    path: str
    sort_key: str
    code: str = ""
    kind: str = ""
    cell_type: str = ""
    dissolved_on: dt.date | None = None
    province_id: int | None = None
    parent: BoardCell | None = None


CELL_FIELDS = (
    "pk",
    "uuid",
    "name",
    "path",
    "sort_key",
    "code",
    "kind",
    "cell_type",
    "dissolved_on",
    "province_id",
)


def board_cells(committee: Organization, period: Period, cell_type: str = "") -> list[BoardCell]:
    """The cells below the committee (or the committee itself, a cell) that existed during the
    month, each with its parent, sorted by parent then name. Two queries."""
    qs = (
        Organization.objects.filter(subtree_q(committee.path), kind__in=CELL_KINDS)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.first))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=period.last))
    )
    if cell_type:
        qs = qs.filter(cell_type=cell_type)
    cells = [BoardCell(*row) for row in qs.values_list(*CELL_FIELDS)]
    step = Organization.steplen
    parent_paths = {c.path[:-step] for c in cells if c.pk != committee.pk}
    parents = {
        row[3]: BoardCell(*row)
        for row in Organization.objects.filter(path__in=parent_paths).values_list(
            "pk", "uuid", "name", "path", "sort_key"
        )
    }
    for c in cells:
        c.parent = parents.get(c.path[:-step]) if c.pk != committee.pk else None
    cells.sort(
        key=lambda c: (
            c.parent is not None and c.parent.pk != committee.pk,
            c.parent.sort_key if c.parent else "",
            c.parent.path if c.parent else "",
            c.sort_key,
        )
    )
    return cells


def _meeting_url_of():
    # Reverse once, then substitute: thousands of rows must not each call reverse().
    blank = "00000000-0000-0000-0000-000000000000"
    url = reverse("meetings:detail", args=[blank])
    return lambda uuid: url.replace(blank, str(uuid))


def _meetings(committee: Organization, period: Period):
    """(cell id → the month's regular meetings, cell id → the quarter's thematic ones), as
    small dicts: one query for both. A combined meeting is in both."""
    url_of = _meeting_url_of()
    regular, thematic = defaultdict(list), defaultdict(list)
    rows = (
        Meeting.objects.filter(
            subtree_q(committee.path, "organization__"),
            period_year=period.year,
            period_month__in=period.quarter_months,
        )
        .filter(Q(kind__in=THEMATIC_KINDS) | Q(kind__in=REGULAR_KINDS, period_month=period.month))
        .order_by("scheduled_at", "id")
        .values("id", "organization_id", "kind", "status", "uuid", "scheduled_at", "period_month")
    )
    # The zone once: timezone.localtime() looks it up again for each of thousands of rows.
    tz = timezone.get_current_timezone()
    for m in rows:
        local = m["scheduled_at"].astimezone(tz)
        m["day"], m["local"], m["url"] = local.date(), local, url_of(m["uuid"])
        if m["kind"] in REGULAR_KINDS and m["period_month"] == period.month:
            regular[m["organization_id"]].append(m)
        if m["kind"] in THEMATIC_KINDS:
            thematic[m["organization_id"]].append(m)
    return regular, thematic


def thematic_state(rows: list[dict], period: Period, today: dt.date) -> tuple[str, dict | None]:
    """The quarter's thematic meeting: held, planned, overdue (its date passed unrecorded),
    missing (none, and the quarter's last month has begun), not yet (none, still time), or
    none (the quarter has not begun)."""
    live = [
        r for r in rows if r["status"] not in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)
    ]
    held = [r for r in live if r["status"] in HELD_STATUSES]
    if held:
        return "held", held[0]
    planned = [r for r in live if r["status"] in OPEN_STATUSES]
    if planned:
        upcoming = [r for r in planned if r["day"] >= today]
        return ("planned", upcoming[0]) if upcoming else ("overdue", planned[-1])
    if period.quarter_first > today:
        return "none", None
    return ("missing" if period.quarter_due(today) else "not_yet"), None


def visit_dues(committee: Organization, period: Period, cells: list) -> dict[int, tuple]:
    """cell id → (visits required, reported visits) this quarter.

    The rule and the counts are oversight.services.visits_due (cells active on the quarter's
    first day); a cell founded later in the quarter takes the committee's rule and its count
    from visits_in_quarter (two more queries, only when there is such a cell)."""
    dues = {
        d.cell.pk: (d.required, d.done)
        for d in visit_services.visits_due(committee, period.year, period.quarter)
    }
    later = [c for c in cells if c.pk not in dues]
    if later:
        done = visit_services.visits_in_quarter(committee, period.year, period.quarter)
        required = visit_services.visits_required(committee, period.quarter_last)
        dues.update({c.pk: (required, done.get(c.pk, 0)) for c in later})
    return dues


def planned_visits(committee: Organization, period: Period) -> dict[int, int]:
    """cell id → visits planned this quarter and not reported yet."""
    return dict(
        Visit.objects.filter(
            subtree_q(committee.path, "cell__"),
            status=VisitStatus.PLANNED,
            planned_on__gte=period.quarter_first,
            planned_on__lte=period.quarter_last,
        )
        .values("cell_id")
        .annotate(n=Count("pk"))
        .values_list("cell_id", "n")
    )


def _scores(committee: Organization, period: Period) -> dict[int, dict[int, str]]:
    """cell id → {meeting id: final level} for the month's regular meetings."""
    out: dict[int, dict[int, str]] = defaultdict(dict)
    rows = MeetingScore.objects.filter(
        subtree_q(committee.path, "organization__"),
        period_year=period.year,
        period_month=period.month,
        meeting__kind__in=REGULAR_KINDS,
    ).values_list("organization_id", "meeting_id", "final_level")
    for cell_id, meeting_id, level in rows:
        out[cell_id][meeting_id] = level
    return out


def _latest_reminders(committee: Organization, period: Period) -> dict[int, dict]:
    """cell id → the last reminder sent about the cell for the month (from any board)."""
    out = {}
    rows = (
        Reminder.objects.filter(
            subtree_q(committee.path, "cell__"),
            period_year=period.year,
            period_month=period.month,
        )
        .select_related("sent_by")
        .order_by("sent_at", "pk")
    )
    for r in rows:
        out[r.cell_id] = {
            "at": timezone.localtime(r.sent_at),
            "names": r.recipient_names,
            "without": r.without_email,
            "by": r.sent_by.display_name() if r.sent_by else "",
            "topics": [str(ReminderTopic(t).label) for t in r.topics if t in ReminderTopic.values],
        }
    return out


def _pct(n: int, of: int) -> int | None:
    return round(100 * n / of) if of else None


def _totals(rows: list[Row]) -> dict:
    n = len(rows)
    held = sum(r.regular.code in ("approved", "held") for r in rows)
    approved = sum(r.minutes == "approved" for r in rows)
    thematic = sum(r.thematic == "held" for r in rows)
    visited = sum(r.visited for r in rows)
    levels = Counter(r.level for r in rows if r.level)
    scored = sum(levels.values())
    below = sum(levels[lv] for lv in BELOW_FAIR)
    problems = sum(bool(r.problems) for r in rows)
    return {
        "cells": n,
        "held": held,
        "held_pct": _pct(held, n),
        "approved": approved,
        "approved_pct": _pct(approved, held),
        "thematic": thematic,
        "thematic_pct": _pct(thematic, n),
        "visited": visited,
        "visited_pct": _pct(visited, n),
        "scored": scored,
        "below": below,
        "below_pct": _pct(below, scored),
        "levels": [
            {"level": lv, "label": lv.label, "n": levels[lv], "pct": _pct(levels[lv], scored)}
            for lv in sorted(QualityLevel, key=lambda lv: -QUALITY_RANK[lv])
        ],
        "problems": problems,
        "problems_pct": _pct(problems, n),
        "by_problem": {key: sum(key in r.problems for r in rows) for key in Problem.LABELS},
    }


def build_board(
    committee: Organization, period: Period, *, cell_type: str = "", today: dt.date | None = None
) -> Board:
    """Every cell's row for the month, and the totals. A constant number of queries."""
    today = today or timezone.localdate()
    cells = board_cells(committee, period, cell_type)
    regular, thematic = _meetings(committee, period)
    dues = visit_dues(committee, period, cells)
    planned = planned_visits(committee, period)
    scores = _scores(committee, period)
    reminders = _latest_reminders(committee, period)
    due = period.quarter_due(today)
    rows = []
    previous_parent = object()
    for c in cells:
        state, meeting = month_state(regular.get(c.pk, []), period.year, period.month, today)
        if state.code == "approved":
            minutes = "approved"
        elif state.code == "held":
            minutes = "pending"
        else:
            minutes = ""
        them, them_meeting = thematic_state(thematic.get(c.pk, []), period, today)
        required, done = dues.get(c.pk, (visit_services.DEFAULT_VISITS_PER_QUARTER, 0))
        cell_scores = scores.get(c.pk, {})
        level = ""
        if meeting is not None and meeting["id"] in cell_scores:
            level = cell_scores[meeting["id"]]
        elif cell_scores:
            level = next(iter(cell_scores.values()))
        problems = []
        if state.code in REGULAR_PROBLEMS:
            problems.append(Problem.REGULAR)
        if minutes == "pending":
            problems.append(Problem.MINUTES)
        if them == "overdue" or them == "missing":
            problems.append(Problem.THEMATIC)
        if done < required and due:
            problems.append(Problem.VISIT)
        if level in BELOW_FAIR:
            problems.append(Problem.LEVEL)
        row = Row(
            cell=c,
            parent=c.parent,
            regular=state,
            regular_meeting=meeting,
            minutes=minutes,
            thematic=them,
            thematic_meeting=them_meeting,
            visits_done=done,
            visits_required=required,
            visits_planned=planned.get(c.pk, 0),
            level=level,
            problems=problems,
            reminder=reminders.get(c.pk),
        )
        row.group_start = c.parent != previous_parent
        previous_parent = c.parent
        rows.append(row)
    return Board(committee, period, today, rows, _totals(rows))


def regroup(rows: list[Row]) -> list[Row]:
    """Mark where a new parent starts among the rows shown (after filtering and paging)."""
    previous_parent = object()
    for r in rows:
        r.group_start = r.parent != previous_parent
        previous_parent = r.parent
    return rows


# ---- reminders ----------------------------------------------------------------------------


@dataclass
class Sent:
    reminders: list[Reminder]
    emails: int
    # (cell, topic labels) that nobody could be told of: no secretary, or nobody follows it.
    unreachable: list[tuple[BoardCell, list[str]]]


def _responsible(cell_ids: list[int], today: dt.date) -> tuple[dict, dict]:
    """(cell id → its secretary and deputy users, cell id → the users following it), active
    today: two queries."""
    secretaries, followers = defaultdict(dict), defaultdict(dict)
    for ra in (
        RoleAssignment.objects.active(today)
        .filter(role__in=CELL_ROLES, organization_id__in=cell_ids, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__username")
    ):
        secretaries[ra.organization_id][ra.user.pk] = ra.user
    for sa in (
        SupervisorAssignment.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            valid_from__lte=today,
            organization_id__in=cell_ids,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__username")
    ):
        followers[sa.organization_id][sa.user.pk] = sa.user
    return secretaries, followers


def send_reminders(board: Board, rows: list[Row], *, by) -> Sent:
    """E-mail whoever is responsible for the problems of these rows, one message per person
    (a cadre following several cells gets one list), and record a Reminder per cell.

    The cell's secretary and deputy are reminded of a missing or unrecorded regular meeting,
    unapproved minutes and a missing thematic meeting; the cadres following the cell of a
    missing visit. A level below fair is not a reminder: it is for the level above to act on.
    """
    rows = [r for r in rows if r.remindable]
    if not rows:
        return Sent([], 0, [])
    secretaries, followers = _responsible([r.cell.pk for r in rows], board.today)
    per_user: dict[int, tuple] = {}
    reminders, unreachable = [], []
    now = timezone.now()
    for row in rows:
        cell = row.cell
        recipients, without, topics, lost = [], [], [], []
        for users, wanted in (
            (secretaries.get(cell.pk, {}), SECRETARY_TOPICS),
            (followers.get(cell.pk, {}), FOLLOWER_TOPICS),
        ):
            mine = [t for t in row.remindable if t in wanted]
            if not mine:
                continue
            if not users:
                lost += mine
                continue
            topics += mine
            for user in users.values():
                if not user.email:
                    without.append(user.display_name())
                    continue
                recipients.append({"name": user.display_name(), "email": user.email})
                per_user.setdefault(user.pk, (user, []))[1].append((row, mine))
        if lost:
            unreachable.append((cell, [str(Problem.LABELS[t]) for t in lost]))
        if topics:
            reminders.append(
                Reminder(
                    province_id=cell.province_id,
                    committee=board.committee,
                    cell_id=cell.pk,
                    period_year=board.period.year,
                    period_month=board.period.month,
                    topics=topics,
                    recipients=recipients,
                    without_email=sorted(set(without)),
                    sent_by=by,
                    sent_at=now,
                )
            )
    messages = _messages(board, per_user.values(), by)
    # Mail first: if sending fails, nothing claims the people were reminded.
    send_mass_mail(messages, fail_silently=False)
    with transaction.atomic():
        Reminder.objects.bulk_create(reminders)
        record_bulk(Reminder, Action.CREATE, len(reminders), user=by)
    return Sent(reminders, len(messages), unreachable)


def _messages(board: Board, per_user, by) -> list[tuple]:
    calendar = reverse("meetings:cell_calendar", args=["00000000-0000-0000-0000-000000000000"])
    board_url = SITE_URL + reverse("oversight:board", args=[board.committee.uuid])
    out = []
    with translation.override(settings.LANGUAGE_CODE):
        for user, items in per_user:
            lines = [
                {
                    "cell": row.cell.name,
                    "topics": [str(Problem.LABELS[t]) for t in topics],
                    "url": SITE_URL
                    + (
                        row.regular_meeting["url"]
                        if row.regular_meeting and ReminderTopic.VISIT not in topics
                        else calendar.replace(
                            "00000000-0000-0000-0000-000000000000", str(row.cell.uuid)
                        )
                        + f"?year={board.period.year}"
                    ),
                }
                for row, topics in items
            ]
            ctx = {
                "name": user.display_name(),
                "committee": board.committee,
                "period": board.period,
                "quarter_last": board.period.quarter_last,
                "lines": lines,
                "sender": by.display_name() if by else "",
                "board_url": board_url + f"?year={board.period.year}&month={board.period.month}",
            }
            subject = render_to_string("emails/board-reminder-subject.txt", ctx).strip()
            body = render_to_string("emails/board-reminder-body.txt", ctx)
            out.append((subject, body, None, [user.email]))
    return out
