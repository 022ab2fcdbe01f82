"""One cell's year of meetings: planning the dates, then filling the held ones.

`CellYear.run` first lays out every meeting of 2025 as a `Shell` (date, kind, status),
then walks them in date order, as the secretary would have recorded them, so that
resolution numbers, the review of last month's resolution and absence streaks come
out as the service functions would have made them.
"""

import datetime as dt
import zoneinfo

from django.conf import settings

from demo import meeting_texts as tx
from demo.meeting_checks import Held, compute_all_checks
from demo.structure import REF, day_between
from meetings.agenda import REVIEW_TITLE
from meetings.models import (
    PRESENT_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    AbsenceStatus,
    AttendanceStatus,
    DocumentKind,
    MeetingKind,
    MeetingStatus,
    ResolutionKind,
    RosterKind,
    Step,
    TaskStatus,
)
from members.models import MemberStatus
from organizations.models import CellType, OrgKind

YEAR = 2025
YEAR_START = dt.date(YEAR, 1, 1)
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
END_OF_REF = dt.datetime.combine(REF, dt.time(23, 59), tzinfo=TZ)
RESIDENTIAL = (CellType.VILLAGE, CellType.RESIDENTIAL)
DAY = dt.timedelta(days=1)
HELD = (MeetingStatus.IN_PROGRESS, MeetingStatus.APPROVED, MeetingStatus.ARCHIVED)
NOT_RECORDED = (MeetingStatus.PLANNED, MeetingStatus.PREPARED, MeetingStatus.NOTICE_SENT)
# Public holidays of 2025 when workplaces do not meet (Tết: 25/1–2/2).
HOLIDAYS = {
    *(dt.date(2025, 1, 25) + DAY * i for i in range(9)),
    dt.date(2025, 4, 7),
    *(dt.date(2025, 4, 30) + DAY * i for i in range(5)),
    *(dt.date(2025, 8, 30) + DAY * i for i in range(4)),
}
TET = (dt.date(2025, 1, 27), dt.date(2025, 2, 3))  # villages do not meet around Tết either


def at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=TZ)


# ---- what is read back from the members just written ------------------------------------


class Person:
    __slots__ = (
        "id",
        "dossier",
        "status",
        "official",
        "status_date",
        "birth_year",
        "female",
        "name",
        "village",
        "home",
    )

    def __init__(self, row):
        (
            self.id,
            self.dossier,
            self.status,
            self.official,
            self.status_date,
            birth,
            sex,
            self.name,
            self.village,
            self.home,
        ) = row
        self.birth_year, self.female = birth.year, sex == "F"

    def status_on(self, day: dt.date) -> str | None:
        """Party status on a past day (None: no longer a member then)."""
        if self.status == MemberStatus.LEFT:
            if day >= self.status_date:
                return None
        elif self.status in (MemberStatus.EXEMPT, MemberStatus.SUSPENDED):
            if self.status_date and self.status_date <= day:
                return self.status
        if self.official and self.official <= day:
            return MemberStatus.OFFICIAL
        return MemberStatus.PROBATIONARY


class Cell:
    def __init__(self, row, group_name):
        self.id, self.path, self.name, self.cell_type, self.kind = row
        self.group_name = group_name  # "Đảng bộ xã …", the committee the cell belongs to
        self.villages: list[tuple[int, str]] = []
        self.home: list[tuple[Person, dt.date, dt.date | None]] = []
        self.attached: list[tuple[Person, dt.date, dt.date | None]] = []
        self.residential = self.cell_type in RESIDENTIAL

    def roster(self, day: dt.date, away: dict) -> list[tuple[Person, str, str, str]]:
        """(person, roster kind, status on the day, preset mark): `expected_roster` on `day`."""
        rows = []
        for kind, periods in ((RosterKind.HOME, self.home), (RosterKind.TEMPORARY, self.attached)):
            for p, start, end in periods:
                if start > day or (end is not None and end < day):
                    continue
                status = p.status_on(day)
                if status is None:
                    continue
                preset = ""
                if status == MemberStatus.EXEMPT:
                    preset = AttendanceStatus.EXEMPT
                elif kind == RosterKind.HOME and any(
                    s <= day and (e is None or e >= day) for s, e in away.get(p.id, ())
                ):
                    preset = AttendanceStatus.TRANSFERRED_OUT
                rows.append((p, kind, status, preset))
        return rows


def officers(cell: Cell, away: dict) -> list[Person]:
    """Secretary, deputy, committee member: officials through all of 2025, working age first.

    users.demo_places applies the same rule, so the demo secretary chairs their cell."""
    eligible = [
        p
        for p, start, end in cell.home
        if end is None
        and start <= YEAR_START
        and p.status == MemberStatus.OFFICIAL
        and p.official
        and p.official < YEAR_START
        and not any(e is None or e >= YEAR_START for _s, e in away.get(p.id, ()))
    ]
    eligible.sort(key=lambda p: (not 1960 <= p.birth_year <= 1990, p.dossier))
    return eligible


