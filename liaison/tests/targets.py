"""A residence liaison in a given cell of the test world, for the authorization matrix.

The liaison's residence is the target cell (and its commune); its member works in an agency
cell of the same province, outside the communes: G1 in P1, and G2, created here, in P2. So a
user sees it exactly when they see the target cell (the matrix's LEVEL), except the province
staff and admins, who see both sides anyway.
"""

import datetime as dt

from liaison import services
from liaison.models import ResidenceLiaison
from members.models import Member, Person
from members.services import create_member
from organizations import services as org_services
from organizations.models import CellType, Organization, OrgKind


def make_member(cell, name, *, village=None, status="official", seq=[900]):  # noqa: B006
    seq[0] += 1
    ceremony = dt.date(2010, 3, 1)
    return create_member(
        person=Person(
            full_name=name, sex="M", birth_date=dt.date(1985, 1, 1), residence_village=village
        ),
        member=Member(
            dossier_no=f"{seq[0]:06d}TN",
            admission_decision_date=ceremony - dt.timedelta(days=20),
            ceremony_date=ceremony,
            official_date=None if status == "probationary" else ceremony + dt.timedelta(days=366),
            status=status,
        ),
        organization=cell,
        start_date=ceremony,
    )


def _workplace(world, cell) -> Organization:
    if cell.province.code == "P1":
        return world.org("G1")
    found = Organization.objects.filter(code="G2", province=cell.province).first()
    return found or org_services.create_organization(
        parent=cell.province,
        kind=OrgKind.GRASSROOTS_CELL,
        name="Chi bộ Sở Tư pháp",
        code="G2",
        cell_type=CellType.AGENCY,
        founded_on=dt.date(2000, 1, 1),
    )


def liaison_in(world, cell_code: str) -> ResidenceLiaison:
    """A received liaison whose residence cell is `cell_code` (one per cell, reused)."""
    cell = world.org(cell_code)
    existing = ResidenceLiaison.objects.filter(residence_cell=cell).first()
    if existing:
        return existing
    member = make_member(_workplace(world, cell), f"Cán Bộ Ở {cell_code}")
    liaison = services.introduce(
        member,
        residence_commune=cell.parent_org(),
        introduced_on=dt.date(2025, 7, 1),
        letter_no="15-GGT/ĐU",
    )
    return services.receive(liaison, residence_cell=cell, received_on=dt.date(2025, 7, 10))
