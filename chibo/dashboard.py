"""The landing dashboard: what each user needs today, chosen by what they hold.

A user may hold several roles; each gives a section of the home page:

- cell secretary / deputy (a CELL grant on a cell): the next meeting and what its
  preparation still lacks, the cell's open tasks (overdue first), overdue items (absence
  requests waiting, past meetings not recorded or minutes not approved, the month's dues
  sheet, meetings approved but not self-scored);
- member (a user linked to a member record): their next meetings, their absence requests,
  their own open tasks, a review waiting for their self-review;
- commune committee (a READ or STAFF grant on a grassroots or partial committee): the
  compliance board's figures for the month (oversight.board.build_board): cells that have
  not met, minutes not approved, cells not visited this quarter;
- organization board (a READ or STAFF grant on a province or a committee directly under it;
  every province for an administrator): the month's headline figures of the subtree with the
  change since the previous month;
- supervisor (following cells: assignment, working group, cross-attendance): the next
  meetings of the cells followed and whether a visit is registered.

Every section reads a constant number of queries, whatever the size of the subtree (a
province of 4,000 cells: grouped counts, never rows per cell); the number of committees and
boards summarized is capped (MAX_COMMITTEES, MAX_BOARDS), the rest are links. Everything is
read from the user's grants or their own member record: nothing outside the scope is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.access import Level, Scope
from admissions.models import AdmissionTarget
from dues.models import DuesPayment
from meetings.models import (
    LOCKED_STATUSES,
    OPEN_STATUSES,
    REGULAR_KINDS,
    AbsenceRequest,
    AbsenceStatus,
    AgendaItem,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Task,
)
from members.models import Member, Membership, MembershipKind
from organizations import selectors
from organizations.models import CELL_KINDS, Organization, OrgKind, subtree_q
from oversight import following
from oversight.board import Period, build_board
from oversight.models import Visit, VisitStatus
from oversight.services import VISITABLE_KINDS
from quality.services import RUBRIC_KIND
from ratings.models import MemberReview, ReviewStatus
from transfers.models import Transfer

OPEN_TASKS = ("assigned", "in_progress")
HELD = (MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)
BOARD_KINDS = (OrgKind.PROVINCE, OrgKind.PROVINCE_UNIT)
COMMITTEE_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.PARTIAL_COMMITTEE)
MAX_BOARDS = 3
MAX_COMMITTEES = 3
LOOK_BACK = dt.timedelta(days=92)  # past meetings still waiting for something
LOOK_AHEAD = dt.timedelta(days=60)
LIST_LIMIT = 10


# ---- number formatting --------------------------------------------------------------------


def number(n) -> str:
    """16130 → "16.130" in Vietnamese (the active language's separators)."""
    return formats.number_format(n, use_l10n=True, force_grouping=True)


def ratio(n: int, of: int, places: int = 2) -> str:
    """ "16.130/16.160 (99,81 %)"; without a denominator, only the count."""
    if not of:
        return number(n)
    pct = formats.number_format(round(100 * n / of, places), places, use_l10n=True)
    return f"{number(n)}/{number(of)} ({pct} %)"


def trend(now: int, before: int) -> str:
    """ "+12", "−3" or "±0": the change since the previous month."""
    d = now - before
    if d > 0:
        return f"+{number(d)}"
    if d < 0:
        return f"−{number(-d)}"
    return "±0"


def reports_url() -> str | None:
    """/reports/ when the reports app is installed (it is built alongside this page)."""
    try:
        return reverse("reports:index")
    except NoReverseMatch:
        return None


# ---- sections -----------------------------------------------------------------------------


@dataclass
class CellSection:
    cell: Organization
    next_meeting: Meeting | None = None
    missing: list[str] = field(default_factory=list)
    past_open: list[Meeting] = field(default_factory=list)  # date passed, still not approved
    tasks: list[Task] = field(default_factory=list)
    tasks_open: int = 0
    tasks_overdue: int = 0
    absences: list[AbsenceRequest] = field(default_factory=list)
    unscored: list[Meeting] = field(default_factory=list)
    dues_missing: bool = False

    @property
    def overdue_count(self) -> int:
        return (
            len(self.absences)
            + len(self.past_open)
            + len(self.unscored)
            + int(self.dues_missing)
            + self.tasks_overdue
        )


@dataclass
class MemberSection:
    meetings: list[Meeting]
    absences: list[AbsenceRequest]
    tasks: list[Task]
    reviews: list[MemberReview]


@dataclass
class CommitteeSection:
    committee: Organization
    cells: int
    not_met: list  # board rows: no regular meeting held yet this month
    minutes_pending: list
    unvisited: list
    held: int

    @property
    def problems(self) -> list:
        return [r for r in self.not_met if r.regular.code != "planned"]


@dataclass
class Figure:
    label: str
    value: str
    change: str = ""
    note: str = ""


@dataclass
class BoardSection:
    org: Organization
    figures: list[Figure]


@dataclass
class SupervisorSection:
    meetings: list[Meeting]
    visits: list[Visit]
    cells: int


@dataclass
class Dashboard:
    today: dt.date
    cells: list[CellSection] = field(default_factory=list)
    me: MemberSection | None = None
    committees: list[CommitteeSection] = field(default_factory=list)
    more_committees: list[Organization] = field(default_factory=list)
    boards: list[BoardSection] = field(default_factory=list)
    more_boards: list[Organization] = field(default_factory=list)
    supervisor: SupervisorSection | None = None
    reports_url: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.cells or self.me or self.committees or self.boards or self.supervisor)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _due_order():
    return (F("due_date").asc(nulls_last=True), "id")


