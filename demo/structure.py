"""The shape of the demo province, planned in memory before anything is written.

The plan is a tree of `Node`s (organizations) with their villages and a member
count per cell. Everything is drawn from one `random.Random`, in a fixed order and
never from set iteration, so the same scale and seed give the same plan.

After the 1 July 2025 reform the district level is gone: commune and ward committees
sit directly under the province next to the four provincial party committees; the
former district committees stay as dissolved nodes, so the moves can be recorded.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from demo import names
from organizations.models import CellType, OrgKind, VillageKind

REF = dt.date(2025, 12, 31)  # "today" of the demo data: every date is relative to it
REFORM = dt.date(2025, 7, 1)  # the district level ends

SCALES = ("small", "province")
# Members per scale (the plan spreads them over the cells by weight).
TARGET_MEMBERS = {"small": 130, "province": 35_000}
PROVINCE_GRASSROOTS = 500  # grassroots organizations of the province scale

# Cells covering several villages (sinh hoạt ghép): Bắc Kạn had 58 of 2, 3 of 3, 1 of 4.
COMBINED_SHARE = 0.05
COMBINED_SIZES = [2] * 58 + [3] * 3 + [4]
UNCOVERED_SHARE = 0.004
WHITE_SHARE = 0.005  # thôn trắng đảng viên

ETHNIC_CODES = ["01", "02", "07", "09", "08", "03", "06"]
DOMINANT = names.table("01 40, 02 25, 07 10, 09 10, 08 8, 03 4, 06 3")
WARD_ETHNIC = names.Weighted(zip(ETHNIC_CODES, [75, 12, 5, 3, 1, 2, 2], strict=True))
UNIT_ETHNIC = names.Weighted(zip(ETHNIC_CODES, [70, 15, 6, 4, 2, 2, 1], strict=True))

PROFILE_OF_TYPE = {
    CellType.VILLAGE: "village",
    CellType.RESIDENTIAL: "residential",
    CellType.AGENCY: "agency",
    CellType.PUBLIC_SERVICE: "public_service",
    CellType.SCHOOL: "school",
    CellType.STATE_ENTERPRISE: "enterprise",
    CellType.PRIVATE_ENTERPRISE: "enterprise",
    CellType.ARMY: "army",
    CellType.POLICE: "police",
}


@dataclass(eq=False)
class VillageSpec:
    name: str
    kind: str
    code: str
    commune: "Node"
    valid_from: dt.date | None
    covered_by: "Node | None" = None
    white: bool = False  # no active member lives here
    obj: object = None


@dataclass(eq=False)
class Node:
    kind: str
    name: str
    cell_type: str = ""
    founded_on: dt.date | None = None
    dissolved_on: dt.date | None = None
    dissolution_reason: str = ""
    parent: "Node | None" = None
    children: list = field(default_factory=list)
    villages: list = field(default_factory=list)  # a commune's villages
    covers: list = field(default_factory=list)  # the villages a cell covers
    weight: float = 0.0  # relative size of a cell
    size: int = 0  # members of a cell
    ethnic: names.Weighted | None = None
    commune: "Node | None" = None  # commune of a commune-level cell
    district: "Node | None" = None  # former district of a commune
    code: str = ""
    path: str = ""
    depth: int = 0
    obj: object = None

    def add(self, child: "Node") -> "Node":
        child.parent = self
        if child.ethnic is None:
            child.ethnic = self.ethnic
        if child.commune is None and self.kind != OrgKind.PROVINCE:
            child.commune = self.commune
        self.children.append(child)
        return child

    @property
    def is_cell(self):
        return self.kind in (OrgKind.CELL, OrgKind.GRASSROOTS_CELL)

    @property
    def profile(self):
        return PROFILE_OF_TYPE.get(self.cell_type, "agency")

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Plan:
    scale: str
    seed: int
    province_name: str  # "Lâm Vân"
    letters: str  # dossier-number letters
    citizen_code: str  # first three digits of local citizen IDs
    root: Node
    districts: list = field(default_factory=list)
    villages: list = field(default_factory=list)
    size_bag: list = field(default_factory=list)

    def nodes(self):
        return list(self.root.walk())

    def cells(self):
        return [n for n in self.root.walk() if n.is_cell]

    def communes(self):
        return [
            n
            for n in self.root.children
            if n.kind == OrgKind.GRASSROOTS_COMMITTEE
            and n.cell_type in (CellType.VILLAGE, CellType.RESIDENTIAL)
        ]


def root_code(scale: str, seed: int) -> str:
    return f"DEMO-{scale.upper()}-{seed}"


def day_between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def founded(rng, first_year: int, last_year: int, after: dt.date | None = None) -> dt.date:
    start = max(dt.date(first_year, 1, 1), after or dt.date(first_year, 1, 1))
    return day_between(rng, start, max(start, dt.date(last_year, 12, 31)))


def commune_ethnic(rng, ward: bool):
    if ward:
        return WARD_ETHNIC, "01"
    dominant = DOMINANT.pick(rng)
    weights = dict.fromkeys(ETHNIC_CODES, 2.0)
    weights[dominant] = 60.0
    weights["01"] = max(weights["01"], 25.0)
    return names.Weighted(weights.items()), dominant


def build_plan(scale: str, seed: int, rng) -> Plan:
    from lib.vn import CITIZEN_ID_PROVINCE_CODES

    province_name = rng.choice(names.PROVINCE_NAMES)
    root = Node(
        kind=OrgKind.PROVINCE,
        name=f"Đảng bộ tỉnh {province_name}",
        founded_on=founded(rng, 1945, 1950),
        ethnic=UNIT_ETHNIC,
        code=root_code(scale, seed),
    )
    plan = Plan(
        scale=scale,
        seed=seed,
        province_name=province_name,
        letters=names.initials(province_name),
        citizen_code=rng.choice(sorted(CITIZEN_ID_PROVINCE_CODES)),
        root=root,
    )
    if scale == "small":
        _small(plan, rng)
    else:
        _province(plan, rng)
    _number(plan)
    _choose_white_villages(plan, rng)
    _sizes(plan, TARGET_MEMBERS[scale])
    _party_groups(plan, rng)
    return plan


# ---- the two scales -----------------------------------------------------------------


def _small(plan: Plan, rng):
    """Two communes and one provincial committee: every kind of node, in a few dozen rows."""
    root = plan.root
    _units(plan, rng, full=False)
    district = _district(plan, rng, names.place_names(rng, 1, tay_share=0.6)[0])
    xa, pa = names.place_names(rng, 2, tay_share=0.5)
    _commune(
        plan,
        rng,
        name=xa,
        ward=False,
        district=district,
        layout=[1, 2, 0],
        agency_cells=0,
        schools=2,
        health=False,
        partial=True,
        enterprises=0,
    )
    _commune(
        plan,
        rng,
        name=pa,
        ward=True,
        district=district,
        layout=[1, 1, 2],
        agency_cells=0,
        schools=0,
        health=False,
        partial=False,
        enterprises=0,
        police=True,
    )
    root.children.sort(key=_root_order)


def _province(plan: Plan, rng):
    root = plan.root
    n_xa, n_phuong = 86, 14
    _units(plan, rng, full=True, fill_to=PROVINCE_GRASSROOTS - n_xa - n_phuong)
    city = _district(plan, rng, None)
    huyen = [_district(plan, rng, p) for p in names.place_names(rng, 7, tay_share=0.6)]
    commune_names = names.place_names(rng, n_xa + n_phuong, tay_share=0.55)
    for i, name in enumerate(commune_names):
        ward = i >= n_xa
        if ward:
            layout = _layout(plan, rng, rng.randint(7, 14))
            _commune(
                plan,
                rng,
                name=name,
                ward=True,
                district=city,
                layout=layout,
                agency_cells=4,
                schools=rng.randint(2, 3),
                health=rng.random() < 0.5,
                partial=False,
                enterprises=rng.randint(0, 2),
            )
        else:
            layout = _layout(plan, rng, rng.randint(9, 18))
            schools = rng.randint(2, 4)
            _commune(
                plan,
                rng,
                name=name,
                ward=False,
                district=huyen[i % len(huyen)],
                layout=layout,
                agency_cells=4,
                schools=schools,
                health=rng.random() < 0.7,
                partial=schools >= 3 and rng.random() < 0.12,
                enterprises=1 if rng.random() < 0.15 else 0,
            )
    root.children.sort(key=_root_order)


def _root_order(node: Node):
    # Provincial committees first (as official lists do), then communes, then the dissolved.
    if node.dissolved_on:
        return 2
    return 0 if node.kind == OrgKind.PROVINCE_UNIT else 1


def _combined_size(plan: Plan, rng) -> int:
    """Sizes of combined cells drawn from a shuffled bag, so that even one province keeps
    the Bắc Kạn proportions (58 : 3 : 1) instead of drifting with the luck of the seed."""
    if not plan.size_bag:
        plan.size_bag.extend(COMBINED_SIZES)
        rng.shuffle(plan.size_bag)
    return plan.size_bag.pop()


def _layout(plan: Plan, rng, n_villages: int) -> list[int]:
    """Village cells of a commune as a list: k = a cell covering k villages, 0 = no cell."""
    out, left = [], n_villages
    while left > 0:
        r = rng.random()
        if r < UNCOVERED_SHARE:
            out.append(0)
            left -= 1
        elif r < UNCOVERED_SHARE + COMBINED_SHARE and left >= 2:
            k = min(_combined_size(plan, rng), left)
            out.append(k)
            left -= k
        else:
            out.append(1)
            left -= 1
    return out


# ---- builders -------------------------------------------------------------------------


def _district(plan: Plan, rng, place: str | None) -> Node:
    """A former district committee (the provincial city when `place` is None)."""
    if place:
        name = f"Đảng bộ huyện {place}"
    else:
        name = f"Đảng bộ thành phố {plan.province_name}"
    node = Node(
        kind=OrgKind.PROVINCE_UNIT,
        name=name,
        founded_on=founded(rng, 1960, 1980),
        dissolved_on=REFORM,
        dissolution_reason=names.DISSOLUTION_REASON,
    )
    plan.root.add(node)
    plan.districts.append(node)
    return node


def _cell(parent: Node, rng, name: str, cell_type: str, weight: float) -> Node:
    kind = OrgKind.GRASSROOTS_CELL if parent.kind == OrgKind.PROVINCE_UNIT else OrgKind.CELL
    # Cells are older than the 2025 provincial committees that now hold them, but never
    # older than a committee that has always held them.
    after = parent.founded_on if parent.founded_on.year < 2015 else None
    return parent.add(
        Node(
            kind=kind,
            name=name,
            cell_type=cell_type,
            weight=weight,
            founded_on=founded(rng, 1960 if after else 1975, 2015, after),
        )
    )


def _commune(
    plan: Plan,
    rng,
    *,
    name: str,
    ward: bool,
    district: Node,
    layout: list[int],
    agency_cells: int,
    schools: int,
    health: bool,
    partial: bool,
    enterprises: int,
    police: bool = False,
) -> Node:
    ethnic, dominant = commune_ethnic(rng, ward)
    unit = "phường" if ward else "xã"
    commune = plan.root.add(
        Node(
            kind=OrgKind.GRASSROOTS_COMMITTEE,
            name=f"Đảng bộ {unit} {name}",
            cell_type=CellType.RESIDENTIAL if ward else CellType.VILLAGE,
            founded_on=founded(rng, 1946, 1985),
            ethnic=ethnic,
            district=district,
        )
    )
    commune.commune = commune
    n_villages = sum(k if k else 1 for k in layout)
    commune.villages = _villages(plan, rng, commune, n_villages, ward, dominant)
    vi = 0
    for k in layout:
        if k == 0:
            vi += 1
            continue
        covered = commune.villages[vi : vi + k]
        vi += k
        cell = _cell(
            commune,
            rng,
            _cell_name(covered),
            commune.cell_type,
            weight=rng.lognormvariate(math.log(24 if ward else 15), 0.4) * (1 + 0.25 * (k - 1)),
        )
        cell.covers = covered
        for v in covered:
            v.covered_by = cell
    for pattern, cell_type in names.COMMUNE_AGENCY_CELLS[:agency_cells]:
        weight = {"agency": 12, "army": 5, "police": 10}[cell_type] * rng.uniform(0.7, 1.4)
        _cell(commune, rng, pattern.format(unit=unit), cell_type, weight)
    if police and not agency_cells:
        _cell(commune, rng, f"Chi bộ Công an {unit}", CellType.POLICE, 10)
    school_parent = commune
    if partial:
        school_parent = commune.add(
            Node(
                kind=OrgKind.PARTIAL_COMMITTEE,
                name="Đảng bộ bộ phận các trường học",
                founded_on=founded(rng, 1995, 2015),
            )
        )
    places = [name, *names.place_names(rng, max(schools - 1, 0), tay_share=0.5, exclude=[name])]
    for i in range(schools):
        level = names.COMMUNE_SCHOOLS[i % len(names.COMMUNE_SCHOOLS)]
        _cell(
            school_parent, rng, f"Chi bộ {level} {places[i]}", CellType.SCHOOL, rng.uniform(6, 14)
        )
    if health:
        _cell(
            commune,
            rng,
            f"Chi bộ Trạm Y tế {unit} {name}",
            CellType.PUBLIC_SERVICE,
            rng.uniform(4, 9),
        )
    for _ in range(enterprises):
        _cell(
            commune,
            rng,
            f"Chi bộ {_enterprise_name(rng, set())}",
            CellType.PRIVATE_ENTERPRISE,
            rng.uniform(4, 10),
        )
    return commune


def _villages(plan: Plan, rng, commune: Node, n: int, ward: bool, dominant: str):
    out = []
    if ward:
        named = names.place_names(rng, n, tay_share=0.2)
        labels = [
            f"Tổ dân phố {i + 1}" if rng.random() < 0.7 else f"Tổ dân phố {named[i]}"
            for i in range(n)
        ]
        kinds = [VillageKind.TO_DAN_PHO] * n
    else:
        tay_share = {"01": 0.25, "03": 0.6, "06": 0.6}.get(dominant, 0.85)
        ban_share = {"08": 0.8, "09": 0.7, "03": 0.8, "06": 0.3}.get(dominant, 0.05)
        places = names.place_names(rng, n, tay_share=tay_share)
        kinds = [VillageKind.BAN if rng.random() < ban_share else VillageKind.THON for _ in places]
        labels = [
            f"{'Bản' if k == VillageKind.BAN else 'Thôn'} {p}"
            for k, p in zip(kinds, places, strict=True)
        ]
    for label, kind in zip(labels, kinds, strict=True):
        valid_from = day_between(rng, dt.date(2019, 6, 1), dt.date(2020, 12, 31))
        spec = VillageSpec(
            name=label,
            kind=kind,
            code=f"{len(plan.villages) + 1:05d}",
            commune=commune,
            valid_from=valid_from if rng.random() < 0.6 else None,
        )
        out.append(spec)
        plan.villages.append(spec)
    return out


def _cell_name(villages: list[VillageSpec]) -> str:
    """'Chi bộ thôn Nà Làng', or for a combined cell 'Chi bộ thôn Nà Làng - Khuổi Mạn'."""
    parts = []
    prev_prefix = None
    for v in villages:
        prefix, rest = _split_label(v.name)
        parts.append(rest if prefix == prev_prefix else f"{prefix} {rest}")
        prev_prefix = prefix
    return "Chi bộ " + " - ".join(parts)


def _split_label(label: str) -> tuple[str, str]:
    for prefix in ("Tổ dân phố", "Thôn", "Bản"):
        if label.startswith(prefix + " "):
            return prefix.lower() if prefix != "Tổ dân phố" else "tổ dân phố", label[
                len(prefix) + 1 :
            ]
    return "", label


def _enterprise_name(rng, used: set) -> str:
    while True:
        form = rng.choice(names.ENTERPRISE_FORMS)
        business = rng.choice(names.ENTERPRISE_FIELDS)
        if rng.random() < 0.15:
            name = f"Hợp tác xã {business} {rng.choice(names.SINO_A)} {rng.choice(names.SINO_B)}"
        else:
            name = f"Công ty {form} {business} {rng.choice(names.ENTERPRISE_BRANDS)}"
        if name not in used:
            used.add(name)
            return name


def _committee_with_cells(
    parent: Node, rng, name: str, cell_type: str, cells: list[str], weight: tuple[float, float]
) -> Node:
    committee = parent.add(
        Node(
            kind=OrgKind.GRASSROOTS_COMMITTEE,
            name=f"Đảng bộ {name}",
            cell_type=cell_type,
            founded_on=founded(rng, 1960, 2010),
        )
    )
    for c in cells:
        _cell(committee, rng, f"Chi bộ {c}", cell_type, rng.uniform(*weight))
    return committee


def _units(plan: Plan, rng, full: bool, fill_to: int = 0):
    """The provincial party committees and their grassroots organizations."""
    root, prov = plan.root, plan.province_name
    units = []
    for name, (y, m, d) in names.PROVINCE_UNITS[: 4 if full else 1]:
        units.append(
            root.add(Node(kind=OrgKind.PROVINCE_UNIT, name=name, founded_on=dt.date(y, m, d)))
        )
    if not full:
        for name, cell_type in names.PARTY_AGENCIES[:2]:
            _cell(units[0], rng, f"Chi bộ {name}", cell_type, rng.uniform(8, 14))
        return
    party, people_committee, army, police = units
    for name, cell_type in names.PARTY_AGENCIES:
        if name.startswith("Báo"):
            _committee_with_cells(
                party,
                rng,
                name,
                cell_type,
                [
                    "Phòng Thời sự",
                    "Phòng Biên tập",
                    "Phòng Kỹ thuật – Công nghệ",
                    "Phòng Hành chính – Tổng hợp",
                ],
                (6, 12),
            )
        else:
            _cell(party, rng, f"Chi bộ {name}", cell_type, rng.uniform(8, 22))
    for name, subunits in names.DEPARTMENTS:
        if subunits:
            _committee_with_cells(people_committee, rng, name, CellType.AGENCY, subunits, (6, 16))
        else:
            _cell(people_committee, rng, f"Chi bộ {name}", CellType.AGENCY, rng.uniform(10, 25))
    for name, subunits in names.PUBLIC_SERVICES:
        if subunits:
            _committee_with_cells(
                people_committee, rng, name, CellType.PUBLIC_SERVICE, subunits, (8, 20)
            )
        else:
            _cell(
                people_committee, rng, f"Chi bộ {name}", CellType.PUBLIC_SERVICE, rng.uniform(8, 25)
            )
    for name, subunits in names.STATE_ENTERPRISES:
        name = f"{name} {prov}"
        if subunits:
            _committee_with_cells(
                people_committee, rng, name, CellType.STATE_ENTERPRISE, subunits, (8, 18)
            )
        else:
            _cell(
                people_committee,
                rng,
                f"Chi bộ {name}",
                CellType.STATE_ENTERPRISE,
                rng.uniform(6, 18),
            )
    districts = names.place_names(rng, 7, tay_share=0.6)
    for place in districts:
        _committee_with_cells(
            people_committee,
            rng,
            f"Trung tâm Y tế khu vực {place}",
            CellType.PUBLIC_SERVICE,
            [
                "Khoa Khám bệnh",
                "Khoa Nội – Nhi – Lây",
                "Khoa Ngoại – Sản",
                "Khoa Dược – Xét nghiệm",
                "Phòng Dân số – Truyền thông",
            ],
            (5, 12),
        )
        _cell(
            people_committee,
            rng,
            f"Chi bộ Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên {place}",
            CellType.SCHOOL,
            rng.uniform(5, 12),
        )
    for place in districts[:3]:
        _cell(
            people_committee,
            rng,
            f"Chi bộ Trường Phổ thông Dân tộc nội trú THCS và THPT {place}",
            CellType.SCHOOL,
            rng.uniform(12, 25),
        )
    for place in names.place_names(rng, 35, tay_share=0.5, exclude=districts):
        _cell(
            people_committee,
            rng,
            f"Chi bộ Trường THPT {place}",
            CellType.SCHOOL,
            rng.uniform(10, 28),
        )
    for name, cells in names.ARMY_COMMITTEES:
        _committee_with_cells(army, rng, name, CellType.ARMY, cells, (10, 25))
    for name in names.ARMY_CELLS:
        for n in range(1, 5) if "{n}" in name else [0]:
            _cell(army, rng, f"Chi bộ {name.format(n=n)}", CellType.ARMY, rng.uniform(8, 25))
    for name, cells in names.POLICE_COMMITTEES:
        _committee_with_cells(police, rng, name, CellType.POLICE, cells, (8, 20))
    for name in names.POLICE_CELLS:
        _cell(police, rng, f"Chi bộ {name}", CellType.POLICE, rng.uniform(10, 30))
    # Enterprises fill the provincial People's Committee up to the target count.
    have = sum(
        1
        for u in units
        for n in u.children
        if n.kind in (OrgKind.GRASSROOTS_CELL, OrgKind.GRASSROOTS_COMMITTEE)
    )
    used: set = set()
    for _ in range(max(fill_to - have, 0)):
        _cell(
            people_committee,
            rng,
            f"Chi bộ {_enterprise_name(rng, used)}",
            CellType.PRIVATE_ENTERPRISE if rng.random() < 0.85 else CellType.STATE_ENTERPRISE,
            rng.uniform(4, 16),
        )


# ---- numbering, white villages, sizes, party groups ------------------------------------


def _number(plan: Plan):
    """Codes '01', '01.03', '01.03.02' under the province, 'H01'… for the dissolved districts;
    depths as treebeard counts them (the province is 1)."""
    active = [c for c in plan.root.children if not c.dissolved_on]
    for i, child in enumerate(active, 1):
        child.code = f"{i:02d}"
    for i, d in enumerate(plan.districts, 1):
        d.code = f"H{i:02d}"
    plan.root.depth = 1
    for node in plan.root.walk():
        for i, child in enumerate(node.children, 1):
            if node is not plan.root:
                child.code = f"{node.code}.{i:02d}"
            child.depth = node.depth + 1


def _choose_white_villages(plan: Plan, rng):
    """Villages where no member lives: the second+ villages of combined cells, or ones no
    cell covers (the members of a combined cell all live in its first village then)."""
    eligible = [
        v for v in plan.villages if v.covered_by is None or v.covered_by.covers.index(v) > 0
    ]
    n = max(1, round(WHITE_SHARE * len(plan.villages)))
    for v in rng.sample(eligible, min(n, len(eligible))):
        v.white = True


def _sizes(plan: Plan, target: int):
    cells = plan.cells()
    total = sum(c.weight for c in cells)
    for c in cells:
        # Five at least, so every cell keeps its three official members (Charter art. 21).
        c.size = max(5, round(c.weight * target / total))


def _party_groups(plan: Plan, rng):
    """Large cells split into party groups (tổ đảng); at least one in every plan."""
    cells = [c for c in plan.cells() if c.cell_type in (CellType.VILLAGE, CellType.RESIDENTIAL)]
    chosen = [c for c in cells if c.size >= 35 and rng.random() < 0.6]
    if not chosen and cells:
        chosen = [max(cells, key=lambda c: c.size)]
    for cell in chosen:
        for i in range(1, rng.randint(2, 3) + 1):
            cell.add(
                Node(
                    kind=OrgKind.PARTY_GROUP,
                    name=f"Tổ đảng số {i}",
                    founded_on=founded(rng, max(cell.founded_on.year, 2000), 2020, cell.founded_on),
                )
            )
    _number(plan)
