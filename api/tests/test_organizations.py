import datetime as dt

import pytest

from organizations import services
from organizations.models import Organization, OrgEvent, OrgEventKind, OrgKind

JSON = "application/json"


def codes(response):
    return [o["code"] for o in response.json()["items"]]


def test_staff_list_their_province_in_tree_order_with_counts_and_villages(token_client, world):
    r = token_client("staff_p1").get("/api/v1/organizations")
    assert r.status_code == 200
    data = r.json()
    assert codes(r) == ["P1", "C1", "K1", "T1", "K2", "C2", "K3", "U1", "G1"]
    assert (data["count"], data["page"], data["pages"]) == (9, 1, 1)
    k1 = next(o for o in data["items"] if o["code"] == "K1")
    assert k1["parent"] == str(world.org("C1").uuid)
    assert k1["province"] == str(world.org("P1").uuid)
    assert k1["kind"] == "cell" and k1["cell_type"] == "village" and k1["depth"] == 3
    assert k1["founded_on"] == "2000-01-01" and k1["dissolved_on"] is None
    assert k1["counts"] == {
        "official": 2,
        "probationary": 1,
        "exempt": 1,
        "suspended": 0,
        "temporary": 0,
        "total": 4,
    }
    assert k1["villages"] == ["Thôn Đông", "Thôn Nam"]
    p1 = data["items"][0]
    assert p1["parent"] is None and p1["counts"]["total"] == 8


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", {"P1", "C1", "K1", "T1", "K2", "C2", "K3", "U1", "G1", "P2", "C3", "K4"}),
        ("staff_p2", {"P2", "C3", "K4"}),
        ("staff_c1", {"C1", "K1", "T1", "K2"}),
        ("committee_c1", {"C1", "K1", "T1", "K2"}),
        ("secretary_k1", {"K1", "T1"}),
        ("member_k1", set()),
        ("nobody", set()),
    ],
)
def test_the_list_holds_exactly_the_callers_scope(token_client, world, username, expected):
    r = token_client(username).get("/api/v1/organizations?page_size=200")
    assert r.status_code == 200
    assert set(codes(r)) == expected
    assert r.json()["count"] == len(expected)


def test_search_ignores_diacritics_and_matches_word_starts(token_client, world):
    client = token_client("staff_p1")
    assert codes(client.get("/api/v1/organizations?q=chi bo thon dong")) == ["K1"]
    assert codes(client.get("/api/v1/organizations?q=Đông")) == ["K1"]
    assert codes(client.get("/api/v1/organizations?q=ong")) == []
    # Another province's units are never found, whatever the words.
    assert codes(client.get("/api/v1/organizations?q=thon trung")) == []


def test_filters_by_parent_kind_and_cell_type(token_client, world):
    client = token_client("staff_p1")
    c1 = world.org("C1").uuid
    assert codes(client.get(f"/api/v1/organizations?parent={c1}")) == ["K1", "K2"]
    assert codes(client.get("/api/v1/organizations?kind=grassroots_committee")) == ["C1", "C2"]
    assert codes(client.get("/api/v1/organizations?cell_type=agency")) == ["G1"]


def test_a_parent_outside_the_scope_is_404(token_client, world):
    r = token_client("staff_p2").get(f"/api/v1/organizations?parent={world.org('C1').uuid}")
    assert r.status_code == 404
    assert "An Bình" not in r.content.decode()


def test_dissolved_units_are_listed_only_on_request(token_client, world):
    services.dissolve(world.org("T1"), dt.date(2024, 1, 1), "Sáp nhập")
    client = token_client("staff_p1")
    assert "T1" not in codes(client.get("/api/v1/organizations"))
    listed = client.get("/api/v1/organizations?include_dissolved=true").json()["items"]
    t1 = next(o for o in listed if o["code"] == "T1")
    assert t1["dissolved_on"] == "2024-01-01"


def test_pagination_reports_count_and_pages(token_client, world):
    client = token_client("staff_p1")
    r = client.get("/api/v1/organizations?page=2&page_size=4")
    assert codes(r) == ["K2", "C2", "K3", "U1"]
    assert {k: r.json()[k] for k in ("count", "page", "pages")} == {
        "count": 9,
        "page": 2,
        "pages": 3,
    }
    past = client.get("/api/v1/organizations?page=9&page_size=4").json()
    assert past["items"] == [] and past["pages"] == 3


def test_the_list_runs_a_constant_number_of_queries(
    token_client, world, django_assert_max_num_queries
):
    c1 = world.org("C1")
    for i in range(30):
        services.create_organization(
            parent=c1, kind=OrgKind.CELL, name=f"Chi bộ số {i}", code=f"KN{i}", cell_type="village"
        )
    client = token_client("staff_p1")
    client.get("/api/v1/me")  # the first call also stamps last_used_at
    for size in (1, 200):
        with django_assert_max_num_queries(7):
            r = client.get(f"/api/v1/organizations?page_size={size}&include_dissolved=true")
        assert len(r.json()["items"]) == min(size, 39)