def granted_orgs(scope: Scope) -> dict[str, list[Organization]]:
    """The organizations of the user's grants, sorted into the sections they give. One query."""
    out = {"cells": [], "committees": [], "boards": []}
    if not scope.grants:
        return out
    levels = {}
    for g in scope.grants:
        levels[g.organization_id] = max(levels.get(g.organization_id, Level.NONE), g.level)
    orgs = Organization.objects.filter(pk__in=levels, dissolved_on__isnull=True).order_by("path")
    for org in orgs:
        level = levels[org.pk]
        if level == Level.CELL and org.kind in CELL_KINDS:
            out["cells"].append(org)
        elif level in (Level.READ, Level.STAFF) and org.kind in COMMITTEE_KINDS:
            out["committees"].append(org)
        elif level in (Level.READ, Level.STAFF) and org.kind in BOARD_KINDS:
            out["boards"].append(org)
    return out


# ---- a cell secretary ---------------------------------------------------------------------


def preparation_missing(m: Meeting) -> list[str]:
    """What the meeting still lacks before it is held (annotated with has_agenda, has_docs)."""
    if m.status not in (MeetingStatus.PLANNED, MeetingStatus.PREPARED, MeetingStatus.NOTICE_SENT):
        return []
    out = []
    if not m.has_agenda:
        out.append(_("the agenda agreed by the cell committee"))
    if m.kind in REGULAR_KINDS and not m.draft_resolution.strip():
        out.append(_("the draft resolution"))
    if not m.has_docs:
        out.append(_("documents posted ahead"))
    if m.notice_sent_at is None:
        out.append(_("the notice to members"))
    return out


