"""Recording a month of party dues in a real browser, as a cell secretary does.

The secretary opens the cell's page, its "Đảng phí" grid, then this month's sheet: the
amounts each member paid last month are already there. One member is excused (the reason,
then the chip: saved at once with HTMX, the counts update), then "everyone not yet
recorded paid the amount shown" records the rest. The year's grid shows the month.
"""

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser

REASON = "Hoàn cảnh khó khăn, chi bộ đồng ý miễn"


def test_secretary_records_a_month_of_dues(signed_in, live_server, live_world, page):
    from django.utils import timezone

    from dues.models import DuesPayment
    from dues.tests.helpers import months_ago, pay

    today = timezone.localdate()
    this_month, last_month = today.replace(day=1), months_ago(today, 1)
    k1 = live_world.org("K1")
    paying = {"Nguyễn Văn Đức": 30000, "Trần Thị Hoa": 30000, "Lê Văn Nam": 20000}
    for name, amount in paying.items():
        pay(live_world.member(name, "K1"), last_month, amount)
    lan = live_world.member("Phạm Thị Lan", "K1")

    page = signed_in("secretary_k1")
    page.goto(live_server.url + k1.get_absolute_url())
    page.get_by_role("link", name="Đảng phí").click()
    expect(page.get_by_role("heading", name=f"Đảng phí năm {today.year}")).to_be_visible()
    page.get_by_role("link", name="Ghi đảng phí tháng này").click()
    expect(page.get_by_role("heading", name=f"Đảng phí tháng {this_month:%m/%Y}")).to_be_visible()
    # Last month's amounts are filled in.
    expect(page.get_by_label("Số tiền Lê Văn Nam đã nộp (đồng)")).to_have_value("20000")
    expect(page.locator("#dues-summary")).to_contain_text("Đã nộp 0/4")

    # The exception first: Lan is excused, with the reason; the row saves on its own.
    row = page.locator(f"#dues-row-{lan.pk}")
    row.get_by_label("Ghi chú hoặc lý do của Phạm Thị Lan").fill(REASON)
    row.get_by_label("Miễn nộp").check()
    expect(page.locator("#dues-summary")).to_contain_text("miễn nộp 1")
    assert DuesPayment.objects.get(member=lan, month=this_month).reason == REASON
    shot(page, "dues-month-sheet")

    # Then everyone else paid what is shown.
    page.get_by_role("button", name="Tất cả người chưa ghi đã nộp đúng số tiền đang hiện").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã lưu đảng phí tháng {this_month:%m/%Y}")
    expect(page.locator("#dues-summary")).to_contain_text("Đã nộp 3/4")
    expect(page.locator("#dues-summary")).to_contain_text("80.000 đ")
    recorded = {
        p.member.person.full_name: p.amount
        for p in DuesPayment.objects.filter(month=this_month, excused=False).select_related(
            "member__person"
        )
    }
    assert recorded == paying

    # The year's grid shows the month: three paid, one excused.
    page.get_by_role("link", name="Bảng cả năm").first.click()
    month_column = page.locator(f"table.dues-grid tbody tr td:nth-child({this_month.month + 1})")
    expect(month_column.locator(".dues-paid")).to_have_count(3)
    expect(month_column.locator(".dues-excused")).to_have_count(1)
    shot(page, "dues-year-grid")
