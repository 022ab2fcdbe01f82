"""GET/POST /api/v1/villages/{uuid}/posts: a village's heads, recorded under the page's rules."""

import datetime as dt
import json

import pytest

from organizations import village_posts
from organizations.models import Village, VillagePost


@pytest.fixture
def v1(world):
    return Village.objects.get(code="V1")


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def url(village):
    return f"/api/v1/villages/{village.uuid}/posts"


def test_record_a_member_then_a_successor_and_list_them(token_client, world, v1):
    client = token_client("staff_c1")
    duc = world.member("Nguyễn Văn Đức", "K1")
    r = post(
        client,
        url(v1),
        {"title": "village_head", "member": str(duc.uuid), "valid_from": "2023-01-01"},
    )
    assert r.status_code == 201, r.content
    assert r.json() | {"id": 0} == {
        "id": 0,
        "title": "village_head",
        "holder_name": "Nguyễn Văn Đức",
        "member": str(duc.uuid),
        "party_member": True,
        "how": "elected",
        "valid_from": "2023-01-01",
        "valid_to": None,
    }
    r = post(
        client,
        url(v1),
        {
            "title": "village_head",
            "holder_name": "Bà Mới",
            "how": "acting",
            "valid_from": "2025-03-01",
        },
    )
    assert r.status_code == 201 and r.json()["party_member"] is False
    listed = token_client("committee_c1").get(url(v1)).json()
    assert [(p["holder_name"], p["valid_to"]) for p in listed] == [
        ("Bà Mới", None),
        ("Nguyễn Văn Đức", "2025-02-28"),
    ]


def test_refused_bodies_are_422_and_write_nothing(token_client, world, v1):
    client = token_client("staff_c1")
    village_posts.record_holder(v1, "village_head", dt.date(2024, 3, 1), holder_name="Bà Mới")
    base = {"title": "village_head", "valid_from": "2023-01-01"}
    cases = [
        ({**base, "holder_name": "Trùng"}, "valid_from"),  # before the current holder
        ({"title": "village_head", "valid_from": "2025-01-01"}, "holder_name"),  # nobody
        (
            {**base, "member": str(world.member("Bùi Văn Tâm", "K4").uuid)},
            "member",
        ),  # another province
        (
            {
                **base,
                "member": str(world.member("Nguyễn Văn Đức", "K1").uuid),
                "holder_name": "X",
            },
            "holder_name",
        ),
    ]
    for body, field in cases:
        r = post(client, url(v1), body)
        assert r.status_code == 422, (body, r.content)
        assert r.json()["detail"][0]["field"] == field, r.json()
    assert VillagePost.objects.count() == 1


@pytest.mark.parametrize(
    ("user", "status"),
    [("committee_c1", 403), ("secretary_k1", 404), ("staff_p2", 404)],
)
def test_who_may_record(token_client, world, v1, user, status):
    r = post(
        token_client(user),
        url(v1),
        {"title": "front_head", "holder_name": "X", "valid_from": "2025-01-01"},
    )
    assert r.status_code == status
    assert not VillagePost.objects.exists()
