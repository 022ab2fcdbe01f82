"""A small, hand-built world for tests: two provinces, committees, cells, members, users.

It covers every relation the authorization matrix needs: a user's own cell, a
sibling cell under the same grassroots committee, another grassroots
organization in the same province, and another province.

    P1 Tỉnh Thử Nghiệm (province)
    ├── C1 Đảng bộ xã An Bình (grassroots committee)
    │   ├── K1 Chi bộ thôn Đông (cell, village)   ← secretary, member user
    │   │   └── T1 Tổ đảng số 1 (party group)
    │   └── K2 Chi bộ thôn Tây (cell, village)     ← sibling cell
    ├── C2 Đảng bộ phường Bắc Sơn (grassroots committee)
    │   └── K3 Chi bộ tổ dân phố 1 (cell, residential)  ← other grassroots org
    └── U1 Đảng bộ các cơ quan Đảng tỉnh (province unit)
        └── G1 Chi bộ Văn phòng Tỉnh ủy (grassroots cell, agency)
    P2 Tỉnh Bên Cạnh (province)
    └── C3 Đảng bộ xã Hòa Lạc
        └── K4 Chi bộ thôn Trung               ← other province
"""

import datetime as dt
from dataclasses import dataclass

from accounts.models import Role, RoleAssignment, User
from members.models import Member, MemberStatus, Person
from members.services import create_member
from organizations import services as org_services
from organizations.models import CellType, Organization, OrgKind, Village

PASSWORD = "test-password-123"  # noqa: S105

MEMBERS = {
    # cell code: [(full name, sex, birth, ethnicity, status)]
    "K1": [
        ("Nguyễn Văn Đức", "M", dt.date(1970, 3, 2), "01", "official"),
        ("Trần Thị Hoa", "F", dt.date(1985, 7, 9), "01", "official"),
        ("Lê Văn Nam", "M", dt.date(1999, 1, 20), "02", "probationary"),
        ("Phạm Thị Lan", "F", dt.date(1940, 5, 5), "01", "exempt"),
    ],
    "K2": [
        ("Hoàng Văn Bình", "M", dt.date(1975, 4, 4), "01", "official"),
        ("Nguyễn Văn Đức", "M", dt.date(1988, 8, 8), "01", "official"),
    ],
    "K3": [("Vũ Thị Mai", "F", dt.date(1980, 2, 2), "01", "official")],
    "G1": [("Đặng Quốc Huy", "M", dt.date(1978, 6, 1), "01", "official")],
    "K4": [("Bùi Văn Tâm", "M", dt.date(1965, 9, 9), "03", "official")],
}


@dataclass
class World:
    def org(self, code: str) -> Organization:
        return Organization.objects.get(code=code)

    def member(self, name: str, cell: str) -> Member:
        return Member.objects.select_related("person", "organization").get(
            person__full_name=name, organization__code=cell
        )

    def user(self, username: str) -> User:
        return User.objects.get(username=username)


