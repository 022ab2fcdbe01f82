"""Meeting quality and oversight of the demo province (issue 5), as the quality and oversight
apps would hold them on 31/12/2025 (structure.REF). Written last, from the meetings of 2025:

- **Rubrics**: the province installed the HD 12-2018 framework from 01/01/2019 and the
  100-point provincial sheet (presets.py, ``provincial_100``) from 01/01/2025, regular and
  thematic sheets each; 2025 meetings are judged by the latter (services.rubric_in_force).
- **Who follows which cell**: each commune's committee members (Role.COMMITTEE on the commune,
  one for about four cells) follow its cells (meetings.SupervisorAssignment), the first of them
  being the "Đảng ủy viên, phụ trách chi bộ" the meeting seed already put on the minutes as a
  guest; grassroots committees under the province's own committees do the same with one or two
  members; the grassroots cells directly under those committees are followed by working groups
  (2–3 members each); in about one commune in twelve, and the demo commune, cell secretaries
  attend each other's meetings (CrossAttendance, in a ring). The province's visit rule is the
  default, once a quarter (VisitPolicy).
- **Visits**: every supervisor guest on held minutes is a reported visit by that person; then
  the follower of each cell visits one of its meetings in most quarters where nobody did, so
  that about 90% of cells are visited each quarter; a few visits were cancelled; the
  cross-attending secretaries go to most of their partner cell's regular meetings. Reports:
  the score observed on the sheet, the level, and strengths, shortcomings and recommendations
  that follow the meeting's own checks (demo/oversight_texts.py). Each visitor is on the
  meeting's guests.
- **Scores**: every regular (or combined) meeting of Q4 with approved minutes is self-scored on
  its day: automatic lines from its checks (the rules of quality.services, with their
  reasons), manual lines drawn so that a meeting reaching the criteria that need full marks is
  mostly "good", the others mostly "fair", a few "average" (so the levels follow the meetings'
  data: about half of the seeded meetings miss one of those criteria, see docs/demo.md); about
  60% are confirmed by the level above: the visitor of that meeting, else the committee member
  following the cell, or in the demo commune its organization staff (`xa.tochuc`); the level
  above sometimes takes a few points off a manual line, with a remark.
- **Inspections**: each commune committee's 2025 programme of inspection and supervision with
  2–4 inspections of its cells or members, most concluded, some with violations and follow-up
  items (a few overdue on 31/12/2025).
- **The demo logins**: `xa.uyvien` takes over a few cells of the demo commune (the demo cell
  among them) from 01/07/2025, visits them and confirmed their scores, and has the next
  meetings of two of them on their schedule; `bithu` self-scored the demo cell's meetings,
  attends another cell by exchange, and the last scored meeting is left unconfirmed.

Rows are what the services of quality/ and oversight/ would write, bulk-inserted
(demo/bulk.py) without history. The automatic lines call the rule functions of
quality.services themselves, memoised on what each rule reads; demo/tests/test_seed_oversight.py
replays a sample through services.evaluate_auto.
"""

import datetime as dt
import json
import math
import random
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation

from accounts.models import Role, RoleAssignment, User
from demo import oversight_texts as texts
from demo.bulk import Adapt, Table, reset_sequences
from demo.member_life import Rows
from demo.structure import REF, REFORM, day_between
from demo.users import EMAIL_DOMAIN, USERNAMES
from meetings.models import (
    LOCKED_STATUSES,
    REGULAR_KINDS,
    AgendaItem,
    Guest,
    Meeting,
    MeetingStatus,
    SupervisorAssignment,
)
from members.models import ACTIVE_STATUSES, Member, MemberStatus
from organizations.models import CELL_KINDS, CellType, Organization, OrgKind
from oversight.models import (
    CrossAttendance,
    FollowUp,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
    Reminder,
    Visit,
    VisitKind,
    VisitNotice,
    VisitPolicy,
    VisitStatus,
    WorkingGroup,
)
from oversight.services import VISITABLE_KINDS
from quality import presets
from quality import services as quality
from quality.models import (
    AutoRule,
    ConfirmerRole,
    Criterion,
    CriterionGroup,
    CriterionScore,
    MeetingScore,
    QualityLevel,
    Rubric,
    RubricKind,
    ScoreStatus,
)

# Every table written here with a province key, deleted with one statement each (see purge).
PURGE_TABLES = [
    FollowUp,
    Inspection,
    InspectionPlan,
    VisitNotice,
    Visit,
    Reminder,
    CrossAttendance,
    WorkingGroup,
    VisitPolicy,
    SupervisorAssignment,
    CriterionScore,
    MeetingScore,
    Criterion,
    CriterionGroup,
    Rubric,
]

YEAR = REF.year
YEAR_START = dt.date(YEAR, 1, 1)
HELD = (MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)
ZERO = Decimal(0)

# The rubric versions (quality/presets.py): the central framework first, the provincial sheet
# in force for 2025.
RUBRICS = [("hd12_2018", dt.date(2019, 1, 1)), ("provincial_100", YEAR_START)]
SCORED_MONTHS = (10, 11, 12)  # Q4: the regular meetings scored

CELLS_PER_FOLLOWER = 4
FOLLOWERS = (2, 8)  # per commune, at least / at most
CROSS_SHARE = 1 / 12  # communes whose secretaries attend each other's cells
CROSS_CELLS = 4
CROSS_FROM = dt.date(YEAR, 3, 1)
CROSS_ATTEND = 0.6  # of the partner cell's regular meetings
CELLS_PER_GROUP = 40
MAX_GROUPS = 8
# A cell-quarter: visited by its follower when no recorded guest visited it, or also then.
VISIT_UNCOVERED = 0.82
VISIT_COVERED = 0.2
CANCELLED_SHARE = 0.03
REPORT_DELAY = (0, 6)  # days from the visit to the report
# Scores: a meeting that reaches every criterion needing full marks is "good" with this
# probability; a few cells are poor all quarter.
GOOD_WHEN_POSSIBLE = 0.93
POOR_CELL = 0.03
POOR_MEETING = 0.04
GOOD_LOSS = [0, 0, 0, 0, 0.5, 1, 1, 1, 1.5, 2, 2, 3]
FAIR_LOSS = [0, 1, 1, 2, 2, 3, 3, 4, 5, 6]
CONFIRMED_SHARE = 0.6
CONFIRM_LAG = (2, 20)
CONFIRM_LOWER = 0.15
# Levels a visitor writes without a sheet (a year-end or liaison meeting, minutes not approved).
OBSERVED_LEVELS = [(QualityLevel.GOOD, 80), (QualityLevel.FAIR, 17), (QualityLevel.AVERAGE, 3)]
OBSERVED_RANGE = {
    QualityLevel.GOOD: (90, 98),
    QualityLevel.FAIR: (72, 89),
    QualityLevel.AVERAGE: (55, 69),
}
INSPECTIONS = (2, 4)
MEMBER_SUBJECT = 0.3
VIOLATION = {"cell": 0.2, "member": 0.35}
FOLLOW_UP_DONE = 0.92  # of the items due by 31/12/2025
UNUSABLE_PASSWORD = "!demo-oversight"  # starts with "!": Django's mark of an unusable password


def quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _d(x) -> Decimal:
    return Decimal(str(x))


