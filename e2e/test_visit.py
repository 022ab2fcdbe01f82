"""A supervisor's visit in a real browser: a commune committee member who follows a cell opens
their visit schedule from the meetings page, registers for the cell's meeting of today, files
the visit report; then the commune's staff see the cell visited this quarter on the compliance
board and on the committee's visits page.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser

STRENGTHS = "Chuẩn bị chu đáo, đúng quy trình ba bước"
SHORTCOMINGS = "Ít đảng viên trẻ phát biểu"
ADVICE = "Phân công đảng viên chuẩn bị ý kiến trước buổi sinh hoạt"


@pytest.fixture
def todays_meeting(live_world):
    """committee_c1 follows K1, whose extraordinary meeting is today at 07:00."""
    from meetings import followers
    from meetings import services as meeting_services

    k1 = live_world.org("K1")
    followers.assign_follower(k1, live_world.user("committee_c1"), dt.date(2025, 1, 1))
    at = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(7, 0)))
    return meeting_services.plan_meeting(
        k1, kind="extraordinary", scheduled_at=at, title="Sinh hoạt bất thường"
    )


def test_a_supervisor_files_a_visit_report_and_the_board_updates(
    page, live_server, signed_in, live_world, todays_meeting
):
    from oversight.models import Visit

    signed_in("committee_c1")
    page.get_by_role("navigation", name="Trình đơn chính").get_by_role(
        "link", name="Sinh hoạt"
    ).click()
    page.get_by_role("link", name="Lịch dự sinh hoạt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch dự sinh hoạt")
    row = page.locator("tr", has_text="Sinh hoạt bất thường")
    expect(row).to_contain_text("Chi bộ thôn Đông")
    shot(page, "visit-schedule")

    row.get_by_role("button", name="Đăng ký dự").click()
    expect(page.locator(".messages")).to_contain_text("đã đăng ký dự sinh hoạt Chi bộ thôn Đông")
    row = page.locator("tr", has_text="Sinh hoạt bất thường")
    expect(row.get_by_role("button", name="Đăng ký dự")).to_have_count(0)
    row.get_by_role("link", name="Đã đăng ký dự").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự sinh hoạt Chi bộ thôn Đông")
    page.get_by_role("link", name="Gửi báo cáo").click()
    page.get_by_label("Chất lượng qua dự").select_option("good")
    page.get_by_label("Ưu điểm").fill(STRENGTHS)
    page.get_by_label("Hạn chế, khuyết điểm").fill(SHORTCOMINGS)
    page.get_by_label("Kiến nghị, đề xuất").fill(ADVICE)
    shot(page, "visit-report-form")
    page.get_by_role("button", name="Gửi báo cáo").click()

    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo dự sinh hoạt")
    expect(page.locator("h1 .badge")).to_have_text("Đã báo cáo")
    expect(page.get_by_text(SHORTCOMINGS)).to_be_visible()
    shot(page, "visit-report")
    visit = Visit.objects.get(meeting=todays_meeting)
    assert (visit.status, visit.observed_level, visit.kind) == ("reported", "good", "supervisor")

    # The commune's staff see the cell visited this quarter.
    page.get_by_role("button", name="Đăng xuất").click()
    signed_in("staff_c1")
    c1 = live_world.org("C1")
    k1 = live_world.org("K1")
    page.goto(f"{live_server.url}/oversight/committees/{c1.uuid}/board/")
    cell = page.locator(f'tr[data-cell="{k1.uuid}"] td[data-col="visits"]')
    expect(cell).to_have_attribute("data-state", "visited")
    shot(page, "visit-board")

    page.goto(f"{live_server.url}{c1.get_absolute_url()}")
    page.get_by_role("link", name="Dự sinh hoạt các chi bộ").click()
    row = page.locator('#visits-due tr[data-cell="K1"]')
    expect(row).to_contain_text("đã dự")
    expect(page.locator('#visits-due tr[data-cell="K2"]')).to_contain_text("1")
    expect(page.locator("table").last).to_contain_text("Đã báo cáo")
