import datetime as dt

import pytest

from members.models import Member, Membership, MemberStatus, Person
from members.services import create_member
from organizations.models import Village

JSON = "application/json"


def names(response):
    return [m["full_name"] for m in response.json()["items"]]


def _give_citizen_id(member, cid):
    Person.objects.filter(pk=member.person_id).update(citizen_id=cid)


def test_staff_list_current_members_of_their_province_in_register_order(token_client, world):
    r = token_client("staff_p1").get("/api/v1/members")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 8
    # Given name first: Bình, Đức, Đức, Hoa, Huy, Lan, Mai, Nam.
    assert names(r) == [
        "Hoàng Văn Bình",
        "Nguyễn Văn Đức",
        "Nguyễn Văn Đức",
        "Trần Thị Hoa",
        "Đặng Quốc Huy",
        "Phạm Thị Lan",
        "Vũ Thị Mai",
        "Lê Văn Nam",
    ]
    hoa = next(m for m in data["items"] if m["full_name"] == "Trần Thị Hoa")
    assert hoa["organization"] == str(world.org("K1").uuid)
    assert hoa["organization_name"] == "Chi bộ thôn Đông"
    assert (hoa["sex"], hoa["birth_date"], hoa["status"]) == ("F", "1985-07-09", "official")


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("staff_p2", {"Bùi Văn Tâm"}),
        ("secretary_k1", {"Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Nam", "Phạm Thị Lan"}),
        (
            "committee_c1",
            {"Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Nam", "Phạm Thị Lan", "Hoàng Văn Bình"},
        ),
        ("member_k1", {"Trần Thị Hoa"}),
        ("nobody", set()),
    ],
)
def test_the_list_holds_exactly_the_callers_scope(token_client, world, username, expected):
    r = token_client(username).get("/api/v1/members?page_size=200&status=all")
    assert r.status_code == 200
    assert set(names(r)) == expected


def test_no_row_of_another_province_leaks_whatever_the_filters(token_client, world):
    client = token_client("staff_p1")
    k4 = world.org("K4")
    for query in ("q=bui van tam", "ethnicity=03", "status=all", "ethnicity=minority", "sex=M"):
        r = client.get(f"/api/v1/members?{query}&page_size=200")
        assert r.status_code == 200
        assert all(m["organization"] != str(k4.uuid) for m in r.json()["items"]), query
    assert client.get(f"/api/v1/members?org={k4.uuid}").status_code == 404


def test_filters_are_those_of_the_member_page(token_client, world):
    client = token_client("staff_p1")
    assert names(client.get("/api/v1/members?q=nguyen van duc")) == ["Nguyễn Văn Đức"] * 2
    assert names(client.get("/api/v1/members?q=Đức&org=" + str(world.org("K2").uuid))) == [
        "Nguyễn Văn Đức"
    ]
    assert names(client.get("/api/v1/members?status=probationary")) == ["Lê Văn Nam"]
    assert names(client.get("/api/v1/members?ethnicity=minority")) == ["Lê Văn Nam"]
    assert names(client.get("/api/v1/members?cell_type=agency")) == ["Đặng Quốc Huy"]
    assert names(client.get("/api/v1/members?age=71-")) == ["Phạm Thị Lan"]
    assert set(names(client.get("/api/v1/members?sex=F"))) == {
        "Trần Thị Hoa",
        "Phạm Thị Lan",
        "Vũ Thị Mai",
    }


def test_citizen_ids_are_masked_in_lists_even_for_the_cell_secretary(token_client, world):
    _give_citizen_id(world.member("Trần Thị Hoa", "K1"), "001185012345")
    r = token_client("secretary_k1").get("/api/v1/members?q=hoa")
    [hoa] = r.json()["items"]
    assert hoa["citizen_id"] == "001••••••345"
    assert "001185012345" not in r.content.decode()


def test_an_invalid_filter_is_422_naming_the_field(token_client, world):
    r = token_client("staff_p1").get(
        "/api/v1/members?age=7-8&status=zzz", headers={"Accept-Language": "en"}
    )
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["detail"]} == {"age", "status"}
    assert all(e["loc"][0] == "query" and e["msg"] for e in r.json()["detail"])


def test_the_list_runs_a_constant_number_of_queries(
    token_client, world, django_assert_max_num_queries
):
    k2 = world.org("K2")
    for i in range(40):
        create_member(
            person=Person(full_name=f"Người Thứ {i}", sex="M", birth_date=dt.date(1980, 1, 1)),
            member=Member(
                dossier_no=f"{900000 + i}TN",
                status=MemberStatus.OFFICIAL,
                ceremony_date=dt.date(2010, 1, 1),
                official_date=dt.date(2011, 1, 2),
            ),
            organization=k2,
            start_date=dt.date(2010, 1, 1),
        )
    client = token_client("staff_p1")
    client.get("/api/v1/me")
    for size in (1, 200):
        with django_assert_max_num_queries(5):
            r = client.get(f"/api/v1/members?page_size={size}")
        assert len(r.json()["items"]) == min(size, 48)


