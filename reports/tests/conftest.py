"""Fixtures of the report tests: the test world plus rows that exercise every figure, and the
residence-liaison world of liaison/tests (reused, not copied)."""

import datetime as dt

import pytest
from django.utils import translation

from liaison.tests.conftest import huy, school, v1  # noqa: F401
from liaison.tests.targets import make_member
from liaison.tests.test_services import small_world  # noqa: F401
from organizations import services as org_services
from organizations.models import CellType, Organization, OrgKind, Village

TO = dt.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def extra(world):
    """K5: a cell of C1 covering three new villages with three official members; V9 in C2 where a
    member lives but no cell covers it; V10 in C2 with neither; K6 dissolved before TO; K7 founded
    after TO."""
    c1, c2 = world.org("C1"), world.org("C2")
    founded = dt.date(2000, 1, 1)
    k5 = org_services.create_organization(
        parent=c1,
        kind=OrgKind.CELL,
        name="Chi bộ thôn Ghép",
        code="K5",
        cell_type=CellType.VILLAGE,
        founded_on=founded,
    )
    villages = {}
    for code, commune in (("V6", c1), ("V7", c1), ("V8", c1), ("V9", c2), ("V10", c2)):
        villages[code] = Village.objects.create(
            province_id=commune.province_id,
            commune=commune,
            name=f"Thôn {code}",
            code=code,
            kind="thon",
        )
    org_services.set_villages(k5, [villages[c] for c in ("V6", "V7", "V8")], founded)
    for i in range(3):
        make_member(k5, f"Người Ghép {i}", village=villages["V6"])
    make_member(world.org("K3"), "Người Ở V9", village=villages["V9"])
    k6 = org_services.create_organization(
        parent=c2,
        kind=OrgKind.CELL,
        name="Chi bộ đã giải thể",
        code="K6",
        cell_type=CellType.RESIDENTIAL,
        founded_on=founded,
    )
    Organization.objects.filter(pk=k6.pk).update(dissolved_on=dt.date(2024, 1, 1))
    org_services.create_organization(
        parent=c2,
        kind=OrgKind.CELL,
        name="Chi bộ mới",
        code="K7",
        cell_type=CellType.SCHOOL,
        founded_on=dt.date(2025, 9, 1),
    )
    return villages