def test_detail_has_capabilities_of_the_caller(token_client, world):
    k1 = world.org("K1")
    secretary = token_client("secretary_k1").get(f"/api/v1/organizations/{k1.uuid}").json()
    assert secretary["name"] == "Chi bộ thôn Đông"
    assert secretary["capabilities"] == ["view", "manage_members", "import", "export"]
    committee = token_client("committee_c1").get(f"/api/v1/organizations/{k1.uuid}").json()
    assert committee["capabilities"] == ["view", "export"]
    assert committee["counts"]["total"] == 4 and committee["successor"] is None


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("staff_p2", "K1"),
        ("staff_p2", "P1"),
        ("secretary_k1", "K2"),
        ("staff_c1", "C2"),
        ("member_k1", "K1"),
        ("nobody", "K1"),
        ("staff_p1", "K4"),
    ],
)
def test_an_organization_outside_the_scope_is_404_without_data(token_client, world, username, code):
    org = world.org(code)
    client = token_client(username)
    for url in (f"/api/v1/organizations/{org.uuid}", f"/api/v1/organizations/{org.uuid}/children"):
        r = client.get(url)
        assert r.status_code == 404
        assert r.json() == {"detail": "Không tìm thấy."} or r.json() == {"detail": "Not found."}
        assert org.name not in r.content.decode()


def test_an_unknown_uuid_is_404_like_an_invisible_one(token_client, world):
    r = token_client("admin").get("/api/v1/organizations/00000000-0000-4000-8000-000000000000")
    assert r.status_code == 404


def test_children_come_by_kind_then_in_vietnamese_alphabetical_order(token_client, world):
    r = token_client("staff_p1").get(f"/api/v1/organizations/{world.org('P1').uuid}/children")
    assert r.status_code == 200
    assert [o["code"] for o in r.json()] == ["U1", "C2", "C1"]  # phường before xã
    c1 = next(o for o in r.json() if o["code"] == "C1")
    assert c1["counts"]["total"] == 6


def _new_cell(**overrides):
    return {
        "kind": "cell",
        "name": "Chi bộ thôn Bắc",
        "code": "K9",
        "cell_type": "village",
        "founded_on": "2024-05-01",
        "decision": "QĐ 12-QĐ/ĐU",
        **overrides,
    }


def test_staff_create_a_cell_under_a_committee(token_client, world):
    c1 = world.org("C1")
    r = token_client("staff_c1").post(
        "/api/v1/organizations", {"parent": str(c1.uuid), **_new_cell()}, content_type=JSON
    )
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["parent"] == str(c1.uuid) and data["province"] == str(world.org("P1").uuid)
    assert data["founded_on"] == "2024-05-01" and data["code"] == "K9"
    org = Organization.objects.get(uuid=data["uuid"])
    event = OrgEvent.objects.get(organization=org)
    assert event.kind == OrgEventKind.CREATED and event.decision == "QĐ 12-QĐ/ĐU"
    assert event.user == world.user("staff_c1")