def test_the_record_holds_person_party_fields_and_periods(token_client, world):
    member = world.member("Trần Thị Hoa", "K1")
    r = token_client("staff_p1").get(f"/api/v1/members/{member.uuid}")
    assert r.status_code == 200
    data = r.json()
    assert data["person"]["full_name"] == "Trần Thị Hoa"
    assert data["person"]["residence_village"]["name"] == "Thôn Đông"
    assert data["dossier_no"] == member.dossier_no
    assert data["official_date"] == "2006-03-02"
    assert data["memberships"] == [
        {
            "organization": str(world.org("K1").uuid),
            "organization_name": "Chi bộ thôn Đông",
            "kind": "home",
            "start_date": "2005-03-01",
            "end_date": None,
            "note": "",
        }
    ]
    assert data["capabilities"] == ["view", "manage_members"]


@pytest.mark.parametrize(
    ("username", "full"),
    [
        ("secretary_k1", True),
        ("staff_p1", True),
        ("admin", True),
        ("committee_c1", False),
        ("member_k1", True),
    ],
)
def test_the_full_citizen_id_is_for_record_keepers_and_the_member_themselves(
    token_client, world, username, full
):
    member = world.member("Trần Thị Hoa", "K1")  # member_k1's own record
    _give_citizen_id(member, "001185012345")
    r = token_client(username).get(f"/api/v1/members/{member.uuid}")
    assert r.status_code == 200
    body = r.json()
    assert body["person"]["citizen_id"] == ("001185012345" if full else "001••••••345")
    assert body["citizen_id_masked"] is (not full)
    if not full:
        assert "001185012345" not in r.content.decode()


@pytest.mark.parametrize(
    ("username", "name", "cell"),
    [
        ("staff_p2", "Trần Thị Hoa", "K1"),
        ("secretary_k1", "Hoàng Văn Bình", "K2"),
        ("member_k1", "Nguyễn Văn Đức", "K1"),
        ("committee_c1", "Vũ Thị Mai", "K3"),
        ("staff_p1", "Bùi Văn Tâm", "K4"),
        ("nobody", "Trần Thị Hoa", "K1"),
    ],
)
def test_a_member_outside_the_scope_is_404_without_data(token_client, world, username, name, cell):
    member = world.member(name, cell)
    r = token_client(username).get(f"/api/v1/members/{member.uuid}")
    assert r.status_code == 404
    assert name not in r.content.decode() and member.dossier_no not in r.content.decode()


def _new_member(world, **person):
    return {
        "cell": str(world.org("K1").uuid),
        "start_date": "2024-06-01",
        "person": {
            "full_name": "Đỗ Văn Minh",
            "sex": "M",
            "birth_date": "1990-02-03",
            "citizen_id": "001090012345",
            "residence_village": str(Village.objects.get(code="V3").uuid),
            "phone": "0912 345 678",
            **person,
        },
        "member": {
            "dossier_no": "123456tn",
            "ceremony_date": "2024-06-01",
            "admission_decision_date": "2024-05-20",
        },
    }


def test_the_secretary_adds_a_member_to_their_cell(token_client, world):
    r = token_client("secretary_k1").post("/api/v1/members", _new_member(world), content_type=JSON)
    assert r.status_code == 201, r.json()
    data = r.json()
    member = Member.objects.get(uuid=data["uuid"])
    assert member.organization == world.org("K1") and member.status == "probationary"
    assert member.dossier_no == "123456TN"  # normalized like the form does
    assert member.person.phone == "0912345678"
    assert member.person.residence_village.code == "V3"
    assert data["person"]["citizen_id"] == "001090012345"
    assert Membership.objects.get(member=member).start_date == dt.date(2024, 6, 1)


def test_adding_checks_the_forms_rules_with_field_messages(token_client, world):
    client = token_client("secretary_k1")
    body = _new_member(world, citizen_id="001190012345", birth_date="2999-01-01")
    body["member"]["dossier_no"] = "12"
    r = client.post("/api/v1/members", body, content_type=JSON, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["detail"]}
    assert {"member.dossier_no", "person.birth_date"} <= fields
    assert all(e["msg"] for e in r.json()["detail"])
    assert not Person.objects.filter(full_name="Đỗ Văn Minh").exists()


def test_adding_refuses_identifiers_already_used_in_the_province(token_client, world):
    _give_citizen_id(world.member("Vũ Thị Mai", "K3"), "001090012345")
    body = _new_member(world)
    body["member"]["dossier_no"] = world.member("Vũ Thị Mai", "K3").dossier_no
    r = token_client("secretary_k1").post(
        "/api/v1/members", body, content_type=JSON, headers={"Accept-Language": "en"}
    )
    assert r.status_code == 422
    by_field = {e["field"]: e["msg"] for e in r.json()["detail"]}
    assert "dossier number" in by_field["member.dossier_no"]
    assert "citizen ID" in by_field["person.citizen_id"]
    # Another province may use the same numbers.
    k4_body = {**body, "cell": str(world.org("K4").uuid)}
    k4_body["person"] = {**body["person"], "residence_village": None}
    assert (
        token_client("staff_p2").post("/api/v1/members", k4_body, content_type=JSON).status_code
        == 201
    )