class Shell:
    """A meeting while it is being made up; written once its content is known."""

    __slots__ = (
        "pk",
        "kind",
        "status",
        "title",
        "topic",
        "month",
        "at",
        "place",
        "prepares",
        "draft",
        "started",
        "ended",
        "chair",
        "minsec",
        "notice_at",
        "approved_at",
        "note",
        "postponed_to",
        "created",
        "held",
    )

    def __init__(self, pk, kind, month, when, place, status=MeetingStatus.PLANNED, **kw):
        self.pk, self.kind, self.month, self.at, self.place = pk, kind, month, when, place
        self.status = status
        self.title = self.topic = self.draft = self.note = ""
        self.prepares = self.postponed_to = None
        self.started = self.ended = self.notice_at = self.approved_at = None
        self.chair = self.minsec = None
        self.created = when - dt.timedelta(days=20)
        self.held: Held | None = None
        for k, v in kw.items():
            setattr(self, k, v)

    @property
    def day(self) -> dt.date:
        return self.at.date()


# ---- one cell's year ----------------------------------------------------------------------

AUG1 = dt.date(2025, 8, 1)  # new commune committees set one day for their cells after the reform
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
TIMES = {
    "residential": [(19, 30)] * 6 + [(19, 0)] * 2 + [(20, 0)] * 2 + [(18, 30)],
    CellType.ARMY: [(7, 30)] * 2 + [(14, 0)] * 2 + [(16, 0)],
    CellType.POLICE: [(7, 30)] * 2 + [(14, 0)] * 2 + [(16, 0)],
    CellType.SCHOOL: [(16, 30)] * 2 + [(17, 0), (14, 0)],
    CellType.STATE_ENTERPRISE: [(15, 0), (16, 0), (16, 30)],
    CellType.PRIVATE_ENTERPRISE: [(15, 0), (16, 0), (16, 30)],
    "work": [(14, 0)] * 3 + [(15, 0)] * 2 + [(16, 0)] * 2 + [(8, 0)],
}
PRESENTED_BY_CHAIR = (
    "Đánh giá kết quả lãnh đạo",
    "Phương hướng, nhiệm vụ",
    "Đánh giá kết quả thực",
)
DISCUSSION = "thảo luận"
VOTE_ITEM = "biểu quyết thông qua nghị quyết"
REPORT_ITEM = "trình bày dự thảo báo cáo chuyên đề"


