"""The residence-liaison API: list, detail and rates from either side, and the steps each side
takes (introduce or exempt, receive, exemption from activities, end, annual comment)."""

import datetime as dt
import json

import pytest

from accounts.models import Role, RoleAssignment, User
from chibo.testing import PASSWORD
from liaison import services
from liaison.models import AnnualComment, LiaisonNotice, LiaisonStatus, ResidenceLiaison
from liaison.tests.targets import make_member
from organizations import services as org_services
from organizations.models import CellType, OrgKind, Village

JSON = "application/json"
JULY = dt.date(2025, 7, 1)
ANSWERS = {
    "exemplary": "well",
    "policies": "well",
    "contact": "done",
    "activities": "well",
    "people": "done",
    "citizen_duties": "well",
}
COMMENT = {
    "year": 2025,
    **ANSWERS,
    "overall": "good",
    "commented_on": "2025-12-20",
    "front_opinion": "Nhất trí",
}


def post(client, path, body=None, lang=None):
    return client.post(
        f"/api/v1{path}",
        data=json.dumps(body or {}),
        content_type=JSON,
        headers={"Accept-Language": lang} if lang else {},
    )


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.fixture
def staff_u1(world):
    """Organization-board staff of U1, the committee above G1: the workplace side only."""
    user = User.objects.create_user(username="staff_u1", password=PASSWORD)
    RoleAssignment.objects.create(
        user=user, role=Role.ORG_STAFF, organization=world.org("U1"), valid_from=dt.date(2020, 1, 1)
    )
    return user


@pytest.fixture
def huy(world):
    """G1's member (provincial party office, an agency), living in village V1 of commune C1."""
    member = world.member("Đặng Quốc Huy", "G1")
    member.person.residence_village = Village.objects.get(code="V1")
    member.person.save()
    return member


@pytest.fixture
def introduced(world, huy):
    return services.introduce(
        huy, residence_commune=world.org("C1"), introduced_on=JULY, letter_no="15-GGT/ĐU"
    )


@pytest.fixture
def received(world, introduced):
    return services.receive(
        introduced, residence_cell=world.org("K1"), received_on=dt.date(2025, 7, 10)
    )


@pytest.fixture
def school(world):
    """S1, a school cell under commune C1: working members who live in K1's village."""
    return org_services.create_organization(
        parent=world.org("C1"),
        kind=OrgKind.CELL,
        name="Chi bộ Trường Tiểu học An Bình",
        code="S1",
        cell_type=CellType.SCHOOL,
        founded_on=dt.date(2000, 1, 1),
    )


def crowd(world, school, n):
    """n teachers of S1 living in V1: introduced, received, commented on 2025 (every other
    one as doing well), and n more not yet introduced."""
    v1 = Village.objects.get(code="V1")
    for i in range(n):
        teacher = make_member(school, f"Giáo Viên {i:02d}", village=v1)
        liaison = services.introduce(teacher, residence_commune=world.org("C1"), introduced_on=JULY)
        services.receive(liaison, residence_cell=world.org("K1"), received_on=JULY)
        services.record_comment(
            liaison,
            year=2025,
            answers=ANSWERS,
            overall="good" if i % 2 else "not_good",
            commented_on=dt.date(2025, 12, 1),
        )
        make_member(school, f"Chưa Giới Thiệu {i:02d}")


# ---- list, detail and rates ------------------------------------------------------------


def test_each_side_lists_the_liaison(token_client, anon, world, received, staff_u1):
    for user in ("staff_u1", "staff_c1", "committee_c1", "secretary_k1", "staff_p1", "admin"):
        r = token_client(user).get("/api/v1/liaisons")
        assert r.status_code == 200
        assert [i["uuid"] for i in r.json()["items"]] == [str(received.uuid)], user
    # The workplace and the province see the member's record; the residence only the name.
    assert token_client("staff_u1").get("/api/v1/liaisons").json()["items"][0]["member"]
    item = token_client("secretary_k1").get("/api/v1/liaisons").json()["items"][0]
    assert item["member"] is None
    assert item["member_name"] == "Đặng Quốc Huy"
    assert item["residence_cell"]["name"] == world.org("K1").name
    for user in ("member_k1", "staff_p2", "nobody"):
        assert token_client(user).get("/api/v1/liaisons").json()["items"] == []
    assert anon.get("/api/v1/liaisons").status_code == 401