def test_a_village_of_another_province_is_refused(token_client, world):
    body = _new_member(world, residence_village=str(Village.objects.get(code="V4").uuid))
    r = token_client("secretary_k1").post("/api/v1/members", body, content_type=JSON)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "person.residence_village"


def test_adding_needs_manage_members_on_the_cell(token_client, world):
    body = _new_member(world)
    assert (
        token_client("committee_c1").post("/api/v1/members", body, content_type=JSON).status_code
        == 403
    )
    assert (
        token_client("member_k1").post("/api/v1/members", body, content_type=JSON).status_code
        == 404
    )
    assert (
        token_client("staff_p2").post("/api/v1/members", body, content_type=JSON).status_code == 404
    )
    k2 = {**body, "cell": str(world.org("K2").uuid)}
    assert (
        token_client("secretary_k1").post("/api/v1/members", k2, content_type=JSON).status_code
        == 404
    )
    assert not Person.objects.filter(full_name="Đỗ Văn Minh").exists()


def test_members_are_added_to_cells_only(token_client, world):
    body = {**_new_member(world), "cell": str(world.org("C1").uuid)}
    body["person"]["residence_village"] = None
    r = token_client("staff_p1").post("/api/v1/members", body, content_type=JSON)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "cell"


def test_edit_changes_only_the_fields_sent(token_client, world):
    member = world.member("Lê Văn Nam", "K1")
    r = token_client("secretary_k1").patch(
        f"/api/v1/members/{member.uuid}",
        {"person": {"phone": "0987654321", "youth_union": True}, "member": {"card_no": "12345678"}},
        content_type=JSON,
    )
    assert r.status_code == 200, r.json()
    member.refresh_from_db()
    member.person.refresh_from_db()
    assert (member.person.phone, member.person.youth_union, member.card_no) == (
        "0987654321",
        True,
        "12345678",
    )
    assert member.person.full_name == "Lê Văn Nam" and member.person.ethnicity == "02"
    assert member.person.residence_village.code == "V1"
    assert member.status == "probationary" and member.ceremony_date == dt.date(2025, 6, 1)


def test_edit_validates_like_the_form(token_client, world):
    member = world.member("Lê Văn Nam", "K1")
    client = token_client("secretary_k1")
    r = client.patch(
        f"/api/v1/members/{member.uuid}", {"member": {"status": "official"}}, content_type=JSON
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "member.official_date"
    taken = world.member("Trần Thị Hoa", "K1").dossier_no
    r = client.patch(
        f"/api/v1/members/{member.uuid}", {"member": {"dossier_no": taken}}, content_type=JSON
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "member.dossier_no"
    member.refresh_from_db()
    assert member.status == "probationary"


def test_a_member_who_left_has_their_periods_closed(token_client, world):
    member = world.member("Trần Thị Hoa", "K1")
    r = token_client("secretary_k1").patch(
        f"/api/v1/members/{member.uuid}",
        {"member": {"status": "left", "left_reason": "withdrawal", "status_date": "2025-02-01"}},
        content_type=JSON,
    )
    assert r.status_code == 200, r.json()
    assert r.json()["memberships"][0]["end_date"] == "2025-02-01"


def test_read_only_users_and_outsiders_cannot_edit(token_client, world):
    member = world.member("Trần Thị Hoa", "K1")
    body = {"person": {"phone": "0987654321"}}
    assert (
        token_client("committee_c1")
        .patch(f"/api/v1/members/{member.uuid}", body, content_type=JSON)
        .status_code
        == 403
    )
    # Her own record is readable by member_k1 but not editable.
    assert (
        token_client("member_k1")
        .patch(f"/api/v1/members/{member.uuid}", body, content_type=JSON)
        .status_code
        == 403
    )
    assert (
        token_client("staff_p2")
        .patch(f"/api/v1/members/{member.uuid}", body, content_type=JSON)
        .status_code
        == 404
    )
    k2 = world.member("Hoàng Văn Bình", "K2")
    assert (
        token_client("secretary_k1")
        .patch(f"/api/v1/members/{k2.uuid}", body, content_type=JSON)
        .status_code
        == 404
    )
    member.person.refresh_from_db()
    assert member.person.phone == ""


def test_editing_keeps_a_village_that_has_since_been_abolished(token_client, world):
    member = world.member("Lê Văn Nam", "K1")  # lives in Thôn Đông
    Village.objects.filter(code="V1").update(valid_to=dt.date(2025, 6, 30))
    r = token_client("secretary_k1").patch(
        f"/api/v1/members/{member.uuid}", {"person": {"phone": "0987654321"}}, content_type=JSON
    )
    assert r.status_code == 200, r.json()
    assert r.json()["person"]["residence_village"]["name"] == "Thôn Đông"
    # A new resident cannot be registered there any more.
    body = _new_member(world, residence_village=str(Village.objects.get(code="V1").uuid))
    r = token_client("secretary_k1").post("/api/v1/members", body, content_type=JSON)
    assert r.status_code == 422
