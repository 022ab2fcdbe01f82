"""The transfers API: list and detail from either side, and the steps each side takes."""

import json

import pytest

from transfers.models import Transfer, TransferStatus
from transfers.tests import factories

JSON = "application/json"
LETTER = {
    "letter_type": "other",
    "letter_no": "15",
    "register_no": "0042",
    "issued_on": "2026-02-02",
    "issued_by": "Ban Tổ chức Đảng ủy xã An Bình",
    "dues_paid_until": "01/2026",
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
def to_k4(world):
    """Lê Văn Nam's official transfer from K1 (province P1) to K4 (province P2), started."""
    return factories.started(world, to="K4")


# ---- list and detail -------------------------------------------------------------------


def test_each_side_lists_the_transfer(token_client, anon, world, to_k4):
    for user in ("secretary_k1", "staff_p2", "admin"):
        r = token_client(user).get("/api/v1/transfers")
        assert r.status_code == 200
        assert [i["uuid"] for i in r.json()["items"]] == [str(to_k4.uuid)], user
    # The sending side sees the member's record; the receiving side only the name.
    assert token_client("secretary_k1").get("/api/v1/transfers").json()["items"][0]["member"]
    item = token_client("staff_p2").get("/api/v1/transfers").json()["items"][0]
    assert item["member"] is None
    assert item["member_name"] == "Lê Văn Nam"
    for user in ("member_k1", "nobody"):
        assert token_client(user).get("/api/v1/transfers").json()["items"] == []
    assert anon.get("/api/v1/transfers").status_code == 401


def test_the_list_filters(token_client, world, to_k4):
    client = token_client("staff_p2")
    k4 = str(world.org("K4").uuid)
    assert client.get("/api/v1/transfers", {"org": k4, "direction": "incoming"}).json()["count"]
    assert not client.get("/api/v1/transfers", {"org": k4, "direction": "outgoing"}).json()["count"]
    assert client.get("/api/v1/transfers", {"status": "open"}).json()["count"] == 1
    assert client.get("/api/v1/transfers", {"status": "completed"}).json()["count"] == 0
    r = client.get("/api/v1/transfers", {"org": str(world.org("K1").uuid)})
    assert r.status_code == 404
    r = client.get("/api/v1/transfers", {"direction": "sideways"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "direction"


def test_the_list_runs_a_constant_number_of_queries(
    token_client, world, django_assert_max_num_queries
):
    people = [
        ("Lê Văn Nam", "K1"),
        ("Trần Thị Hoa", "K1"),
        ("Hoàng Văn Bình", "K2"),
    ]
    for who in people:
        factories.started(world, to=None, who=who)
    client = token_client("staff_p1")
    client.get("/api/v1/me")
    for size in (1, 200):
        # Token, roles, count, page, and whose records the caller sees (two for a province).
        with django_assert_max_num_queries(6):
            r = client.get(f"/api/v1/transfers?page_size={size}")
        assert len(r.json()["items"]) == min(size, 3)


def test_the_detail(token_client, anon, world, to_k4, django_assert_max_num_queries):
    client = token_client("staff_c1")
    client.get("/api/v1/me")
    with django_assert_max_num_queries(5):
        r = client.get(f"/api/v1/transfers/{to_k4.uuid}")
    assert r.status_code == 200
    d = r.json()
    assert d["status"] == "started"
    assert d["to_org"]["name"] == world.org("K4").name
    # The committee above the sending cell issues the letter; either may cancel.
    assert d["steps"] == ["issue", "cancel"]
    assert token_client("secretary_k1").get(f"/api/v1/transfers/{to_k4.uuid}").json()["steps"] == [
        "cancel"
    ]
    assert token_client("staff_p2").get(f"/api/v1/transfers/{to_k4.uuid}").json()["steps"] == [
        "cancel"
    ]
    r = token_client("member_k1").get(f"/api/v1/transfers/{to_k4.uuid}")
    assert r.status_code == 404
    assert "Lê Văn Nam" not in text(r)
    assert anon.get(f"/api/v1/transfers/{to_k4.uuid}").status_code == 401


# ---- steps -----------------------------------------------------------------------------


def test_the_whole_transfer_through_the_api(token_client, world, to_k4):
    path = f"/transfers/{to_k4.uuid}"
    assert post(token_client("secretary_k1"), f"{path}/issue", LETTER).status_code == 403
    r = post(token_client("staff_c1"), f"{path}/issue", LETTER)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "letter_issued"
    assert r.json()["dues_paid_until"] == "2026-01-01"
    body = {"presented_on": "2026-02-10", "received_on": "2026-02-11"}
    # The sending side does not receive; the receiving province does.
    assert post(token_client("staff_c1"), f"{path}/receive", body).status_code == 403
    r = post(token_client("staff_p2"), f"{path}/receive", body)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "received"
    assert r.json()["steps"] == ["complete", "cancel"]


def test_who_may_cancel(token_client, anon, world, to_k4):
    path = f"/transfers/{to_k4.uuid}/cancel"
    body = {"reason": "Không chuyển nữa"}
    assert post(token_client("committee_c1"), path, body).status_code == 403
    assert post(token_client("member_k1"), path, body).status_code == 404
    assert post(anon, path, body).status_code == 401
    assert Transfer.objects.get(pk=to_k4.pk).status == TransferStatus.STARTED
    r = post(token_client("secretary_k1"), path, body)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "cancelled"
    assert r.json()["cancel_reason"] == "Không chuyển nữa"


def test_a_refused_step_is_a_422_and_writes_nothing(token_client, world, to_k4):
    client = token_client("staff_c1")
    path = f"/transfers/{to_k4.uuid}"
    # The form's rule (mm/yyyy) and the service's (not before the transfer started).
    r = post(client, f"{path}/issue", {**LETTER, "dues_paid_until": "2026-01"}, lang="en")
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "loc": ["body", "dues_paid_until"],
            "field": "dues_paid_until",
            "msg": "Enter a month as mm/yyyy, e.g. 01/2026.",
            "type": "invalid",
        }
    ]
    r = post(client, f"{path}/issue", {**LETTER, "issued_on": "2026-01-02"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "issued_on"
    # A step the state does not allow yet.
    r = post(
        token_client("staff_p2"),
        f"{path}/receive",
        {"presented_on": "2026-02-10", "received_on": "2026-02-11"},
    )
    assert r.status_code == 422
    # A missing field.
    r = post(client, f"{path}/cancel", {})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "reason"
    to_k4.refresh_from_db()
    assert to_k4.status == TransferStatus.STARTED
    assert to_k4.letter_no == ""