def test_create_follows_the_charter_structure_and_code_uniqueness(token_client, world):
    client = token_client("staff_p1")
    k1 = str(world.org("K1").uuid)
    r = client.post("/api/v1/organizations", {"parent": k1, **_new_cell()}, content_type=JSON)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["detail"]] == ["kind"]
    c1 = str(world.org("C1").uuid)
    r = client.post(
        "/api/v1/organizations", {"parent": c1, **_new_cell(code="K2")}, content_type=JSON
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "code"
    r = client.post(
        "/api/v1/organizations", {"parent": c1, **_new_cell(cell_type="")}, content_type=JSON
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "cell_type"
    assert not Organization.objects.filter(name="Chi bộ thôn Bắc").exists()


def test_creating_needs_manage_structure_on_the_parent(token_client, world):
    c1 = str(world.org("C1").uuid)
    r = token_client("committee_c1").post(
        "/api/v1/organizations", {"parent": c1, **_new_cell()}, content_type=JSON
    )
    assert r.status_code == 403
    k1 = str(world.org("K1").uuid)
    r = token_client("secretary_k1").post(
        "/api/v1/organizations",
        {"parent": k1, **_new_cell(kind="party_group", cell_type="")},
        content_type=JSON,
    )
    assert r.status_code == 403
    r = token_client("staff_p2").post(
        "/api/v1/organizations", {"parent": c1, **_new_cell()}, content_type=JSON
    )
    assert r.status_code == 404
    assert not Organization.objects.filter(name="Chi bộ thôn Bắc").exists()


def test_staff_edit_code_and_founding_date(token_client, world):
    k2 = world.org("K2")
    r = token_client("staff_c1").patch(
        f"/api/v1/organizations/{k2.uuid}",
        {"code": "K2-new", "founded_on": "1999-12-31"},
        content_type=JSON,
    )
    assert r.status_code == 200, r.json()
    k2.refresh_from_db()
    assert (k2.code, k2.founded_on, k2.cell_type) == ("K2-new", dt.date(1999, 12, 31), "village")


def test_edit_refuses_a_taken_code_and_a_cell_without_type(token_client, world):
    k2 = world.org("K2")
    client = token_client("staff_p1")
    r = client.patch(f"/api/v1/organizations/{k2.uuid}", {"code": "K3"}, content_type=JSON)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "code"
    r = client.patch(f"/api/v1/organizations/{k2.uuid}", {"cell_type": ""}, content_type=JSON)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "cell_type"
    r = client.patch(
        f"/api/v1/organizations/{k2.uuid}", {"founded_on": "2999-01-01"}, content_type=JSON
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "founded_on"
    k2.refresh_from_db()
    assert (k2.code, k2.cell_type, k2.founded_on) == ("K2", "village", dt.date(2000, 1, 1))


def test_a_new_name_with_its_date_is_a_rename_in_history(token_client, world):
    k2 = world.org("K2")
    r = token_client("staff_p1").patch(
        f"/api/v1/organizations/{k2.uuid}",
        {"name": "Chi bộ thôn Tây Hòa", "effective_on": "2025-07-01", "decision": "NQ 5"},
        content_type=JSON,
    )
    assert r.status_code == 200, r.json()
    assert r.json()["name"] == "Chi bộ thôn Tây Hòa"
    event = OrgEvent.objects.get(organization=k2, kind=OrgEventKind.RENAMED)
    assert event.effective_on == dt.date(2025, 7, 1)
    assert event.data == {"old_name": "Chi bộ thôn Tây", "new_name": "Chi bộ thôn Tây Hòa"}


def test_a_rename_needs_its_date(token_client, world):
    k2 = world.org("K2")
    client = token_client("staff_p1")
    r = client.patch(f"/api/v1/organizations/{k2.uuid}", {"name": "Chi bộ mới"}, content_type=JSON)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "effective_on"
    r = client.patch(
        f"/api/v1/organizations/{k2.uuid}", {"effective_on": "2025-01-01"}, content_type=JSON
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "name"
    assert not OrgEvent.objects.filter(organization=k2, kind=OrgEventKind.RENAMED).exists()


def test_a_failed_rename_rolls_back_the_other_changes(token_client, world):
    k2 = world.org("K2")
    r = token_client("staff_p1").patch(
        f"/api/v1/organizations/{k2.uuid}",
        {"code": "K2-x", "name": "Chi bộ mới", "effective_on": "2999-01-01"},
        content_type=JSON,
    )
    assert r.status_code == 422
    k2.refresh_from_db()
    assert (k2.code, k2.name) == ("K2", "Chi bộ thôn Tây")


def test_the_same_name_is_not_a_rename(token_client, world):
    k2 = world.org("K2")
    r = token_client("staff_p1").patch(
        f"/api/v1/organizations/{k2.uuid}", {"name": "Chi bộ thôn Tây"}, content_type=JSON
    )
    assert r.status_code == 200
    assert not OrgEvent.objects.filter(organization=k2, kind=OrgEventKind.RENAMED).exists()


def test_read_only_and_cell_users_cannot_edit_structure(token_client, world):
    k1 = world.org("K1")
    for username in ("committee_c1", "secretary_k1"):
        r = token_client(username).patch(
            f"/api/v1/organizations/{k1.uuid}", {"code": "Z"}, content_type=JSON
        )
        assert r.status_code == 403
    r = token_client("staff_p2").patch(
        f"/api/v1/organizations/{k1.uuid}", {"code": "Z"}, content_type=JSON
    )
    assert r.status_code == 404
    k1.refresh_from_db()
    assert k1.code == "K1"


def test_every_signed_in_caller_lists_the_provinces_and_nothing_below(
    token_client, anon, world, django_assert_num_queries
):
    client = token_client("secretary_k1")
    client.get("/api/v1/provinces")
    with django_assert_num_queries(2):  # the token with its user, the provinces
        r = client.get("/api/v1/provinces")
    assert r.status_code == 200
    # Both provinces, though the secretary sees only their cell of P1.
    assert {p["code"] for p in r.json()} == {"P1", "P2"}
    assert set(r.json()[0]) == {"uuid", "code", "name"}
    assert anon.get("/api/v1/provinces").status_code == 401