# ---- what the other seed steps wrote -------------------------------------------------------


class MeetingRow:
    """A held meeting as the seed reads it; its checks are parsed on first use."""

    __slots__ = (
        "id",
        "cell",
        "kind",
        "status",
        "day",
        "month",
        "chair_id",
        "minutes_secretary_id",
        "started_at",
        "ended_at",
        "_raw",
        "_checks",
    )

    def __init__(self, pk, cell, kind, status, day, month, chair, secretary, timed, raw):
        self.id, self.cell, self.kind, self.status, self.day = pk, cell, kind, status, day
        self.month, self.chair_id, self.minutes_secretary_id = month, chair, secretary
        # quality.services._minutes only reads `started_at and ended_at`.
        self.started_at = self.ended_at = bool(timed)
        self._raw, self._checks = raw, None

    @property
    def checks(self) -> dict:
        if self._checks is None:
            self._checks = json.loads(self._raw) if self._raw else {}
        return self._checks


class Sources:
    """The province's organizations, members, 2025 meetings and guests, in a handful of queries."""

    def __init__(self, province: Organization):
        self.province = province
        step = Organization.steplen
        tz = timezone.get_default_timezone()
        self.orgs = [
            SimpleNamespace(
                id=r[0], path=r[1], depth=r[2], kind=r[3], cell_type=r[4], code=r[5], name=r[6]
            )
            for r in Organization.objects.filter(province=province, dissolved_on__isnull=True)
            .order_by("path")
            .values_list("id", "path", "depth", "kind", "cell_type", "code", "name")
        ]
        self.org = {o.id: o for o in self.orgs}
        by_path = {o.path: o for o in self.orgs}
        self.cells = [o for o in self.orgs if o.kind in CELL_KINDS]
        for c in self.cells:
            # The grassroots committee above the cell (a commune, or one under a province
            # committee), if any; and the organization directly under the province.
            c.committee = next(
                (
                    by_path[c.path[:end]]
                    for end in range(len(c.path) - step, step, -step)
                    if c.path[:end] in by_path
                    and by_path[c.path[:end]].kind == OrgKind.GRASSROOTS_COMMITTEE
                ),
                None,
            )
            c.top = by_path.get(c.path[: 2 * step])
            c.poor = False
        self.top_level = [o for o in self.orgs if o.depth == province.depth + 1]

        # Members: names, official members per cell, active members per cell.
        self.names: dict[int, str] = {}
        self.officials = defaultdict(list)  # cell id → [(member id, name)], by dossier
        self.active = defaultdict(list)  # cell id → member ids
        self.names_in_cell = defaultdict(set)
        for pk, status, org_id, name in (
            Member.objects.filter(province=province)
            .order_by("dossier_no")
            .values_list("id", "status", "organization_id", "person__full_name")
        ):
            self.names[pk] = name
            if status in ACTIVE_STATUSES:
                self.active[org_id].append(pk)
                self.names_in_cell[org_id].add(name)
            if status == MemberStatus.OFFICIAL:
                self.officials[org_id].append((pk, name))

        # The held meetings of 2025 a visit may attend, by cell and date.
        self.meetings = defaultdict(list)
        self.meeting = {}
        for r in (
            Meeting.objects.filter(
                province=province, period_year=YEAR, kind__in=VISITABLE_KINDS, status__in=HELD
            )
            # Only whether both times are recorded matters (the minutes criterion).
            .annotate(
                timed=ExpressionWrapper(
                    Q(started_at__isnull=False, ended_at__isnull=False),
                    output_field=BooleanField(),
                ),
                # The checks as stored: parsed only for the meetings scored or visited.
                checks_text=Cast("checks", TextField()),
            )
            .order_by("scheduled_at", "pk")
            .values_list(
                "id",
                "organization_id",
                "kind",
                "status",
                "scheduled_at",
                "period_month",
                "chair_id",
                "minutes_secretary_id",
                "timed",
                "checks_text",
            )
        ):
            m = MeetingRow(*r[:4], r[4].astimezone(tz).date(), *r[5:])
            if m.day > REF:
                continue
            self.meetings[m.cell].append(m)
            self.meeting[m.id] = m
        self.steps = defaultdict(set)  # meeting id → agenda steps (the minutes criterion)
        for meeting_id, step_value in (
            AgendaItem.objects.filter(
                province=province,
                meeting__period_year=YEAR,
                meeting__status__in=LOCKED_STATUSES,
                meeting__kind__in=list(quality.RUBRIC_KIND),
            )
            .order_by()  # AgendaItem's ordering would join the meeting and spoil DISTINCT
            .values_list("meeting_id", "step")
            .distinct()
        ):
            self.steps[meeting_id].add(step_value)
        # The supervisor guests the meeting seed put on the minutes (one person per commune or
        # province committee: the "Đảng ủy viên, phụ trách chi bộ").
        self.guests = defaultdict(set)  # meeting id → names of guests from the level above
        self.supervisor_name = {}  # path of the organization under the province → name
        for meeting_id, name, path in (
            Guest.objects.filter(province=province, is_supervisor=True)
            .order_by("pk")
            .values_list("meeting_id", "name", "meeting__organization__path")
        ):
            self.guests[meeting_id].add(name)
            self.supervisor_name.setdefault(path[: 2 * step], name)

        # The demo logins (demo/users.py).
        self.users = {
            username: (pk, member_id)
            for username, pk, member_id in User.objects.filter(
                email__endswith="@" + EMAIL_DOMAIN, username__in=USERNAMES
            ).values_list("username", "pk", "member_id")
        }
        bithu = self.users.get("bithu", (None, None))[1]
        demo_cell = (
            Member.objects.filter(pk=bithu).values_list("organization_id", flat=True).first()
            if bithu
            else None
        )
        self.demo_cell = self.org.get(demo_cell)
        self.demo_commune = self.demo_cell.committee if self.demo_cell else None
        self.demo_members = {m for _u, m in self.users.values() if m}

    def user(self, username: str) -> int | None:
        return self.users.get(username, (None, None))[0]


# ---- the seed -------------------------------------------------------------------------------


def seed_oversight(province: Organization, seed: int) -> dict:
    """Write the quality and oversight records of the demo province; returns row counts."""
    rng = random.Random(f"{seed}:oversight")  # noqa: S311 -- reproducible demo data
    uuid_rng = random.Random(f"{province.code}:oversight:uuid")  # noqa: S311
    with translation.override(settings.LANGUAGE_CODE):  # reasons are written in Vietnamese
        o = Oversight(Sources(province), rng, uuid_rng)
        o.run()
    return o.finish()


