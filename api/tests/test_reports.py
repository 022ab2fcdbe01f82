"""GET /api/v1/reports/{name}: raw counts and rates for the org and its direct children."""

import pytest
from django.test import Client

from accounts.models import ApiToken


def api(world, user):
    _t, raw = ApiToken.issue(world.user(user), "test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_structure_report_as_json(world):
    c1 = world.org("C1")
    r = api(world, "staff_p1").get(
        "/api/v1/reports/structure", {"org": c1.uuid, "from": "2025-06-01", "to": "2025-06-30"}
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["from"], data["to"]) == ("2025-06-01", "2025-06-30")
    assert data["organization"]["uuid"] == str(c1.uuid)
    assert data["total"]["cells"] == 2
    assert (
        data["total"]["independent_cells"] == 1 and data["total"]["independent_cells_rate"] == 50.0
    )
    assert {ch["organization"]["name"] for ch in data["children"]} == {
        "Chi bộ thôn Đông",
        "Chi bộ thôn Tây",
    }
    assert all(isinstance(ch["members"], int) for ch in data["children"])


def test_the_liaison_report_as_json(world):
    r = api(world, "staff_p1").get("/api/v1/reports/liaison-213", {"org": world.org("P1").uuid})
    assert r.status_code == 200
    assert r.json()["total"]["eligible"] == 1  # G1's official member, not yet introduced
    assert r.json()["total"]["introduced_rate"] == 0.0


@pytest.mark.parametrize(
    ("user", "code", "status"),
    [
        ("secretary_k1", "K1", 200),
        ("secretary_k1", "K2", 404),
        ("staff_p2", "P1", 404),
        ("member_k1", "K1", 404),
    ],
)
def test_scope(world, user, code, status):
    r = api(world, user).get("/api/v1/reports/structure", {"org": world.org(code).uuid})
    assert r.status_code == status


def test_unknown_report_and_anonymous(world):
    assert api(world, "admin").get("/api/v1/reports/nope").status_code == 404
    assert Client().get("/api/v1/reports/structure").status_code == 401
