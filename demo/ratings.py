"""The 2025 annual review and quality rating (QĐ 366-QĐ/TW, HD 43) of the demo province, as the
ratings app would hold it on 31/12/2025 (structure.REF). Written after the meetings and the
member-life records, from what they hold:

- one ReviewCycle per active grassroots organization (grassroots committee or grassroots cell:
  the organizations below the province that run reviews, services.RUNS_REVIEWS), opened in the
  second half of November with the QĐ 366 level names; the cap on the top level is 20 % counted
  on "good or above" (see CAP_BASE);
- a MemberReview for every member services.open_cycle would list, the excluded ones (exempt,
  suspended, admitted less than 6 months before 31/12) with their reason, and an
  OrganizationReview for every collective (not party groups);
- each cell's review follows its year-end meeting (MeetingKind.YEAR_END, 10–30/12): held →
  self-reviews before it, the cell's proposal on its day with that meeting's vote; not held
  yet (December is partly unrecorded) → self-reviews only, a few members late;
- the standing committee of each grassroots committee decides in one or two sessions late in
  December: cells proposed before a session are decided there, with their collective; later
  ones stay "proposed". A grassroots cell decides at its own meeting. The organizations that
  run the cycles are left to the committee above (January);
- levels follow the evidence panel (unexcused absences, tasks not done, the residence
  comment): about 1.5 % "not completed", 10 % "completed", the rest "good", and in each cell as
  many "excellent" as the cap allows; scores in the band of the level (QĐ 366 art. 11);
- the demo cell (users.demo_places) stays at the cell's proposal, two members waiting for it
  and one for their self-review, so `bithu` and `xa.tochuc` have something to do.

Rows are what services.open_cycle / record_self_review / propose / decide / decide_org would
write, bulk-inserted (demo/bulk.py) without history.
"""

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count

from accounts.models import User
from demo import rating_texts as texts
from demo.bulk import Adapt, reset_sequences
from demo.member_life import Rows
from demo.people import shift
from demo.structure import REF, day_between
from demo.users import EMAIL_DOMAIN
from liaison.models import AnnualComment, Overall
from lifecycle.models import StatusDecision
from meetings.models import (
    LOCKED_STATUSES,
    NOT_EXPECTED_STATUSES,
    PRESENT_STATUSES,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Task,
    TaskStatus,
    Vote,
)
from members.models import Member, MemberStatus
from organizations.models import CELL_KINDS, GRASSROOTS_KINDS, Organization, OrgKind
from ratings import services
from ratings.models import (
    LEVEL_NAMES,
    RANK,
    CapBase,
    CycleStatus,
    FormType,
    Level,
    MemberReview,
    OrganizationReview,
    ReviewCycle,
    ReviewStatus,
    rule_set_for,
)
from ratings.selectors import CELL_MEETING_KINDS

# Every table written here, deleted with one statement each on --reset (province key).
PURGE_TABLES = [MemberReview, OrganizationReview, ReviewCycle]

YEAR = REF.year
TZ = ZoneInfo(settings.TIME_ZONE)
HELD = (MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)
# The default cap (20 % of those rated "good") counted per cell and rounded down allows about
# 11 % "excellent" in cells of 13 members; counted on "good or above" (a choice of the form
# that opens a cycle) about 15 %, what provinces report.
CAP_PERCENT = 20
CAP_BASE = CapBase.GOOD_OR_ABOVE
CAP = SimpleNamespace(excellent_cap_percent=CAP_PERCENT, cap_base=CAP_BASE)  # for cap_allowed
OPENED = (dt.date(YEAR, 11, 17), dt.date(YEAR, 11, 28))
FIRST_SESSION = (dt.date(YEAR, 12, 19), dt.date(YEAR, 12, 24))
SECOND_SESSION = (dt.date(YEAR, 12, 26), REF)
ONE_SESSION_SHARE = 0.12  # committees that had met only once by 31/12
LATE_SELF_REVIEW = 0.01  # members of a cell that met, not self-reviewed (away, ill)
LATE_NOT_HELD = 0.1  # members of a cell that has not met yet, not self-reviewed yet
BELOW_CAP_SHARE = 0.03  # cells proposing one "excellent" fewer than the cap allows
# Scores (QĐ 366 art. 11): half points within the band of each level.
SCORE_RANGE = {
    Level.EXCELLENT: (180, 196),
    Level.GOOD: (140, 179),
    Level.COMPLETED: (110, 139),
    Level.NOT_COMPLETED: (70, 99),
}
UP = {
    Level.NOT_COMPLETED: Level.COMPLETED,
    Level.COMPLETED: Level.GOOD,
    Level.GOOD: Level.EXCELLENT,
}
DOWN = {v: k for k, v in UP.items()}

