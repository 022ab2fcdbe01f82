"""The in-app guide in a real browser: a secretary opens it from the header, finds their role,
follows the month's guide to their own cell's meetings; on a phone nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_secretary_follows_the_guide_to_their_cells_meetings(signed_in, live_server, live_world):
    page = signed_in("secretary_k1")
    page.get_by_role("navigation", name="Trình đơn chính").get_by_role(
        "link", name="Hướng dẫn", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Hướng dẫn sử dụng", exact=True)).to_be_visible()
    mine = page.locator("#role-secretary")
    expect(mine).to_have_attribute("aria-current", "true")
    expect(mine).to_contain_text("Vai trò của bạn")
    expect(page.locator("#role-commune")).not_to_have_attribute("aria-current", "true")

    page.get_by_role("link", name="Một tháng sinh hoạt chi bộ, từng bước").first.click()
    expect(
        page.get_by_role("heading", name="Một tháng sinh hoạt chi bộ, từng bước", exact=True)
    ).to_be_visible()
    expect(page.locator("#step-attendance")).to_contain_text("Tất cả người chưa điểm danh")
    page.get_by_role("link", name="Lịch sinh hoạt của chi bộ tôi").click()
    k1 = live_world.org("K1")
    expect(page).to_have_url(re.compile(f"/meetings/cells/{k1.uuid}/calendar/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chi bộ thôn Đông")
    # The calendar's own "?" link leads back to the first step.
    page.get_by_role("link", name=re.compile("Hướng dẫn: một tháng")).click()
    expect(page).to_have_url(re.compile(r"/guide/thang/#step-plan$"))


def test_the_guide_fits_a_phone(signed_in, live_server):
    page = signed_in("secretary_k1")
    page.set_viewport_size({"width": 360, "height": 740})
    widths = {}
    for path in ("/guide/", "/guide/thang/", "/guide/trang/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        if path == "/guide/thang/":
            shot(page, "guide-phone")
    assert all(w <= 360 for w in widths.values()), widths
