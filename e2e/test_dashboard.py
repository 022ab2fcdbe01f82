"""The secretary's landing page on a phone (390 px): the next meeting with what it still
lacks, the overdue items and the open tasks, in large type, nothing wider than the screen;
the next meeting opens in one tap."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_the_secretary_sees_what_needs_doing_today_on_a_phone(
    signed_in, live_server, live_world, page
):
    from meetings.models import AbsenceRequest, Meeting, Resolution, Task

    k1 = live_world.org("K1")
    today = timezone.localdate()
    day = today + dt.timedelta(days=4)
    nxt = Meeting.objects.create(
        province_id=k1.province_id,
        organization=k1,
        kind="regular",
        period_year=day.year,
        period_month=day.month,
        scheduled_at=timezone.make_aware(dt.datetime.combine(day, dt.time(19, 30))),
        place="Nhà văn hóa thôn Đông",
    )
    before = today - dt.timedelta(days=33)
    old = Meeting.objects.create(
        province_id=k1.province_id,
        organization=k1,
        kind="regular",
        status="approved",
        period_year=before.year,
        period_month=before.month,
        scheduled_at=timezone.make_aware(dt.datetime.combine(before, dt.time(19, 30))),
    )
    res = Resolution.objects.create(province_id=k1.province_id, meeting=old)
    Task.objects.create(
        province_id=k1.province_id,
        organization=k1,
        resolution=res,
        description="Hoàn thành làm đường bê tông liên thôn",
        assignee=live_world.member("Trần Thị Hoa", "K1"),
        due_date=today - dt.timedelta(days=2),
    )
    AbsenceRequest.objects.create(
        province_id=k1.province_id,
        meeting=nxt,
        member=live_world.member("Lê Văn Nam", "K1"),
        reason="Đi làm ăn xa",
    )

    page.set_viewport_size({"width": 390, "height": 844})
    signed_in("secretary_k1")
    page.goto(live_server.url + "/")
    cell = page.locator("section.dash-cell")
    expect(
        cell.get_by_role("heading", name="Chi bộ của đồng chí: Chi bộ thôn Đông")
    ).to_be_visible()
    expect(cell.get_by_text("Nhà văn hóa thôn Đông")).to_be_visible()
    expect(cell.get_by_text("dự thảo nghị quyết")).to_be_visible()
    expect(cell.get_by_text("Đơn xin vắng của đồng chí Lê Văn Nam")).to_be_visible()
    expect(cell.get_by_text("1 nhiệm vụ đã quá hạn")).to_be_visible()
    expect(cell.get_by_role("link", name="Hoàn thành làm đường bê tông liên thôn")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    # Large type: the body text is at least 16 px on a phone.
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16, size
    shot(page, "dashboard-secretary-phone")
    from django.utils import translation

    with translation.override("vi"):  # the page's language, whatever the test process has
        title = str(nxt.display_title)
    cell.get_by_role("link", name=title).first.click()
    expect(page).to_have_url(live_server.url + nxt.get_absolute_url())
    expect(page.locator("h1")).to_be_visible()
