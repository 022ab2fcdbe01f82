"""A year of cell meetings (2025) for the demo province.

For every active cell: its schedule rule(s), committee terms, and the meetings of
2025 as the app would have recorded them had it been used all year: regular monthly
meetings (most on the scheduled day, some shifted, a few postponed, cancelled or
missing), cell-committee meetings preparing them, thematic meetings (at least one a
quarter in most cells, some combined with the regular one), the twice-yearly meeting
with working members living in the village (QĐ 213), a year-end review; and for the
held ones attendance, agenda, speeches, a vote, a numbered resolution with tasks,
documents, guests and absence requests. The reference date is 31/12/2025: December
is partly not yet recorded, late minutes are still in progress.

Rows are what the service functions in meetings/services.py would have written on the
day (see `roster`, `number`, `checks`), bulk-inserted (demo/bulk.py) without history.
The attendance snapshot uses each member's status on the meeting day (Attendance.member_status),
so a member who left the Party in October is on the March roster as official.
"""

import datetime as dt
import random
import uuid

from django.db.models import Q
from django.utils import timezone

from demo.bulk import Adapt, Table, reset_sequences
from demo.meeting_cell import RESIDENTIAL, TZ, Cell, CellYear, Person, officers
from meetings import agenda as agenda_defaults
from meetings.models import (
    AbsenceRequest,
    AgendaItem,
    AgendaTemplate,
    Amendment,
    Attendance,
    DocumentSequence,
    Guest,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    Notice,
    Resolution,
    ScheduleRule,
    Speech,
    SupervisorAssignment,
    Task,
    TaskReport,
    Term,
    Vote,
)
from members.models import Member, Membership, MembershipKind, MemberStatus
from organizations.models import CELL_KINDS, CellType, CellVillage, Organization

# Every meetings table with a province key: a demo province's rows go with one DELETE each.
PURGE_TABLES = [
    Speech,
    AgendaItem,
    Attendance,
    AbsenceRequest,
    Guest,
    MeetingDocument,
    Notice,
    Amendment,
    TaskReport,
    Task,
    Resolution,
    Vote,
    Meeting,
    ScheduleRule,
    Term,
    DocumentSequence,
    SupervisorAssignment,
    AgendaTemplate,
]


def load(province: Organization) -> tuple[list[Cell], dict, dict]:
    steplen = Organization.steplen
    groups = dict(
        Organization.objects.filter(province=province, depth=2).values_list("path", "name")
    )
    cells = [
        Cell(row, groups.get(row[1][: 2 * steplen], province.name))
        for row in Organization.objects.filter(
            province=province, kind__in=CELL_KINDS, dissolved_on__isnull=True
        )
        .order_by("path")
        .values_list("id", "path", "name", "cell_type", "kind")
    ]
    by_id = {c.id: c for c in cells}
    for org_id, village_id, name in (
        CellVillage.objects.filter(province=province)
        .order_by("village__code")
        .values_list("organization_id", "village_id", "village__name")
    ):
        if org_id in by_id:
            by_id[org_id].villages.append((village_id, name))
    people = {
        row[0]: Person(row)
        for row in Member.objects.filter(province=province).values_list(
            "id",
            "dossier_no",
            "status",
            "official_date",
            "status_date",
            "person__birth_date",
            "person__sex",
            "person__full_name",
            "person__residence_village_id",
            "organization_id",
        )
    }
    away: dict[int, list] = {}
    periods = Membership.objects.filter(province=province).values_list(
        "member_id", "organization_id", "kind", "start_date", "end_date"
    )
    for member_id, org_id, kind, start, end in sorted(
        periods, key=lambda r: (people[r[0]].dossier, r[3], r[2])
    ):
        p = people[member_id]
        if kind == MembershipKind.TEMPORARY:
            away.setdefault(member_id, []).append((start, end))
        cell = by_id.get(org_id)
        if cell is not None:
            (cell.home if kind == MembershipKind.HOME else cell.attached).append((p, start, end))
    # A temporary period counts as "away" only from the home cell's point of view.
    return cells, people, away