def cell_sections(cells: list[Organization], today: dt.date) -> list[CellSection]:
    """Six queries for all the cells a user runs."""
    if not cells:
        return []
    ids = [c.pk for c in cells]
    out = {c.pk: CellSection(cell=c) for c in cells}
    meetings = (
        Meeting.objects.filter(
            organization_id__in=ids,
            status__in=OPEN_STATUSES,
            scheduled_at__gte=_day_start(today - LOOK_BACK),
        )
        .annotate(
            has_agenda=Exists(AgendaItem.objects.filter(meeting_id=OuterRef("pk"))),
            has_docs=Exists(MeetingDocument.objects.filter(meeting_id=OuterRef("pk"))),
        )
        .order_by("scheduled_at", "pk")
    )
    for m in meetings:
        s = out[m.organization_id]
        if m.local_date < today or (
            m.status == MeetingStatus.IN_PROGRESS and m.local_date <= today
        ):
            s.past_open.append(m)
        elif s.next_meeting is None:
            s.next_meeting = m
            s.missing = preparation_missing(m)
    open_tasks = Task.objects.filter(organization_id__in=ids, status__in=OPEN_TASKS)
    for row in open_tasks.values("organization_id").annotate(
        n=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today))
    ):
        out[row["organization_id"]].tasks_open = row["n"]
        out[row["organization_id"]].tasks_overdue = row["late"]
    for t in open_tasks.select_related("assignee__person", "resolution").order_by(*_due_order())[
        : LIST_LIMIT * len(ids)
    ]:
        s = out[t.organization_id]
        if len(s.tasks) < LIST_LIMIT:
            t.overdue = t.due_date is not None and t.due_date < today
            s.tasks.append(t)
    for a in (
        AbsenceRequest.objects.filter(
            meeting__organization_id__in=ids,
            status=AbsenceStatus.PENDING,
            meeting__status__in=OPEN_STATUSES,
        )
        .select_related("meeting", "member__person")
        .order_by("meeting__scheduled_at", "pk")[: LIST_LIMIT * len(ids)]
    ):
        out[a.meeting.organization_id].absences.append(a)
    for m in Meeting.objects.filter(
        organization_id__in=ids,
        status__in=LOCKED_STATUSES,
        kind__in=list(RUBRIC_KIND),
        quality__isnull=True,
        scheduled_at__gte=_day_start(today - LOOK_BACK),
    ).order_by("scheduled_at", "pk"):
        out[m.organization_id].unscored.append(m)
    # A cell that records dues (any month of the last three) and has not recorded this one.
    this_month = today.replace(day=1)
    first = (this_month - dt.timedelta(days=62)).replace(day=1)
    recorded: dict[int, set] = {}
    for cell_id, month in (
        DuesPayment.objects.filter(cell_id__in=ids, month__gte=first)
        .values_list("cell_id", "month")
        .distinct()
    ):
        recorded.setdefault(cell_id, set()).add(month)
    for cell_id, months in recorded.items():
        out[cell_id].dues_missing = this_month not in months
    return [out[c.pk] for c in cells]


# ---- a member -----------------------------------------------------------------------------


def member_section(member_id: int, today: dt.date) -> MemberSection:
    """Four queries: the member's next meetings (home and temporary cells), absence requests,
    open tasks and reviews waiting for a self-review."""
    my_cells = Membership.objects.current().filter(member_id=member_id).values("organization_id")
    meetings = list(
        Meeting.objects.filter(
            organization_id__in=my_cells,
            status__in=OPEN_STATUSES,
            scheduled_at__gte=_day_start(today),
        )
        .select_related("organization")
        .order_by("scheduled_at", "pk")[:3]
    )
    absences = list(
        AbsenceRequest.objects.filter(
            member_id=member_id, meeting__scheduled_at__gte=_day_start(today - dt.timedelta(31))
        )
        .select_related("meeting")
        .order_by("-meeting__scheduled_at", "-pk")[:5]
    )
    tasks = list(
        Task.objects.filter(assignee_id=member_id, status__in=OPEN_TASKS)
        .select_related("resolution__meeting")
        .order_by(*_due_order())[:LIST_LIMIT]
    )
    for t in tasks:
        t.overdue = t.due_date is not None and t.due_date < today
    reviews = list(
        MemberReview.objects.filter(
            member_id=member_id, status=ReviewStatus.PENDING, cycle__status="open"
        )
        .select_related("cycle")
        .order_by("-cycle__year", "-cycle__quarter")[:3]
    )
    return MemberSection(meetings, absences, tasks, reviews)


# ---- a commune committee ------------------------------------------------------------------


