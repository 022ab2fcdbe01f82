"""Sign-in security on a phone (390 px): a commune's staff member, whose role needs the second
factor, signs in for the first time and is sent to the enrolment (QR code and key), confirms a
code computed here as the authenticator app would, keeps the backup codes; then signs in again
with a code of the app, and once more with a backup code."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from chibo.testing import PASSWORD
from e2e.conftest import shot

pytestmark = pytest.mark.browser


def code_for(secret: str, drift: int = 0) -> str:
    """What the authenticator app shows for this key (drift=1: the next 30-second code)."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, step=30, digits=6, drift=drift):06d}"


def password_step(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").first.click()
    expect(page.get_by_role("heading", name="Đăng nhập Chibo")).to_be_visible()


def test_enrolment_then_sign_in_with_a_code_and_with_a_backup_code(live_server, live_world, page):
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    password_step(page, base, "staff_c1")

    # Enrolment: before anything else.
    expect(page.get_by_role("heading", name="Cài đặt ứng dụng xác thực")).to_be_visible()
    expect(page.locator("svg.qr")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    assert all(len(group) == 4 for group in secret.split())
    page.goto(f"{base}/members/")
    expect(page.get_by_role("heading", name="Cài đặt ứng dụng xác thực")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "account-security-enrolment-phone")
    page.get_by_label("Mã xác thực").fill(code_for(secret))
    page.get_by_role("button", name="Xác nhận mã").click()

    # The ten backup codes, shown once.
    expect(page.get_by_role("heading", name="Mã dự phòng")).to_be_visible()
    codes = page.locator("#backup-codes li").all_inner_texts()
    assert len(codes) == 10
    shot(page, "account-security-backup-codes-phone")
    page.get_by_role("link", name="Tôi đã lưu lại, tiếp tục").click()
    expect(page).to_have_url(f"{base}/members/")
    log_out(page)

    # Again: the password, then a code of the app (the next one: the first was spent).
    password_step(page, base, "staff_c1")
    expect(page.get_by_role("heading", name="Mã xác thực")).to_be_visible()
    page.get_by_label("Mã xác thực").fill(code_for(secret, drift=1))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/accounts/")
    expect(page.get_by_text("Số mã dự phòng còn lại")).to_be_visible()
    log_out(page)

    # Without the phone: a backup code, once.
    password_step(page, base, "staff_c1")
    page.get_by_label("Mã xác thực").fill(codes[0])
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(f"{base}/")
    log_out(page)
    password_step(page, base, "staff_c1")
    page.get_by_label("Mã xác thực").fill(codes[0])
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert")).to_contain_text("đã được dùng")


def test_the_signed_in_fixture_passes_the_second_factor(signed_in, live_server, page):
    """Every other browser test signs in through the same two steps (e2e/conftest.py)."""
    signed_in("secretary_k1")
    response = page.goto(f"{live_server.url}/accounts/")
    assert response.status == 200
    expect(page.get_by_role("heading", name="Bảo mật đăng nhập")).to_be_visible()