class Oversight:
    def __init__(self, src: Sources, rng, uuid_rng):
        self.src, self.rng, self.uuid_rng = src, rng, uuid_rng
        self.pid = src.province.pk
        a = self.a = Adapt()
        now = timezone.now()
        const = {"province_id": self.pid}
        joined = dt.datetime(YEAR, 1, 2, 8, 0, tzinfo=timezone.get_default_timezone())
        self.user_rows = Rows(
            User,
            ["username", "first_name", "last_name", "email", "password"],
            a,
            {
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "date_joined": joined,
            },
        )
        self.role_rows = Rows(
            RoleAssignment,
            ["user_id", "role", "organization_id", "valid_from", "valid_to", "note"],
            a,
            const,
        )
        self.follow_rows = Rows(
            SupervisorAssignment, ["user_id", "organization_id", "valid_from", "valid_to"], a, const
        )
        self.group_rows = Rows(
            WorkingGroup, ["uuid", "organization_id", "name", "valid_from", "valid_to"], a, const
        )
        self.group_members = Table(WorkingGroup.members.through, ["workinggroup_id", "user_id"])
        self.group_cells = Table(WorkingGroup.cells.through, ["workinggroup_id", "organization_id"])
        self.cross_rows = Rows(
            CrossAttendance,
            ["uuid", "organization_id", "visitor_id", "from_cell_id", "cell_id", "valid_from"],
            a,
            const,
        )
        self.policy_rows = Rows(
            VisitPolicy, ["organization_id", "visits_per_quarter", "effective_from"], a, const
        )
        self.visit_rows = Rows(
            Visit,
            [
                "uuid",
                "cell_id",
                "meeting_id",
                "visitor_id",
                "kind",
                "group_id",
                "planned_on",
                "status",
                "observed_total",
                "observed_level",
                "strengths",
                "shortcomings",
                "recommendations",
                "reported_on",
                "cancel_reason",
                "created_by_id",
            ],
            a,
            {**const, "created_at": now},
        )
        self.guest_rows = Rows(Guest, ["meeting_id", "name", "title", "is_supervisor"], a, const)
        self.score_rows = Rows(
            MeetingScore,
            [
                "uuid",
                "meeting_id",
                "organization_id",
                "period_year",
                "period_month",
                "rubric_id",
                "status",
                "self_total",
                "self_level",
                "self_by_id",
                "self_on",
                "confirmed_total",
                "confirmed_level",
                "confirmed_by_id",
                "confirmed_on",
                "confirmer_role",
                "confirm_note",
                "final_level",
            ],
            a,
            const,
        )
        self.line_rows = Table(
            CriterionScore,
            [
                "province_id",
                "score_id",
                "criterion_id",
                "auto_points",
                "auto_reason",
                "self_points",
                "confirmed_points",
            ],
            flush_at=50_000,
        )
        self.plan_rows = Rows(
            InspectionPlan,
            [
                "uuid",
                "organization_id",
                "year",
                "number",
                "approved_on",
                "summary",
                "created_by_id",
            ],
            a,
            const,
        )
        self.inspection_rows = Rows(
            Inspection,
            [
                "uuid",
                "organization_id",
                "plan_id",
                "kind",
                "subject_org_id",
                "subject_member_id",
                "topic",
                "status",
                "planned_from",
                "planned_to",
                "started_on",
                "concluded_on",
                "conclusion_no",
                "conclusion",
                "violation_found",
                "created_by_id",
            ],
            a,
            const,
        )
        self.follow_up_rows = Rows(
            FollowUp,
            ["inspection_id", "text", "responsible", "due_on", "done_on", "result"],
            a,
            const,
        )
        self.prefix = src.province.code.lower() + "."
        self.follow = defaultdict(list)  # cell id → [(person, from, to)]
        self.groups = defaultdict(list)  # cell id → [(group id, members)]
        self.cross = defaultdict(list)  # cell visited → [(person, from cell, from)]
        self.people_by_name = {}  # (path under the province, name) → person
        self.secretary = {}  # cell id → the person of its secretary, when a user
        self.scores = {}  # meeting id → score
        self.keep_open = set()  # meeting ids whose score stays unconfirmed (the demo)
        self.visited = defaultdict(set)  # meeting id → visitor user ids
        self.guest_added = defaultdict(set)
        self.auto_cache = {}
        self.demo_follows = []

    def uuid(self):
        return uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)

    def finish(self) -> dict:
        tables = [
            self.user_rows,
            self.role_rows,
            self.follow_rows,
            self.group_rows,
            self.group_members,
            self.group_cells,
            self.cross_rows,
            self.policy_rows,
            self.visit_rows,
            self.guest_rows,
            self.score_rows,
            self.line_rows,
            self.plan_rows,
            self.inspection_rows,
            self.follow_up_rows,
        ]
        for t in tables:
            t.flush()
        reset_sequences([t.model for t in tables if t.written])
        return {t.model._meta.model_name: t.written for t in tables}

    def run(self):
        self.install_rubrics()
        self.followers()
        self.self_scores()
        self.visits()
        self.confirm_rest()
        self.write_scores()
        self.inspections()
        self.upcoming_visits()

    # ---- rubrics ------------------------------------------------------------------------------

    def install_rubrics(self):
        """services.install_preset's rows for the two presets, without history."""
        province = self.src.province
        staff = self.src.user("tinh.tochuc")
        rubrics, sheets = [], []
        for key, effective_from in RUBRICS:
            for kind, sheet in presets.PRESETS[key].sheets.items():
                data = presets.sheet_data(sheet)
                rubrics.append(
                    Rubric(
                        uuid=self.uuid(),
                        province_id=province.pk,
                        organization_id=province.pk,
                        kind=kind,
                        preset=key,
                        created_by_id=staff,
                        effective_from=effective_from,
                        **{f: v for f, v in data.items() if f != "groups"},
                    )
                )
                sheets.append(data["groups"])
        Rubric.objects.bulk_create(rubrics)
        groups = [
            (
                CriterionGroup(province_id=province.pk, rubric=r, order=i, name=g["name"]),
                g["criteria"],
            )
            for r, data in zip(rubrics, sheets, strict=True)
            for i, g in enumerate(data, start=1)
        ]
        CriterionGroup.objects.bulk_create([g for g, _c in groups])
        Criterion.objects.bulk_create(
            Criterion(
                province_id=province.pk,
                group=g,
                order=i,
                text=c["text"],
                max_points=c["max_points"],
                required_for_top=c["required_for_top"],
                auto_rule=c["auto_rule"],
                auto_param=c["auto_param"] if c["auto_rule"] in quality.RATE_RULES else None,
            )
            for g, criteria in groups
            for i, c in enumerate(criteria, start=1)
        )
        self.rubrics = {
            kind: quality.rubric_in_force(province.pk, kind, REF) for kind in RubricKind.values
        }
        for r in self.rubrics.values():
            # Plain copies: the sheets below read these fields a few million times.
            r.criteria = [
                SimpleNamespace(
                    pk=c.pk,
                    max_points=c.max_points,
                    auto_rule=c.auto_rule,
                    auto_param=c.auto_param,
                    required_for_top=c.required_for_top,
                )
                for c in r.all_criteria()
            ]
            r.auto = [c for c in r.criteria if c.auto_rule]
            r.manual = [c for c in r.criteria if not c.auto_rule]
            r.top = [c for c in r.criteria if c.required_for_top]

    def rubric_for(self, m) -> Rubric | None:
        kind = quality.RUBRIC_KIND.get(m.kind)
        return self.rubrics.get(kind) if kind else None

    # ---- people -------------------------------------------------------------------------------

    def new_user(self, key: str, name: str, role: str, org, valid_from: dt.date, home=None):
        username = f"{self.prefix}{key}"
        pk = self.user_rows.new(
            username=username,
            first_name=name,
            last_name="",
            email=f"{username}@{EMAIL_DOMAIN}",
            password=UNUSABLE_PASSWORD,
        )
        self.role_rows.new(
            user_id=pk, role=role, organization_id=org.id, valid_from=valid_from, note=ROLE_NOTE
        )
        return SimpleNamespace(id=pk, name=name, home=home, org=org)

    def _pool(self, cells, used: set) -> list[tuple[int, str]]:
        """Officials of these cells (agency cells first) whose names are not taken yet: the
        committee members of the organization above them."""
        src = self.src
        demo = src.demo_cell.id if src.demo_cell else None
        agency = [c for c in cells if c.cell_type == CellType.AGENCY and c.id != demo]
        others = [c for c in cells if c.cell_type != CellType.AGENCY and c.id != demo]
        out = []
        for group in (agency, others):
            found = [
                (c.id, name)
                for c in group
                for member_id, name in src.officials.get(c.id, [])
                if name not in used and member_id not in src.demo_members
            ]
            self.rng.shuffle(found)
            out += found
        return out

    def _committee_members(self, org, cells, n: int, key: str) -> list:
        """n committee members of `org` (Role.COMMITTEE on it), the recorded supervisor guest
        first when there is one."""
        src = self.src
        people, used = [], set()
        first = src.supervisor_name.get(org.path) if org.depth == 2 else None
        if first:
            home = next((c.id for c in cells if first in src.names_in_cell.get(c.id, ())), None)
            people.append((home, first))
            used.add(first)
        for home, name in self._pool(cells, used):
            if len(people) >= n:
                break
            if name in used:
                continue
            used.add(name)
            people.append((home, name))
        out = []
        for i, (home, name) in enumerate(people, start=1):
            person = self.new_user(
                f"{key}{org.code}.{i}", name, Role.COMMITTEE, org, YEAR_START, home
            )
            if org.depth == 2:  # whom the supervisor guests on the minutes name
                self.people_by_name.setdefault((org.path, name), person)
            out.append(person)
        return out

    def followers(self):
        src, rng = self.src, self.rng
        self.policy_rows.new(
            organization_id=self.pid, visits_per_quarter=1, effective_from=YEAR_START
        )
        by_committee = defaultdict(list)
        unit_cells = defaultdict(list)
        for c in src.cells:
            if c.committee is not None:
                by_committee[c.committee.id].append(c)
            elif c.top is not None and c.top.kind == OrgKind.PROVINCE_UNIT:
                unit_cells[c.top.id].append(c)
        # Committee members following the cells of each grassroots committee.
        for committee_id, cells in by_committee.items():
            org = src.org[committee_id]
            if org.depth == 2:
                n = min(max(math.ceil(len(cells) / CELLS_PER_FOLLOWER), FOLLOWERS[0]), FOLLOWERS[1])
            else:
                n = 1 if len(cells) <= CELLS_PER_FOLLOWER else 2
            people = self._committee_members(org, cells, min(n, len(cells)), "uv")
            if not people:
                continue
            chunks = _split(cells, len(people))
            for i, person in enumerate(people):
                for c in chunks[i]:
                    # Nobody follows their own cell: the next one takes it.
                    who = people[(i + 1) % len(people)] if c.id == person.home else person
                    self.follow[c.id].append([who, YEAR_START, None])
            if src.demo_commune is not None and org.id == src.demo_commune.id:
                self._demo_takes_over(cells)
        for cell_id, periods in self.follow.items():
            for who, start, end in periods:
                self.follow_rows.new(
                    user_id=who.id, organization_id=cell_id, valid_from=start, valid_to=end
                )
        # Working groups of the province's own committees, for their grassroots cells.
        for unit in src.top_level:
            cells = unit_cells.get(unit.id)
            if not cells:
                continue
            n_groups = min(math.ceil(len(cells) / CELLS_PER_GROUP), MAX_GROUPS)
            members = self._committee_members(unit, cells, n_groups * 3, "tct")
            if not members:
                continue
            chunks = _split(cells, n_groups)
            for i in range(n_groups):
                team = members[i::n_groups][: rng.randint(2, 3)] or members[:1]
                group_id = self.group_rows.new(
                    uuid=self.uuid(),
                    organization_id=unit.id,
                    name=f"Tổ công tác số {i + 1}",
                    valid_from=YEAR_START,
                )
                for person in team:
                    self.group_members.add(group_id, person.id)
                for c in chunks[i]:
                    self.group_cells.add(group_id, c.id)
                    self.groups[c.id].append((group_id, team))
        self._cross_attendance(by_committee)

    def _demo_takes_over(self, cells):
        """`xa.uyvien` follows the demo cell and its neighbours from 01/07/2025."""
        src = self.src
        pk = src.user("xa.uyvien")
        if pk is None:
            return
        person = SimpleNamespace(id=pk, name="", home=None, org=src.demo_commune)
        i = next(i for i, c in enumerate(cells) if c.id == src.demo_cell.id)
        taken = cells[i : i + (3 if len(cells) > 4 else 2)]
        for c in taken:
            periods = self.follow[c.id]
            periods[-1][2] = REFORM - dt.timedelta(days=1)
            periods.append([person, REFORM, None])
        self.demo_follows = [c.id for c in taken]

    def follower_on(self, cell_id: int, day: dt.date):
        for who, start, end in self.follow.get(cell_id, ()):
            if start <= day and (end is None or day <= end):
                return who
        return None

    def _cross_attendance(self, by_committee):
        """Secretaries attending each other's cells in a ring, in a few communes."""
        src, rng = self.src, self.rng
        communes = [src.org[k] for k in by_committee if src.org[k].depth == 2]
        chosen = [c for c in communes if rng.random() < CROSS_SHARE]
        if src.demo_commune is not None and src.demo_commune not in chosen:
            chosen.append(src.demo_commune)
        for commune in chosen:
            demo = commune is src.demo_commune
            cells = [
                c
                for c in by_committee[commune.id]
                if c.depth == commune.depth + 1
                and c.cell_type in (CellType.VILLAGE, CellType.RESIDENTIAL)
            ]
            if len(cells) < 2:
                continue
            if demo:
                i = cells.index(src.demo_cell) if src.demo_cell in cells else 0
                ring = (cells[i:] + cells[:i])[:CROSS_CELLS]
            else:
                start = rng.randrange(len(cells))
                ring = (cells[start:] + cells[:start])[:CROSS_CELLS]
            valid_from = REFORM if demo else CROSS_FROM
            people = [self._secretary(c) for c in ring]
            for k, (cell, person) in enumerate(zip(ring, people, strict=True)):
                target = ring[(k + 1) % len(ring)]
                if person is None or target is cell:
                    continue
                self.cross_rows.new(
                    uuid=self.uuid(),
                    organization_id=commune.id,
                    visitor_id=person.id,
                    from_cell_id=cell.id,
                    cell_id=target.id,
                    valid_from=valid_from,
                )
                self.cross[target.id].append((person, cell, valid_from))

    def _secretary(self, cell):
        """The cell's secretary as a user: `bithu` for the demo cell, else the member who
        chaired most of its regular meetings (Role.SECRETARY on the cell)."""
        src = self.src
        if cell.id in self.secretary:
            return self.secretary[cell.id]
        if src.demo_cell is not None and cell.id == src.demo_cell.id:
            pk = src.user("bithu")
            person = SimpleNamespace(id=pk, name="", home=cell.id, org=cell) if pk else None
        else:
            chairs = Counter(
                m.chair_id
                for m in src.meetings.get(cell.id, ())
                if m.kind in REGULAR_KINDS and m.chair_id
            )
            if not chairs:
                return None
            chair = min(chairs, key=lambda k: (-chairs[k], k))
            person = self.new_user(
                f"bt{cell.code}", src.names[chair], Role.SECRETARY, cell, YEAR_START, cell.id
            )
        self.secretary[cell.id] = person
        return person

    # ---- score sheets -------------------------------------------------------------------------

    def auto(self, m, rubric) -> dict[int, tuple[Decimal, str]]:
        """quality.services.evaluate_auto for a seeded meeting, without its queries: the same
        rule functions, called once per distinct input."""
        steps = self.src.steps.get(m.id, set())
        out = {}
        for c in rubric.auto:
            key = (c.pk, AUTO_INPUTS[c.auto_rule](m, m.checks, steps))
            hit = self.auto_cache.get(key)
            if hit is None:
                ok, reason = quality.RULES[c.auto_rule](m, m.checks, c.auto_param, steps)
                hit = self.auto_cache[key] = (c.max_points if ok else ZERO, str(reason))
            out[c.pk] = hit
        return out

    def sheet(self, m, rubric, poor: bool = False) -> SimpleNamespace:
        """A filled sheet of an approved meeting: the automatic lines, and manual points as a
        cell (or a visitor) would give them."""
        rng = self.rng
        auto = self.auto(m, rubric)
        points = {pk: pts for pk, (pts, _reason) in auto.items()}
        top_auto = all(points[c.pk] >= c.max_points for c in rubric.top if c.auto_rule)
        full = sum((c.max_points for c in rubric.manual), ZERO)
        best = sum(points.values(), ZERO) + full
        slack = best - rubric.good_from
        if top_auto and slack >= 0 and not poor and rng.random() < GOOD_WHEN_POSSIBLE:
            loss = min(_d(rng.choice(GOOD_LOSS)), slack)
            keep_top = True
        else:
            loss = _d(rng.choice(FAIR_LOSS))
            if top_auto and best - loss >= rubric.good_from:
                loss = slack + _d(rng.choice([0.5, 1, 2, 3]))  # short of "good"
            if poor or rng.random() < POOR_MEETING:
                loss += rng.randint(8, 20)
            keep_top = False
        points.update(self._spread(rubric, loss, keep_top))
        total, level = self.level(rubric, points)
        return SimpleNamespace(auto=auto, points=points, total=total, level=level)

    def _spread(self, rubric, loss: Decimal, keep_top: bool) -> dict[int, Decimal]:
        """Manual points adding up to their maximum less `loss`, taken in half and whole
        points from a few criteria (never from one needing full marks when keep_top)."""
        rng = self.rng
        points = {c.pk: c.max_points for c in rubric.manual}
        open_ = [c for c in rubric.manual if not (keep_top and c.required_for_top)]
        left = min(loss, sum((points[c.pk] for c in open_), ZERO))
        while left > 0 and open_:
            c = rng.choice(open_)
            take = min(left, _d(rng.choice([0.5, 1, 1, 2])), points[c.pk])
            points[c.pk] -= take
            left -= take
            if points[c.pk] <= 0:
                open_.remove(c)
        return points

    @staticmethod
    def level(rubric, points) -> tuple[Decimal, str]:
        total = sum((points[c.pk] for c in rubric.criteria), ZERO)
        top_ok = all(points[c.pk] >= c.max_points for c in rubric.top)
        return total, rubric.level_for(total, top_ok)

    # ---- scores ---------------------------------------------------------------------------------

    def self_scores(self):
        """Each Q4 regular meeting with approved minutes, self-scored on its day."""
        src, rng = self.src, self.rng
        rubric = self.rubrics[RubricKind.REGULAR]
        bithu = src.user("bithu")
        demo = src.demo_cell.id if src.demo_cell else None
        for cell in src.cells:
            cell.poor = rng.random() < POOR_CELL and cell.id != demo
            scored = [
                m
                for m in src.meetings.get(cell.id, ())
                if m.kind in REGULAR_KINDS
                and m.status in LOCKED_STATUSES
                and m.month in SCORED_MONTHS
                and m.checks
            ]
            secretary = bithu if cell.id == demo else None
            for m in scored:
                s = self.sheet(m, rubric, cell.poor)
                self.scores[m.id] = SimpleNamespace(
                    meeting=m,
                    cell=cell,
                    rubric=rubric,
                    sheet=s,
                    self_by=secretary,
                    confirmed=None,
                )
            if cell.id == demo and scored:
                self.keep_open.add(scored[-1].id)  # for `xa.uyvien` or `xa.tochuc` to confirm
        for cell_id, person in self.secretary.items():
            for m in src.meetings.get(cell_id, ()):
                if m.id in self.scores and person is not None:
                    self.scores[m.id].self_by = person.id

    def confirm(self, score, by: int, role: str, on: dt.date):
        """services.confirm_score: the self-score as it is, or a few manual points less."""
        rng = self.rng
        rubric, points = score.rubric, dict(score.sheet.points)
        note = ""
        if rng.random() < CONFIRM_LOWER:
            lowered = [c for c in rubric.manual if points[c.pk] > 0]
            for c in rng.sample(lowered, min(len(lowered), rng.randint(1, 2))):
                points[c.pk] -= min(points[c.pk], _d(rng.choice([0.5, 1, 1, 2])))
            note = rng.choice(texts.CONFIRM_LOWER_NOTES)
        elif rng.random() < 0.3:
            note = rng.choice(texts.CONFIRM_AGREE_NOTES)
        total, level = self.level(rubric, points)
        score.confirmed = SimpleNamespace(
            points=points, total=total, level=level, by=by, role=role, on=on, note=note
        )

    def confirm_rest(self):
        """Up to CONFIRMED_SHARE confirmed: the follower of the cell on the meeting's day, or in
        the demo commune its organization staff as the committee above."""
        src, rng = self.src, self.rng
        staff = src.user("xa.tochuc")
        demo = src.demo_commune.id if src.demo_commune else None
        waiting = []
        for score in self.scores.values():
            if score.confirmed is not None or score.meeting.id in self.keep_open:
                continue
            m = score.meeting
            on = m.day + dt.timedelta(days=rng.randint(*CONFIRM_LAG))
            follower = self.follower_on(m.cell, m.day)
            if on > REF or follower is None:
                continue
            waiting.append((score, on, follower))
        done = sum(1 for s in self.scores.values() if s.confirmed is not None)
        need = CONFIRMED_SHARE * len(self.scores) - done
        share = max(0.0, min(1.0, need / len(waiting))) if waiting else 0
        for score, on, follower in waiting:
            if rng.random() >= share:
                continue
            committee = score.cell.committee
            if committee is not None and committee.id == demo and staff and rng.random() < 0.4:
                self.confirm(score, staff, ConfirmerRole.COMMITTEE, on)
            else:
                self.confirm(score, follower.id, ConfirmerRole.SUPERVISOR, on)

    def write_scores(self):
        for score in sorted(self.scores.values(), key=lambda s: s.meeting.id):
            m, s, c = score.meeting, score.sheet, score.confirmed
            pk = self.score_rows.new(
                uuid=self.uuid(),
                meeting_id=m.id,
                organization_id=m.cell,
                period_year=YEAR,
                period_month=m.month,
                rubric_id=score.rubric.pk,
                status=ScoreStatus.CONFIRMED if c else ScoreStatus.SELF_SCORED,
                self_total=s.total,
                self_level=s.level,
                self_by_id=score.self_by,
                self_on=m.day,
                confirmed_total=c.total if c else None,
                confirmed_level=c.level if c else "",
                confirmed_by_id=c.by if c else None,
                confirmed_on=c.on if c else None,
                confirmer_role=c.role if c else "",
                confirm_note=c.note if c else "",
                final_level=c.level if c else s.level,
            )
            for criterion in score.rubric.criteria:
                auto = s.auto.get(criterion.pk)
                self.line_rows.add(
                    self.pid,
                    pk,
                    criterion.pk,
                    auto[0] if auto else None,
                    auto[1] if auto else "",
                    s.points[criterion.pk],
                    c.points[criterion.pk] if c else None,
                )

    # ---- visits ---------------------------------------------------------------------------------

    def visits(self):
        src, rng = self.src, self.rng
        xa_uyvien = src.user("xa.uyvien")
        for cell in src.cells:
            meetings = src.meetings.get(cell.id, [])
            if not meetings:
                continue
            covered = set()
            # The supervisor guests on the minutes: each a visit by that person.
            top = cell.top.path if cell.top else ""
            for m in meetings:
                for name in sorted(src.guests.get(m.id, ())):
                    person = self.people_by_name.get((top, name))
                    if person is None or person.home == cell.id:
                        continue
                    self.visit(cell, m, person, self.kind_of(person, cell, m.day))
                    covered.add(quarter(m.day))
            for q in range(1, 5):
                in_q = [m for m in meetings if quarter(m.day) == q]
                if not in_q:
                    continue
                demo_visit = xa_uyvien is not None and q >= 3 and cell.id in self._demo_cells()
                p = VISIT_COVERED if q in covered else VISIT_UNCOVERED
                if not demo_visit and rng.random() >= p:
                    continue
                self._follower_visit(cell, in_q)
            for person, from_cell, start in self.cross.get(cell.id, ()):
                for m in meetings:
                    if m.kind in REGULAR_KINDS and m.day >= start and rng.random() < CROSS_ATTEND:
                        self.visit(cell, m, person, VisitKind.CROSS, from_cell=from_cell)

    def _demo_cells(self) -> list[int]:
        return self.demo_follows

    def kind_of(self, person, cell, day) -> tuple[str, int | None]:
        """How the person follows the cell on that day (oversight.following.ways, first)."""
        follower = self.follower_on(cell.id, day)
        if follower is not None and follower.id == person.id:
            return VisitKind.SUPERVISOR, None
        for group_id, team in self.groups.get(cell.id, ()):
            if any(p.id == person.id for p in team):
                return VisitKind.WORKING_GROUP, group_id
        return VisitKind.OTHER, None

    def _follower_visit(self, cell, in_q):
        """The follower (or a member of the working group) attends one meeting of the quarter,
        a regular one most often; a few visits planned earlier were cancelled."""
        rng = self.rng
        options = []
        for m in in_q:
            follower = self.follower_on(cell.id, m.day)
            if follower is not None:
                options.append((m, follower, VisitKind.SUPERVISOR, None))
            else:
                for group_id, team in self.groups.get(cell.id, ()):
                    options.append((m, rng.choice(team), VisitKind.WORKING_GROUP, group_id))
        options = [
            o
            for o in options
            if o[1].id not in self.visited[o[0].id] and o[0].id not in self.keep_open
        ]
        if not options:
            return
        if cell.id in self.demo_follows:
            # The demo supervisor went to a scored meeting, and so confirmed its score.
            options = [o for o in options if o[0].id in self.scores] or options
        weights = [6 if o[0].kind in REGULAR_KINDS else 1 for o in options]
        m, person, kind, group = rng.choices(options, weights)[0]
        if rng.random() < CANCELLED_SHARE:
            self.visit(cell, m, person, (kind, group), cancelled=True)
            later = [o for o in options if o[0].day > m.day and o[1].id == person.id]
            if not later:
                return
            m, person, kind, group = rng.choice(later)
        self.visit(cell, m, person, (kind, group))

    def visit(self, cell, m, person, how, *, from_cell=None, cancelled=False):
        """One visit to meeting `m`: cancelled, or reported with what the visitor observed; a
        visit of the level above to a scored meeting confirms its score."""
        rng = self.rng
        kind, group = how if isinstance(how, tuple) else (how, None)
        values = {
            "uuid": self.uuid(),
            "cell_id": cell.id,
            "meeting_id": m.id,
            "visitor_id": person.id,
            "kind": kind,
            "group_id": group,
            "planned_on": m.day,
            "created_by_id": person.id,
        }
        if cancelled:
            self.visit_rows.new(
                status=VisitStatus.CANCELLED,
                cancel_reason=rng.choice(texts.CANCEL_REASONS),
                **values,
            )
            return
        reported = min(REF, m.day + dt.timedelta(days=rng.randint(*REPORT_DELAY)))
        total, level = self.observe(m, cell, person, kind, reported)
        strengths, shortcomings, recommendations = self.report(m, cell, level)
        self.visit_rows.new(
            status=VisitStatus.REPORTED,
            observed_total=total,
            observed_level=level,
            strengths=strengths,
            shortcomings=shortcomings,
            recommendations=recommendations,
            reported_on=reported,
            **values,
        )
        self.visited[m.id].add(person.id)
        name = person.name or self._name(person.id)
        if (
            name
            and name not in self.src.guests.get(m.id, ())
            and name not in self.guest_added[m.id]
        ):
            if kind == VisitKind.CROSS:
                title = texts.CROSS_GUEST_TITLE.format(cell=from_cell.name)
            else:
                title = texts.GUEST_TITLE[kind]
            self.guest_rows.new(
                meeting_id=m.id, name=name, title=title[:200], is_supervisor=kind != VisitKind.CROSS
            )
            self.guest_added[m.id].add(name)

    def _name(self, user_id) -> str:
        names = getattr(self, "_user_names", None)
        if names is None:
            names = self._user_names = dict(
                User.objects.filter(pk__in=[pk for pk, _m in self.src.users.values()]).values_list(
                    "pk", "first_name"
                )
            )
        return names.get(user_id, "")

    def observe(self, m, cell, person, kind, reported) -> tuple[Decimal, str]:
        """The score and level the visitor writes: the confirmed score of a scored meeting they
        confirm; else the sheet as they fill it in; else a level of their own."""
        rng = self.rng
        score = self.scores.get(m.id)
        if score is not None:
            if score.confirmed is None and kind != VisitKind.CROSS and m.id not in self.keep_open:
                self.confirm(score, person.id, ConfirmerRole.SUPERVISOR, reported)
            seen = score.confirmed or score.sheet
            return seen.total, seen.level
        rubric = self.rubric_for(m)
        if rubric is not None and m.status in LOCKED_STATUSES and m.checks:
            s = self.sheet(m, rubric, cell.poor)
            return s.total, s.level
        level = rng.choices([lv for lv, _w in OBSERVED_LEVELS], [w for _lv, w in OBSERVED_LEVELS])[
            0
        ]
        return Decimal(rng.randint(*OBSERVED_RANGE[level])), level

    def report(self, m, cell, level) -> tuple[str, str, str]:
        """Strengths, shortcomings and recommendations, following the meeting's checks."""
        rng = self.rng
        ch = m.checks
        found = []
        if ch:
            present, expected = ch.get("present") or 0, ch.get("expected") or 0
            if expected and present * 100 <= 85 * expected:
                found.append(
                    texts.SHORTCOMING_LOW_ATTENDANCE.format(present=present, expected=expected)
                )
            if ch.get("absent_unexcused"):
                found.append(texts.SHORTCOMING_UNEXCUSED.format(n=ch["absent_unexcused"]))
            if ch.get("duration_ok") is False:
                found.append(texts.SHORTCOMING_SHORT.format(n=ch.get("duration_minutes")))
            if present and (ch.get("speakers") or 0) * 100 < 30 * present:
                found.append(
                    texts.SHORTCOMING_FEW_SPEAKERS.format(
                        n=ch.get("speakers") or 0, present=present
                    )
                )
            if ch.get("documents") and not ch.get("documents_ok"):
                found.append(texts.SHORTCOMING_DOCUMENTS)
            if m.kind in REGULAR_KINDS and not ch.get("committee_meeting_held"):
                found.append(texts.SHORTCOMING_NO_COMMITTEE)
        pool = texts.STRENGTHS + texts.STRENGTHS_BY_TYPE.get(cell.cell_type, []) * 2
        n_strengths = 2 if level == QualityLevel.GOOD else 1
        strengths = " ".join(rng.sample(pool, n_strengths))
        shortcomings = found[:2]
        if len(shortcomings) < 2 and (
            level != QualityLevel.GOOD or (not shortcomings and rng.random() < 0.5)
        ):
            shortcomings.append(rng.choice(texts.SHORTCOMINGS))
        recommendations = [
            texts.RECOMMEND_BY_SHORTCOMING[_template(s)] for s in shortcomings if _template(s)
        ]
        if not recommendations:
            recommendations = [rng.choice(texts.RECOMMENDATIONS)]
        if level == QualityLevel.GOOD and not found:
            recommendations.append(texts.KEEP_GOING)
        return (
            strengths,
            " ".join(shortcomings) or texts.NO_SHORTCOMING,
            " ".join(recommendations[:2]),
        )

    def upcoming_visits(self):
        """`xa.uyvien` registered for the next planned meetings of two of their cells (dated
        from today, like meetings.plan_upcoming: a reseed another day gives other dates)."""
        src = self.src
        pk = src.user("xa.uyvien")
        if pk is None or not self._demo_cells():
            return
        uuid_rng = random.Random(f"{src.province.code}:oversight:upcoming")  # noqa: S311
        tz = timezone.get_default_timezone()
        upcoming = (
            Meeting.objects.filter(
                organization_id__in=self._demo_cells()[:2],
                status=MeetingStatus.PLANNED,
                kind__in=REGULAR_KINDS,
                scheduled_at__gte=timezone.now(),
            )
            .order_by("organization_id", "scheduled_at")
            .values_list("id", "organization_id", "scheduled_at")
        )
        seen = set()
        for meeting_id, cell_id, at in upcoming:
            if cell_id in seen:
                continue
            seen.add(cell_id)
            self.visit_rows.new(
                uuid=uuid.UUID(int=uuid_rng.getrandbits(128), version=4),
                cell_id=cell_id,
                meeting_id=meeting_id,
                visitor_id=pk,
                kind=VisitKind.SUPERVISOR,
                planned_on=at.astimezone(tz).date(),
                status=VisitStatus.PLANNED,
                created_by_id=pk,
            )

    # ---- inspections ----------------------------------------------------------------------------

    def inspections(self):
        src, rng = self.src, self.rng
        staff = src.user("xa.tochuc")
        by_commune = defaultdict(list)
        for c in src.cells:
            if c.committee is not None and c.committee.depth == 2:
                by_commune[c.committee.id].append(c)
        for commune in src.orgs:
            cells = by_commune.get(commune.id)
            if commune.depth != 2 or commune.kind != OrgKind.GRASSROOTS_COMMITTEE or not cells:
                continue
            demo = src.demo_commune is not None and commune.id == src.demo_commune.id
            by = staff if demo else None
            n = INSPECTIONS[1] if demo else rng.randint(*INSPECTIONS)
            plan_id = self.plan_rows.new(
                uuid=self.uuid(),
                organization_id=commune.id,
                year=YEAR,
                number=f"{rng.randint(2, 9):02d}-CTr/ĐU",
                approved_on=day_between(rng, dt.date(YEAR, 1, 6), dt.date(YEAR, 1, 24)),
                summary=texts.PLAN_SUMMARY.format(year=YEAR, committee=commune.name, n=n),
                created_by_id=by,
            )
            starts = sorted(
                day_between(rng, dt.date(YEAR, 2, 15), dt.date(YEAR, 12, 28)) for _ in range(n)
            )
            if demo:  # one concluded with a violation and an overdue follow-up item
                starts[0] = min(starts[0], dt.date(YEAR, 6, 15))
            topics = rng.sample(texts.CELL_TOPICS, n)
            for k, planned_from in enumerate(starts, start=1):
                self._inspection(
                    commune, plan_id, cells, planned_from, topics[k - 1], k, by, demo and k == 1
                )

    def _inspection(
        self, commune, plan_id, cells, planned_from, topic, number, by, force_violation
    ):
        src, rng = self.src, self.rng
        cell = rng.choice(cells)
        member = None
        members = [m for m in src.active.get(cell.id, ()) if m not in src.demo_members]
        if members and rng.random() < MEMBER_SUBJECT and not force_violation:
            member = rng.choice(members)
            kind, text, violations = rng.choice(texts.MEMBER_TOPICS)
            proper = None
        else:
            kind, text, violations, proper = topic
        planned_to = planned_from + dt.timedelta(days=rng.randint(10, 25))
        started = planned_from + dt.timedelta(days=rng.randint(0, 3))
        concluded = planned_to + dt.timedelta(days=rng.randint(2, 12))
        values = {
            "uuid": self.uuid(),
            "organization_id": commune.id,
            "plan_id": plan_id,
            "kind": InspectionKind(kind),
            "subject_org_id": cell.id,
            "subject_member_id": member,
            "topic": text,
            "planned_from": planned_from,
            "planned_to": planned_to,
            "created_by_id": by,
        }
        if started > REF:
            self.inspection_rows.new(status=InspectionStatus.PLANNED, **values)
            return
        if concluded > REF:
            self.inspection_rows.new(
                status=InspectionStatus.IN_PROGRESS, started_on=started, **values
            )
            return
        subject = "member" if member else "cell"
        violation = force_violation or rng.random() < VIOLATION[subject]
        name = src.names.get(member, "")
        follow_ups = []
        if member:
            if violation:
                conclusion = texts.MEMBER_VIOLATION.format(
                    name=name, violation=rng.choice(violations)
                )
                follow_ups = rng.sample(texts.MEMBER_FOLLOW_UPS, rng.randint(1, 2))
            else:
                conclusion = texts.MEMBER_FINE.format(name=name)
        elif violation:
            conclusion = texts.CELL_VIOLATION.format(violation=rng.choice(violations))
            follow_ups = [proper, *rng.sample(texts.CELL_FOLLOW_UPS, rng.randint(1, 2))]
        else:
            tail, item = rng.choice(texts.CELL_FINE_TAIL)
            conclusion = " ".join(t for t in (rng.choice(texts.CELL_FINE), tail) if t)
            follow_ups = [item] if item else []
        pk = self.inspection_rows.new(
            status=InspectionStatus.CONCLUDED,
            started_on=started,
            concluded_on=concluded,
            conclusion_no=f"{number * 3 + rng.randint(0, 2)}-KL/ĐU",
            conclusion=conclusion,
            violation_found=violation,
            **values,
        )
        for i, (text, responsible) in enumerate(follow_ups):
            due = concluded + dt.timedelta(days=rng.randint(20, 60))
            if force_violation and i == 0:
                due = min(due, REF - dt.timedelta(days=20))  # the demo commune's overdue item
                done = None
            elif due <= REF:
                done = (
                    day_between(
                        rng, concluded + dt.timedelta(days=5), min(due + dt.timedelta(days=5), REF)
                    )
                    if rng.random() < FOLLOW_UP_DONE
                    else None
                )
            else:
                done = (
                    day_between(rng, concluded + dt.timedelta(days=5), REF)
                    if rng.random() < 0.3
                    else None
                )
            if done is not None and done < concluded:
                done = concluded
            self.follow_up_rows.new(
                inspection_id=pk,
                text=text.format(name=name, cell=src.org[cell.id].name),
                responsible=responsible.format(name=name, cell=src.org[cell.id].name),
                due_on=due,
                done_on=done,
                result=rng.choice(texts.FOLLOW_UP_RESULTS) if done else "",
            )


