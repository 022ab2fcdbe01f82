import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from api.api import api
from organizations.models import Organization

OPERATIONS = [
    (method.upper(), path, op["operationId"])
    for path, ops in api.get_openapi_schema()["paths"].items()
    for method, op in ops.items()
]


def _fill(path, world):
    k1 = world.org("K1")
    member = world.member("Trần Thị Hoa", "K1")
    from organizations.models import Village

    return (
        path.replace("{org_uuid}", str(k1.uuid))
        .replace("{member_uuid}", str(member.uuid))
        .replace("{village_uuid}", str(Village.objects.get(code="V1").uuid))
    )


@pytest.mark.parametrize(("method", "path", "operation_id"), OPERATIONS)
def test_anonymous_calls_get_401_json_and_no_data(anon, world, method, path, operation_id):
    r = anon.generic(method, _fill(path, world), "{}", content_type="application/json")
    assert r.status_code == 401, operation_id
    assert r["Content-Type"].startswith("application/json")
    assert set(r.json()) == {"detail"}
    assert "Bearer" in r["WWW-Authenticate"]


def test_a_valid_token_authenticates_and_reports_the_user(token_client, world):
    r = token_client("secretary_k1").get("/api/v1/me")
    assert r.status_code == 200
    data = r.json()
    assert data["username"] == "secretary_k1"
    assert data["member"] == str(world.member("Nguyễn Văn Đức", "K1").uuid)
    [role] = data["roles"]
    assert role["role"] == "secretary"
    assert role["organization"] == str(world.org("K1").uuid)
    assert role["organization_name"] == "Chi bộ thôn Đông"
    assert role["valid_from"] == "2020-01-01" and role["active"] is True


def _client(raw):
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_revoked_token_is_refused(world):
    token, raw = ApiToken.issue(world.user("staff_p1"), "t")
    assert _client(raw).get("/api/v1/me").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    r = _client(raw).get("/api/v1/me")
    assert r.status_code == 401
    assert "staff_p1" not in r.content.decode()


def test_an_expired_token_is_refused(world):
    token, raw = ApiToken.issue(world.user("staff_p1"), "t")
    token.expires_at = timezone.now() - dt.timedelta(seconds=1)
    token.save()
    assert _client(raw).get("/api/v1/me").status_code == 401


def test_a_token_of_an_inactive_user_is_refused(world):
    user = world.user("staff_p1")
    _token, raw = ApiToken.issue(user, "t")
    user.is_active = False
    user.save()
    assert _client(raw).get("/api/v1/organizations").status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer chibo_wrong",
        "Token abc",
        "Basic YWRtaW46eA==",
        "Bearer " + "x" * 5000,
        "Bearer chibo_\x01abc",
    ],
)
def test_malformed_or_unknown_credentials_are_401(world, header):
    r = Client(headers={"Authorization": header}).get("/api/v1/me")
    assert r.status_code == 401
    assert isinstance(r.json()["detail"], str)


def test_a_bad_token_is_refused_even_with_a_logged_in_session(login, world):
    client = login("staff_p1")
    assert client.get("/api/v1/me").status_code == 200
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer chibo_revoked"})
    assert r.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    token, raw = ApiToken.issue(world.user("staff_p1"), "t")
    client = _client(raw)
    client.get("/api/v1/me")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    # Second call within the minute: token lookup, scope, roles; no UPDATE.
    with django_assert_num_queries(3):
        client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=2)


def test_the_session_authenticates_reads(login, world):
    r = login("committee_c1").get("/api/v1/organizations")
    assert r.status_code == 200
    assert r.json()["count"] > 0


def _session_client(world, username):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user(username))
    return client


def test_a_session_post_without_csrf_token_is_refused(world):
    client = _session_client(world, "staff_p1")
    r = client.post(
        "/api/v1/organizations",
        {
            "parent": str(world.org("C1").uuid),
            "kind": "cell",
            "name": "Chi bộ mới",
            "code": "KX",
            "cell_type": "village",
        },
        content_type="application/json",
    )
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]
    assert not Organization.objects.filter(code="KX").exists()


def test_a_session_post_with_the_csrf_token_is_accepted(world):
    client = _session_client(world, "staff_p1")
    client.get("/accounts/")  # sets the CSRF cookie, as any page does
    csrf = client.cookies["csrftoken"].value
    r = client.post(
        "/api/v1/organizations",
        {
            "parent": str(world.org("C1").uuid),
            "kind": "cell",
            "name": "Chi bộ mới",
            "code": "KX",
            "cell_type": "village",
        },
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert r.status_code == 201, r.json()


def test_a_token_post_needs_no_csrf_token(token_client, world):
    r = token_client("staff_p1").post(
        "/api/v1/organizations",
        {
            "parent": str(world.org("C1").uuid),
            "kind": "cell",
            "name": "Chi bộ mới",
            "code": "KX",
            "cell_type": "village",
        },
        content_type="application/json",
    )
    assert r.status_code == 201


def test_an_anonymous_post_is_401_not_a_csrf_error(world):
    r = Client(enforce_csrf_checks=True).post(
        "/api/v1/organizations", {}, content_type="application/json"
    )
    assert r.status_code == 401


def test_writes_are_attributed_to_the_token_user_in_history(token_client, world):
    member = world.member("Lê Văn Nam", "K1")
    r = token_client("secretary_k1").patch(
        f"/api/v1/members/{member.uuid}",
        {"member": {"status_note": "API"}},
        content_type="application/json",
    )
    assert r.status_code == 200, r.json()
    assert member.history.first().history_user == world.user("secretary_k1")
