"""People, party records and membership periods for the cells of a demo plan.

Every member is drawn so that it passes `Person.full_clean()` and `Member.full_clean()`:
admitted at 18 or older, the decision a few weeks before the ceremony, official
twelve months after the ceremony, citizen IDs that encode the birth year and sex.
"""

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from demo import names
from demo.structure import REF, Node, Plan, day_between
from lib.vn import CITIZEN_ID_PROVINCE_CODES
from members.models import LeftReason, MemberStatus, Person

DAY = dt.timedelta(days=1)

# Status shares: residential cells keep the retirees (exempt members); workplaces do not.
STATUS_RESIDENTIAL = names.table(
    "left 1.2, suspended 0.3, exempt 8, probationary 5.2, official 85.3"
)
STATUS_WORK = names.table("left 0.6, suspended 0.3, probationary 7, official 92.1")
LEFT_REASONS = names.Weighted(
    [
        (LeftReason.DEATH, 50),
        (LeftReason.STRIKE_OFF, 20),
        (LeftReason.WITHDRAWAL, 15),
        (LeftReason.EXPULSION, 8),
        (LeftReason.PROBATION_REMOVED, 7),
    ]
)
LEFT_NOTES = {
    LeftReason.DEATH: "Từ trần",
    LeftReason.STRIKE_OFF: "Xóa tên trong danh sách đảng viên",
    LeftReason.WITHDRAWAL: "Xin ra khỏi Đảng",
    LeftReason.EXPULSION: "Kỷ luật khai trừ ra khỏi Đảng",
    LeftReason.PROBATION_REMOVED: "Xóa tên trong danh sách đảng viên dự bị",
}

MALE_SHARE = {
    "village": 0.62,
    "residential": 0.55,
    "agency": 0.55,
    "school": 0.3,
    "public_service": 0.42,
    "enterprise": 0.65,
    "army": 0.93,
    "police": 0.85,
}
# Birth decades of official members, by profile: villages keep many older members.
_BIRTH_RESIDENTIAL = names.table(
    "1935 2, 1940 8, 1945 8, 1950 8, 1955 8, 1960 11, 1965 11, 1970 11, 1975 11, "
    "1980 9, 1985 9, 1990 6, 1995 5, 2000 3"
)
_BIRTH_WORK = names.table("1965 8, 1970 12, 1975 13, 1980 17, 1985 18, 1990 15, 1995 12, 2000 5")
_BIRTH_UNIFORMED = names.table("1970 7, 1975 8, 1980 15, 1985 20, 1990 22, 1995 18, 2000 10")
BIRTH = {
    "village": _BIRTH_RESIDENTIAL,
    "residential": _BIRTH_RESIDENTIAL,
    "army": _BIRTH_UNIFORMED,
    "police": _BIRTH_UNIFORMED,
}

QUALIFICATION = {
    "village": names.table("none 45, so_cap 15, trung_cap 20, cao_dang 7, dai_hoc 12, thac_si 1"),
    "enterprise": names.table("none 10, so_cap 10, trung_cap 25, cao_dang 15, dai_hoc 40"),
    "work": names.table("trung_cap 10, cao_dang 8, dai_hoc 65, thac_si 15, tien_si 2"),
}
THEORY = {
    "village": names.table("none 15, so_cap 70, trung_cap 15"),
    "work": names.table("none 12, so_cap 30, trung_cap 40, cao_cap 15, cu_nhan 3"),
}
OLD_EDUCATION = names.table("primary 15, lower_secondary 35, upper_secondary 50")
RELIGION = names.table("none 96.5, phat_giao 2, cong_giao 1, tin_lanh 0.5")
PHONE_PREFIX = names.table("09 40, 03 30, 08 15, 07 10, 05 5")
OTHER_CITIZEN_CODES = sorted(CITIZEN_ID_PROVINCE_CODES)