# ---- the writer ---------------------------------------------------------------------------


class Writer:
    """All meeting tables of the seed, with the database form of each value."""

    def __init__(self, province_id: int):
        self.pid = province_id
        self.a = Adapt()
        self.rule = Table(
            ScheduleRule,
            [
                "province_id",
                "organization_id",
                "day_of_month",
                "time",
                "place",
                "duration_minutes",
                "valid_from",
                "valid_to",
                "created_by_id",
            ],
        )
        self.term = Table(Term, ["province_id", "organization_id", "start_date", "end_date"])
        self.seq = Table(
            DocumentSequence,
            ["province_id", "organization_id", "doc_type", "term_start", "last_number"],
        )
        self.meeting = Table(
            Meeting,
            [
                "uuid",
                "province_id",
                "organization_id",
                "kind",
                "status",
                "title",
                "topic",
                "period_year",
                "period_month",
                "scheduled_at",
                "place",
                "prepares_id",
                "draft_resolution",
                "started_at",
                "ended_at",
                "chair_id",
                "minutes_secretary_id",
                "notice_sent_at",
                "minutes_approved_at",
                "minutes_approved_by_id",
                "status_note",
                "postponed_to_id",
                "checks",
                "created_at",
                "updated_at",
            ],
        )
        self.attendance = Table(
            Attendance,
            [
                "province_id",
                "meeting_id",
                "member_id",
                "roster_kind",
                "member_status",
                "status",
                "reason",
                "recorded_at",
                "recorded_by_id",
            ],
            flush_at=50_000,
        )
        self.agenda = Table(
            AgendaItem,
            [
                "province_id",
                "meeting_id",
                "step",
                "order",
                "title",
                "presenter_id",
                "notes",
                "conclusion",
                "reviews_id",
            ],
            flush_at=50_000,
        )
        self.speech = Table(Speech, ["province_id", "item_id", "speaker_id", "summary"])
        self.vote = Table(
            Vote,
            [
                "province_id",
                "meeting_id",
                "motion",
                "eligible",
                "yes",
                "no",
                "abstain",
                "created_at",
            ],
        )
        self.resolution = Table(
            Resolution,
            [
                "province_id",
                "meeting_id",
                "kind",
                "number",
                "symbol",
                "summary",
                "assessment",
                "directions",
                "vote_id",
            ],
        )
        self.task = Table(
            Task,
            [
                "province_id",
                "organization_id",
                "resolution_id",
                "description",
                "assignee_id",
                "assignee_group",
                "due_date",
                "status",
                "result",
                "updated_at",
            ],
        )
        self.document = Table(
            MeetingDocument,
            [
                "province_id",
                "meeting_id",
                "kind",
                "title",
                "file",
                "text",
                "posted_at",
                "posted_by_id",
            ],
        )
        self.guest = Table(Guest, ["province_id", "meeting_id", "name", "title", "is_supervisor"])
        self.absence = Table(
            AbsenceRequest,
            [
                "province_id",
                "meeting_id",
                "member_id",
                "reason",
                "status",
                "created_at",
                "decided_at",
                "decided_by_id",
                "decision_note",
            ],
        )

    def tables(self) -> list[Table]:
        return [v for v in vars(self).values() if isinstance(v, Table)]

    def finish(self) -> dict:
        for t in self.tables():
            t.flush()
        reset_sequences([t.model for t in self.tables() if t.written])
        return {t.model._meta.model_name: t.written for t in self.tables()}


# ---- generation ---------------------------------------------------------------------------


def seed_meetings(province: Organization, seed: int, users_by_member: dict | None = None) -> dict:
    """Write the 2025 meetings of every active cell of the demo province; returns row counts."""
    rng = random.Random(f"{seed}:meetings")  # noqa: S311 -- reproducible demo data
    uuid_rng = random.Random(f"{province.code}:meetings:uuid")  # noqa: S311
    cells, people, away = load(province)
    w = Writer(province.pk)
    ctx = Context(province, rng, uuid_rng, w, cells, people, away, users_by_member or {})
    for cell in cells:
        CellYear(ctx, cell).run()
    return w.finish()