# ---- what the other seed steps wrote ---------------------------------------------------------


@dataclass(slots=True)
class Evidence:
    """A member's 2025 attendance at approved cell meetings and tasks, as the panel counts."""

    expected: int = 0
    attended: int = 0
    excused: int = 0
    unexcused: int = 0
    assigned: int = 0
    done: int = 0
    not_done: int = 0


NO_EVIDENCE = Evidence()


class Sources:
    """The province's organizations, members and 2025 evidence, in a handful of queries."""

    def __init__(self, province: Organization):
        self.province = province
        self.orgs = [
            SimpleNamespace(id=r[0], path=r[1], kind=r[2], cell_type=r[3], name=r[4], depth=r[5])
            for r in Organization.objects.filter(province=province, dissolved_on__isnull=True)
            .order_by("path")
            .values_list("id", "path", "kind", "cell_type", "name", "depth")
        ]
        self.org = {o.id: o for o in self.orgs}
        end = dt.date(YEAR, 12, 31)
        self.members = defaultdict(list)  # organization id → members, by dossier number
        for r in (
            Member.objects.filter(
                province=province,
                status__in=(*services.RATED_STATUSES, MemberStatus.EXEMPT, MemberStatus.SUSPENDED),
            )
            .order_by("dossier_no")
            .values_list(
                "id",
                "status",
                "admission_decision_date",
                "ceremony_date",
                "organization_id",
                "person__birth_date",
            )
        ):
            start = r[2] or r[3]
            if start and start > end:
                continue  # admitted after the period: open_cycle leaves them out
            self.members[r[4]].append(
                SimpleNamespace(id=r[0], status=r[1], party_age_start=start, org=r[4], birth=r[5])
            )
        self.year_end = {}  # cell id → its year-end meeting
        for pk, org_id, status, at, chair in Meeting.objects.filter(
            province=province, kind=MeetingKind.YEAR_END, period_year=YEAR
        ).values_list("id", "organization_id", "status", "scheduled_at", "chair_id"):
            self.year_end[org_id] = SimpleNamespace(
                pk=pk, held=status in HELD, day=at.astimezone(TZ).date(), chair=chair, vote=None
            )
        meetings = {m.pk: m for m in self.year_end.values()}
        for meeting_id, eligible, yes in Vote.objects.filter(
            meeting_id__in=meetings.keys()
        ).values_list("meeting_id", "eligible", "yes"):
            meetings[meeting_id].vote = (eligible, yes)
        # The evidence panel's numbers (ratings.selectors.evidence), for the whole province.
        self.evidence = defaultdict(Evidence)
        for member_id, status, n in (
            Attendance.objects.filter(
                province=province,
                meeting__status__in=LOCKED_STATUSES,
                meeting__kind__in=CELL_MEETING_KINDS,
                meeting__period_year=YEAR,
            )
            .values("member_id", "status")
            .annotate(n=Count("pk"))
            .values_list("member_id", "status", "n")
        ):
            if status and status not in NOT_EXPECTED_STATUSES:
                e = self.evidence[member_id]
                e.expected += n
                if status in PRESENT_STATUSES:
                    e.attended += n
                elif status == AttendanceStatus.ABSENT_EXCUSED:
                    e.excused += n
                elif status == AttendanceStatus.ABSENT_UNEXCUSED:
                    e.unexcused += n
        for member_id, status, n in (
            Task.objects.filter(
                province=province,
                assignee__isnull=False,
                resolution__meeting__period_year=YEAR,
            )
            .values("assignee_id", "status")
            .annotate(n=Count("pk"))
            .values_list("assignee_id", "status", "n")
        ):
            e = self.evidence[member_id]
            e.assigned += n
            if status == TaskStatus.DONE:
                e.done += n
            elif status == TaskStatus.NOT_DONE:
                e.not_done += n
        self.not_good = set(
            AnnualComment.objects.filter(
                province=province, year=YEAR, overall=Overall.NOT_GOOD
            ).values_list("liaison__member_id", flat=True)
        )
        self.disciplined = set(
            StatusDecision.objects.filter(
                province=province,
                kind__in=services.DISCIPLINE_KINDS,
                effective_date__year=YEAR,
            ).values_list("member_id", flat=True)
        )
        # The demo logins (demo/users.py): their cell and their reviews get a demo-friendly state.
        self.users = {
            username: (pk, member_id)
            for username, pk, member_id in User.objects.filter(
                email__endswith="@" + EMAIL_DOMAIN
            ).values_list("username", "pk", "member_id")
        }
        member_cells = dict(
            Member.objects.filter(
                pk__in=[m for _u, m in self.users.values() if m], province=province
            ).values_list("pk", "organization_id")
        )
        bithu = self.users.get("bithu", (None, None))[1]
        self.demo_cell = member_cells.get(bithu)
        self.demo_member = self.users.get("dangvien", (None, None))[1]
        officers = (self.users.get(u, (None, None))[1] for u in ("bithu", "phobithu"))
        self.demo_officers = {m for m in officers if m}

    def user(self, username: str) -> int | None:
        return self.users.get(username, (None, None))[0]


