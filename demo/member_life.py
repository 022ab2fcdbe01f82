"""A member's life around the 2025 meetings: admissions, transfers, status decisions, cards,
badges and the residence liaison (QĐ 213), as the issue-4 apps would have recorded them.

Written after the meetings, from the members already in the database (demo/people.py):

- admissions: about 40% of active cells develop 1–3 candidates at every stage across 2025
  (a few ceremonies overdue, a few taken off the list); most probationary members, all
  admitted in 2025, get the candidacy that led to their ceremony, with the same dates;
- transfers: the members whose home cell changed in 2025 (people.MOVED_2025_SHARE) get the
  completed official transfer behind the switch of their periods; a few more are in
  progress, some of them overdue;
- lifecycle: the decision behind each exempt, suspended and departed member (numbers and
  dates from their status note), the issue of every card number, and the badges of every
  level reached before 2025 (so the "due" list shows only the next ones);
- residence liaison: working members of workplace cells with a recorded village are mostly
  introduced, received and commented on for 2025; a few army and police members are exempt.

Rows are what the services of admissions/, transfers/, lifecycle/ and liaison/ write,
bulk-inserted (demo/bulk.py) without history. Reference date 31/12/2025 (structure.REF).
"""

import datetime as dt
import functools
import random
import re
import uuid
from collections import defaultdict
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from admissions.models import (
    CEREMONY_WORKING_DAYS,
    Candidate,
    CandidateIntroducer,
    CellVote,
    Stage,
    VoteKind,
    add_months,
)
from demo import names
from demo.bulk import Adapt, Table, reset_sequences
from demo.people import LEFT_NOTES, MALE_SHARE, PHONE_PREFIX, shift
from demo.structure import REF, REFORM, day_between
from liaison.models import (
    WORKPLACE_CELL_TYPES,
    AnnualComment,
    EndReason,
    Exemption,
    Level3,
    LiaisonNotice,
    LiaisonStatus,
    Overall,
    ResidenceLiaison,
    Side,
)
from lib.workdays import add_working_days
from lifecycle.models import (
    BADGE_YEARS,
    GROUNDS,
    BadgeAward,
    CardEvent,
    CardEventKind,
    CardSeries,
    DecisionKind,
    Ground,
    PartyAgeInterruption,
    StatusDecision,
)
from lifecycle.selectors import badge_reached_on, next_award_date
from members.models import LeftReason, Member, Membership, MembershipKind, MemberStatus, Person
from organizations.models import (
    CELL_KINDS,
    GRASSROOTS_KINDS,
    RESIDENTIAL_CELL_TYPES,
    CellType,
    CellVillage,
    Organization,
    OrgKind,
    Village,
)
from transfers.models import (
    PRESENT_WORKING_DAYS,
    START_WORKING_DAYS,
    LetterType,
    Transfer,
    TransferKind,
    TransferReason,
    TransferStatus,
)

# Working-day deadlines (lib.workdays) of the same few hundred days, computed once each.
workdays = functools.lru_cache(maxsize=None)(add_working_days)

# Every table written here, deleted with one statement each on --reset (province key).
PURGE_TABLES = [
    AnnualComment,
    LiaisonNotice,
    ResidenceLiaison,
    BadgeAward,
    CardEvent,
    PartyAgeInterruption,
    StatusDecision,
    Transfer,
    Candidate,
]
# Tables without a province key, deleted through their candidate.
PURGE_CHILDREN = [CandidateIntroducer, CellVote]

YEAR_START = dt.date(REF.year, 1, 1)
QD_213 = dt.date(2020, 1, 2)  # the residence liaison in its current form
CARD_EXCHANGE = (dt.date(2003, 6, 1), dt.date(2004, 12, 31))  # Directive 29-CT/TW

CANDIDATE_CELL_SHARE = 0.4
ADMITTED_LINK_SHARE = 0.7  # probationary members whose candidacy is on record
# Where the candidates of 2025 stand on 31/12/2025 (weights).
FINAL_STAGES = names.table(
    "listed 14, sympathizer 20, trained 14, dossier 12, checked 9, voted 6, decided 9, "
    "rejected 5, withdrawn 3"
)
PIPELINE = [
    Stage.LISTED,
    Stage.SYMPATHIZER,
    Stage.TRAINED,
    Stage.DOSSIER,
    Stage.CHECKED,
    Stage.VOTED,
    Stage.DECIDED,
]
# Days from the previous stage (min, max): listed → sympathizer → … → decision received.
GAPS = {
    Stage.SYMPATHIZER: (30, 150),
    Stage.TRAINED: (20, 90),
    Stage.DOSSIER: (20, 120),
    Stage.CHECKED: (20, 60),
    Stage.VOTED: (7, 30),
    Stage.DECIDED: (20, 50),  # vote → decision received (decision 2–10 days before)
}
TRANSFER_OPEN_SHARE = 0.003
# Drawn a little above the targets (85%, 80%, 70% of the eligible members with a village):
# members admitted or moved lately are not introduced yet, some villages have no cell.
LIAISON_INTRODUCED, LIAISON_RECEIVED, LIAISON_COMMENTED = 0.88, 0.83, 0.73
LIAISON_EXEMPT = 0.03  # of army and police members: not introduced (HD 33 §1.2)

