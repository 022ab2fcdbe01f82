"""Browser tests in Debian's Chromium, driven by Playwright against a live server.

No browser download: Playwright launches /usr/bin/chromium (CHROMIUM_PATH). When it
is missing the tests are skipped with the reason printed; .ci/run installs it.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        skip = pytest.mark.skip(
            reason=f"Chromium not found at {CHROMIUM}: install Debian's chromium "
            "(apt-get install chromium) or set CHROMIUM_PATH"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page):
    """Every browser test fails on a Content-Security-Policy violation (an inline script,
    handler or style that chibo/security.py's policy blocked), reported in the console."""
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.csp_violations = violations  # e2e/test_csp.py reads and clears it
    yield page
    assert not violations, f"CSP violations: {violations}"


@pytest.fixture
def live_world(transactional_db, live_server):
    """The test world. Browser tests run last (see the root conftest): the first one
    finds the session's world, later ones rebuild it after the previous flush."""
    from chibo.testing import World, build_world
    from organizations.models import Organization

    if not Organization.objects.filter(code="P1").exists():
        build_world()
    return World()


def totp_code(device) -> str:
    """The code an authenticator app would show now for this django-otp TOTP device."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def signed_in(page, live_server, live_world):
    """signed_in("staff_p1") → the page, logged in through the login form. A user whose role
    needs the second factor gets a fresh authenticator first, and the fixture types its code
    on the second step, as the person would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.security import second_factor_required
    from chibo.testing import PASSWORD

    def _sign_in(username):
        user = User.objects.get(username=username)
        device = None
        if second_factor_required(user):
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="e2e", confirmed=True)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        if device is not None:
            page.get_by_label("Mã xác thực").fill(totp_code(device))
            page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_load_state()
        return page

    return _sign_in


def shot(page, name):
    """Save a screenshot into docs/screenshots (the gallery the docs link to)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
