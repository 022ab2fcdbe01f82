"""A working member who lives across the provincial border: the workplace names the commune of
residence by its province and code; the commune there receives and comments as usual."""

import pytest
from django.urls import reverse

from api.tests.conftest import token_client  # noqa: F401 - a fixture
from liaison.models import LiaisonStatus, ResidenceLiaison
from liaison.tests.test_views import staff_u1  # noqa: F401 - a fixture


def url(name, obj):
    return reverse(f"liaison:{name}", args=[obj.uuid])


def _post(client, huy, **data):
    return client.post(
        url("introduce", huy), {"introduced_on": "01/07/2025", "letter_no": "16-GGT/ĐU", **data}
    )


def test_a_commune_of_another_province_is_named_by_its_code(login, world, huy, staff_u1):  # noqa: F811
    client = login("staff_u1")
    page = client.get(url("introduce", huy)).content.decode()
    assert "Đảng bộ tỉnh Bên Cạnh" in page  # the other provinces are offered
    assert "Đảng bộ xã Hòa Lạc" not in page  # but not their communes
    response = _post(client, huy, other_province=world.org("P2").pk, other_code="C3")
    liaison = ResidenceLiaison.objects.get()
    assert response.status_code == 302
    assert liaison.residence_commune == world.org("C3")
    # The village recorded (V1, in C1) is not in C3: no cell is proposed.
    assert liaison.residence_cell is None
    # The liaison keeps the workplace's province key.
    assert liaison.province == world.org("P1")
    # The other province's staff sees it (the residence side) and receives the member.
    client2 = login("staff_p2")
    assert client2.get(url("detail", liaison)).status_code == 200
    response = client2.post(
        url("receive", liaison), {"residence_cell": world.org("K4").pk, "received_on": "15/07/2025"}
    )
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert liaison.status == LiaisonStatus.RECEIVED and liaison.residence_cell == world.org("K4")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"other_province": "P2", "other_code": ""}, "other_code", "Chọn tỉnh và nhập mã"),
        ({"other_code": "C3"}, "other_code", "Chọn tỉnh và nhập mã"),
        ({"other_province": "P2", "other_code": "nope"}, "other_code", "Không có tổ chức"),
        # K4 is a cell, not a commune committee.
        ({"other_province": "P2", "other_code": "K4"}, "residence_commune", "không phải"),
        (
            {"residence_commune": "C1", "other_province": "P2", "other_code": "C3"},
            "other_province",
            "Chỉ chọn một",
        ),
        ({}, "residence_commune", "Hãy chọn xã, phường"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    login,
    world,
    huy,
    staff_u1,  # noqa: F811
    data,
    field,
    message,
):
    data = {
        k: (world.org(v).pk if k in ("other_province", "residence_commune") else v)
        for k, v in data.items()
    }
    response = _post(login("staff_u1"), huy, **data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field]), errors[field]
    assert not ResidenceLiaison.objects.exists()


def test_the_api_takes_the_other_province_by_uuid(world, huy, staff_u1, token_client):  # noqa: F811
    response = token_client("staff_u1").post(
        f"/api/v1/members/{huy.uuid}/liaison/introduce",
        {
            "other_province": str(world.org("P2").uuid),
            "other_code": "C3",
            "introduced_on": "2025-07-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert ResidenceLiaison.objects.get().residence_commune == world.org("C3")