RECOMMENDERS = [
    "Chi đoàn thôn",
    "Đoàn Thanh niên cơ quan",
    "Công đoàn cơ sở",
    "Hội Phụ nữ",
    "Hội Cựu chiến binh",
    "Ban công tác Mặt trận",
]
REJECT_REASONS = [
    "Chưa đủ tiêu chuẩn về lý lịch sau thẩm tra",
    "Vi phạm quy định của địa phương, chi bộ tiếp tục bồi dưỡng",
    "Chưa thể hiện vai trò tiên phong trong công tác",
]
WITHDRAW_REASONS = [
    "Chuyển công tác ra ngoài tỉnh",
    "Đi học tập dài hạn, xin rút khỏi danh sách",
    "Xin chưa vào Đảng vì hoàn cảnh gia đình",
]
SUSPENSION_REASONS = [
    "Bị khởi tố, điều tra; đình chỉ sinh hoạt đảng trong thời gian điều tra",
    "Đang xem xét xử lý kỷ luật, đình chỉ sinh hoạt đảng để phục vụ kiểm tra",
]
STRIKE_OFF_GROUNDS = list(GROUNDS[DecisionKind.STRIKE_OFF])
EXIT_KIND = {
    LeftReason.DEATH: DecisionKind.DEATH,
    LeftReason.STRIKE_OFF: DecisionKind.STRIKE_OFF,
    LeftReason.EXPULSION: DecisionKind.EXPULSION,
    LeftReason.WITHDRAWAL: DecisionKind.WITHDRAWAL,
}
NOTE_DECISION = re.compile(r"Quyết định số (\S+) ngày (\d\d)/(\d\d)/(\d{4})")
GOOD_COMMENTS = [
    "Gương mẫu, tích cực tham gia các phong trào ở khu dân cư.",
    "Giữ mối liên hệ thường xuyên với chi bộ nơi cư trú.",
    "Gia đình gương mẫu chấp hành quy định của địa phương.",
    "",
]
NOT_GOOD_COMMENTS = [
    "Ít tham gia sinh hoạt, hoạt động ở khu dân cư.",
    "Chưa giữ mối liên hệ thường xuyên với chi ủy nơi cư trú.",
]


# ---- writing ----------------------------------------------------------------------------


class Rows(Table):
    """A bulk.Table fed with keyword values in Python form, adapted by field type.

    `const`: columns with the same value on every row (province, timestamps), written like
    the defaults of the columns left out."""

    def __init__(self, model, columns: list[str], a: Adapt, const: dict | None = None):
        const = const or {}
        super().__init__(model, columns)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        fixed = [
            (fields[c].column, fields[c].get_db_prep_save(v, connection)) for c, v in const.items()
        ]
        self.extra = fixed + [e for e in self.extra if e[0] not in {c for c, _ in fixed}]
        self.names = [fields[c].column for c in self.columns] + [c for c, _ in self.extra]
        self.plan = []
        for c in columns:
            kind = fields[c].get_internal_type()
            adapt = {
                "DateField": a.date,
                "DateTimeField": a.datetime,
                "UUIDField": a.uuid,
                "JSONField": a.json,
            }.get(kind)
            # A value left out: the field's default ("" for text), or NULL where allowed.
            missing = None if fields[c].null else fields[c].get_default()
            self.plan.append((c, adapt, missing))

    def new(self, **values) -> int:
        row = []
        for c, adapt, missing in self.plan:
            v = values.get(c)
            if v is None:
                v = missing
            row.append(adapt(v) if adapt is not None and v is not None else v)
        return self.add(*row)


# ---- the members and cells, as written by people.py -------------------------------------


