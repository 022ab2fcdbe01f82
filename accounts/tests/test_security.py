"""Sign-in security (goals S5–S7): lockout per (username, IP), no user enumeration, the TOTP
second factor and backup codes, session timeouts, sessions ended on deactivation, exit or
transfer, re-authentication before exports and role changes, the password policy."""

import io
import re
import time

import pytest
from django.contrib.auth import base_user
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import security
from accounts.models import ApiToken, BackupCode, RoleAssignment, UserSession
from chibo.testing import PASSWORD
from spreadsheets.models import Job

LOGIN = "/accounts/login/"


def post_login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_USER_AGENT="UA"
    )


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


WRONG = "Tên đăng nhập hoặc mật khẩu chưa đúng"
LOCKED = "Đăng nhập sai quá nhiều lần"


def message_of(response) -> str:
    """The form's error paragraph (not the page's empty box for failed htmx requests)."""
    return re.search(r'<p[^>]*role="alert">(.*?)</p>', response.content.decode(), re.S).group(1)


# ---- lockout and enumeration (S5) --------------------------------------------------------------


def test_five_failures_lock_the_username_on_that_ip_only(client, world, record_property):
    record_property("S5.lockout_after_failures", 5)
    for attempt in range(4):
        response = post_login(client, "member_k1", "wrong-password")
        assert response.status_code == 200, attempt
        assert WRONG in message_of(response)
    fifth = post_login(client, "member_k1", "wrong-password")
    assert fifth.status_code == 429
    assert LOCKED in message_of(fifth)
    assert "15 phút" in message_of(fifth) and "Ban Tổ chức" in message_of(fifth)
    # Locked: even the right password is refused, and nobody is signed in.
    right = post_login(client, "member_k1")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another user on the same IP, and the same user from another IP, are not affected.
    assert post_login(client, "secretary_k1").status_code == 302
    client.logout()
    assert post_login(client, "member_k1", ip="10.0.0.2").status_code == 302


def test_unknown_users_get_the_same_messages_and_the_same_lockout(client, world):
    known = post_login(client, "member_k1", "wrong-password")
    unknown = post_login(client, "no_such_user", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert message_of(known) == message_of(unknown)
    for _n in range(3):
        post_login(client, "member_k1", "wrong-password")
        post_login(client, "no_such_user", "wrong-password")
    known, unknown = (
        post_login(client, "member_k1", "wrong-password"),
        post_login(client, "no_such_user", "wrong-password"),
    )
    assert known.status_code == unknown.status_code == 429
    assert message_of(known) == message_of(unknown)


def test_an_unknown_username_runs_the_password_hasher_too(client, world, monkeypatch):
    """No timing difference: Django's ModelBackend hashes the password of an unknown user."""
    calls = []
    real = base_user.make_password

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(base_user, "make_password", counting)
    post_login(client, "no_such_user", "wrong-password")
    assert calls


def test_the_lockout_cool_off_is_a_setting(client, world, settings):
    import datetime as dt

    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    for _n in range(5):
        response = post_login(client, "member_k1", "wrong-password")
    assert "30 phút" in message_of(response)


# ---- the second factor (S6) --------------------------------------------------------------------


def test_a_plain_member_signs_in_with_the_password_alone(client, world):
    response = post_login(client, "member_k1")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_role_without_a_device_must_enrol_before_anything_else(client, world):
    response = post_login(client, "staff_c1")
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    for url in ("/", "/members/", reverse("accounts:profile")):
        blocked = client.get(url)
        assert blocked.status_code == 302
        assert blocked["Location"].startswith(reverse("accounts:two_factor_setup"))
    # Logout stays possible.
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_a_qr_code_and_the_key_then_ten_backup_codes_stored_hashed(
    client, world, record_property
):
    user = world.user("staff_c1")
    post_login(client, "staff_c1")
    page = client.get(reverse("accounts:two_factor_setup"))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<svg width="' in body and "<script" not in body.split("<main", 1)[-1]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The key in groups of 4.
    assert (
        page.context["secret"].count(" ") == len(page.context["secret"].replace(" ", "")) // 4 - 1
    )
    # A wrong code: nothing is confirmed.
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(reverse("accounts:two_factor_setup"), {"code": code_of(device), "next": "/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    rows = list(BackupCode.objects.filter(user=user))
    assert len(rows) == 10
    stored = {r.code_hash for r in rows} | {r.salt for r in rows}
    assert not any(c.replace("-", "") in s for c in codes for s in stored)
    assert client.get("/").status_code == 200
    record_property("S6.backup_codes_hashed", len(rows))


def test_with_a_device_the_code_is_asked_after_the_password(client, world):
    device = enrol(world.user("staff_c1"))
    response = post_login(client, "staff_c1")
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.get("/members/").status_code == 302
    done = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_of(device), "next": "/"}
    )
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_totp_code_is_accepted_once(client, world):
    from django.test import Client

    device = enrol(world.user("staff_c1"))
    code = code_of(device)
    post_login(client, "staff_c1")
    assert client.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 302
    other = Client()
    post_login(other, "staff_c1")
    again = other.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert again.status_code == 200
    assert "đã được dùng" in again.content.decode()
    assert other.get("/").status_code == 302  # still not through


def test_a_backup_code_works_once(client, world):
    user = world.user("staff_c1")
    enrol(user)
    codes = BackupCode.regenerate(user)
    post_login(client, "staff_c1")
    ok = client.post(reverse("accounts:two_factor_verify"), {"code": codes[3].lower()})
    assert ok.status_code == 302
    assert BackupCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    client.logout()
    post_login(client, "staff_c1")
    again = client.post(reverse("accounts:two_factor_verify"), {"code": codes[3]})
    assert again.status_code == 200 and client.get("/").status_code == 302


def test_wrong_codes_are_throttled(client, world):
    device = enrol(world.user("staff_c1"))
    post_login(client, "staff_c1")
    client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    # Right away, even the right code waits (django-otp: 1, 2, 4… seconds after failures).
    waited = client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device)})
    assert "chờ vài giây" in waited.content.decode()


