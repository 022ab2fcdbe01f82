"""The admissions API: candidates' list and detail, and the pipeline's steps, within the scope."""

import json

import pytest

from admissions.models import Candidate, CellVote, Stage
from admissions.tests import targets

JSON = "application/json"


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
def checked(world):
    """K1's candidate, background-checked: the cell's vote is next."""
    return targets.advance(targets.new_candidate(world.org("K1")), Stage.CHECKED)


@pytest.fixture
def k4_candidate(world):
    return targets.new_candidate(world.org("K4"), name="Phan Thị Lan", sex="F")


def vote_body(n, votes_for=None):
    return {"on": "2023-08-10", "votes_for": n if votes_for is None else votes_for, "eligible": n}


# ---- list ------------------------------------------------------------------------------


def test_the_list_holds_the_scope_only(token_client, anon, world, checked, k4_candidate):
    r = token_client("secretary_k1").get("/api/v1/candidates")
    assert r.status_code == 200
    assert [i["uuid"] for i in r.json()["items"]] == [str(checked.uuid)]
    item = r.json()["items"][0]
    assert item["stage"] == "checked"
    assert item["organization"]["name"] == world.org("K1").name
    r = token_client("staff_p2").get("/api/v1/candidates")
    assert [i["uuid"] for i in r.json()["items"]] == [str(k4_candidate.uuid)]
    assert token_client("member_k1").get("/api/v1/candidates").json()["items"] == []
    assert anon.get("/api/v1/candidates").status_code == 401