def committee_section(committee: Organization, today: dt.date) -> CommitteeSection:
    """The compliance board's rows for this month (oversight/board.py: constant queries)."""
    board = build_board(committee, Period(today.year, today.month), today=today)
    rows = [r for r in board.rows if r.cell.pk != committee.pk]
    return CommitteeSection(
        committee=committee,
        cells=len(rows),
        not_met=[r for r in rows if r.regular.code not in ("approved", "held")],
        minutes_pending=[r for r in rows if r.minutes == "pending"],
        unvisited=[r for r in rows if r.visits_done < r.visits_required],
        held=sum(r.regular.code in ("approved", "held") for r in rows),
    )


# ---- an organization board ----------------------------------------------------------------


def _month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def _active_in(first: dt.date, last: dt.date) -> Q:
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=last)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=first)
    )


def _subtree(org: Organization, prefix: str = "") -> Q:
    """The subtree of `org` through `prefix`, plus the province key (an index for both): a
    province needs no join on organizations at all."""
    q = Q(**{f"{prefix}province_id": org.province_id or org.pk})
    return q if org.depth == 1 else q & subtree_q(org.path, f"{prefix}organization__")


def member_totals(org: Organization, before: dt.date) -> tuple[dict, dict]:
    """(now, at the end of `before`): home members of the subtree by status, as
    organizations.selectors.member_counts counts them (total: in the Party, not left), in one
    aggregate (no per-cell rows: a province has 35,000 members in 2,500 cells)."""
    statuses = ("official", "probationary", "exempt", "suspended")
    now = Q(end_date__isnull=True)
    then = Q(start_date__lte=before) & (Q(end_date__isnull=True) | Q(end_date__gte=before))
    counts = {}
    for key, when in (("now", now), ("then", then)):
        counts[f"{key}_total"] = Count("pk", filter=when & Q(member__status__in=statuses))
        for st in ("official", "probationary"):
            counts[f"{key}_{st}"] = Count("pk", filter=when & Q(member__status=st))
    row = (
        Membership.objects.filter(_subtree(org), kind=MembershipKind.HOME)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=before))
        .aggregate(**counts)
    )
    keys = ("total", "official", "probationary")
    return ({k: row[f"now_{k}"] for k in keys}, {k: row[f"then_{k}"] for k in keys})


def board_sections(orgs: list[Organization], today: dt.date) -> list[BoardSection]:
    """The month's headline figures of each subtree, against the previous month: members
    now and at the end of last month (one aggregate), regular meetings held / due (two),
    admissions this year against the target (one, and one for all the targets), transfers
    overdue (one). Five queries per board, whatever its size."""
    if not orgs:
        return []
    this_first, this_last = _month_bounds(today.replace(day=1))
    prev_first, prev_last = _month_bounds((this_first - dt.timedelta(days=1)).replace(day=1))
    targets = {
        t.organization_id: t.admissions
        for t in AdmissionTarget.objects.filter(
            organization_id__in=[o.pk for o in orgs], year=today.year
        )
    }
    this_q = Q(period_year=this_first.year, period_month=this_first.month)
    prev_q = Q(period_year=prev_first.year, period_month=prev_first.month)
    out = []
    for org in orgs:
        now, then = member_totals(org, prev_last)
        org.counts = now
        cells = Organization.objects.filter(subtree_q(org.path), kind__in=CELL_KINDS).aggregate(
            now=Count("pk", filter=_active_in(this_first, this_last)),
            prev=Count("pk", filter=_active_in(prev_first, prev_last)),
        )
        held = (
            Meeting.objects.filter(_subtree(org), this_q | prev_q)
            .filter(kind__in=REGULAR_KINDS, status__in=HELD)
            .aggregate(
                now=Count("organization_id", distinct=True, filter=this_q),
                prev=Count("organization_id", distinct=True, filter=prev_q),
            )
        )
        # Where a member was admitted: their admission record's cell, else their home cell
        # (as admissions/targets.py counts them against the targets).
        admitted = (
            Member.objects.filter(
                ceremony_date__gte=dt.date(today.year, 1, 1), ceremony_date__lte=today
            )
            .alias(unit_path=Coalesce(F("candidacy__organization__path"), F("organization__path")))
            .filter(subtree_q(org.path, "unit_"))
            .aggregate(
                now=Count("pk"),
                prev=Count("pk", filter=Q(ceremony_date__lte=prev_last)),
            )
        )
        overdue = Transfer.objects.touching(org).overdue(today).count()
        target = targets.get(org.pk)
        figures = [
            Figure(_("Members"), number(now["total"]), trend(now["total"], then["total"])),
            Figure(
                _("Official members"),
                number(now["official"]),
                trend(now["official"], then["official"]),
            ),
            Figure(
                _("Probationary members"),
                number(now["probationary"]),
                trend(now["probationary"], then["probationary"]),
            ),
            Figure(
                _("Regular meetings held this month"),
                ratio(held["now"], cells["now"]),
                note=_("last month: %(v)s") % {"v": ratio(held["prev"], cells["prev"])},
            ),
            Figure(
                _("New members this year"),
                ratio(admitted["now"], target) if target else number(admitted["now"]),
                trend(admitted["now"], admitted["prev"]) if today.month > 1 else "",
                note=_("target %(n)s") % {"n": number(target)} if target else _("no target set"),
            ),
            Figure(_("Transfers overdue"), number(overdue)),
        ]
        out.append(BoardSection(org, figures))
    return out