def test_the_list_filters(token_client, world, received):
    client = token_client("staff_p1")
    c1, u1 = str(world.org("C1").uuid), str(world.org("U1").uuid)

    def count(**params):
        r = client.get("/api/v1/liaisons", params)
        assert r.status_code == 200, r.content
        return r.json()["count"]

    assert count(org=c1, side="residence") == 1
    assert count(org=c1, side="workplace") == 0
    assert count(org=u1, side="workplace") == 1
    assert count(org=u1) == 1
    assert count(status="received") == 1
    assert count(status="ended") == 0
    assert count(comment="not_commented", year=2025) == 1
    services.record_comment(
        received, year=2025, answers=ANSWERS, overall="good", commented_on=dt.date(2025, 12, 1)
    )
    assert count(comment="not_commented", year=2025) == 0
    assert count(comment="well", year=2025) == 1
    r = client.get("/api/v1/liaisons", {"year": 2025})
    assert r.json()["year"] == 2025 and r.json()["items"][0]["comment_overall"] == "good"
    r = token_client("secretary_k1").get("/api/v1/liaisons", {"org": u1})
    assert r.status_code == 404
    r = client.get("/api/v1/liaisons", {"side": "sideways"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "side"


def test_the_list_and_the_rates_run_a_constant_number_of_queries(
    token_client, world, school, received, django_assert_num_queries
):
    crowd(world, school, 3)
    client = token_client("staff_p1")
    client.get("/api/v1/me")
    rates = f"/api/v1/organizations/{world.org('C1').uuid}/liaison-rates"
    for size in (1, 200):
        # Token, roles, count, page.
        with django_assert_num_queries(4):
            r = client.get(f"/api/v1/liaisons?page_size={size}&year=2025")
        assert len(r.json()["items"]) == min(size, 4)
        # Token, roles, organization, workplace counts, residence counts, count, page.
        with django_assert_num_queries(7):
            r = client.get(f"{rates}?page_size={size}&year=2025")
        assert len(r.json()["items"]) == min(size, 3)


def test_the_rates(token_client, anon, world, school, received):
    crowd(world, school, 4)
    path = f"/api/v1/organizations/{world.org('C1').uuid}/liaison-rates"
    r = token_client("staff_c1").get(path, {"year": 2025})
    assert r.status_code == 200, r.content
    d = r.json()
    work, home = d["workplace"], d["residence"]
    assert (work["eligible"], work["introduced"], work["introduced_rate"]) == (8, 4, 50.0)
    # Huy (G1, another unit's worker) lives in C1 too: 5 received, 4 commented, 2 well.
    assert (home["received"], home["commented"], home["well"], home["well_rate"]) == (5, 4, 2, 50.0)
    assert d["count"] == 4 and all(i["can_introduce"] for i in d["items"])
    assert d["items"][0]["cell"]["name"] == school.name
    r = token_client("committee_c1").get(path)
    assert r.status_code == 200 and not any(i["can_introduce"] for i in r.json()["items"])
    assert token_client("staff_p2").get(path).status_code == 404
    assert token_client("secretary_k1").get(path).status_code == 404
    assert anon.get(path).status_code == 401
    assert token_client("staff_c1").get(path, {"year": 1990}).status_code == 422


def test_the_detail(token_client, anon, world, introduced, staff_u1, django_assert_num_queries):
    client = token_client("staff_c1")
    client.get("/api/v1/me")
    # Token, roles, the liaison, its comments, its notices.
    with django_assert_num_queries(5):
        r = client.get(f"/api/v1/liaisons/{introduced.uuid}")
    assert r.status_code == 200
    d = r.json()
    assert d["status"] == "introduced"
    assert d["residence_commune"]["name"] == world.org("C1").name
    assert d["residence_village"] == "Thôn Đông"
    assert d["letter_no"] == "15-GGT/ĐU"
    # Each side with its own steps, as on the page; a reader sees it without any.
    assert (d["sides"], d["steps"]) == (["residence"], ["receive", "activity_exemption", "end"])
    d = token_client("staff_u1").get(f"/api/v1/liaisons/{introduced.uuid}").json()
    assert (d["sides"], d["steps"]) == (["workplace"], ["activity_exemption", "end"])
    d = token_client("committee_c1").get(f"/api/v1/liaisons/{introduced.uuid}").json()
    assert (d["sides"], d["steps"]) == ([], [])
    r = token_client("member_k1").get(f"/api/v1/liaisons/{introduced.uuid}")
    assert r.status_code == 404
    assert "Đặng Quốc Huy" not in text(r)
    assert anon.get(f"/api/v1/liaisons/{introduced.uuid}").status_code == 401


# ---- steps -----------------------------------------------------------------------------


def test_the_whole_liaison_through_the_api(token_client, world, huy, staff_u1):
    path = f"/members/{huy.uuid}/liaison/introduce"
    body = {
        "residence_commune": str(world.org("C1").uuid),
        "introduced_on": "2025-07-01",
        "letter_no": "15-GGT/ĐU",
    }
    # The residence side does not introduce someone else's worker (it does not see them).
    assert post(token_client("staff_c1"), path, body).status_code == 404
    assert post(token_client("staff_p2"), path, body).status_code == 404
    r = post(token_client("staff_u1"), path, body)
    assert r.status_code == 201, r.content
    d = r.json()
    # The cell covering the member's village is proposed, as on the page.
    assert d["status"] == "introduced" and d["residence_cell"]["name"] == world.org("K1").name
    liaison = f"/liaisons/{d['uuid']}"
    body = {"residence_cell": str(world.org("K1").uuid), "received_on": "2025-07-10"}
    assert post(token_client("staff_u1"), f"{liaison}/receive", body).status_code == 403
    assert post(token_client("committee_c1"), f"{liaison}/receive", body).status_code == 403
    r = post(token_client("staff_c1"), f"{liaison}/receive", body)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "received"
    assert r.json()["steps"] == ["activity_exemption", "end", "comment"]
    # The residence cell's secretary comments (and does nothing else).
    secretary = token_client("secretary_k1")
    assert secretary.get(f"/api/v1{liaison}").json()["steps"] == ["comment"]
    r = post(secretary, f"{liaison}/comment", COMMENT)
    assert r.status_code == 201, r.content
    assert [(c["year"], c["overall"]) for c in r.json()["comments"]] == [(2025, "good")]
    r = post(
        token_client("staff_u1"),
        f"{liaison}/activity_exemption",
        {"exemption": "", "on": "2025-08-01"},
    )
    assert r.status_code == 422  # nothing to lift
    body = {"exemption": "mobile", "reason": "Công tác lưu động", "on": "2025-08-01"}
    r = post(token_client("staff_u1"), f"{liaison}/activity_exemption", body)
    assert r.status_code == 200, r.content
    assert r.json()["exempt_from_activities"] is True
    # The workplace ends it; the residence commune is told.
    body = {"reason": "moved", "on": "2025-09-01", "note": "Chuyển về xã khác"}
    assert post(secretary, f"{liaison}/end", body).status_code == 403
    r = post(token_client("staff_u1"), f"{liaison}/end", body)
    assert r.status_code == 200, r.content
    d = r.json()
    assert (d["status"], d["ended_by_side"], d["end_reason"]) == ("ended", "workplace", "moved")
    assert [n["to_org"]["name"] for n in d["notices"]] == [world.org("C1").name]
    assert d["steps"] == []
    # The residence cell may still comment on a year the member lived there.
    assert secretary.get(f"/api/v1{liaison}").json()["steps"] == ["comment"]


def test_the_workplace_records_a_member_not_introduced(token_client, world, huy, staff_u1):
    body = {"category": "secret_mission", "reason": "Nhiệm vụ đặc biệt", "on": "2025-07-01"}
    r = post(token_client("staff_u1"), f"/members/{huy.uuid}/liaison/exempt", body)
    assert r.status_code == 201, r.content
    d = r.json()
    assert (d["status"], d["exemption"], d["sides"], d["steps"]) == (
        "exempt",
        "secret_mission",
        ["workplace"],
        ["end"],
    )
    # Then nobody introduces them until the exemption ends; ending it sends no notice.
    body = {"residence_commune": str(world.org("C1").uuid), "introduced_on": "2025-07-02"}
    r = post(token_client("staff_u1"), f"/members/{huy.uuid}/liaison/introduce", body, lang="en")
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "Đặng Quốc Huy already has an open liaison."
    body = {"reason": "exemption_lifted", "on": "2025-08-01"}
    r = post(token_client("staff_u1"), f"/liaisons/{d['uuid']}/end", body)
    assert r.status_code == 200, r.content
    assert r.json()["notices"] == []


def test_a_village_cell_member_is_not_introduced(token_client, world):
    member = world.member("Trần Thị Hoa", "K1")
    body = {"residence_commune": str(world.org("C1").uuid), "introduced_on": "2025-07-01"}
    r = post(token_client("staff_c1"), f"/members/{member.uuid}/liaison/introduce", body, "en")
    assert r.status_code == 422
    assert "not a workplace cell" in r.json()["detail"][0]["msg"]
    r = post(token_client("secretary_k1"), f"/members/{member.uuid}/liaison/introduce", body)
    assert r.status_code == 403
    assert not ResidenceLiaison.objects.exists()


def test_who_may_take_each_step(token_client, anon, world, received, staff_u1):
    liaison = f"/liaisons/{received.uuid}"
    body = {"reason": "moved", "on": "2025-09-01"}
    assert post(token_client("committee_c1"), f"{liaison}/end", body).status_code == 403
    assert post(token_client("secretary_k1"), f"{liaison}/end", body).status_code == 403
    assert post(token_client("member_k1"), f"{liaison}/end", body).status_code == 404
    assert post(token_client("staff_p2"), f"{liaison}/end", body).status_code == 404
    assert post(anon, f"{liaison}/end", body).status_code == 401
    assert post(token_client("staff_u1"), f"{liaison}/comment", COMMENT).status_code == 403
    assert post(token_client("committee_c1"), f"{liaison}/comment", COMMENT).status_code == 403
    exemption = {"exemption": "mobile", "reason": "Lưu động", "on": "2025-08-01"}
    r = post(token_client("secretary_k1"), f"{liaison}/activity_exemption", exemption)
    assert r.status_code == 403
    received.refresh_from_db()
    assert (received.status, received.exemption) == (LiaisonStatus.RECEIVED, "")
    assert not AnnualComment.objects.exists()
    # The commune committee reports from the residence side; the workplace is told.
    r = post(token_client("staff_c1"), f"{liaison}/end", {**body, "side": "residence"})
    assert r.status_code == 200, r.content
    notice = LiaisonNotice.objects.get()
    assert (notice.from_org, notice.to_org) == (world.org("C1"), world.org("G1"))


def test_a_refused_step_is_a_422_and_writes_nothing(token_client, world, introduced, huy):
    client = token_client("staff_c1")
    liaison = f"/liaisons/{introduced.uuid}"
    # A cell of another commune: not one of the form's choices.
    body = {"residence_cell": str(world.org("K3").uuid), "received_on": "2025-07-10"}
    r = post(client, f"{liaison}/receive", body, lang="en")
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "residence_cell"
    # The service's rule: not before the introduction.
    body = {"residence_cell": str(world.org("K1").uuid), "received_on": "2025-06-30"}
    r = post(client, f"{liaison}/receive", body, lang="en")
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "loc": ["body", "received_on"],
            "field": "received_on",
            "msg": "The member was introduced on 01/07/2025: the receipt cannot come before.",
            "type": "invalid",
        }
    ]
    # The service's rule, renamed to the body's field.
    body = {"exemption": "mobile", "on": "2025-08-01"}
    r = post(client, f"{liaison}/activity_exemption", body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "reason"
    # A comment before the receipt; a side the caller does not act for; a missing field.
    r = post(client, f"{liaison}/comment", COMMENT)
    assert r.status_code == 422
    r = post(client, f"{liaison}/end", {"reason": "moved", "on": "2025-08-01", "side": "workplace"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "side"
    r = post(client, f"{liaison}/end", {"on": "2025-08-01"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "reason"
    # An unknown commune, and an exemption without its reason, on a new introduction.
    introduced.delete()
    path = f"/members/{huy.uuid}/liaison/introduce"
    staff = token_client("staff_p1")
    body = {"residence_commune": str(world.org("U1").uuid), "introduced_on": "2025-07-01"}
    r = post(staff, path, body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "residence_commune"
    body = {**body, "residence_commune": str(world.org("C1").uuid), "exemption": "barracks"}
    r = post(staff, path, body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "exemption_reason"
    assert not ResidenceLiaison.objects.exists()
    assert not LiaisonNotice.objects.exists()