def test_the_list_filters_by_organization_and_stage(token_client, world, checked):
    client = token_client("staff_p1")
    k2 = targets.new_candidate(world.org("K2"), name="Đào Văn Hải")
    r = client.get("/api/v1/candidates", {"org": str(world.org("K2").uuid)})
    assert [i["uuid"] for i in r.json()["items"]] == [str(k2.uuid)]
    r = client.get("/api/v1/candidates", {"stage": "listed"})
    assert [i["uuid"] for i in r.json()["items"]] == [str(k2.uuid)]
    assert client.get("/api/v1/candidates", {"stage": "closed"}).json()["count"] == 0
    assert client.get("/api/v1/candidates", {"stage": "all"}).json()["count"] == 2
    # Outside the scope: 404, as for anything else; a bad stage: 422.
    r = client.get("/api/v1/candidates", {"org": str(world.org("K4").uuid)})
    assert r.status_code == 404
    r = client.get("/api/v1/candidates", {"stage": "elected"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "stage"


def test_the_list_runs_a_constant_number_of_queries(
    token_client, world, django_assert_max_num_queries
):
    for i in range(5):
        targets.new_candidate(world.org("K1"), name=f"Ứng Viên {i}")
    client = token_client("staff_p1")
    client.get("/api/v1/me")
    for size in (1, 200):
        with django_assert_max_num_queries(4):
            r = client.get(f"/api/v1/candidates?page_size={size}")
        assert len(r.json()["items"]) == min(size, 5)


# ---- detail ----------------------------------------------------------------------------


def test_the_detail_for_the_cell_and_the_committee(token_client, anon, world, checked):
    checked.person.citizen_id = "001200012345"
    checked.person.save()
    r = token_client("secretary_k1").get(f"/api/v1/candidates/{checked.uuid}")
    assert r.status_code == 200
    d = r.json()
    assert d["person"]["citizen_id"] == "001200012345"
    assert d["stage"] == "checked"
    assert d["checked_by"] == "Đảng ủy xã"
    assert len(d["introducers"]) == 1
    # The secretary votes and may take someone off the list; the check was the committee's.
    assert d["steps"] == ["vote", "reject"]
    r = token_client("committee_c1").get(f"/api/v1/candidates/{checked.uuid}")
    assert r.status_code == 200
    assert r.json()["person"]["citizen_id"] != "001200012345"
    assert r.json()["steps"] == []
    r = token_client("staff_p2").get(f"/api/v1/candidates/{checked.uuid}")
    assert r.status_code == 404
    assert checked.person.full_name not in text(r)
    assert anon.get(f"/api/v1/candidates/{checked.uuid}").status_code == 401
    assert token_client("staff_p1").get("/api/v1/candidates/not-a-uuid").status_code == 422


def test_the_detail_runs_a_fixed_number_of_queries(
    token_client, world, checked, django_assert_max_num_queries
):
    client = token_client("staff_c1")
    client.get("/api/v1/me")
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/candidates/{checked.uuid}").status_code == 200


# ---- steps -----------------------------------------------------------------------------


def test_the_secretary_records_the_cells_vote(token_client, world, checked):
    n = len(targets.official_members(world.org("K1")))
    r = post(token_client("secretary_k1"), f"/candidates/{checked.uuid}/vote", vote_body(n))
    assert r.status_code == 200, r.content
    assert r.json()["stage"] == "voted"
    assert r.json()["votes"][0]["passed"] is True
    # The decision is the upper committee's, not the cell's.
    assert r.json()["steps"] == ["reject"]


def test_who_may_take_a_step(token_client, anon, world, checked):
    n = len(targets.official_members(world.org("K1")))
    path = f"/candidates/{checked.uuid}/vote"
    assert post(token_client("committee_c1"), path, vote_body(n)).status_code == 403
    r = post(token_client("staff_p2"), path, vote_body(n))
    assert r.status_code == 404
    assert checked.person.full_name not in text(r)
    assert post(anon, path, vote_body(n)).status_code == 401
    assert CellVote.objects.count() == 0
    # The background check's and the decisions' steps need a committee above the cell.
    targets.advance(checked, Stage.VOTED)
    decision = {
        "number": "45-QĐ/ĐU",
        "on": "2023-08-21",
        "by": "Ban Thường vụ Đảng ủy",
        "received_on": "2023-08-25",
    }
    path = f"/candidates/{checked.uuid}/decision"
    assert post(token_client("secretary_k1"), path, decision).status_code == 403
    r = post(token_client("staff_c1"), path, decision)
    assert r.status_code == 200, r.content
    assert r.json()["stage"] == "decided"
    assert r.json()["ceremony_deadline"]


def test_a_refused_step_is_a_422_and_writes_nothing(token_client, world, checked):
    client = token_client("secretary_k1")
    n = len(targets.official_members(world.org("K1")))
    # More in favour than members: the form's and service's rules, translated.
    r = post(client, f"/candidates/{checked.uuid}/vote", vote_body(n, n + 5), lang="en")
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"]
    # A missing field and a wrong date format: pydantic's errors, ours in wording.
    r = post(client, f"/candidates/{checked.uuid}/vote", {"on": "10/08/2023", "eligible": 1})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["detail"]} == {"on", "votes_for"}
    # A step for another stage: refused with the candidate's stage, in Vietnamese by default.
    r = post(
        client,
        f"/candidates/{checked.uuid}/sympathizer",
        {"resolution_no": "1", "on": "2023-03-20", "helper": str(checked.helper.uuid)},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "wrong_stage"
    assert r.json()["detail"][0]["msg"] == (
        "Bước này không còn là bước tiếp theo: quần chúng đang ở giai đoạn “Đã thẩm tra lý lịch”."
    )
    checked.refresh_from_db()
    assert checked.stage == Stage.CHECKED
    assert CellVote.objects.count() == 0


def test_members_are_named_by_uuid(token_client, world):
    listed = targets.new_candidate(world.org("K1"))
    client = token_client("secretary_k1")
    path = f"/candidates/{listed.uuid}/sympathizer"
    outsider = world.member("Bùi Văn Tâm", "K4")
    body = {"resolution_no": "05-NQ/CB", "on": "2023-03-20", "helper": str(outsider.uuid)}
    r = post(client, path, body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "helper"
    assert outsider.person.full_name not in text(r)
    helper = targets.official_members(world.org("K1"))[0]
    r = post(client, path, {**body, "helper": str(helper.uuid)})
    assert r.status_code == 200, r.content
    assert r.json()["helper"]["uuid"] == str(helper.uuid)
    assert Candidate.objects.get(pk=listed.pk).stage == Stage.SYMPATHIZER


def test_taking_someone_off_the_list(token_client, world, checked):
    r = post(
        token_client("secretary_k1"),
        f"/candidates/{checked.uuid}/reject",
        {"withdrawn": True, "on": "2023-09-01", "reason": "Chuyển đi nơi khác"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["stage"] == "withdrawn"
    assert r.json()["closed_at_stage"] == "checked"
    assert r.json()["steps"] == []