class Context:
    def __init__(self, province, rng, uuid_rng, writer, cells, people, away, users_by_member):
        self.province, self.rng, self.uuid_rng, self.w = province, rng, uuid_rng, writer
        self.people, self.away, self.users = people, away, users_by_member
        self.province_short = province.name.removeprefix("Đảng bộ tỉnh ")
        self.group_days: dict[str, tuple[int, int | None]] = {}
        self.agenda_cache: dict[tuple[str, str], list[dict]] = {}
        # Working members ("213 members") by the village they live in.
        home_type = dict(
            Organization.objects.filter(province=province, kind__in=CELL_KINDS).values_list(
                "id", "cell_type"
            )
        )
        home_name = dict(
            Organization.objects.filter(province=province, kind__in=CELL_KINDS).values_list(
                "id", "name"
            )
        )
        # The upper-level cadre following the cells of a commune: its party office's secretary.
        self.supervisors: dict[str, str] = {}
        for cell in cells:
            if cell.cell_type == CellType.AGENCY and cell.group_name not in self.supervisors:
                leaders = officers(cell, away)
                if leaders:
                    self.supervisors[cell.group_name] = leaders[0].name
        self.workers: dict[int, list[tuple[str, str]]] = {}
        for p in sorted(people.values(), key=lambda p: p.dossier):
            if (
                p.village
                and p.status in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)
                and home_type.get(p.home) not in RESIDENTIAL
            ):
                self.workers.setdefault(p.village, []).append(
                    (p.name, f"Đảng viên {home_name[p.home]}")
                )

    def items(self, kind: str, cell_type: str) -> list[dict]:
        key = (kind, cell_type)
        if key not in self.agenda_cache:
            self.agenda_cache[key] = agenda_defaults.default_items(kind, cell_type)
        return self.agenda_cache[key]

    def new_uuid(self):
        return uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)


# ---- the weeks ahead -------------------------------------------------------------------------

UPCOMING_DAYS = 60


def plan_upcoming(province: Organization, today=None) -> int:
    """Plan each active cell's regular meetings from today for UPCOMING_DAYS, from its schedule.

    The recorded history stops at the reference date (31/12/2025); without this, a demo user
    opening "Sinh hoạt" or a calendar today would find nothing ahead to prepare. These are the
    rows `services.generate_regular_meetings` writes when a secretary plans the year, with a
    UUID derived from the cell and month so a reseed on the same day gives the same rows.
    """
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=UPCOMING_DAYS)
    rules = (
        ScheduleRule.objects.filter(province=province, organization__dissolved_on__isnull=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("organization")
        .order_by("organization_id", "-valid_from")
    )
    current: dict[int, ScheduleRule] = {}
    for rule in rules:
        current.setdefault(rule.organization_id, rule)  # the latest rule of each cell
    taken = set(
        Meeting.objects.filter(
            province=province,
            kind__in=(MeetingKind.REGULAR, MeetingKind.COMBINED),
            period_year__gte=today.year,
        ).values_list("organization_id", "period_year", "period_month")
    )
    rows = []
    for org_id, rule in current.items():
        year, month = today.year, today.month
        while (year, month) <= (end.year, end.month):
            day = dt.date(year, month, rule.day_of_month)
            if today <= day <= end and (org_id, year, month) not in taken:
                rows.append(
                    Meeting(
                        uuid=uuid.uuid5(
                            uuid.NAMESPACE_URL,
                            f"chibo-demo:{province.code}:{rule.organization.code}:{year}-{month:02d}",
                        ),
                        province_id=province.pk,
                        organization_id=org_id,
                        kind=MeetingKind.REGULAR,
                        status=MeetingStatus.PLANNED,
                        period_year=year,
                        period_month=month,
                        scheduled_at=dt.datetime.combine(day, rule.time, tzinfo=TZ),
                        place=rule.place,
                    )
                )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    Meeting.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