# ---- the seed -------------------------------------------------------------------------------


def seed_ratings(province: Organization, seed: int) -> dict:
    """Write the 2025 review of the demo province; returns row counts by model."""
    rng = random.Random(f"{seed}:ratings")  # noqa: S311 -- reproducible demo data
    uuid_rng = random.Random(f"{province.code}:ratings:uuid")  # noqa: S311
    reviews = Reviews(Sources(province), rng, uuid_rng)
    reviews.run()
    return reviews.finish()


class Reviews:
    def __init__(self, src: Sources, rng, uuid_rng):
        self.src, self.rng, self.uuid_rng = src, rng, uuid_rng
        a = Adapt()
        const = {"province_id": src.province.pk}
        self.cycle = Rows(
            ReviewCycle,
            [
                "uuid",
                "organization_id",
                "year",
                "quarter",
                "rule_set",
                "level_names",
                "status",
                "excellent_cap_percent",
                "cap_base",
                "opened_on",
                "opened_by_id",
            ],
            a,
            const,
        )
        self.review = Rows(
            MemberReview,
            [
                "uuid",
                "cycle_id",
                "member_id",
                "cell_id",
                "status",
                "form_type",
                "exclusion",
                "results",
                "strengths",
                "shortcomings",
                "remedies",
                "self_score",
                "self_level",
                "self_reviewed_on",
                "self_reviewed_by_id",
                "score",
                "cell_level",
                "cell_comment",
                "votes_for",
                "votes_eligible",
                "proposed_on",
                "proposed_by_id",
                "decided_level",
                "decided_on",
                "decided_by_id",
                "decision_note",
            ],
            a,
            const,
        )
        self.org_review = Rows(
            OrganizationReview,
            [
                "uuid",
                "cycle_id",
                "organization_id",
                "score",
                "proposed_level",
                "decided_level",
                "decided_on",
                "decided_by_id",
                "decision_note",
                "basis",
            ],
            a,
            const,
        )
        rule_set = rule_set_for(YEAR)
        self.rule_set = rule_set
        self.level_names = {
            k: {str(lv): n for lv, n in v.items()} for k, v in LEVEL_NAMES[rule_set].items()
        }

    def uuid(self):
        return uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)

    def finish(self) -> dict:
        tables = [self.cycle, self.review, self.org_review]
        for t in tables:
            t.flush()
        reset_sequences([t.model for t in tables if t.written])
        return {t.model._meta.model_name: t.written for t in tables}

    def run(self):
        src = self.src
        runners = [o for o in src.orgs if o.kind in GRASSROOTS_KINDS]
        subtree = defaultdict(list)  # runner id → its organizations, by path
        step = Organization.steplen
        runner_at = {o.path: o for o in runners}
        for o in src.orgs:
            for end in range(step, len(o.path) + 1, step):
                runner = runner_at.get(o.path[:end])
                if runner is not None:
                    subtree[runner.id].append(o)
                    break
        for runner in runners:
            self._cycle(runner, subtree[runner.id])

    # ---- one cycle ---------------------------------------------------------------------------

    def _cycle(self, runner, orgs):
        rng, src = self.rng, self.src
        demo = any(o.id == src.demo_cell for o in orgs)
        staff = src.user("xa.tochuc") if demo else None
        opened = day_between(rng, *OPENED)
        cycle_id = self.cycle.new(
            uuid=self.uuid(),
            organization_id=runner.id,
            year=YEAR,
            quarter=None,
            rule_set=self.rule_set,
            level_names=self.level_names,
            status=CycleStatus.OPEN,
            excellent_cap_percent=CAP_PERCENT,
            cap_base=CAP_BASE,
            opened_on=opened,
            opened_by_id=staff,
        )
        if runner.kind == OrgKind.GRASSROOTS_COMMITTEE:
            sessions = [day_between(rng, *FIRST_SESSION)]
            if rng.random() >= ONE_SESSION_SHARE:
                sessions.append(day_between(rng, *SECOND_SESSION))
            sessions = [(day, rng.randint(120, 480)) for day in sessions]
        else:
            sessions = None  # a grassroots cell decides at its own review meeting
        cells = {}  # cell id → (member rows for org_basis, last decision day, all decided)
        for o in orgs:
            if o.kind in CELL_KINDS:
                cells[o.id] = self._cell(cycle_id, o, opened, sessions, staff)
        self._collectives(cycle_id, runner, orgs, cells, sessions, staff)

    def _decision(self, cell, meeting, sessions) -> tuple[dt.date | None, str]:
        """When and how the proposals of a cell's review meeting were decided: at the first
        session of the committee after it, or at the meeting itself in a grassroots cell;
        (None, "") when not yet."""
        if not meeting or cell.id == self.src.demo_cell:
            return None, ""
        if sessions is None:
            number = self.rng.randint(20, 60)
            return meeting.day, f"Nghị quyết số {number}-NQ/CB ngày {meeting.day:%d/%m/%Y}"
        for day, number in sessions:
            if day > meeting.day:
                return day, f"Quyết định số {number}-QĐ/ĐU ngày {day:%d/%m/%Y}"
        return None, ""

    def _statuses(self, cell, members, held) -> dict[int, tuple[str, str]]:
        """member id → (status before any decision, exclusion) as open_cycle and the cell's
        meeting left it."""
        rng, src = self.rng, self.src
        demo = cell.id == src.demo_cell
        out = {}
        for m in members:
            reason = services.exclusion_for(m, REF)
            if reason:
                out[m.id] = (ReviewStatus.EXCLUDED, reason)
                continue
            late = rng.random() < (LATE_SELF_REVIEW if held else LATE_NOT_HELD)
            if late and not demo and m.id != src.demo_member:
                out[m.id] = (ReviewStatus.PENDING, "")
            else:
                out[m.id] = (ReviewStatus.PROPOSED if held else ReviewStatus.SELF_REVIEWED, "")
        if demo:
            # Two members wait for the cell's proposal and one for their self-review.
            spare = [
                m.id
                for m in members
                if out[m.id][0] != ReviewStatus.EXCLUDED
                and m.id != src.demo_member
                and m.id not in src.demo_officers
            ]
            for member_id in spare[-3:-1]:
                out[member_id] = (ReviewStatus.SELF_REVIEWED, "")
            if spare:
                out[spare[-1]] = (ReviewStatus.PENDING, "")
        return out

    def _cell(self, cycle_id, cell, opened, sessions, staff):
        rng, src = self.rng, self.src
        members = src.members.get(cell.id, [])
        meeting = src.year_end.get(cell.id)
        held = bool(
            meeting and meeting.held and meeting.vote and 2 * meeting.vote[1] > meeting.vote[0]
        )
        last_day = min(REF, shift(meeting.day, -1)) if meeting else REF
        statuses = self._statuses(cell, members, held)
        day, note = self._decision(cell, meeting, sessions) if held else (None, "")
        levels = self._levels([m for m in members if statuses[m.id][0] == ReviewStatus.PROPOSED])
        levels.update(
            self._levels([m for m in members if statuses[m.id][0] == ReviewStatus.SELF_REVIEWED])
        )
        rows = []  # what services.member_rows gives org_basis
        last_decision, all_decided = None, True
        for m in members:
            status, reason = statuses[m.id]
            values = {
                "uuid": self.uuid(),
                "cycle_id": cycle_id,
                "member_id": m.id,
                "cell_id": cell.id,
                "form_type": services.default_form(SimpleNamespace(organization=cell)),
                "exclusion": reason,
            }
            if status in (ReviewStatus.EXCLUDED, ReviewStatus.PENDING):
                self.review.new(status=status, **values)
                rows.append((cell.path, status, "", 1))
                all_decided = all_decided and status == ReviewStatus.EXCLUDED
                continue
            # Step 1: the self-review, before the cell's meeting.
            level = levels[m.id]
            self_level = self._self_level(level)
            if values["form_type"] == FormType.B and meeting and meeting.chair == m.id:
                values["form_type"] = FormType.A  # the secretary holds a leadership post
            values.update(
                texts.self_review(
                    rng,
                    src.evidence.get(m.id, NO_EVIDENCE),
                    cell.cell_type,
                    self_level,
                    old=bool(m.birth and m.birth.year < YEAR - 65),
                ),
                self_level=self_level,
                self_score=self._score(self_level),
                self_reviewed_on=day_between(
                    rng, max(shift(opened, 5), shift(last_day, -18)), last_day
                ),
                self_reviewed_by_id=src.user("dangvien") if m.id == src.demo_member else None,
            )
            if status == ReviewStatus.SELF_REVIEWED:
                self.review.new(status=status, **values)
                rows.append((cell.path, status, "", 1))
                all_decided = False
                continue
            # Step 2: the cell's proposal, voted at its year-end meeting.
            eligible, yes = meeting.vote
            if RANK[level] < RANK[Level.GOOD] and eligible >= 3:
                yes = max(eligible // 2 + 1, yes - rng.randint(0, 2))
            comment = texts.cell_comment(rng, level, lower=RANK[self_level] > RANK[level])
            values.update(
                score=self._score(level),
                cell_level=level,
                cell_comment=comment,
                votes_for=yes,
                votes_eligible=eligible,
                proposed_on=meeting.day,
                proposed_by_id=src.user("bithu") if cell.id == src.demo_cell else None,
            )
            # Step 3: the superior's decision, the level the cell proposed.
            if day is None:
                self.review.new(status=ReviewStatus.PROPOSED, **values)
                rows.append((cell.path, ReviewStatus.PROPOSED, "", 1))
                all_decided = False
                continue
            values.update(
                decided_level=level, decided_on=day, decided_by_id=staff, decision_note=note
            )
            self.review.new(status=ReviewStatus.DECIDED, **values)
            rows.append((cell.path, ReviewStatus.DECIDED, level, 1))
            last_decision = max(last_decision or day, day)
        return rows, last_decision, all_decided

    def _levels(self, members) -> dict[int, str]:
        """The level each member of a group (one cell, the same step) ends with: from their
        evidence, then as many "excellent" as the cap allows among the best rated "good"."""
        rng, src = self.rng, self.src
        out, merit = {}, []
        for m in members:
            e = src.evidence.get(m.id, NO_EVIDENCE)
            p_not, p_completed = 0.012, 0.045
            if e.unexcused >= 3:
                p_not, p_completed = 0.3, 0.5
            elif e.unexcused:
                p_completed = 0.25
            if e.not_done:
                p_completed += 0.2
            if m.id in src.not_good:
                p_completed += 0.3
            if m.status == MemberStatus.PROBATIONARY:
                p_completed += 0.03
            u = rng.random()
            if u < p_not:
                out[m.id] = Level.NOT_COMPLETED
            elif u < p_not + p_completed:
                out[m.id] = Level.COMPLETED
            else:
                out[m.id] = Level.GOOD
                if not e.unexcused and not e.not_done and m.id not in src.not_good:
                    merit.append((rng.random(), m.id))
        good = sum(1 for lv in out.values() if lv == Level.GOOD)
        top = 0
        while top < len(merit):
            levels = [Level.EXCELLENT] * (top + 1) + [Level.GOOD] * (good - top - 1)
            if top + 1 > services.cap_allowed(CAP, levels):
                break
            top += 1
        if top and rng.random() < BELOW_CAP_SHARE:
            top -= 1
        for _merit, member_id in sorted(merit, reverse=True)[:top]:
            out[member_id] = Level.EXCELLENT
        return out

    def _self_level(self, level):
        u = self.rng.random()
        if u < 0.12 and level in UP:
            return UP[level]
        if u > 0.93 and level in DOWN:
            return DOWN[level]
        return level

    def _score(self, level) -> Decimal:
        return Decimal(self.rng.randint(*SCORE_RANGE[level])) / 2

    # ---- collectives -------------------------------------------------------------------------

    def _collectives(self, cycle_id, runner, orgs, cells, sessions, staff):
        """Cells whose members are all decided are decided with the last of them, partial
        committees after their cells; a suggested "excellent" beyond the cap among the
        collectives of the same parent, in the order of the decisions, becomes "good". The
        organization running the cycle is left to the committee above it."""
        src = self.src
        disciplined = {
            o.path for o in orgs for m in src.members.get(o.id, ()) if m.id in src.disciplined
        }
        rated = [o for o in orgs if o.kind in services.RATED_KINDS]
        reviews = {
            o.id: SimpleNamespace(organization=o, decided_level="", decided_on=None, basis={})
            for o in rated
        }
        # When each collective could be decided: cells with their members, a partial
        # committee with the last of its cells.
        days = {}
        for o in sorted(rated, key=lambda o: -o.depth):  # cells before partial committees
            if o.id == runner.id or sessions is None:
                continue
            children = [c for c in rated if c.depth == o.depth + 1 and c.path.startswith(o.path)]
            if o.id in cells:
                _rows, day, done = cells[o.id]
                if done:
                    days[o.id] = day or sessions[0][0]  # nobody rated: the first session
            elif children and all(c.id in days for c in children):
                days[o.id] = max(days[c.id] for c in children)
        # Then decided in that order: the suggested level, "good" for an "excellent" beyond
        # the cap among the collectives of the same parent.
        siblings = defaultdict(list)
        for o in sorted((src.org[pk] for pk in days), key=lambda o: (days[o.id], -o.depth, o.path)):
            rows = [
                row
                for c, (cell_rows, _d, _a) in cells.items()
                if src.org[c].path.startswith(o.path)
                for row in cell_rows
            ]
            children = [
                reviews[c.id] for c in rated if c.depth == o.depth + 1 and c.path.startswith(o.path)
            ]
            r = reviews[o.id]
            r.basis = services.org_basis(r, rows, children, disciplined)
            r.decided_level = r.basis["suggested"] or Level.COMPLETED
            r.decided_on = days[o.id]
            group = siblings[o.path[: -Organization.steplen]]
            if r.decided_level == Level.EXCELLENT:
                levels = [x.decided_level for x in group] + [Level.EXCELLENT]
                top = sum(1 for x in group if x.decided_level == Level.EXCELLENT)
                if top + 1 > services.cap_allowed(CAP, levels):
                    r.decided_level = Level.GOOD
            group.append(r)
        for o in rated:
            r = reviews[o.id]
            if not r.decided_level:
                self.org_review.new(uuid=self.uuid(), cycle_id=cycle_id, organization_id=o.id)
                continue
            self.org_review.new(
                uuid=self.uuid(),
                cycle_id=cycle_id,
                organization_id=o.id,
                score=self._score(r.decided_level),
                proposed_level=r.basis["suggested"],
                decided_level=r.decided_level,
                decided_on=r.decided_on,
                decided_by_id=staff,
                decision_note=self._session_note(sessions, r.decided_on),
                basis=r.basis,
            )

    @staticmethod
    def _session_note(sessions, day) -> str:
        for session, number in sessions:
            if session == day:
                return f"Quyết định số {number}-QĐ/ĐU ngày {day:%d/%m/%Y}"
        return ""


# ---- counting -------------------------------------------------------------------------------


def count_rows(province: Organization) -> dict:
    reviews = MemberReview.objects.filter(province=province)
    by_status = dict(
        reviews.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {
        "review_cycles": ReviewCycle.objects.filter(province=province).count(),
        "member_reviews": sum(by_status.values()),
        "reviews_decided": by_status.get(ReviewStatus.DECIDED, 0),
        "reviews_proposed": by_status.get(ReviewStatus.PROPOSED, 0),
        "reviews_waiting": by_status.get(ReviewStatus.SELF_REVIEWED, 0)
        + by_status.get(ReviewStatus.PENDING, 0),
        "reviews_excluded": by_status.get(ReviewStatus.EXCLUDED, 0),
        "collectives_decided": OrganizationReview.objects.filter(province=province)
        .exclude(decided_level="")
        .count(),
    }
