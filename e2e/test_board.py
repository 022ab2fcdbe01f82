"""The compliance board in a real browser: the commune's organization-board staff (staff_c1)
open it from the commune's page and see Chi bộ thôn Đông not visited this quarter; once a
visit to it is reported, the board shows it visited. They remind the cell's secretary of the
missing regular meeting with one click, and the board says who was reminded and when. A
committee member reads the same board without reminder buttons. The monthly report lists the
visit with its shortcomings and is written as a Word file in the background.
"""

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser

SHORTCOMINGS = "Nội dung sinh hoạt còn chung chung"


def cell_col(page, cell, col):
    return page.locator(f'tr[data-cell="{cell.uuid}"] td[data-col="{col}"]')


def test_the_board_shows_a_visit_and_sends_a_reminder(page, live_server, signed_in, live_world):
    from oversight.models import Reminder, Visit, VisitKind, VisitStatus

    today = timezone.localdate()
    c1, k1 = live_world.org("C1"), live_world.org("K1")
    secretary = live_world.user("secretary_k1")
    secretary.email = "bithu.k1@example.vn"
    secretary.save()

    # 1. From the commune's page to its board: K1 has not been visited this quarter.
    signed_in("staff_c1")
    page.goto(live_server.url + c1.get_absolute_url())
    page.get_by_role("link", name="Bảng theo dõi sinh hoạt chi bộ").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Bảng theo dõi sinh hoạt chi bộ của Đảng bộ xã An Bình, tháng {today:%m/%Y}"
    )
    visits = cell_col(page, k1, "visits")
    expect(visits).to_have_attribute("data-state", "not_visited")
    expect(visits).to_contain_text("0/1")
    expect(visits).to_contain_text("chưa được dự")
    # No regular meeting this month: missed.
    expect(cell_col(page, k1, "regular")).to_have_attribute("data-state", "missing")

    # 2. A committee member's visit to K1 today is reported: the board shows it visited.
    Visit.objects.create(
        province_id=k1.province_id,
        cell=k1,
        visitor=live_world.user("committee_c1"),
        kind=VisitKind.SUPERVISOR,
        planned_on=today,
        status=VisitStatus.REPORTED,
        reported_on=today,
        observed_level="fair",
        shortcomings=SHORTCOMINGS,
    )
    page.reload()
    expect(visits).to_have_attribute("data-state", "visited")
    expect(visits).to_contain_text("1/1")

    # 3. Remind K1's secretary of the missing meeting: one e-mail, and the row says so.
    row = page.locator(f'tr[data-cell="{k1.uuid}"]')
    row.get_by_role("button", name="Nhắc việc").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi 1 thư nhắc việc về 1 chi bộ.")
    assert [m.to for m in mail.outbox] == [["bithu.k1@example.vn"]]
    assert "Chi bộ thôn Đông" in mail.outbox[0].body
    reminder = Reminder.objects.get(cell=k1)
    assert "regular" in reminder.topics
    expect(row.locator(".reminded")).to_contain_text(
        f"Đã nhắc lúc {timezone.localtime(reminder.sent_at):%d/%m/%Y}"
    )
    # Only the cells with a problem.
    page.get_by_label("Hiển thị").select_option("any")
    expect(page.locator("#board tbody tr[data-cell]")).to_have_count(2)
    shot(page, "compliance-board")

    # 4. The monthly report: the visit and what it found; the Word file, written in the background.
    page.get_by_role("link", name="Báo cáo kết quả dự sinh hoạt chi bộ hằng tháng").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Báo cáo kết quả dự sinh hoạt chi bộ tháng {today:%m/%Y}"
    )
    expect(page.locator("#report-visits")).to_contain_text("Chi bộ thôn Đông")
    expect(page.get_by_text(SHORTCOMINGS)).to_be_visible()
    expect(page.locator("#report-unvisited")).to_contain_text("Chi bộ thôn Tây")
    shot(page, "visit-month-report")
    page.get_by_role("button", name="Tệp Word (.docx)").click()
    expect(page.locator("#job-status")).to_contain_text("Hoàn thành")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp về").click()
    assert download.value.suggested_filename == f"bao-cao-du-sinh-hoat-chi-bo-{today:%m-%Y}.docx"

    # 5. A committee member reads the board, without reminder buttons.
    page.context.clear_cookies()
    signed_in("committee_c1")
    page.goto(f"{live_server.url}/oversight/committees/{c1.uuid}/board/")
    expect(cell_col(page, k1, "visits")).to_have_attribute("data-state", "visited")
    expect(page.get_by_role("button", name="Nhắc việc")).to_have_count(0)
    expect(page.get_by_role("button", name="Nhắc tất cả")).to_have_count(0)
