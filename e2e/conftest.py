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
def live_world(transactional_db, live_server):
    """The test world. Browser tests run last (see the root conftest): the first one
    finds the session's world, later ones rebuild it after the previous flush."""
    from chibo.testing import World, build_world
    from organizations.models import Organization

    if not Organization.objects.filter(code="P1").exists():
        build_world()
    return World()


@pytest.fixture
def signed_in(page, live_server, live_world):
    """signed_in("staff_p1") → the page, logged in through the login form."""
    from chibo.testing import PASSWORD

    def _sign_in(username):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        return page

    return _sign_in


def shot(page, name):
    """Save a screenshot into docs/screenshots (the gallery the docs link to)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