class World:
    def __init__(self, province: Organization):
        self.province = province
        step = Organization.steplen
        self.orgs = {
            row[0]: SimpleNamespace(
                id=row[0],
                path=row[1],
                kind=row[2],
                cell_type=row[3],
                name=row[4],
                active=not row[5],
            )
            for row in Organization.objects.filter(province=province).values_list(
                "id", "path", "kind", "cell_type", "name", "dissolved_on"
            )
        }
        self.by_path = {o.path: o for o in self.orgs.values()}
        self.step = step
        self.cells = sorted(
            (o for o in self.orgs.values() if o.kind in CELL_KINDS and o.active),
            key=lambda o: o.path,
        )
        self.members = [
            SimpleNamespace(
                id=r[0],
                dossier=r[1],
                status=r[2],
                decision=r[3],
                ceremony=r[4],
                official=r[5],
                card=r[6],
                left_reason=r[7],
                status_date=r[8],
                status_note=r[9],
                org=r[10],
                person=r[11],
                name=r[12],
                birth=r[13],
                village=r[14],
                ethnicity=r[15],
                residence=r[16],
                native=r[17],
            )
            for r in Member.objects.filter(province=province)
            .order_by("dossier_no")
            .values_list(
                "id",
                "dossier_no",
                "status",
                "admission_decision_date",
                "ceremony_date",
                "official_date",
                "card_no",
                "left_reason",
                "status_date",
                "status_note",
                "organization_id",
                "person_id",
                "person__full_name",
                "person__birth_date",
                "person__residence_village_id",
                "person__ethnicity",
                "person__residence",
                "person__native_place",
            )
        ]
        self.member = {m.id: m for m in self.members}
        self.homes: dict[int, list] = defaultdict(list)
        self.temporary: set[int] = set()
        self.cell_homes: dict[int, list] = defaultdict(list)
        for member_id, org_id, kind, start, end in Membership.objects.filter(
            province=province
        ).values_list("member_id", "organization_id", "kind", "start_date", "end_date"):
            if kind == MembershipKind.HOME:
                self.homes[member_id].append((start, end, org_id))
                self.cell_homes[org_id].append((start, end, member_id))
            else:
                self.temporary.add(member_id)
        for periods in [*self.homes.values(), *self.cell_homes.values()]:
            periods.sort(key=lambda p: (p[0], p[2]))
        self.village_commune = dict(
            Village.objects.filter(province=province).values_list("id", "commune_id")
        )
        self.village_cell: dict[int, int] = {}
        for village_id, org_id in (
            CellVillage.objects.filter(province=province, valid_to__isnull=True)
            .order_by("village_id", "organization__path")
            .values_list("village_id", "organization_id")
        ):
            if self.orgs[org_id].active:
                self.village_cell.setdefault(village_id, org_id)
        self.cell_members: dict[int, list] = defaultdict(list)
        for m in self.members:
            self.cell_members[m.org].append(m)
        self.citizen_ids = set(
            Person.objects.filter(province=province).values_list("citizen_id", flat=True)
        )
        prefixes = defaultdict(int)
        for cid in self.citizen_ids:
            prefixes[cid[:3]] += 1
        self.citizen_code = max(sorted(prefixes), key=prefixes.get) if prefixes else "001"

    def committee(self, org_id: int) -> SimpleNamespace:
        """The committee that decides for a cell: its grassroots committee; a grassroots cell's
        own upper committee."""
        path = self.orgs[org_id].path
        if self.orgs[org_id].kind == OrgKind.GRASSROOTS_CELL:
            return self.by_path.get(path[: -self.step]) or self.orgs[org_id]
        for end in range(len(path) - self.step, 0, -self.step):
            org = self.by_path.get(path[:end])
            if org is not None and org.kind in GRASSROOTS_KINDS:
                return org
        return self.orgs[org_id]

    def officials_on(self, cell_id: int, day: dt.date) -> list:
        """Official members at home in the cell on `day`, already official then."""
        out = []
        for start, end, member_id in self.cell_homes.get(cell_id, ()):
            m = self.member[member_id]
            if (
                start <= day
                and (end is None or end >= day)
                and m.status == MemberStatus.OFFICIAL
                and m.official
                and m.official <= day
            ):
                out.append(m)
        return out

    def is_commune(self, org_id: int | None) -> bool:
        org = self.orgs.get(org_id)
        return bool(
            org
            and org.active
            and org.kind in GRASSROOTS_KINDS
            and org.cell_type in RESIDENTIAL_CELL_TYPES
        )


# ---- the seed ---------------------------------------------------------------------------


def seed_member_life(province: Organization, seed: int) -> dict:
    """Write the issue-4 records of the demo province; returns row counts by model."""
    rng = random.Random(f"{seed}:member-life")  # noqa: S311 -- reproducible demo data
    uuid_rng = random.Random(f"{province.code}:member-life:uuid")  # noqa: S311
    life = Life(World(province), rng, uuid_rng)
    life.admissions()
    life.transfers()
    life.lifecycle()
    life.liaisons()
    return life.finish()


