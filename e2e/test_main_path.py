"""Main path in a real browser: log in → tree → search without accents → member page."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_staff_browses_the_tree_finds_a_member_without_accents_and_opens_the_record(
    signed_in, live_server
):
    page = signed_in("staff_p1")
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
    shot(page, "home-desktop")

    page.get_by_role("link", name="Tổ chức đảng").first.click()
    expect(page.get_by_role("heading", name="Tổ chức đảng")).to_be_visible()
    # Open the province, then the commune: children load on demand (HTMX).
    page.locator("summary", has_text="Đảng bộ tỉnh Thử Nghiệm").click()
    commune = page.locator("summary", has_text="Đảng bộ xã An Bình")
    expect(commune).to_be_visible()
    expect(commune).to_contain_text("6 đảng viên")
    commune.click()
    cell = page.locator("li", has_text="Chi bộ thôn Đông").last
    expect(cell).to_contain_text("sinh hoạt ghép")
    expect(cell).to_contain_text("Thôn Đông")
    shot(page, "tree-desktop")

    page.get_by_role("link", name="Đảng viên", exact=True).click()
    page.get_by_label("Họ tên (không cần gõ dấu)").fill("nguyen van duc")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Nguyễn Văn Đức")
    shot(page, "member-search-desktop")

    rows.first.get_by_role("link", name="Nguyễn Văn Đức").click()
    expect(page.get_by_role("heading", name=re.compile("Nguyễn Văn Đức"))).to_be_visible()
    expect(page.get_by_text("Quá trình sinh hoạt")).to_be_visible()
    expect(page.get_by_text("Lịch sử thay đổi")).to_be_visible()
    shot(page, "member-detail-desktop")


def test_secretary_on_a_phone_sees_only_their_cell(signed_in, live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page = signed_in("secretary_k1")
    page.goto(f"{live_server.url}/members/")
    expect(page.locator("tbody tr")).to_have_count(4)
    expect(page.locator("body")).not_to_contain_text("Hoàng Văn Bình")  # sibling cell
    shot(page, "member-list-phone")
