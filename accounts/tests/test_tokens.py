import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, hash_token


def test_the_token_page_lists_only_my_tokens(login, world):
    ApiToken.issue(world.user("secretary_k1"), "báo cáo tháng")
    ApiToken.issue(world.user("staff_p1"), "someone else's")
    r = login("secretary_k1").get("/accounts/tokens/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "báo cáo tháng" in body and "someone else" not in body
    assert "/accounts/tokens/new/" in body


def test_the_token_page_needs_login(client, world):
    r = client.get("/accounts/tokens/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_creating_a_token_shows_it_once_uncached_and_it_works(login, world):
    client = login("secretary_k1")
    r = client.post("/accounts/tokens/new/", {"name": "script", "expires_in": "30"})
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    token = ApiToken.objects.get(user=world.user("secretary_k1"), name="script")
    raw = r.context["raw"]
    assert raw.startswith("chibo_") and raw in r.content.decode()
    assert hash_token(raw) == token.token_hash
    assert token.expires_at - timezone.now() > dt.timedelta(days=29)
    # The list never shows it again, only its prefix.
    listing = client.get("/accounts/tokens/").content.decode()
    assert raw not in listing and token.prefix in listing
    me = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    assert me.json()["username"] == "secretary_k1"


def test_a_token_needs_a_name(login, world):
    r = login("secretary_k1").post("/accounts/tokens/new/", {"name": "   ", "expires_in": ""})
    assert r.status_code == 200
    assert r.context["form"].errors["name"]
    assert not ApiToken.objects.filter(user=world.user("secretary_k1")).exists()


def test_a_token_without_expiry_never_expires(login, world):
    login("staff_p1").post("/accounts/tokens/new/", {"name": "forever", "expires_in": ""})
    assert ApiToken.objects.get(name="forever").expires_at is None


def test_revoking_my_token_stops_it_working(login, world):
    token, raw = ApiToken.issue(world.user("secretary_k1"), "old")
    client = login("secretary_k1")
    r = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert r.status_code == 302 and r["Location"] == "/accounts/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401
    assert "old" in client.get("/accounts/tokens/").content.decode()


def test_revoke_is_post_only(login, world):
    token, _raw = ApiToken.issue(world.user("secretary_k1"), "t")
    assert login("secretary_k1").get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_another_users_token_is_404(login, world):
    token, _raw = ApiToken.issue(world.user("staff_p1"), "theirs")
    r = login("staff_p2").post(f"/accounts/tokens/{token.pk}/revoke/")
    assert r.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_command_prints_the_token_last_and_it_works(world):
    out = StringIO()
    call_command("create_api_token", "secretary_k1", "--name", "cron", stdout=out)
    raw = out.getvalue().split()[-1]
    assert out.getvalue().startswith('Token for secretary_k1 (name "cron"): chibo_')
    assert ApiToken.objects.get(token_hash=hash_token(raw)).name == "cron"
    r = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/members")
    assert r.status_code == 200 and r.json()["count"] == 4


def test_the_command_names_tokens_cli_by_default(world):
    out = StringIO()
    call_command("create_api_token", "staff_p1", stdout=out)
    assert ApiToken.objects.get(token_hash=hash_token(out.getvalue().split()[-1])).name == "cli"


def test_the_command_refuses_an_unknown_user(world):
    with pytest.raises(CommandError):
        call_command("create_api_token", "ghost", stdout=StringIO())
    assert not ApiToken.objects.exists()