def build_world() -> World:
    mk = org_services.create_organization
    founded = dt.date(2000, 1, 1)
    p1 = mk(
        parent=None,
        kind=OrgKind.PROVINCE,
        name="Đảng bộ tỉnh Thử Nghiệm",
        code="P1",
        founded_on=founded,
    )
    c1 = mk(
        parent=p1,
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        name="Đảng bộ xã An Bình",
        code="C1",
        cell_type=CellType.VILLAGE,
        founded_on=founded,
    )
    k1 = mk(
        parent=c1,
        kind=OrgKind.CELL,
        name="Chi bộ thôn Đông",
        code="K1",
        cell_type=CellType.VILLAGE,
        founded_on=founded,
    )
    mk(parent=k1, kind=OrgKind.PARTY_GROUP, name="Tổ đảng số 1", code="T1", founded_on=founded)
    k2 = mk(
        parent=c1,
        kind=OrgKind.CELL,
        name="Chi bộ thôn Tây",
        code="K2",
        cell_type=CellType.VILLAGE,
        founded_on=founded,
    )
    c2 = mk(
        parent=p1,
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        name="Đảng bộ phường Bắc Sơn",
        code="C2",
        cell_type=CellType.RESIDENTIAL,
        founded_on=founded,
    )
    mk(
        parent=c2,
        kind=OrgKind.CELL,
        name="Chi bộ tổ dân phố 1",
        code="K3",
        cell_type=CellType.RESIDENTIAL,
        founded_on=founded,
    )
    u1 = mk(
        parent=p1,
        kind=OrgKind.PROVINCE_UNIT,
        name="Đảng bộ các cơ quan Đảng tỉnh",
        code="U1",
        founded_on=founded,
    )
    mk(
        parent=u1,
        kind=OrgKind.GRASSROOTS_CELL,
        name="Chi bộ Văn phòng Tỉnh ủy",
        code="G1",
        cell_type=CellType.AGENCY,
        founded_on=founded,
    )
    p2 = mk(
        parent=None,
        kind=OrgKind.PROVINCE,
        name="Đảng bộ tỉnh Bên Cạnh",
        code="P2",
        founded_on=founded,
    )
    c3 = mk(
        parent=p2,
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        name="Đảng bộ xã Hòa Lạc",
        code="C3",
        cell_type=CellType.VILLAGE,
        founded_on=founded,
    )
    mk(
        parent=c3,
        kind=OrgKind.CELL,
        name="Chi bộ thôn Trung",
        code="K4",
        cell_type=CellType.VILLAGE,
        founded_on=founded,
    )

    villages = {}
    for code, name, commune in [
        ("V1", "Thôn Đông", c1),
        ("V2", "Thôn Tây", c1),
        ("V3", "Thôn Nam", c1),
        ("V4", "Thôn Trung", c3),
        ("V5", "Tổ dân phố 1", c2),
    ]:
        villages[code] = Village.objects.create(
            province_id=commune.province_id,
            commune=commune,
            name=name,
            code=code,
            kind="to_dan_pho" if code == "V5" else "thon",
        )
    on = dt.date(2000, 1, 1)
    org_services.set_villages(
        Organization.objects.get(code="K1"), [villages["V1"], villages["V3"]], on
    )
    org_services.set_villages(k2, [villages["V2"]], on)
    org_services.set_villages(Organization.objects.get(code="K4"), [villages["V4"]], on)
    org_services.set_villages(Organization.objects.get(code="K3"), [villages["V5"]], on)

    seq = 0
    for cell_code, people in MEMBERS.items():
        cell = Organization.objects.get(code=cell_code)
        for name, sex, birth, eth, status in people:
            seq += 1
            ceremony = dt.date(max(birth.year + 20, 1990), 3, 1)
            person = Person(
                full_name=name,
                sex=sex,
                birth_date=birth,
                ethnicity=eth,
                residence_village=villages["V1"] if cell_code == "K1" else None,
            )
            member = Member(
                dossier_no=f"{seq:06d}TN",
                admission_decision_date=ceremony - dt.timedelta(days=20),
                ceremony_date=ceremony,
                status=status,
                official_date=None
                if status == MemberStatus.PROBATIONARY
                else ceremony + dt.timedelta(days=366),
            )
            if status == MemberStatus.PROBATIONARY:
                member.ceremony_date = dt.date(2025, 6, 1)
                member.admission_decision_date = dt.date(2025, 5, 20)
            create_member(
                person=person, member=member, organization=cell, start_date=member.ceremony_date
            )

    def user(username, role=None, org=None, member=None, **extra):
        u = User.objects.create_user(username=username, password=PASSWORD, member=member, **extra)
        if role:
            RoleAssignment.objects.create(
                user=u, role=role, organization=org, valid_from=dt.date(2020, 1, 1)
            )
        return u

    w = World()
    user("admin", Role.ADMIN)
    user("staff_p1", Role.ORG_STAFF, p1)
    user("staff_c1", Role.ORG_STAFF, c1)
    user("committee_c1", Role.COMMITTEE, c1)
    user("secretary_k1", Role.SECRETARY, k1, member=w.member("Nguyễn Văn Đức", "K1"))
    user("member_k1", member=w.member("Trần Thị Hoa", "K1"))
    user("staff_p2", Role.ORG_STAFF, p2)
    user("nobody")
    return w