def test_backup_codes_can_be_regenerated_from_the_account_page(login, world):
    user = world.user("staff_c1")
    enrol(user)
    old = BackupCode.regenerate(user)
    client = login("staff_c1")
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:backup_codes_regenerate") in page
    response = client.post(reverse("accounts:backup_codes_regenerate"))
    assert len(response.context["codes"]) == 10
    assert not BackupCode.use(user, old[0])
    assert BackupCode.use(user, response.context["codes"][0])


def test_replacing_a_device_needs_a_verified_session(client, world):
    enrol(world.user("staff_c1"))
    post_login(client, "staff_c1")
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_the_second_factor_can_be_switched_off(client, world, settings):
    settings.CHIBO_REQUIRE_2FA = False
    assert post_login(client, "staff_c1")["Location"] == "/"
    assert client.get("/").status_code == 200


def test_production_refuses_to_run_without_it(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import chibo.settings as mod

    monkeypatch.setenv("CHIBO_ENV", "production")
    monkeypatch.setenv("CHIBO_REQUIRE_2FA", "false")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    with pytest.raises(ImproperlyConfigured, match="second factor"):
        importlib.reload(mod)
    monkeypatch.undo()
    importlib.reload(mod)


def test_the_api_refuses_a_half_signed_in_session_but_tokens_are_unaffected(client, world):
    user = world.user("staff_c1")
    post_login(client, "staff_c1")
    assert client.get("/api/v1/organizations").status_code == 401
    _token, raw = ApiToken.issue(user, "script")
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/organizations").status_code == 200


# ---- sessions (S7) -----------------------------------------------------------------------------


def test_login_gives_a_new_session_key_and_records_the_session(client, world):
    client.get(LOGIN)
    client.cookies["sessionid"] = "x" * 32
    post_login(client, "member_k1")
    key = client.session.session_key
    assert key != "x" * 32
    row = UserSession.objects.get(session_key=key)
    assert (row.user.username, row.ip, row.user_agent) == ("member_k1", "10.0.0.1", "UA")


def _age(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_the_idle_timeout_ends_the_session(login, world, record_property, settings):
    record_property("S7.idle_minutes", settings.CHIBO_SESSION_IDLE_MINUTES)
    record_property("S7.absolute_hours", settings.CHIBO_SESSION_ABSOLUTE_HOURS)
    client = login("member_k1")
    _age(client, sec_seen_at=31 * 60)
    response = client.get("/members/me/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn" in page


def test_the_absolute_timeout_ends_an_active_session(login, world):
    client = login("member_k1")
    _age(client, sec_login_at=8 * 3600 + 5, sec_seen_at=10)
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_active_session_lives_on_and_its_last_seen_moves(login, world, settings):
    client = login("member_k1")
    _age(client, sec_login_at=7 * 3600, sec_seen_at=29 * 60)
    assert client.get("/").status_code == 200
    assert time.time() - client.session["sec_seen_at"] < 5


def test_the_timeouts_are_settings(login, world, settings):
    settings.CHIBO_SESSION_IDLE_MINUTES = 5
    client = login("member_k1")
    _age(client, sec_seen_at=6 * 60)
    assert client.get("/").status_code == 302


def test_an_htmx_request_after_expiry_redirects_the_page(login, world):
    client = login("member_k1")
    _age(client, sec_seen_at=31 * 60)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(LOGIN)


def test_deactivating_a_user_ends_all_their_sessions(client, world):
    from django.test import Client

    other = Client()
    post_login(client, "member_k1")
    post_login(other, "member_k1", ip="10.0.0.9")
    keys = list(
        UserSession.objects.filter(user__username="member_k1").values_list("session_key", flat=True)
    )
    assert len(keys) == 2
    user = world.user("member_k1")
    user.is_active = False
    user.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert client.get("/").status_code == 302


def test_a_member_leaving_the_party_is_signed_out(login, world):
    from lifecycle.tests.test_decisions import decide

    client = login("member_k1")
    member = world.user("member_k1").member
    decide(member, "withdrawal")
    assert not UserSession.objects.filter(user__username="member_k1").exists()
    assert client.get("/").status_code == 302


def test_a_member_transferred_out_is_signed_out(login, world):
    from transfers import services
    from transfers.tests.factories import EFFECTIVE, received

    client = login("member_k1")
    transfer = received(world, who=("Trần Thị Hoa", "K1"), to=None)
    services.complete(transfer, effective_on=EFFECTIVE)
    assert not UserSession.objects.filter(user__username="member_k1").exists()
    assert client.get("/").status_code == 302


def test_the_account_page_lists_the_sessions_and_ends_the_others(client, world):
    from django.test import Client

    other = Client()
    post_login(other, "member_k1", ip="10.0.0.7")
    post_login(client, "member_k1")
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "10.0.0.7" in page and "10.0.0.1" in page
    response = client.post(reverse("accounts:end_other_sessions"))
    assert response.status_code == 302
    assert other.get("/").status_code == 302
    assert client.get("/").status_code == 200
    assert UserSession.objects.filter(user__username="member_k1").count() == 1


def test_the_session_list_is_the_users_own(client, world):
    post_login(client, "secretary_k1", ip="10.9.9.9")
    client.logout()
    post_login(client, "member_k1")
    assert "10.9.9.9" not in client.get(reverse("accounts:profile")).content.decode()


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for name in ("two_factor_setup", "two_factor_verify", "confirm", "password_change"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response["Location"].startswith(LOGIN), name
    for name in ("backup_codes_regenerate", "end_other_sessions"):
        assert client.post(reverse(f"accounts:{name}"))["Location"].startswith(LOGIN)


# ---- re-authentication (recent_auth) -----------------------------------------------------------


def stale(client):
    _age(client, sec_auth_at=11 * 60)


def test_an_export_post_without_a_recent_password_shows_the_confirm_page_and_writes_nothing(
    login, world
):
    client = login("staff_p1")
    stale(client)
    response = client.post(
        reverse("spreadsheets:export_members"), HTTP_REFERER="http://testserver/members/"
    )
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/confirm.html"
    assert response.context["next"] == "http://testserver/members/"
    assert not Job.objects.exists()
    confirmed = client.post(
        reverse("accounts:confirm"), {"password": PASSWORD, "next": "/members/"}
    )
    assert confirmed["Location"] == "/members/"
    assert client.post(reverse("spreadsheets:export_members")).status_code == 302
    assert Job.objects.count() == 1


def test_a_report_excel_export_redirects_to_the_confirm_page_and_back(login, world):
    client = login("staff_p1")
    url = reverse("reports:export", args=["structure"]) + f"?org={world.org('P1').uuid}"
    stale(client)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm") + "?next=")
    wrong = client.post(reverse("accounts:confirm"), {"password": "nope", "next": url})
    assert wrong.status_code == 200 and "Mật khẩu không đúng" in wrong.content.decode()
    back = client.post(reverse("accounts:confirm"), {"password": PASSWORD, "next": url})
    assert back["Location"] == url
    assert client.get(url).status_code == 200


def test_the_word_summary_and_the_oversight_report_need_a_recent_password(login, world):
    client = login("staff_p1")
    stale(client)
    p1 = world.org("P1")
    r1 = client.post(reverse("reports:summary_docx"), {"org": str(p1.uuid), "kind": "year"})
    r2 = client.post(reverse("oversight:report_export", args=[p1.uuid]), {"format": "docx"})
    assert r1.templates[0].name == r2.templates[0].name == "accounts/confirm.html"


def test_a_role_change_needs_a_recent_password(login, world):
    client = login("staff_c1")
    k1 = world.org("K1")
    before = RoleAssignment.objects.count()
    stale(client)
    assert client.get(reverse("accounts:org_roles", args=[k1.uuid])).status_code == 200
    response = client.post(
        reverse("accounts:org_roles", args=[k1.uuid]),
        {"username": "member_k1", "role": "deputy", "valid_from": "01/01/2026"},
    )
    assert response.templates[0].name == "accounts/confirm.html"
    assert RoleAssignment.objects.count() == before
    ra = RoleAssignment.objects.filter(organization=k1).first()
    response = client.post(reverse("accounts:end_role", args=[k1.uuid, ra.pk]))
    assert response.templates[0].name == "accounts/confirm.html"
    ra.refresh_from_db()
    assert ra.valid_to is None


def test_with_a_device_the_confirmation_needs_the_code_too(login, world):
    device = enrol(world.user("staff_p1"))
    client = login("staff_p1")
    stale(client)
    form = client.get(reverse("accounts:confirm"))
    assert "code" in form.context["form"].fields
    no_code = client.post(reverse("accounts:confirm"), {"password": PASSWORD, "next": "/"})
    assert no_code.status_code == 200
    ok = client.post(
        reverse("accounts:confirm"), {"password": PASSWORD, "code": code_of(device), "next": "/"}
    )
    assert ok.status_code == 302
    assert security.AUTH_AT in client.session


def test_the_confirm_page_does_not_redirect_off_site(login, world):
    client = login("member_k1")
    response = client.post(
        reverse("accounts:confirm"), {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:profile")


def test_wrong_confirmations_count_towards_the_lockout(login, world):
    client = login("member_k1")
    for _n in range(5):
        response = client.post(
            reverse("accounts:confirm"), {"password": "wrong", "next": "/"}, REMOTE_ADDR="10.1.1.1"
        )
    assert response.status_code == 429


# ---- password policy ---------------------------------------------------------------------------


def test_the_password_policy_speaks_vietnamese(login, world):
    client = login("member_k1")
    url = reverse("accounts:password_change")
    short = client.post(
        url, {"old_password": PASSWORD, "new_password1": "abc12", "new_password2": "abc12"}
    ).content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự" in short
    common = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    ).content.decode()
    assert "quá phổ biến" in common
    similar = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "member_k1x", "new_password2": "member_k1x"},
    ).content.decode()
    assert "quá giống" in similar
    assert world.user("member_k1").check_password(PASSWORD)


def test_changing_the_password_ends_the_other_sessions(client, world):
    from django.test import Client

    other = Client()
    post_login(other, "member_k1", ip="10.0.0.8")
    post_login(client, "member_k1")
    new = "Hoa-sen-no-ro-2026"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert UserSession.objects.filter(user__username="member_k1").count() == 1


def test_reset_two_factor_removes_the_device_and_the_codes_and_signs_out(client, world):
    from django.core.management import call_command

    user = world.user("staff_c1")
    device = enrol(user)
    BackupCode.regenerate(user)
    post_login(client, "staff_c1")
    client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device)})
    call_command("reset_two_factor", "staff_c1", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not BackupCode.objects.filter(user=user).exists()
    assert client.get("/").status_code == 302
    assert post_login(client, "staff_c1")["Location"].startswith(
        reverse("accounts:two_factor_setup")
    )


def test_the_account_page_says_when_the_second_step_is_off_for_a_role(login, world, settings):
    settings.CHIBO_REQUIRE_2FA = False
    body = login("staff_c1").get(reverse("accounts:profile")).content.decode()
    assert "máy chủ này đang tắt bước xác thực thứ hai" in body
    body = login("member_k1").get(reverse("accounts:profile")).content.decode()
    assert "máy chủ này đang tắt" not in body
    settings.CHIBO_REQUIRE_2FA = True
    body = login("staff_c1").get(reverse("accounts:profile")).content.decode()
    assert "máy chủ này đang tắt" not in body
