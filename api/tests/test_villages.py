import datetime as dt

import pytest

from organizations.models import CellVillage, Village


def village_names(response):
    return [v["name"] for v in response.json()["items"]]


def test_staff_list_villages_of_their_province_with_covering_cells(token_client, world):
    r = token_client("staff_p1").get("/api/v1/villages")
    assert r.status_code == 200
    # By commune (phường Bắc Sơn before xã An Bình), then name.
    assert village_names(r) == ["Tổ dân phố 1", "Thôn Đông", "Thôn Nam", "Thôn Tây"]
    nam = next(v for v in r.json()["items"] if v["name"] == "Thôn Nam")
    assert (
        nam["commune"] == str(world.org("C1").uuid) and nam["commune_name"] == "Đảng bộ xã An Bình"
    )
    assert nam["province"] == str(world.org("P1").uuid)
    assert nam["cells"] == [{"uuid": str(world.org("K1").uuid), "name": "Chi bộ thôn Đông"}]
    assert nam["kind"] == "thon" and nam["code"] == "V3"


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("staff_p2", {"Thôn Trung"}),
        ("committee_c1", {"Thôn Đông", "Thôn Nam", "Thôn Tây"}),
        ("secretary_k1", set()),
        ("member_k1", set()),
        ("nobody", set()),
    ],
)
def test_the_list_holds_exactly_the_callers_scope(token_client, world, username, expected):
    r = token_client(username).get("/api/v1/villages?page_size=200&include_past=true")
    assert set(village_names(r)) == expected


def test_filters_commune_words_and_gaps(token_client, world):
    client = token_client("staff_p1")
    c1 = world.org("C1").uuid
    assert village_names(client.get(f"/api/v1/villages?commune={c1}")) == [
        "Thôn Đông",
        "Thôn Nam",
        "Thôn Tây",
    ]
    assert village_names(client.get("/api/v1/villages?q=thon tay")) == ["Thôn Tây"]
    # Only K1's members live somewhere (Thôn Đông).
    assert village_names(client.get("/api/v1/villages?without_members=true")) == [
        "Tổ dân phố 1",
        "Thôn Nam",
        "Thôn Tây",
    ]
    CellVillage.objects.filter(village__code="V2").update(valid_to=dt.date(2024, 1, 1))
    assert village_names(client.get("/api/v1/villages?without_cell=true")) == ["Thôn Tây"]
    r = client.get(f"/api/v1/villages?commune={world.org('C3').uuid}")
    assert r.status_code == 404


def test_abolished_villages_are_listed_only_on_request(token_client, world):
    Village.objects.filter(code="V3").update(valid_to=dt.date(2024, 12, 31))
    client = token_client("staff_p1")
    assert "Thôn Nam" not in village_names(client.get("/api/v1/villages"))
    assert "Thôn Nam" in village_names(client.get("/api/v1/villages?include_past=true"))


def test_the_list_runs_a_constant_number_of_queries(
    token_client, world, django_assert_max_num_queries
):
    c1 = world.org("C1")
    for i in range(30):
        Village.objects.create(
            province_id=c1.province_id, commune=c1, name=f"Thôn {i}", kind="thon", code=f"VX{i}"
        )
    client = token_client("staff_p1")
    client.get("/api/v1/me")
    for size in (1, 200):
        with django_assert_max_num_queries(5):
            r = client.get(f"/api/v1/villages?page_size={size}")
        assert len(r.json()["items"]) == min(size, 34)


def test_one_village_in_scope(token_client, world):
    v1 = Village.objects.get(code="V1")
    r = token_client("committee_c1").get(f"/api/v1/villages/{v1.uuid}")
    assert r.status_code == 200
    assert r.json()["name"] == "Thôn Đông"
    assert [c["name"] for c in r.json()["cells"]] == ["Chi bộ thôn Đông"]


@pytest.mark.parametrize(
    ("username", "code"),
    [("staff_p2", "V1"), ("staff_p1", "V4"), ("secretary_k1", "V1"), ("nobody", "V1")],
)
def test_a_village_outside_the_scope_is_404_without_data(token_client, world, username, code):
    village = Village.objects.get(code=code)
    r = token_client(username).get(f"/api/v1/villages/{village.uuid}")
    assert r.status_code == 404
    assert village.name not in r.content.decode()