class Life:
    def __init__(self, world: World, rng, uuid_rng):
        self.w, self.rng, self.uuid_rng = world, rng, uuid_rng
        self.pid = world.province.pk
        self.now = timezone.now()
        self.a = Adapt()
        self.person = self.rows(
            Person,
            [
                "uuid",
                "full_name",
                "sex",
                "birth_date",
                "ethnicity",
                "native_place",
                "residence",
                "residence_village_id",
                "citizen_id",
                "phone",
                "general_education",
                "youth_union",
                "search_text",
                "sort_key",
            ],
        )
        self.candidate = self.rows(
            Candidate,
            [
                "uuid",
                "organization_id",
                "person_id",
                "stage",
                "stage_on",
                "member_id",
                "listed_on",
                "recommended_by",
                "sympathizer_resolution_no",
                "sympathizer_on",
                "helper_id",
                "certificate_no",
                "certificate_on",
                "certificate_issuer",
                "applied_on",
                "personal_history_on",
                "checked_on",
                "checked_by",
                "decision_no",
                "decision_on",
                "decision_by",
                "decision_received_on",
                "ceremony_on",
                "ceremony_late_reason",
                "closed_on",
                "closed_at_stage",
                "closed_reason",
            ],
        )
        self.introducer = self.rows(
            CandidateIntroducer, ["candidate_id", "member_id", "known_since"]
        )
        self.vote = self.rows(
            CellVote,
            [
                "candidate_id",
                "kind",
                "held_on",
                "votes_for",
                "eligible",
                "resolution_no",
                "passed",
            ],
        )
        self.transfer = self.rows(
            Transfer,
            [
                "uuid",
                "member_id",
                "member_name",
                "kind",
                "reason",
                "reason_detail",
                "from_org_id",
                "from_org_name",
                "to_org_id",
                "to_org_name",
                "trigger_date",
                "started_on",
                "start_due",
                "letter_type",
                "letter_no",
                "register_no",
                "letter_issued_on",
                "letter_issued_by",
                "dues_paid_until",
                "present_due",
                "presented_on",
                "received_on",
                "effective_on",
                "status",
            ],
        )
        self.decision = self.rows(
            StatusDecision,
            [
                "uuid",
                "member_id",
                "kind",
                "decision_no",
                "decision_date",
                "effective_date",
                "end_date",
                "deciding_organization_id",
                "deciding_body",
                "ground",
                "reason",
                "previous_status",
            ],
        )
        self.card = self.rows(
            CardEvent,
            [
                "member_id",
                "kind",
                "card_no",
                "series",
                "date",
                "decision_no",
            ],
        )
        self.badge = self.rows(
            BadgeAward,
            ["member_id", "years", "award_date", "decision_no"],
        )
        self.liaison = self.rows(
            ResidenceLiaison,
            [
                "uuid",
                "member_id",
                "workplace_cell_id",
                "residence_commune_id",
                "residence_cell_id",
                "residence_village_id",
                "status",
                "introduced_on",
                "letter_no",
                "received_on",
                "exemption",
                "exemption_reason",
                "exempt_on",
                "ended_on",
                "end_reason",
                "ended_by_side",
            ],
        )
        self.comment = self.rows(
            AnnualComment,
            [
                "liaison_id",
                "year",
                "exemplary",
                "policies",
                "contact",
                "activities",
                "people",
                "citizen_duties",
                "overall",
                "other_comments",
                "signed_by",
                "commented_on",
            ],
        )
        self.notice = self.rows(
            LiaisonNotice,
            [
                "liaison_id",
                "from_org_id",
                "to_org_id",
                "kind",
                "event_on",
                "note",
                "recipients",
                "without_email",
            ],
        )
        self.moved_2025: dict[int, tuple] = {}  # member id → (previous cell, move date)

    def rows(self, model, columns: list[str]) -> Rows:
        fields = {f.attname for f in model._meta.concrete_fields}
        const = {"province_id": self.pid, "created_at": self.now, "updated_at": self.now}
        return Rows(model, columns, self.a, {k: v for k, v in const.items() if k in fields})

    def uuid(self):
        return uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)

    def number(self, low: int = 10, high: int = 400) -> int:
        return self.rng.randint(low, high)

    def finish(self) -> dict:
        tables = [v for v in vars(self).values() if isinstance(v, Table)]
        for t in tables:
            t.flush()
        reset_sequences([t.model for t in tables if t.written])
        return {t.model._meta.model_name: t.written for t in tables}

    # ---- admissions -------------------------------------------------------------------

    def admissions(self):
        rng, w = self.rng, self.w
        for cell in w.cells:
            if rng.random() >= CANDIDATE_CELL_SHARE or len(w.cell_members[cell.id]) < 3:
                continue
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                self._candidate(cell)
        # The candidacy behind most probationary members (all admitted in 2025).
        for m in w.members:
            if (
                m.status == MemberStatus.PROBATIONARY
                and m.ceremony
                and m.decision
                and rng.random() < ADMITTED_LINK_SHARE
            ):
                self._admitted(m)

    def _new_person(self, cell, listed_on: dt.date) -> int:
        rng, w = self.rng, self.w
        neighbour = rng.choice(w.cell_members[cell.id])
        profile = {"state_enterprise": "enterprise", "private_enterprise": "enterprise"}.get(
            cell.cell_type, cell.cell_type if cell.cell_type in MALE_SHARE else "agency"
        )
        sex = "M" if rng.random() < MALE_SHARE[profile] else "F"
        age_days = int(rng.triangular(18.4, 35, 22) * 365.25)
        birth = shift(listed_on, -age_days)
        ethnicity = neighbour.ethnicity
        family = names.FAMILY.get(ethnicity, names.KINH_FAMILY).pick(rng)
        middle = names.MIDDLE.get((ethnicity, sex), names.MIDDLE[("01", sex)]).pick(rng)
        given = names.GIVEN.get((ethnicity, sex)) or (
            names.GIVEN_M if sex == "M" else names.GIVEN_F
        )
        person = SimpleNamespace(full_name=f"{family} {middle} {given.pick(rng)}", birth_name="")
        Person.refresh_derived(person)
        century_sex = (0 if birth.year < 2000 else 2) + (1 if sex == "F" else 0)
        while True:
            cid = (
                f"{w.citizen_code}{century_sex}{birth.year % 100:02d}{rng.randint(0, 999_999):06d}"
            )
            if cid not in w.citizen_ids:
                w.citizen_ids.add(cid)
                break
        return self.person.new(
            uuid=self.uuid(),
            full_name=person.full_name,
            sex=sex,
            birth_date=birth,
            ethnicity=ethnicity,
            native_place=neighbour.native,
            residence=neighbour.residence,
            residence_village_id=neighbour.village,
            citizen_id=cid,
            phone=f"{PHONE_PREFIX.pick(rng)}{rng.randint(0, 99_999_999):08d}",
            general_education="upper_secondary",
            youth_union=age_days < 30 * 365,
            search_text=person.search_text,
            sort_key=person.sort_key,
        )

    def _chain(self, last: Stage, end: dt.date) -> dict:
        """Dates of the stages up to `last`, the last one on `end`."""
        rng = self.rng
        upto = PIPELINE[: PIPELINE.index(last) + 1]
        gaps = [rng.randint(*GAPS[s]) for s in upto[1:]]
        day = shift(end, -sum(gaps))
        dates = {Stage.LISTED: day}
        for s, g in zip(upto[1:], gaps, strict=True):
            day = shift(day, g)
            dates[s] = day
        return dates

    def _candidate(self, cell):
        rng, w = self.rng, self.w
        final = Stage(FINAL_STAGES.pick(rng))
        closed = final in (Stage.REJECTED, Stage.WITHDRAWN)
        reached = rng.choice(PIPELINE[:5]) if closed else final
        overdue = reached == Stage.DECIDED and rng.random() < 0.3
        if overdue:
            end = day_between(rng, dt.date(2025, 7, 1), shift(REF, -70))
        elif reached == Stage.DECIDED:
            end = day_between(rng, shift(REF, -30), shift(REF, -2))
        else:
            end = day_between(rng, dt.date(2025, 2, 1), shift(REF, -100 if closed else -3))
        dates = self._chain(reached, end)
        if dates[Stage.LISTED] < dt.date(2024, 3, 1):
            return
        # A dossier needs two official members of the cell, official on the application day.
        if PIPELINE.index(reached) >= PIPELINE.index(Stage.DOSSIER):
            if len(w.officials_on(cell.id, dates[Stage.DOSSIER])) < 2:
                return
        values = {}
        if closed:
            values.update(
                closed_on=shift(end, rng.randint(10, 90)),
                closed_at_stage=reached,
                closed_reason=rng.choice(
                    REJECT_REASONS if final == Stage.REJECTED else WITHDRAW_REASONS
                ),
            )
        stage_on = values.get("closed_on") or end
        self._write_candidate(cell, None, None, final, stage_on, dates, values)

    def _admitted(self, m):
        """The candidacy of a probationary member, backwards from their own dates."""
        rng, w = self.rng, self.w
        cell = w.orgs[m.org]
        received = shift(
            m.decision, rng.randint(1, max(1, min(10, (m.ceremony - m.decision).days)))
        )
        dates = {Stage.DECIDED: received}
        vote = shift(m.decision, -rng.randint(15, 45))
        dates[Stage.VOTED] = vote
        dates[Stage.CHECKED] = shift(vote, -rng.randint(*GAPS[Stage.VOTED]))
        dates[Stage.DOSSIER] = shift(dates[Stage.CHECKED], -rng.randint(*GAPS[Stage.CHECKED]))
        dates[Stage.TRAINED] = shift(dates[Stage.DOSSIER], -rng.randint(*GAPS[Stage.DOSSIER]))
        dates[Stage.SYMPATHIZER] = shift(dates[Stage.TRAINED], -rng.randint(*GAPS[Stage.TRAINED]))
        dates[Stage.LISTED] = shift(
            dates[Stage.SYMPATHIZER], -rng.randint(*GAPS[Stage.SYMPATHIZER])
        )
        if len(w.officials_on(cell.id, dates[Stage.DOSSIER])) < 2:
            return
        late = m.ceremony > workdays(received, CEREMONY_WORKING_DAYS)
        values = {
            "decision_on": m.decision,
            "ceremony_on": m.ceremony,
            "ceremony_late_reason": "Chờ đảng viên đi công tác về để tổ chức kết nạp"
            if late
            else "",
        }
        self._write_candidate(cell, m.person, m.id, Stage.PROBATION, m.ceremony, dates, values)

    def _write_candidate(self, cell, person_id, member_id, stage, stage_on, dates, values):
        """One candidacy; `person_id` None: a new person, written here once the checks pass."""
        rng, w = self.rng, self.w
        committee = w.committee(cell.id)
        # The helping member: an official member of the cell, then and now.
        helpers = [m for m in w.officials_on(cell.id, dates[Stage.LISTED]) if m.org == cell.id]
        if Stage.SYMPATHIZER in dates and not helpers:
            return
        if person_id is None:
            person_id = self._new_person(cell, dates[Stage.LISTED])
        row = {
            "uuid": self.uuid(),
            "organization_id": cell.id,
            "person_id": person_id,
            "stage": stage,
            "stage_on": stage_on,
            "member_id": member_id,
            "listed_on": dates[Stage.LISTED],
            "recommended_by": rng.choice(RECOMMENDERS),
        }
        if Stage.SYMPATHIZER in dates:
            row.update(
                sympathizer_resolution_no=f"{self.number(1, 40)}-NQ/CB",
                sympathizer_on=dates[Stage.SYMPATHIZER],
                helper_id=rng.choice(helpers).id,
            )
        if Stage.TRAINED in dates:
            row.update(
                certificate_no=f"{self.number(100, 9000)}/CN",
                certificate_on=dates[Stage.TRAINED],
                certificate_issuer=f"Trung tâm Chính trị ({committee.name})",
            )
        if Stage.DOSSIER in dates:
            applied = dates[Stage.DOSSIER]
            row.update(applied_on=applied, personal_history_on=shift(applied, -rng.randint(0, 7)))
        if Stage.CHECKED in dates:
            row.update(checked_on=dates[Stage.CHECKED], checked_by=f"Chi ủy {cell.name}")
        if Stage.DECIDED in dates:
            received = dates[Stage.DECIDED]
            row.update(
                decision_no=f"{self.number()}-QĐ/ĐU",
                decision_on=values.pop("decision_on", shift(received, -rng.randint(2, 10))),
                decision_by=committee.name,
                decision_received_on=received,
            )
        row.update(values)
        pk = self.candidate.new(**row)
        if Stage.DOSSIER in dates:
            applied = dates[Stage.DOSSIER]
            for m in rng.sample(w.officials_on(cell.id, applied), 2):
                known = shift(add_months(applied, -12), -rng.randint(0, 1500))
                self.introducer.new(candidate_id=pk, member_id=m.id, known_since=known)
        if Stage.CHECKED in dates and stage == Stage.CHECKED and rng.random() < 0.3:
            self._vote(pk, cell, shift(dates[Stage.CHECKED], rng.randint(1, 5)), passed=False)
        if Stage.VOTED in dates:
            self._vote(pk, cell, dates[Stage.VOTED], passed=True)

    def _vote(self, candidate_id, cell, day, passed: bool):
        eligible = len(self.w.officials_on(cell.id, day))
        if not eligible:
            return
        need = -(-2 * eligible // 3)  # two thirds, rounded up
        votes = (
            self.rng.randint(need, eligible) if passed else self.rng.randint(0, max(0, need - 1))
        )
        self.vote.new(
            candidate_id=candidate_id,
            kind=VoteKind.ADMISSION,
            held_on=min(day, REF),
            votes_for=votes,
            eligible=eligible,
            resolution_no=f"{self.number(1, 40)}-NQ/CB",
            passed=passed,
        )

    # ---- transfers --------------------------------------------------------------------

    def transfers(self):
        rng, w = self.rng, self.w
        for m in w.members:
            periods = w.homes.get(m.id, [])
            if (
                len(periods) >= 2
                and periods[-1][0].year == REF.year
                and m.status
                in (
                    MemberStatus.OFFICIAL,
                    MemberStatus.PROBATIONARY,
                )
            ):
                previous, current = periods[-2], periods[-1]
                self.moved_2025[m.id] = (previous[2], current[0])
                self._completed(m, previous[2], current[2], current[0])
        candidates = [
            m
            for m in w.members
            if m.status in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)
            and m.id not in self.moved_2025
            and m.id not in w.temporary
        ]
        n = max(3, round(len(w.members) * TRANSFER_OPEN_SHARE))
        for i, m in enumerate(rng.sample(candidates, min(n, len(candidates)))):
            self._in_progress(m, ("started", "letter", "late_start", "late_letter")[i % 4])

    def _reason(self, m, day) -> str:
        if (day - m.birth).days > 58 * 365 and self.rng.random() < 0.5:
            return TransferReason.RETIREMENT
        return self.rng.choice([TransferReason.JOB] * 3 + [TransferReason.RESIDENCE] * 2)

    def _completed(self, m, from_id, to_id, effective):
        rng, w = self.rng, self.w
        presented = shift(effective, -rng.randint(0, 5))
        issued = shift(presented, -rng.randint(2, 20))
        started = shift(issued, -rng.randint(2, 12))
        trigger = shift(started, -rng.randint(5, 50))
        committee = w.committee(from_id)
        self.transfer.new(
            uuid=self.uuid(),
            member_id=m.id,
            member_name=m.name,
            kind=TransferKind.OFFICIAL,
            reason=rng.choice([TransferReason.JOB] * 3 + [TransferReason.RESIDENCE] * 2),
            from_org_id=from_id,
            to_org_id=to_id,
            trigger_date=trigger,
            started_on=started,
            start_due=workdays(trigger, START_WORKING_DAYS),
            letter_type=LetterType.OFFICIAL_10,
            letter_no=f"{self.number(1, 300)}-GGT/ĐU",
            register_no=str(self.number(1, 300)),
            letter_issued_on=issued,
            letter_issued_by=committee.name,
            dues_paid_until=issued.replace(day=1),
            present_due=workdays(issued, PRESENT_WORKING_DAYS),
            presented_on=presented,
            received_on=presented,
            effective_on=effective,
            status=TransferStatus.COMPLETED,
        )

    def _in_progress(self, m, how: str):
        rng, w = self.rng, self.w
        if how in ("started", "late_start"):
            started = day_between(rng, shift(REF, -40), shift(REF, -2))
            issued = None
        else:
            issued = day_between(
                rng,
                *(
                    (shift(REF, -25), shift(REF, -1))
                    if how == "letter"
                    else (shift(REF, -100), shift(REF, -60))
                ),
            )
            started = shift(issued, -rng.randint(2, 12))
        trigger = shift(
            started, -rng.randint(95, 150) if how == "late_start" else -rng.randint(5, 40)
        )
        home = w.homes[m.id][-1][0] if w.homes.get(m.id) else None
        if home and trigger <= home:
            return
        to_id, to_name = None, ""
        others = [c for c in w.cells if c.id != m.org]
        if rng.random() < 0.7 and others:
            to_id = rng.choice(others).id
        else:
            place = names.place_names(rng, 1, tay_share=0.3)[0]
            to_name = f"Đảng ủy xã {place}, tỉnh {rng.choice(names.PROVINCE_NAMES)}"
        committee = w.committee(m.org)
        letter = {}
        if issued:
            letter = {
                "letter_type": LetterType.OFFICIAL_10,
                "letter_no": f"{self.number(1, 300)}-GGT/ĐU",
                "register_no": str(self.number(1, 300)),
                "letter_issued_on": issued,
                "letter_issued_by": committee.name,
                "dues_paid_until": issued.replace(day=1),
                "present_due": workdays(issued, PRESENT_WORKING_DAYS),
            }
        self.transfer.new(
            uuid=self.uuid(),
            member_id=m.id,
            member_name=m.name,
            kind=TransferKind.OFFICIAL,
            reason=self._reason(m, trigger),
            from_org_id=m.org,
            to_org_id=to_id,
            to_org_name=to_name,
            trigger_date=trigger,
            started_on=started,
            start_due=workdays(trigger, START_WORKING_DAYS),
            status=TransferStatus.LETTER_ISSUED if issued else TransferStatus.STARTED,
            **letter,
        )

    # ---- lifecycle ----------------------------------------------------------------------

    def lifecycle(self):
        rng, w = self.rng, self.w
        award_numbers: dict[dt.date, str] = {}
        for m in w.members:
            if m.status in (MemberStatus.EXEMPT, MemberStatus.SUSPENDED) or (
                m.status == MemberStatus.LEFT and m.left_reason in EXIT_KIND
            ):
                self._decision(m)
            if m.card and m.official:
                self._card(m)
            start = m.decision or m.ceremony
            if not start or (m.status == MemberStatus.LEFT and m.left_reason != LeftReason.DEATH):
                continue
            for years in BADGE_YEARS:
                reached = badge_reached_on(start, years)
                if reached >= YEAR_START:
                    break
                award = next_award_date(reached)
                if m.status == MemberStatus.LEFT and award >= m.status_date:
                    break
                if award not in award_numbers:
                    award_numbers[award] = f"{rng.randint(100, 2000)}-QĐ/TU"
                self.badge.new(
                    member_id=m.id,
                    years=years,
                    award_date=award,
                    decision_no=award_numbers[award],
                )

    def _decision(self, m):
        rng, w = self.rng, self.w
        committee = w.committee(m.org)
        previous = MemberStatus.OFFICIAL if m.official else MemberStatus.PROBATIONARY
        effective = m.status_date
        found = NOTE_DECISION.search(m.status_note or "")
        number = found.group(1) if found else f"{self.number()}-QĐ/ĐU"
        row = {
            "uuid": self.uuid(),
            "member_id": m.id,
            "decision_no": number,
            "decision_date": effective,
            "effective_date": effective,
            "deciding_organization_id": committee.id,
            "deciding_body": f"Ban Thường vụ {committee.name}",
            "previous_status": previous,
        }
        if m.status == MemberStatus.EXEMPT:
            decided = max(shift(effective, -rng.randint(0, 20)), m.official or effective)
            row.update(
                kind=DecisionKind.EXEMPTION,
                decision_no=f"{self.number(1, 40)}-NQ/CB",
                decision_date=decided,
                deciding_organization_id=m.org,
                deciding_body=f"Hội nghị chi bộ ngày {decided:%d/%m/%Y}",
                ground=Ground.OLD_AGE if rng.random() < 0.85 else Ground.HEALTH,
                reason=m.status_note,
            )
        elif m.status == MemberStatus.SUSPENDED:
            row.update(
                kind=DecisionKind.SUSPENSION,
                end_date=shift(effective, 90),
                reason=rng.choice(SUSPENSION_REASONS),
            )
        else:
            kind = EXIT_KIND[m.left_reason]
            row.update(kind=kind, reason=LEFT_NOTES[m.left_reason])
            if kind == DecisionKind.DEATH:
                row["decision_date"] = min(shift(effective, rng.randint(5, 30)), REF)
                row["reason"] = m.status_note
            elif kind == DecisionKind.STRIKE_OFF:
                row["ground"] = rng.choice(STRIKE_OFF_GROUNDS)
        self.decision.new(**row)

    def _card(self, m):
        rng = self.rng
        day = shift(m.official, rng.randint(20, 150))
        if day < CARD_EXCHANGE[0]:
            day = day_between(rng, *CARD_EXCHANGE)
        limit = m.status_date if m.status == MemberStatus.LEFT else REF
        day = max(min(day, limit), m.official)
        self.card.new(
            member_id=m.id,
            kind=CardEventKind.ISSUE,
            card_no=m.card,
            series=CardSeries.S2003,
            date=day,
            decision_no=f"{self.number(10, 900)}-QĐ/{'HU' if day < REFORM else 'TU'}",
        )

    # ---- residence liaison ----------------------------------------------------------------

    def liaisons(self):
        rng, w = self.rng, self.w
        for m in w.members:
            cell = w.orgs[m.org]
            if (
                m.status not in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)
                or cell.cell_type not in WORKPLACE_CELL_TYPES
                or not m.village
                or not w.is_commune(w.village_commune.get(m.village))
            ):
                continue
            commune = w.village_commune[m.village]
            home_start = w.homes[m.id][-1][0] if w.homes.get(m.id) else m.ceremony
            earliest = max(home_start, m.decision or m.ceremony, QD_213)
            moved = self.moved_2025.get(m.id)
            if moved and w.orgs[moved[0]].cell_type in WORKPLACE_CELL_TYPES:
                self._ended(m, moved, commune)
            u = rng.random()
            uniformed = cell.cell_type in (CellType.ARMY, CellType.POLICE)
            if uniformed and u < LIAISON_EXEMPT:
                self.liaison.new(
                    uuid=self.uuid(),
                    member_id=m.id,
                    workplace_cell_id=m.org,
                    status=LiaisonStatus.EXEMPT,
                    exemption=Exemption.COMBAT_READINESS,
                    exemption_reason="Đơn vị làm nhiệm vụ sẵn sàng chiến đấu",
                    exempt_on=min(shift(earliest, rng.randint(10, 60)), REF),
                )
                continue
            if u >= LIAISON_INTRODUCED:
                continue
            received = u < LIAISON_RECEIVED
            if received:
                introduced = shift(earliest, rng.randint(15, 90))
                receipt = shift(introduced, rng.randint(5, 40))
            else:  # sent lately, the commune has not received the member yet
                introduced = max(shift(earliest, 15), day_between(rng, shift(REF, -50), REF))
                receipt = None
            if introduced > REF or (receipt and receipt > REF):
                continue
            residence_cell = w.village_cell.get(m.village)
            if received and residence_cell is None:
                received, receipt = False, None
            barracks = uniformed and received and rng.random() < 0.1
            pk = self.liaison.new(
                uuid=self.uuid(),
                member_id=m.id,
                workplace_cell_id=m.org,
                residence_commune_id=commune,
                residence_cell_id=residence_cell if received or rng.random() < 0.5 else None,
                residence_village_id=m.village,
                status=LiaisonStatus.RECEIVED if received else LiaisonStatus.INTRODUCED,
                introduced_on=introduced,
                letter_no=f"{self.number(1, 500)}-GGT/ĐU",
                received_on=receipt,
                exemption=Exemption.BARRACKS if barracks else "",
                exemption_reason="Ở tập trung trong doanh trại" if barracks else "",
                exempt_on=introduced if barracks else None,
            )
            if (
                u < LIAISON_COMMENTED
                and received
                and not barracks
                and receipt < dt.date(2025, 12, 1)
            ):
                self._comment(pk, residence_cell, receipt)

    def _ended(self, m, moved, commune):
        """The liaison from the workplace the member left in 2025: ended, the commune told."""
        rng, w = self.rng, self.w
        previous, move = moved
        introduced = shift(move, -rng.randint(200, 1500))
        if introduced < max(QD_213, m.decision or m.ceremony):
            return
        receipt = shift(introduced, rng.randint(5, 40))
        pk = self.liaison.new(
            uuid=self.uuid(),
            member_id=m.id,
            workplace_cell_id=previous,
            residence_commune_id=commune,
            residence_cell_id=w.village_cell.get(m.village),
            residence_village_id=m.village,
            status=LiaisonStatus.ENDED,
            introduced_on=introduced,
            letter_no=f"{self.number(1, 500)}-GGT/ĐU",
            received_on=receipt if w.village_cell.get(m.village) else None,
            ended_on=move,
            end_reason=EndReason.CHANGED_JOB,
            ended_by_side=Side.WORKPLACE,
        )
        self.notice.new(
            liaison_id=pk,
            from_org_id=w.committee(previous).id,
            to_org_id=commune,
            kind=EndReason.CHANGED_JOB,
            event_on=move,
            note="Chuyển sinh hoạt đảng chính thức",
            recipients=[],
            without_email=[],
        )

    def _comment(self, liaison_id, residence_cell, receipt):
        rng = self.rng
        good = rng.random() < 0.94
        levels = (
            [Level3.WELL] * 3 + [Level3.DONE] * 2
            if good
            else [Level3.DONE] * 2 + [Level3.NOT_YET] * 2
        )
        secretary = ""
        members = self.w.cell_members.get(residence_cell) or []
        if members:
            secretary = members[0].name
        self.comment.new(
            liaison_id=liaison_id,
            year=REF.year,
            **{
                f: rng.choice(levels)
                for f in (
                    "exemplary",
                    "policies",
                    "contact",
                    "activities",
                    "people",
                    "citizen_duties",
                )
            },
            overall=Overall.GOOD if good else Overall.NOT_GOOD,
            other_comments=rng.choice(GOOD_COMMENTS if good else NOT_GOOD_COMMENTS),
            signed_by=secretary,
            commented_on=day_between(rng, max(shift(receipt, 1), dt.date(2025, 12, 1)), REF),
        )


# ---- counting ---------------------------------------------------------------------------


def count_rows(province: Organization) -> dict:
    candidates = Candidate.objects.filter(province=province)
    transfers = Transfer.objects.filter(province=province)
    liaisons = ResidenceLiaison.objects.filter(province=province)
    return {
        "candidates": candidates.count(),
        "admitted": candidates.filter(stage=Stage.PROBATION).count(),
        "transfers_completed": transfers.filter(status=TransferStatus.COMPLETED).count(),
        "transfers_open": transfers.exclude(
            status__in=(TransferStatus.COMPLETED, TransferStatus.CANCELLED)
        ).count(),
        "liaisons": liaisons.exclude(status=LiaisonStatus.ENDED).count(),
        "liaisons_received": liaisons.filter(status=LiaisonStatus.RECEIVED).count(),
        "comments": AnnualComment.objects.filter(province=province, year=REF.year).count(),
        "decisions": StatusDecision.objects.filter(province=province).count(),
        "card_events": CardEvent.objects.filter(province=province).count(),
        "badges": BadgeAward.objects.filter(province=province).count(),
    }