MOVED_SHARE = 0.055  # active members with an earlier home cell
# Of those, the official members who moved during 2025: their completed transfers are on
# record (demo/member_life.py), the older moves predate the app.
MOVED_2025_SHARE = 0.011
# Who gets attached to another cell for a while: not the exempt (elderly) or the suspended.
WORKING = (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)
TEMPORARY_SHARE = 0.01  # active members temporarily attached elsewhere


def add_years(day: dt.date, n: int) -> dt.date:
    try:
        return day.replace(year=day.year + n)
    except ValueError:  # 29 February
        return day.replace(year=day.year + n, day=28)


def shift(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


@dataclass(eq=False)
class MemberSpec:
    person: SimpleNamespace  # Person field values (residence_village: a VillageSpec)
    member: SimpleNamespace  # Member field values
    cell: Node
    start: dt.date  # start of the current (or last) home membership
    end: dt.date | None = None
    previous: tuple | None = None  # (cell, start, end) of an earlier home membership
    temporary: tuple | None = None  # (cell, start) of an open temporary attachment


class PeopleFactory:
    def __init__(self, plan: Plan, rng):
        self.plan, self.rng = plan, rng
        self.citizen_ids: set[str] = set()
        self.cards: set[str] = set()
        self.derived: dict[str, tuple[str, str, str]] = {}
        self.province_short = plan.province_name
        self.wards = [
            v
            for c in plan.communes()
            if c.cell_type == "residential"
            for v in c.villages
            if not v.white
        ]
        self.communes = plan.communes()
        # Where staff of provincial bodies live when no residential group is recorded.
        self.towns = [c for c in self.communes if c.cell_type == "residential"] or self.communes
        self.other_provinces = [p for p in names.PROVINCE_NAMES if p != plan.province_name]

    # ---- the whole plan ------------------------------------------------------------------

    def generate(self) -> list[MemberSpec]:
        rng = self.rng
        cells = self.plan.cells()
        total = sum(c.size for c in cells)
        dossier_numbers = rng.sample(range(1, 1_000_000), total)
        specs = []
        for cell in cells:
            for status in self._statuses(cell):
                spec = self._member(cell, status)
                spec.member.dossier_no = f"{dossier_numbers[len(specs)]:06d}{self.plan.letters}"
                specs.append(spec)
        self._ensure_every_status(specs)
        self._periods(specs, cells)
        return specs

    def _statuses(self, cell: Node) -> list[str]:
        table = STATUS_RESIDENTIAL if cell.profile in ("village", "residential") else STATUS_WORK
        statuses = [table.pick(self.rng) for _ in range(cell.size)]
        # Three official members at least: a cell is set up only with three (Charter art. 21).
        for i in range(cell.size):
            if statuses.count(MemberStatus.OFFICIAL) >= 3:
                break
            if statuses[i] != MemberStatus.OFFICIAL:
                statuses[i] = MemberStatus.OFFICIAL
        return statuses

    def _ensure_every_status(self, specs: list[MemberSpec]):
        """Small plans still show each status once: turn spare officials into the missing ones."""
        present = {s.member.status for s in specs}
        officials: dict[int, int] = {}
        for s in specs:
            if s.member.status == MemberStatus.OFFICIAL:
                officials[id(s.cell)] = officials.get(id(s.cell), 0) + 1
        for status in (
            MemberStatus.SUSPENDED,
            MemberStatus.LEFT,
            MemberStatus.EXEMPT,
            MemberStatus.PROBATIONARY,
        ):
            if status in present:
                continue
            for i, s in enumerate(specs):
                if (
                    s.member.status == MemberStatus.OFFICIAL
                    and officials[id(s.cell)] > 3
                    and s.cell.profile in ("village", "residential")
                ):
                    officials[id(s.cell)] -= 1
                    dossier = s.member.dossier_no
                    specs[i] = self._member(s.cell, status)
                    specs[i].member.dossier_no = dossier
                    break

    # ---- one member ----------------------------------------------------------------------

    def _member(self, cell: Node, status: str) -> MemberSpec:
        rng = self.rng
        profile = cell.profile
        sex = "M" if rng.random() < MALE_SHARE[profile] else "F"
        member = SimpleNamespace(
            status=status,
            dossier_no="",
            card_no="",
            admission_decision_date=None,
            ceremony_date=None,
            official_date=None,
            left_reason="",
            status_date=None,
            status_note="",
        )
        left_reason = LEFT_REASONS.pick(rng) if status == MemberStatus.LEFT else ""
        if status == MemberStatus.PROBATIONARY or left_reason == LeftReason.PROBATION_REMOVED:
            end = (
                REF
                if status == MemberStatus.PROBATIONARY
                else day_between(rng, dt.date(2021, 6, 1), shift(REF, -20))
            )
            member.ceremony_date = shift(end, -rng.randint(5, 350))
            member.admission_decision_date = shift(member.ceremony_date, -rng.randint(10, 45))
            age_days = int(rng.triangular(18.3, 40, 23) * 365.25)
            birth = min(
                shift(member.admission_decision_date, -age_days),
                shift(dt.date(2005, 12, 31), -rng.randint(0, 300)),
            )
            if status == MemberStatus.LEFT:
                member.status_date = end
        else:
            if status == MemberStatus.LEFT:
                member.status_date = day_between(rng, dt.date(2021, 1, 1), shift(REF, -20))
                latest = shift(member.status_date, -366)
            elif status == MemberStatus.SUSPENDED:
                member.status_date = shift(REF, -rng.randint(15, 200))
                latest = shift(member.status_date, -366)
            else:
                latest = shift(REF, -366)
            old = status == MemberStatus.EXEMPT or left_reason == LeftReason.DEATH
            birth, decision = self._birth_and_admission(profile, latest, old)
            member.admission_decision_date = decision
            member.ceremony_date = shift(decision, rng.randint(10, 45))
            member.official_date = add_years(member.ceremony_date, 1)
            member.card_no = self._card()
            if status == MemberStatus.EXEMPT:
                at70 = shift(add_years(birth, 70), rng.randint(0, 2000))
                member.status_date = min(max(at70, shift(member.official_date, 1)), REF)
                member.status_note = "Miễn công tác và sinh hoạt đảng (tuổi cao, sức yếu)"
            elif status == MemberStatus.SUSPENDED:
                member.status_note = (
                    f"Quyết định số {rng.randint(10, 400)}-QĐ/ĐU ngày "
                    f"{member.status_date:%d/%m/%Y}: đình chỉ sinh hoạt đảng"
                )
        if status == MemberStatus.LEFT:
            member.left_reason = left_reason
            member.status_note = (
                f"{LEFT_NOTES[left_reason]}; Quyết định số {rng.randint(10, 400)}-QĐ/ĐU ngày "
                f"{member.status_date:%d/%m/%Y}"
                if left_reason != LeftReason.DEATH
                else f"Từ trần ngày {member.status_date:%d/%m/%Y}"
            )
        person = self._person(cell, sex, birth)
        start = max(member.ceremony_date, cell.founded_on)
        return MemberSpec(
            person=person,
            member=member,
            cell=cell,
            start=start,
            end=member.status_date if status == MemberStatus.LEFT else None,
        )

    def _birth_and_admission(self, profile: str, latest: dt.date, old: bool):
        rng = self.rng
        while True:
            if old:
                year = rng.randint(1935, 1955)
            else:
                year = int(BIRTH.get(profile, _BIRTH_WORK).pick(rng)) + rng.randint(0, 4)
            birth = day_between(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
            earliest = shift(add_years(birth, 18), 30)
            latest_decision = shift(latest, -45)
            if earliest > latest_decision:
                continue
            decision = shift(birth, int(rng.triangular(18.3, 45, 24) * 365.25))
            if not earliest <= decision <= latest_decision:
                decision = day_between(rng, earliest, latest_decision)
            return birth, decision

    def _card(self) -> str:
        while True:
            card = f"{self.rng.randint(10_000_000, 99_999_999)}"
            if card not in self.cards:
                self.cards.add(card)
                return card

    def _citizen_id(self, birth: dt.date, sex: str) -> str:
        rng = self.rng
        code = self.plan.citizen_code if rng.random() < 0.85 else rng.choice(OTHER_CITIZEN_CODES)
        century_sex = (0 if birth.year < 2000 else 2) + (1 if sex == "F" else 0)
        while True:
            cid = f"{code}{century_sex}{birth.year % 100:02d}{rng.randint(0, 999_999):06d}"
            if cid not in self.citizen_ids:
                self.citizen_ids.add(cid)
                return cid

    def _name(self, ethnicity: str, sex: str) -> str:
        rng = self.rng
        family = names.FAMILY.get(ethnicity, names.KINH_FAMILY).pick(rng)
        middle = names.MIDDLE.get((ethnicity, sex), names.MIDDLE[("01", sex)]).pick(rng)
        own = names.GIVEN.get((ethnicity, sex))
        if own is None or rng.random() < names.COMMON_GIVEN_SHARE.get(ethnicity, 0):
            own = names.GIVEN_M if sex == "M" else names.GIVEN_F
        return f"{family} {middle} {own.pick(rng)}"

    def _person(self, cell: Node, sex: str, birth: dt.date) -> Person:
        rng = self.rng
        profile = cell.profile
        ethnicity = cell.ethnic.pick(rng)
        full_name = self._name(ethnicity, sex)
        village = self._residence(cell)
        if village is not None:
            residence = f"{village.name}, {_short(village.commune)}, tỉnh {self.province_short}"
        else:
            commune = cell.commune or rng.choice(self.towns)
            residence = f"{_upper_first(_short(commune))}, tỉnh {self.province_short}"
        if rng.random() < 0.85:
            native = (
                f"{_upper_first(_short(rng.choice(self.communes)))}, tỉnh {self.province_short}"
            )
        else:
            place = names.place_names(rng, 1, tay_share=0.3)[0]
            native = f"Xã {place}, tỉnh {rng.choice(self.other_provinces)}"
        age = REF.year - birth.year
        residential = profile in ("village", "residential")
        if residential and birth.year < 1960:
            education = OLD_EDUCATION.pick(rng)
        elif residential and rng.random() < 0.2:
            education = "lower_secondary"
        else:
            education = "upper_secondary"
        qual_key = (
            "village" if residential else ("enterprise" if profile == "enterprise" else "work")
        )
        # Degrees and theory courses take years: cap them by age.
        qualification = QUALIFICATION[qual_key].pick(rng)
        if age < 25 and qualification in ("thac_si", "tien_si"):
            qualification = "dai_hoc"
        if age < 22 and qualification in ("dai_hoc", "cao_dang"):
            qualification = "trung_cap"
        detail = ""
        if qualification in ("trung_cap", "cao_dang", "dai_hoc", "thac_si", "tien_si"):
            fields = names.QUALIFICATION_FIELDS.get(profile, names.QUALIFICATION_FIELDS["agency"])
            detail = rng.choice(fields.split(","))
        theory = THEORY["village" if residential else "work"].pick(rng)
        if age < 30 and theory in ("cao_cap", "cu_nhan"):
            theory = "trung_cap"
        religion = RELIGION.pick(rng)
        phone = ""
        if rng.random() < 0.9:
            phone = f"{PHONE_PREFIX.pick(rng)}{rng.randint(0, 99_999_999):08d}"
        person = SimpleNamespace(
            full_name=full_name,
            birth_name="",
            sex=sex,
            birth_date=birth,
            ethnicity=ethnicity,
            religion="" if religion == "none" else religion,
            native_place=native,
            residence=residence,
            residence_village=village,
            citizen_id=self._citizen_id(birth, sex),
            phone=phone,
            general_education=education,
            political_theory="" if theory == "none" else theory,
            qualification="" if qualification == "none" else qualification,
            qualification_detail=detail,
            youth_union=age <= 30 and rng.random() < 0.85,
        )
        derived = self.derived.get(full_name)
        if derived is None:
            # The model's own rule for the derived columns (bulk inserts skip save()).
            Person.refresh_derived(person)
            derived = self.derived[full_name] = (
                person.full_name,
                person.search_text,
                person.sort_key,
            )
        person.full_name, person.search_text, person.sort_key = derived
        return person

    def _residence(self, cell: Node):
        rng = self.rng
        if cell.covers:
            # Members of a village cell live in one of its villages (never a "white" one).
            return rng.choice([v for v in cell.covers if not v.white])
        if cell.commune is not None:
            if rng.random() < 0.85:
                return rng.choice([v for v in cell.commune.villages if not v.white])
            return None
        if self.wards and rng.random() < 0.5:
            return rng.choice(self.wards)
        return None

    # ---- membership periods ----------------------------------------------------------------

    def _periods(self, specs: list[MemberSpec], cells: list[Node]):
        """Earlier home cells (moved years ago) and temporary attachments."""
        rng = self.rng
        by_group: dict[int, list[Node]] = {}
        groups = {}
        for c in cells:
            group = c.commune or _unit_of(c)
            groups[id(c)] = group
            by_group.setdefault(id(group), []).append(c)
        moved = temporary = moved_2025 = 0
        active = [s for s in specs if s.member.status != MemberStatus.LEFT]
        for s in active:
            r = rng.random()
            if r < MOVED_SHARE and s.member.official_date:
                other = self._other_cell(s.cell, by_group[id(groups[id(s.cell)])], cells)
                if other is None:
                    continue
                prev_start = max(s.member.ceremony_date, other.founded_on)
                low = max(shift(prev_start, 365), shift(s.cell.founded_on, 1))
                high = shift(REF, -365)
                if r < MOVED_2025_SHARE and s.member.status == MemberStatus.OFFICIAL:
                    low, high = max(low, dt.date(2025, 1, 10)), shift(REF, -25)
                if low < high:
                    move = day_between(rng, low, high)
                    s.previous = (other, prev_start, shift(move, -1))
                    s.start = move
                    moved += 1
                    moved_2025 += move.year == REF.year
            elif r < MOVED_SHARE + TEMPORARY_SHARE and s.member.status in WORKING:
                other = self._other_cell(s.cell, by_group[id(groups[id(s.cell)])], cells)
                begin = max(shift(REF, -rng.randint(30, 700)), shift(s.start, 1))
                if other is not None and begin <= REF:
                    s.temporary = (other, begin)
                    temporary += 1
        # Small plans still need one of each, for the demo and the tests.
        if not moved or not temporary or not moved_2025:
            for s in active:
                if (
                    s.member.status == MemberStatus.OFFICIAL
                    and s.previous is None
                    and s.temporary is None
                    and s.start < dt.date(2020, 1, 1)
                    and s.cell.founded_on < dt.date(2015, 1, 1)
                ):
                    other = self._other_cell(s.cell, by_group[id(groups[id(s.cell)])], cells)
                    if not moved or not moved_2025:
                        move = dt.date(2022, 3, 1) if not moved else dt.date(2025, 4, 1)
                        s.previous = (other, max(s.start, other.founded_on), shift(move, -1))
                        s.start = move
                        moved_2025 += move.year == REF.year
                        moved = 1
                    elif not temporary:
                        s.temporary = (other, dt.date(2025, 9, 1))
                        temporary = 1
                    if moved and moved_2025 and temporary:
                        break

    def _other_cell(self, cell: Node, siblings: list[Node], cells: list[Node]):
        rng = self.rng
        pool = [c for c in siblings if c is not cell]
        if not pool or rng.random() < 0.3:
            pool = [c for c in cells if c is not cell]
        return rng.choice(pool) if pool else None


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _short(commune: Node) -> str:
    """'Đảng bộ xã Yên Thịnh' → 'xã Yên Thịnh'."""
    return commune.name.removeprefix("Đảng bộ ")


def _unit_of(cell: Node) -> Node:
    node = cell
    while node.parent is not None and node.parent.parent is not None:
        node = node.parent
    return node
