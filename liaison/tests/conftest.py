"""Fixtures of the residence-liaison tests: working members in a school cell of commune C1
(the workplace side) who live in K1's village (the residence side), and G1's member."""

import datetime as dt

import pytest
from django.utils import translation

from liaison import services
from organizations import services as org_services
from organizations.models import CellType, OrgKind, Village

JULY = dt.date(2025, 7, 1)
ANSWERS = {
    "exemplary": "well",
    "policies": "well",
    "contact": "done",
    "activities": "well",
    "people": "done",
    "citizen_duties": "well",
}


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the site's default language is Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def v1(world):
    return Village.objects.get(code="V1")


@pytest.fixture
def school(world):
    """S1 Chi bộ Trường Tiểu học An Bình: a workplace cell under commune C1."""
    return org_services.create_organization(
        parent=world.org("C1"),
        kind=OrgKind.CELL,
        name="Chi bộ Trường Tiểu học An Bình",
        code="S1",
        cell_type=CellType.SCHOOL,
        founded_on=dt.date(2000, 1, 1),
    )


@pytest.fixture
def huy(world, v1):
    """G1's member (provincial party office, an agency), living in village V1 of commune C1."""
    member = world.member("Đặng Quốc Huy", "G1")
    member.person.residence_village = v1
    member.person.save()
    return member


@pytest.fixture
def introduced(world, huy):
    return services.introduce(
        huy,
        residence_commune=world.org("C1"),
        introduced_on=JULY,
        letter_no="15-GGT/ĐU",
        by=world.user("staff_p1"),
    )


@pytest.fixture
def received(world, introduced):
    return services.receive(
        introduced,
        residence_cell=world.org("K1"),
        received_on=dt.date(2025, 7, 10),
        by=world.user("staff_c1"),
    )
