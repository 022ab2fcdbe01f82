"""An official transfer of party activity in a real browser, from K1 to K2 of the same commune.

The commune's organization-board staff (staff_c1) sees both cells: they start the transfer
from the member's page, record the introduction letter, receive it on the K2 side and
complete it. The member then appears in K2's member list and no longer in K1's.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def _status(page, text):
    expect(page.locator("h1 .badge")).to_have_text(text)


def test_staff_transfers_a_member_to_a_sibling_cell(signed_in, live_server, live_world, page):
    from django.urls import reverse
    from django.utils import timezone

    member = live_world.member("Lê Văn Nam", "K1")
    k1, k2 = live_world.org("K1"), live_world.org("K2")
    trigger = (timezone.localdate() - dt.timedelta(days=10)).strftime("%d/%m/%Y")

    page = signed_in("staff_c1")
    page.goto(live_server.url + member.get_absolute_url())
    page.get_by_role("link", name="Chuyển sinh hoạt").click()
    expect(page.get_by_role("heading", name="Làm thủ tục chuyển sinh hoạt đảng")).to_be_visible()
    page.get_by_label("Hình thức chuyển").select_option("official")
    page.get_by_label(re.compile("^Lý do")).select_option("job")
    page.get_by_label("Chi tiết lý do").fill("Quyết định số 125-QĐ/UBND điều động về thôn Tây")
    page.get_by_label("Ngày quyết định / chuyển đi").fill(trigger)
    # The receiving cell is searched by name, without diacritics, as typed on a phone.
    page.get_by_label("Chi bộ tiếp nhận trong tỉnh").fill("thon tay")
    page.get_by_role("radio", name=re.compile("Chi bộ thôn Tây")).check()
    shot(page, "transfer-cell-picker")
    page.get_by_role("button", name="Bắt đầu chuyển sinh hoạt").click()
    _status(page, "Đang làm thủ tục")

    # The letter, issued by the commune's organization board (the defaults: today, 10 boxes).
    page.get_by_label("Số giấy giới thiệu").fill("15")
    page.get_by_label("Số đăng ký").fill("0042")
    page.get_by_label("Đã đóng đảng phí đến tháng").fill(timezone.localdate().strftime("%m/%Y"))
    page.get_by_role("button", name="Ghi giấy giới thiệu").click()
    _status(page, "Đã cấp giấy giới thiệu")
    expect(page.get_by_text("0042")).to_be_visible()

    # The K2 side receives the letter the member presents, then completes the transfer.
    page.get_by_role("button", name="Xác nhận tiếp nhận").click()
    _status(page, "Đã tiếp nhận")
    page.get_by_role("button", name="Hoàn tất chuyển sinh hoạt").click()
    _status(page, "Đã hoàn tất")
    expect(page.locator(".messages")).to_contain_text("Đã hoàn tất chuyển sinh hoạt đảng.")
    shot(page, "transfer-desktop")

    members = live_server.url + reverse("members:list")
    page.goto(f"{members}?org={k2.uuid}")
    expect(page.get_by_role("link", name="Lê Văn Nam")).to_be_visible()
    page.goto(f"{members}?org={k1.uuid}")
    expect(page.get_by_role("link", name="Nguyễn Văn Đức")).to_be_visible()
    expect(page.get_by_role("link", name="Lê Văn Nam")).to_have_count(0)

    # The list of the commune shows the finished transfer under "Chuyển đi".
    page.goto(live_server.url + reverse("transfers:org_list", args=[k1.parent_org().uuid]))
    expect(page.get_by_role("link", name="Lê Văn Nam")).to_be_visible()