ROLE_NOTE = "Dữ liệu mẫu: cấp ủy viên, bí thư chi bộ"

# What each automatic rule reads (quality.services.RULES): the memo key of its result.
AUTO_INPUTS = {
    AutoRule.ATTENDANCE_RATE: lambda m, ch, st: (ch.get("present"), ch.get("expected")),
    AutoRule.NO_UNEXCUSED: lambda m, ch, st: ch.get("absent_unexcused"),
    AutoRule.NO_CONSECUTIVE: lambda m, ch, st: (
        len(ch["consecutive_absences"]) if "consecutive_absences" in ch else None
    ),
    AutoRule.DURATION: lambda m, ch, st: (ch.get("duration_minutes"), ch.get("min_minutes")),
    AutoRule.COMMITTEE_MEETING: lambda m, ch, st: bool(ch.get("committee_meeting_held")),
    AutoRule.DOCUMENTS_ON_TIME: lambda m, ch, st: (
        ch.get("documents", 0),
        len(ch.get("documents_late", [])),
    ),
    AutoRule.SPEAKERS_SHARE: lambda m, ch, st: (ch.get("speakers", 0), ch.get("present")),
    AutoRule.MINUTES_COMPLETE: lambda m, ch, st: (
        bool(m.chair_id),
        bool(m.minutes_secretary_id),
        bool(m.started_at and m.ended_at),
        frozenset(st),
    ),
    AutoRule.RESOLUTION: lambda m, ch, st: bool(ch.get("has_resolution")),
}