class CellYear:
    def __init__(self, ctx, cell: Cell):
        self.ctx, self.cell, self.rng, self.w, self.a = ctx, cell, ctx.rng, ctx.w, ctx.w.a
        self.pid = ctx.province.pk
        self.shells: list[Shell] = []
        off = officers(cell, ctx.away)
        self.secretary, self.deputy, self.third = (off + [None, None, None])[:3]
        self.first: dict[int, Shell] = {}  # month → the regular meeting as first planned
        self.regular: dict[int, Shell] = {}  # month → the one that took place (or will)
        self.last_resolution: tuple[int, list[str]] | None = None
        self.topics: set[str] = set()

    def run(self):
        if not self.cell.home:
            return
        self._profile()
        self._schedule()
        self._terms()
        self._plan_regular()
        self._plan_committees()
        self._plan_thematic()
        if self.cell.residential:
            self._plan_liaison()
        self._plan_year_end()
        self.shells.sort(key=lambda s: (s.at, s.pk))
        for s in self.shells:
            self._fill(s)
        checks = compute_all_checks(self.shells)
        for s in self.shells:
            self._write(s, checks.get(id(s), {}))
        for start, n in self.seq.items():
            if n:
                self.w.seq.add(self.pid, self.cell.id, "NQ", self.a.date(start), n)

    # ---- the cell's habits ---------------------------------------------------------------

    def _profile(self):
        rng, c = self.rng, self.cell
        self.rate = rng.uniform(0.87, 0.96) if c.residential else rng.uniform(0.955, 0.99)
        self.skip: set[int] = set()
        if rng.random() < 0.05:  # a weak cell: several months without a meeting
            self.skip = set(rng.sample(range(2, 12), rng.randint(2, 4)))
            self.rate -= 0.04
        self.uses_docs = rng.random() < (0.45 if c.residential else 0.7)
        self.notifies = rng.random() < 0.7
        # Meetings from this day on are not recorded yet (the secretary is behind).
        self.lag_from = REF - dt.timedelta(days=rng.randint(3, 40)) if rng.random() < 0.3 else None
        self.slow = rng.random() < 0.15  # approves the minutes weeks later
        self.archives = rng.random() < 0.12
        old = sum(1 for p, _s, e in c.home if e is None and p.birth_year <= 1955)
        self.short = (
            c.cell_type == CellType.RESIDENTIAL and old >= 0.25 * len(c.home) and rng.random() < 0.8
        )
        leaders = {p.id for p in (self.secretary, self.deputy, self.third) if p}
        self.chronic: dict[int, tuple[int, int, str]] = {}
        for p, _start, end in c.home:
            if p.id in leaders or end is not None:
                continue
            if rng.random() < (0.025 if c.residential else 0.012):
                first = rng.randint(1, 9)
                if c.residential:
                    reason = rng.choice(tx.LONG_ABSENCE_RESIDENTIAL)
                elif p.female and p.birth_year >= 1985:
                    reason = "Nghỉ chế độ thai sản"
                else:
                    reason = rng.choice(tx.LONG_ABSENCE_WORK[::2])
                self.chronic[p.id] = (first, first + rng.randint(3, 7), reason)

    def _schedule(self):
        rng, c = self.rng, self.cell
        days = self.ctx.group_days.setdefault(
            c.group_name,
            (
                rng.choice([3, 5, 5, 10, 10, 15, 20, 25]),
                rng.choice([5, 10, 15, 20]) if rng.random() < 0.4 else None,
            ),
        )
        day = days[0] if rng.random() < 0.65 else rng.randint(1, 28)
        key = "residential" if c.residential else c.cell_type
        time = dt.time(*rng.choice(TIMES.get(key, TIMES["work"])))
        place = self._place()
        duration = 120 if rng.random() < 0.1 else 90
        start = dt.date(rng.choice([2021, 2022, 2023, 2024]), 1, 1)
        self.rules = [(start, None, day, time, place, duration)]
        if c.residential and days[1] is not None:
            self.rules = [
                (start, AUG1 - DAY, day, time, place, duration),
                (AUG1, None, days[1], dt.time(19, 30), place, duration),
            ]
        for valid_from, valid_to, d, t, p, n in self.rules:
            self.w.rule.add(
                self.pid,
                c.id,
                d,
                self.a.time(t),
                p,
                n,
                self.a.date(valid_from),
                self.a.date(valid_to),
                None,
            )

    def _place(self) -> str:
        c = self.cell
        if c.villages:
            name = c.villages[0][1]
            for prefix in ("Thôn ", "Bản ", "Tổ dân phố "):
                if name.startswith(prefix):
                    name = prefix.lower() + name[len(prefix) :]
            return f"Nhà văn hóa {name}"[:200]
        unit = c.name.removeprefix("Chi bộ ")
        if c.residential:
            return f"Nhà văn hóa {unit}"[:200]
        return f"{self.rng.choice(['Hội trường', 'Phòng họp'])} {unit}"[:200]

    def rule(self, month: int):
        first = dt.date(YEAR, month, 1)
        for valid_from, valid_to, *rest in reversed(self.rules):
            if valid_from <= first and (valid_to is None or valid_to >= first):
                return rest  # day, time, place, duration
        return self.rules[-1][2:]

    def _terms(self):
        """Committee terms: resolutions are numbered from 01 in each (HD 36)."""
        rng, c = self.rng, self.cell
        if c.kind == OrgKind.GRASSROOTS_CELL:
            prev = day_between(rng, dt.date(2020, 4, 1), dt.date(2020, 6, 30))
            congress = day_between(rng, dt.date(2025, 4, 1), dt.date(2025, 6, 15))
        else:
            prev = day_between(rng, dt.date(2022, 7, 1), dt.date(2022, 10, 31))
            congress = day_between(rng, dt.date(2025, 3, 1), dt.date(2025, 4, 30))
        months = (YEAR - prev.year) * 12 - prev.month + 1
        self.congress = congress
        self.seq = {prev: months - rng.randint(0, 4), congress: 0}
        self.w.term.add(self.pid, c.id, self.a.date(prev), self.a.date(congress - DAY))
        self.w.term.add(self.pid, c.id, self.a.date(congress), None)

    def _number(self, day: dt.date) -> int:
        start = self.congress if day >= self.congress else next(iter(self.seq))
        self.seq[start] += 1
        return self.seq[start]

    # ---- planning ------------------------------------------------------------------------

    def _adjust(self, day: dt.date) -> dt.date:
        """Villages avoid Tết; workplaces meet on working days."""
        tet_from = TET[0] if self.cell.residential else dt.date(2025, 1, 25)
        if tet_from <= day <= TET[1]:
            day = dt.date(2025, 1, 22) + DAY * self.rng.randint(0, 2)  # the week before
        if not self.cell.residential:
            while day.weekday() >= 5 or day in HOLIDAYS:
                day += DAY
        return min(day, REF)

    def _shell(self, kind, month, day, time, place, **kw) -> Shell:
        s = Shell(self.w.meeting.ids.take(), kind, month, at(day, time), place, **kw)
        self.shells.append(s)
        return s

    def _plan_regular(self):
        rng = self.rng
        for m in range(1, 13):
            d, time, place, _n = self.rule(m)
            base = dt.date(YEAR, m, d)
            if m in self.skip or rng.random() < 0.016:
                if rng.random() < 0.3:
                    self._shell(
                        MeetingKind.REGULAR,
                        m,
                        self._adjust(base),
                        time,
                        place,
                        status=MeetingStatus.CANCELLED,
                        note=rng.choice(tx.CANCEL_REASONS),
                    )
                continue
            day = self._adjust(base)
            if rng.random() < 0.12:
                day = self._adjust(day + DAY * rng.choice([-3, -2, -1, 1, 2, 3, 4]))
            s = self.first[m] = self.regular[m] = self._shell(
                MeetingKind.REGULAR, m, day, time, place
            )
            s.created = at(YEAR_START, dt.time(8, 0))  # generated from the schedule in January
            if rng.random() < 0.015:
                s.status, s.note = MeetingStatus.POSTPONED, rng.choice(tx.POSTPONE_REASONS)
                later = self._adjust(day + DAY * rng.randint(3, 10))
                new = self._shell(
                    MeetingKind.REGULAR, m, later, time, place, created=s.at - HOUR * 20
                )
                s.postponed_to = self.regular[m] = new

    def _plan_committees(self):
        rng = self.rng
        for m, orig in self.first.items():
            if rng.random() >= 0.85:
                continue
            days = [orig.day - DAY * n for n in range(2, 6)]
            if self.cell.residential:
                time = rng.choice([orig.at.time(), dt.time(14, 0)])
                place = "Nhà đồng chí Bí thư chi bộ" if rng.random() < 0.4 else orig.place
            else:
                time, place = dt.time(rng.choice([14, 15, 16]), 0), orig.place
                days = [d for d in days if d.weekday() < 5 and d not in HOLIDAYS] or days
            day = rng.choice(days)
            self._shell(MeetingKind.COMMITTEE, m, day, time, place, prepares=orig)

    def _topic(self, quarter: int) -> str:
        rng, c = self.rng, self.cell
        for _ in range(6):
            r = rng.random()
            if r < 0.45:
                pool = tx.TOPICS_QUARTER[quarter]
            elif r < 0.8:
                pool = tx.TOPICS_ANY
            elif c.residential:
                urban = tx.TOPICS_URBAN if c.cell_type == CellType.RESIDENTIAL else []
                pool = tx.TOPICS_RESIDENTIAL + urban
            else:
                pool = tx.TOPICS_WORKPLACE + tx.TOPICS_BY_TYPE.get(c.cell_type, [])
            topic = rng.choice(pool).format(
                province=self.ctx.province_short, commune=c.group_name.removeprefix("Đảng bộ ")
            )[:250]
            if topic not in self.topics:
                break
        self.topics.add(topic)
        return topic

    def _plan_thematic(self):
        rng = self.rng
        keeps_the_rule = rng.random() < 0.9
        for q in range(1, 5):
            if not keeps_the_rule and rng.random() < 0.5:
                continue
            months = [m for m in range(3 * q - 2, 3 * q + 1) if m in self.regular]
            for i in range(2 if rng.random() < 0.1 else 1):
                if i == 0 and months and rng.random() < 0.22:
                    m = rng.choice(months)
                    topic = self._topic(q)
                    for s in {self.first[m], self.regular[m]}:  # a postponed one too
                        s.kind, s.topic = MeetingKind.COMBINED, topic
                    continue
                m = rng.randint(3 * q - 2, 3 * q)
                _d, time, place, _n = self.rule(m)
                day = self._adjust(dt.date(YEAR, m, rng.randint(1, 28)))
                self._shell(MeetingKind.THEMATIC, day.month, day, time, place, topic=self._topic(q))

    def _plan_liaison(self):
        rng = self.rng
        for first, last, label in (
            (dt.date(2025, 3, 1), dt.date(2025, 6, 28), "6 tháng đầu năm 2025"),
            (dt.date(2025, 11, 1), dt.date(2025, 12, 27), "năm 2025"),
        ):
            day = self._adjust(day_between(rng, first, last))
            _d, time, place, _n = self.rule(day.month)
            if day.weekday() == 6:
                time = dt.time(8, 0)  # Sunday morning, when working members are home
            self._shell(
                MeetingKind.LIAISON,
                day.month,
                day,
                time,
                place,
                title="Hội nghị chi bộ với đảng viên đang công tác thường xuyên giữ mối liên hệ "
                f"với nơi cư trú (Quy định 213-QĐ/TW), {label}",
            )

    def _plan_year_end(self):
        day = self._adjust(day_between(self.rng, dt.date(2025, 12, 10), dt.date(2025, 12, 30)))
        _d, time, place, _n = self.rule(12)
        self._shell(
            MeetingKind.YEAR_END,
            12,
            day,
            time,
            place,
            title="Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng "
            "và đảng viên năm 2025",
        )

    # ---- recording ------------------------------------------------------------------------

    def _fill(self, s: Shell):
        rng = self.rng
        if s.status == MeetingStatus.CANCELLED:
            return
        if self.notifies and s.kind != MeetingKind.COMMITTEE:
            s.notice_at = at(s.day - DAY * rng.randint(2, 5), dt.time(rng.randint(7, 20), 0))
        if s.kind in REGULAR_KINDS or s.kind == MeetingKind.COMMITTEE:
            s.draft = (
                f"Dự thảo Nghị quyết chi bộ tháng {s.month}/{YEAR}: lãnh đạo thực hiện nhiệm vụ "
                "chính trị, công tác xây dựng Đảng và các nhiệm vụ trọng tâm tháng tới."
            )
        if s.status == MeetingStatus.POSTPONED:
            return  # its agenda, documents and requests went to the new meeting
        recorded = s.at <= END_OF_REF and not (self.lag_from and s.day >= self.lag_from)
        if recorded:
            self._hold(s)
            return
        if s.kind == MeetingKind.COMMITTEE:
            s.status = MeetingStatus.PLANNED
        else:
            r = rng.random()
            s.status = (
                MeetingStatus.PLANNED
                if r < 0.4
                else MeetingStatus.PREPARED
                if r < 0.6
                else MeetingStatus.NOTICE_SENT
            )
        if s.status == MeetingStatus.PLANNED:
            s.notice_at = None
            return
        if s.status == MeetingStatus.PREPARED:
            s.notice_at = None
        elif s.notice_at is None:
            s.notice_at = at(s.day - DAY * rng.randint(1, 4), dt.time(8, 0))
        self._agenda(s, None, None)
        self._documents(s)
        if s.status == MeetingStatus.NOTICE_SENT:
            self._pending_requests(s)

    def _hold(self, s: Shell):
        rng, c = self.rng, self.cell
        h = s.held = Held()
        late = rng.randint(0, 20) if c.residential else rng.randint(0, 10)
        s.started = s.at + MINUTE * late
        s.ended = s.started + MINUTE * self._duration(s.kind)
        chair, minsec = self.secretary, self.third or self.deputy
        secretary_away = None
        if s.kind == MeetingKind.COMMITTEE:
            s.chair, s.minsec = chair, self.deputy or self.third or chair
        else:
            if self.deputy and rng.random() < 0.04:
                chair, minsec = self.deputy, self.third
                secretary_away = self.secretary.id
            rows = self._attendance(s, chair, minsec, secretary_away)
            h.rows = [(p.id, kind, status, mark) for p, kind, status, mark, _r in rows]
        days = self._approval_delay(s.kind)
        if s.chair is None:  # nobody came: nothing to approve
            days = 10_000
        approved = s.ended + (MINUTE * 10 if days == 0 else DAY * days + HOUR * rng.randint(0, 3))
        if approved > END_OF_REF or rng.random() < 0.012:
            s.status = MeetingStatus.IN_PROGRESS
        else:
            s.approved_at = approved
            archived = self.archives and s.month <= 6
            s.status = MeetingStatus.ARCHIVED if archived else MeetingStatus.APPROVED
        if s.kind == MeetingKind.COMMITTEE:
            self._agenda(s, None, None)
            return
        vote = self._vote(s, rows)
        resolution = None
        if vote and s.kind in REGULAR_KINDS and (s.approved_at or rng.random() < 0.7):
            resolution = self._resolution(s, rows, vote)
        self._agenda(s, rows, vote)
        self._documents(s)
        self._guests(s)
        if resolution is not None:
            self.last_resolution = resolution

    def _duration(self, kind) -> int:
        rng, r = self.rng, self.rng.random()
        if kind == MeetingKind.COMMITTEE:
            return rng.randint(40, 75)
        if kind == MeetingKind.YEAR_END:
            return rng.randint(120, 180)
        if kind == MeetingKind.LIAISON:
            return rng.randint(60, 100)
        if kind == MeetingKind.COMBINED:
            return rng.randint(120, 150) if r < 0.85 else rng.randint(95, 119)
        if self.short and r < 0.7:
            return rng.randint(55, 75)  # urban elderly cells "keep it to an hour"
        if kind == MeetingKind.THEMATIC:
            return rng.randint(90, 120) if r < 0.8 else rng.randint(60, 89)
        if r < 0.78:
            return rng.randint(90, 120)
        return rng.randint(121, 150) if r < 0.88 else rng.randint(65, 89)

    def _approval_delay(self, kind) -> int:
        rng, r = self.rng, self.rng.random()
        if kind == MeetingKind.COMMITTEE:
            return rng.choice([0, 0, 1, 1, 2, 3])
        if self.slow:
            return rng.randint(5, 40)
        if r < 0.75:
            return rng.randint(1, 5)
        return rng.randint(6, 14) if r < 0.92 else rng.randint(15, 45)

    def _attendance(self, s: Shell, chair, minsec, secretary_away):
        """Marks for the roster of the day; writes the rows and the approved absence requests."""
        rng, c = self.rng, self.cell
        excuses = tx.ABSENCE_RESIDENTIAL if c.residential else tx.ABSENCE_WORK
        excused_share = 0.85 if c.residential else 0.92
        rows = []
        for p, kind, status, preset in c.roster(s.day, self.ctx.away):
            mark, reason = preset, ""
            chronic = self.chronic.get(p.id)
            if mark:
                pass
            elif status == MemberStatus.SUSPENDED:
                mark, reason = AttendanceStatus.ABSENT_EXCUSED, tx.SUSPENDED_REASON
            elif p.id == secretary_away:
                mark, reason = AttendanceStatus.ABSENT_EXCUSED, rng.choice(["Đi công tác", "Ốm"])
            elif p is chair or p is minsec:
                mark = AttendanceStatus.PRESENT
            elif chronic and chronic[0] <= s.month <= chronic[1]:
                if rng.random() < 0.85:
                    mark, reason = AttendanceStatus.ABSENT_EXCUSED, chronic[2]
                else:
                    mark = AttendanceStatus.ABSENT_UNEXCUSED
            else:
                p_present = 0.92 if kind == RosterKind.TEMPORARY else self.rate
                if p.birth_year <= 1950:
                    p_present -= 0.1
                r = rng.random()
                if r < p_present:
                    r = rng.random()
                    mark = (
                        AttendanceStatus.PRESENT
                        if r < 0.945
                        else AttendanceStatus.LATE
                        if r < 0.985
                        else AttendanceStatus.LEFT_EARLY
                    )
                elif rng.random() < excused_share:
                    mark, reason = AttendanceStatus.ABSENT_EXCUSED, excuses.pick(rng)
                    if reason == "Nghỉ chế độ thai sản" and not (p.female and p.birth_year >= 1980):
                        reason = "Việc gia đình"
                else:
                    mark = AttendanceStatus.ABSENT_UNEXCUSED
            rows.append((p, kind, status, mark, reason))
        present = [r[0] for r in rows if r[3] in PRESENT_STATUSES]
        on_roster = {r[0].id for r in rows}
        if chair is None or chair.id not in on_roster:
            officials = [r[0] for r in rows if r[3] in PRESENT_STATUSES and r[2] == "official"]
            chair = (officials or present or [None])[0]
        if minsec is None or minsec.id not in on_roster or minsec is chair:
            others = [p for p in present if p is not chair]
            minsec = others[-1] if others else chair
        s.chair, s.minsec = chair, minsec
        recorded = self.a.datetime(s.started + MINUTE * 5)
        for p, kind, status, mark, reason in rows:
            self.w.attendance.add(self.pid, s.pk, p.id, kind, status, mark, reason, recorded, None)
            if (
                mark == AttendanceStatus.ABSENT_EXCUSED
                and s.notice_at
                and reason != tx.SUSPENDED_REASON
                and rng.random() < 0.35
            ):
                asked = min(s.notice_at + HOUR * rng.randint(2, 30), s.at - HOUR * 3)
                decided = asked + HOUR * rng.randint(1, 2)
                self.w.absence.add(
                    self.pid,
                    s.pk,
                    p.id,
                    reason,
                    AbsenceStatus.APPROVED,
                    self.a.datetime(asked),
                    self.a.datetime(decided),
                    self._user(s.chair),
                    "",
                )
        return rows

    def _pending_requests(self, s: Shell):
        """A notice went out and the meeting has not started: a request or two waits."""
        rng = self.rng
        roster = [r for r in self.cell.roster(s.day, self.ctx.away) if not r[3]]
        excuses = tx.ABSENCE_RESIDENTIAL if self.cell.residential else tx.ABSENCE_WORK
        for p, *_ in rng.sample(roster, min(len(roster), rng.choice([0, 1, 1, 2]))):
            reason = excuses.pick(rng)
            if reason == "Nghỉ chế độ thai sản":
                reason = "Việc gia đình"
            asked = s.notice_at + HOUR * rng.randint(2, 30)
            self.w.absence.add(
                self.pid,
                s.pk,
                p.id,
                reason,
                AbsenceStatus.PENDING,
                self.a.datetime(asked),
                None,
                None,
                "",
            )

    def _user(self, member) -> int | None:
        return self.ctx.users.get(member.id) if member else None

    def _vote(self, s: Shell, rows):
        if s.kind not in (*REGULAR_KINDS, MeetingKind.YEAR_END):
            return None
        eligible = sum(
            1
            for _p, kind, status, mark, _r in rows
            if kind == RosterKind.HOME
            and status == MemberStatus.OFFICIAL
            and mark in PRESENT_STATUSES
        )
        if not eligible:
            return None
        yes, no, abstain = eligible, 0, 0
        r = self.rng.random()
        if eligible >= 3 and r < 0.08:
            yes -= 1
            if r < 0.06:
                abstain = 1
            else:
                no = 1
        motion = (
            f"Thông qua Nghị quyết chi bộ tháng {s.month}/{YEAR}"
            if s.kind in REGULAR_KINDS
            else f"Thông qua kết quả kiểm điểm, đề nghị xếp loại chất lượng đảng viên năm {YEAR}"
        )
        pk = self.w.vote.add(
            self.pid,
            s.pk,
            motion,
            eligible,
            yes,
            no,
            abstain,
            self.a.datetime(s.ended - MINUTE * 10),
        )
        return pk, eligible, yes

    def _resolution(self, s: Shell, rows, vote):
        rng, c = self.rng, self.cell
        s.held.has_resolution = True
        number = self._number(s.day)
        texts = tx.TASKS_RESIDENTIAL if c.residential else tx.TASKS_WORK
        groups = tx.GROUPS_RESIDENTIAL if c.residential else tx.GROUPS_WORK
        members = [r[0] for r in rows if r[1] == RosterKind.HOME and r[3] in PRESENT_STATUSES] or [
            s.chair
        ]
        tasks = rng.sample(texts, rng.randint(1, 4))
        y, m = (YEAR, s.month + 1) if s.month < 12 else (YEAR + 1, 1)
        due = dt.date(y + (m == 12), m % 12 + 1, 1) - DAY  # end of next month
        pk = self.w.resolution.add(
            self.pid,
            s.pk,
            ResolutionKind.RESOLUTION,
            number,
            f"{number:02d}-NQ/CB",
            f"Nghị quyết chi bộ tháng {s.month}/{YEAR}",
            tx.ASSESSMENT[c.residential],
            "\n".join(f"- {t}." for t, _who in tasks),
            vote[0],
        )
        statuses = []
        for text, who in tasks:
            assignee = rng.choice(members) if who == "member" else None
            group = "" if assignee else rng.choice(groups)
            r = rng.random()
            if due <= REF - DAY * 5:
                status = (
                    TaskStatus.DONE
                    if r < 0.72
                    else TaskStatus.NOT_DONE
                    if r < 0.82
                    else TaskStatus.IN_PROGRESS
                    if r < 0.92
                    else TaskStatus.ASSIGNED
                )
            else:
                status = (
                    TaskStatus.ASSIGNED
                    if r < 0.45
                    else TaskStatus.IN_PROGRESS
                    if r < 0.9
                    else TaskStatus.DONE
                )
            result = ""
            updated = s.ended
            if status == TaskStatus.DONE:
                result = rng.choice(tx.TASK_RESULTS_DONE)
                updated = min(at(due - DAY * rng.randint(0, 20), dt.time(17, 0)), END_OF_REF)
            elif status == TaskStatus.NOT_DONE:
                result = rng.choice(tx.TASK_RESULTS_NOT_DONE)
                updated = min(at(due, dt.time(17, 0)), END_OF_REF)
            statuses.append(status)
            self.w.task.add(
                self.pid,
                c.id,
                pk,
                text,
                assignee.id if assignee else None,
                group,
                self.a.date(due),
                status,
                result,
                self.a.datetime(max(updated, s.ended)),
            )
        return pk, statuses

    def _agenda(self, s: Shell, rows, vote):
        """fill_agenda's items; for a held meeting also presenters, conclusions and speeches."""
        rng, c = self.rng, self.cell
        held = s.held is not None
        entries = [
            [i["step"], (n + 1) * 10, i["title"], None, "", "", None]
            for n, i in enumerate(self.ctx.items(s.kind, c.cell_type))
        ]
        if s.kind in REGULAR_KINDS and self.last_resolution is not None:
            pk, statuses = self.last_resolution
            first = next((e for e in entries if e[0] == Step.PROCEEDINGS), None)
            notes = ""
            if held:
                done = statuses.count(TaskStatus.DONE)
                failed = statuses.count(TaskStatus.NOT_DONE)
                notes = (
                    f"Nghị quyết tháng trước có {len(statuses)} nhiệm vụ: đã hoàn thành {done}, "
                    f"chưa hoàn thành {failed}, đang thực hiện {len(statuses) - done - failed}."
                )
            entries.append(
                [Step.PROCEEDINGS, first[1] - 5 if first else 15, REVIEW_TITLE, None, notes, "", pk]
            )
        discussion = None
        if held and rows is not None:
            others = [r[0] for r in rows if r[3] in PRESENT_STATUSES and r[0] is not s.chair]
            reporter = rng.choice(others) if others else s.chair
            for e in entries:
                title = e[2]
                if title.startswith(PRESENTED_BY_CHAIR) or title == REVIEW_TITLE:
                    e[3] = s.chair
                elif REPORT_ITEM in title:
                    e[3] = reporter
                elif VOTE_ITEM in title and vote:
                    e[5] = (
                        f"Chi bộ biểu quyết thông qua nghị quyết: {vote[2]}/{vote[1]} đồng chí "
                        "tán thành."
                    )
        for e in entries:
            step, order, title, presenter, notes, conclusion, reviews = e
            pk = self.w.agenda.add(
                self.pid,
                s.pk,
                step,
                order,
                title,
                presenter.id if presenter else None,
                notes,
                conclusion,
                reviews,
            )
            if discussion is None and DISCUSSION in title:
                discussion = pk
        if held and rows is not None and discussion is not None:
            self._speeches(s, rows, discussion)

    def _speeches(self, s: Shell, rows, item: int):
        rng, c = self.rng, self.cell
        pool = tx.SPEECHES_RESIDENTIAL if c.residential else tx.SPEECHES_WORK
        low, high = {
            MeetingKind.REGULAR: (3, 6),
            MeetingKind.COMBINED: (4, 7),
            MeetingKind.THEMATIC: (2, 5),
        }.get(s.kind, (1, 4))
        if s.kind in THEMATIC_KINDS:
            pool = tx.SPEECHES_THEMATIC + pool
        speakers = [r[0] for r in rows if r[3] in PRESENT_STATUSES and r[0] is not s.chair]
        n = min(rng.randint(low, high), len(speakers), len(pool))
        for p, text in zip(rng.sample(speakers, n), rng.sample(pool, n), strict=True):
            s.held.speakers.add(p.id)
            self.w.speech.add(self.pid, item, p.id, text)

    def _documents(self, s: Shell):
        """Documents for members to read ahead (HD 42: one day ahead; some are late)."""
        rng = self.rng
        if not self.uses_docs or rng.random() >= 0.8:
            return
        docs = []
        if s.kind in REGULAR_KINDS:
            docs.append(
                (DocumentKind.DRAFT_RESOLUTION, f"Dự thảo Nghị quyết chi bộ tháng {s.month}/{YEAR}")
            )
        if s.kind in THEMATIC_KINDS:
            docs.append((DocumentKind.TOPIC_REPORT, f"Báo cáo chuyên đề: {s.topic}"[:250]))
        if s.kind == MeetingKind.YEAR_END:
            docs.append(
                (DocumentKind.OTHER, f"Báo cáo kiểm điểm tập thể chi ủy, chi bộ năm {YEAR}")
            )
        if s.kind in REGULAR_KINDS and rng.random() < 0.15:
            docs.append(
                (
                    DocumentKind.UPPER_DOCUMENT,
                    f"Công văn của {self.cell.group_name} về nhiệm vụ trọng tâm tháng "
                    f"{s.month}/{YEAR}"[:250],
                )
            )
        for i, (kind, title) in enumerate(docs):
            late = rng.random() < 0.1
            hours = rng.randint(2, 20) if late else rng.randint(26, 120)
            posted = s.at - HOUR * hours - MINUTE * (7 * i + 3)
            if s.held is not None:
                s.held.docs.append((posted, title))
            text = s.draft if kind == DocumentKind.DRAFT_RESOLUTION else ""
            self.w.document.add(
                self.pid,
                s.pk,
                kind,
                title,
                "",
                text,
                self.a.datetime(posted),
                self._user(self.secretary),
            )

    def _guests(self, s: Shell):
        rng, c = self.rng, self.cell
        if s.kind == MeetingKind.LIAISON:
            for village_id, _name in c.villages:
                for name, title in self.ctx.workers.get(village_id, [])[:15]:
                    if rng.random() < 0.75:
                        self.w.guest.add(self.pid, s.pk, name, title[:200], False)
            return
        supervisor = self.ctx.supervisors.get(c.group_name)
        share = 0.6 if s.kind == MeetingKind.YEAR_END else 0.2 if s.kind in REGULAR_KINDS else 0
        if (
            supervisor
            and supervisor != (s.chair.name if s.chair else None)
            and rng.random() < share
        ):
            self.w.guest.add(self.pid, s.pk, supervisor, "Đảng ủy viên, phụ trách chi bộ", True)

    def _write(self, s: Shell, checks: dict):
        a = self.a
        approved_by = self._user(s.chair) if s.approved_at else None
        updated = max(t for t in (s.created, s.notice_at, s.ended, s.approved_at) if t is not None)
        self.w.meeting.put(
            s.pk,
            a.uuid(self.ctx.new_uuid()),
            self.pid,
            self.cell.id,
            s.kind,
            s.status,
            s.title,
            s.topic,
            YEAR,
            s.month,
            a.datetime(s.at),
            s.place,
            s.prepares.pk if s.prepares else None,
            s.draft,
            a.datetime(s.started),
            a.datetime(s.ended),
            s.chair.id if s.chair else None,
            s.minsec.id if s.minsec else None,
            a.datetime(s.notice_at),
            a.datetime(s.approved_at),
            approved_by,
            s.note,
            s.postponed_to.pk if s.postponed_to else None,
            a.json(checks),
            a.datetime(s.created),
            a.datetime(updated),
        )