# ---- a supervisor -------------------------------------------------------------------------


def supervisor_section(user, today: dt.date) -> SupervisorSection | None:
    """The next meetings of the cells the user follows, with their own planned visits: three
    queries to find the cells (oversight/following.py), two more when there are any."""
    followed = following.followed_cells(user, today, today + LOOK_AHEAD)
    if not followed:
        return None
    meetings = list(
        Meeting.objects.filter(
            organization_id__in=list(followed),
            kind__in=VISITABLE_KINDS,
            scheduled_at__gte=_day_start(today),
            scheduled_at__lt=_day_start(today + LOOK_AHEAD),
        )
        .exclude(status__in=(MeetingStatus.CANCELLED, MeetingStatus.POSTPONED))
        .select_related("organization")
        .order_by("scheduled_at", "pk")[:LIST_LIMIT]
    )
    visits = list(
        Visit.objects.filter(visitor=user, status=VisitStatus.PLANNED, planned_on__gte=today)
        .select_related("cell", "meeting")
        .order_by("planned_on", "pk")[:LIST_LIMIT]
    )
    registered = {v.meeting_id for v in visits if v.meeting_id}
    for m in meetings:
        m.registered = m.pk in registered
    return SupervisorSection(meetings, visits, len(followed))


# ---- the whole page -----------------------------------------------------------------------


def build(user, scope: Scope, roots: list[Organization], today: dt.date | None = None) -> Dashboard:
    """Every section the user's roles give. `roots` (the top organizations of the scope) get
    their member counts here, shared with the board figures."""
    today = today or timezone.localdate()
    dash = Dashboard(today=today, reports_url=reports_url())
    granted = granted_orgs(scope)
    boards = list(roots) if scope.is_admin else granted["boards"]
    dash.more_boards = boards[MAX_BOARDS:]
    boards = boards[:MAX_BOARDS]
    dash.boards = board_sections(boards, today)
    # The roots' member counts: a board already has its own (same figures, one query less).
    counted = {o.pk: o.counts for o in boards}
    others = [o for o in roots if o.pk not in counted]
    counted.update(selectors.member_counts(others) if others else {})
    for o in roots:
        o.counts = counted[o.pk]
    committees = granted["committees"]
    dash.committees = [committee_section(c, today) for c in committees[:MAX_COMMITTEES]]
    dash.more_committees = committees[MAX_COMMITTEES:]
    dash.cells = cell_sections(granted["cells"], today)
    if scope.self_member_id:
        dash.me = member_section(scope.self_member_id, today)
    if scope.has_org_access:
        dash.supervisor = supervisor_section(user, today)
    return dash