def _template(shortcoming: str) -> str | None:
    """The template a data-driven shortcoming was written from (its recommendation's key)."""
    for template in texts.RECOMMEND_BY_SHORTCOMING:
        head = template.split("{")[0]
        if shortcoming.startswith(head):
            return template
    return None


def _split(items: list, n: int) -> list[list]:
    """`items` in n contiguous chunks of nearly equal size."""
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


# ---- counting and removing -------------------------------------------------------------------


def count_rows(province: Organization) -> dict:
    scores = MeetingScore.objects.filter(province=province)
    levels = dict(
        scores.order_by()
        .values("final_level")
        .annotate(n=Count("pk"))
        .values_list("final_level", "n")
    )
    visits = dict(
        Visit.objects.filter(province=province)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    inspections = Inspection.objects.filter(province=province)
    follow_ups = FollowUp.objects.filter(province=province)
    return {
        "rubrics": Rubric.objects.filter(province=province).count(),
        "scores": sum(levels.values()),
        "scores_confirmed": scores.filter(status=ScoreStatus.CONFIRMED).count(),
        **{f"scores_{level}": levels.get(level, 0) for level in QualityLevel.values},
        "cells_followed": len(
            set(
                SupervisorAssignment.objects.filter(province=province).values_list(
                    "organization_id", flat=True
                )
            )
            | set(
                WorkingGroup.cells.through.objects.filter(
                    workinggroup__province=province
                ).values_list("organization_id", flat=True)
            )
        ),
        "working_groups": WorkingGroup.objects.filter(province=province).count(),
        "cross_pairs": CrossAttendance.objects.filter(province=province).count(),
        "visits_reported": visits.get(VisitStatus.REPORTED, 0),
        "visits_cancelled": visits.get(VisitStatus.CANCELLED, 0),
        "visits_planned": visits.get(VisitStatus.PLANNED, 0),
        "inspection_plans": InspectionPlan.objects.filter(province=province).count(),
        "inspections": inspections.count(),
        "inspections_concluded": inspections.filter(status=InspectionStatus.CONCLUDED).count(),
        "inspections_violations": inspections.filter(violation_found=True).count(),
        "follow_ups": follow_ups.count(),
        "follow_ups_overdue": follow_ups.overdue(REF).count(),
    }


def purge(province: Organization):
    """Delete what this step wrote, with plain DELETEs, before the demo users go: their ORM
    delete would stop at the visits (PROTECT) and write history rows for the assignments it
    cascades to. Also takes the step's own users (committee members and secretaries of this
    province, marked by their username and the demo e-mail domain) and their roles."""
    qn = connection.ops.quote_name
    users = list(
        User.objects.filter(
            username__startswith=province.code.lower() + ".", email__endswith="@" + EMAIL_DOMAIN
        ).values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        groups = f"SELECT id FROM {qn(WorkingGroup._meta.db_table)} WHERE province_id = %s"  # noqa: S608
        for through in (WorkingGroup.members.through, WorkingGroup.cells.through):
            cursor.execute(
                f"DELETE FROM {qn(through._meta.db_table)} WHERE workinggroup_id IN ({groups})",  # noqa: S608
                [province.pk],
            )
        for model in PURGE_TABLES:
            cursor.execute(
                f"DELETE FROM {qn(model._meta.db_table)} WHERE province_id = %s",  # noqa: S608
                [province.pk],
            )
        for i in range(0, len(users), 500):
            chunk = users[i : i + 500]
            marks = ", ".join(["%s"] * len(chunk))
            for model, column in ((RoleAssignment, "user_id"), (User, "id")):
                cursor.execute(
                    f"DELETE FROM {qn(model._meta.db_table)} WHERE {column} IN ({marks})",  # noqa: S608
                    chunk,
                )
