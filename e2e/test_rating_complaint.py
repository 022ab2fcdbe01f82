"""A complaint about a decided rating, on a phone: the member (member_k1, Trần Thị Hoa) opens
her decided review at 390 px, disputes the level; a too-short reason is refused with the
Vietnamese message and nothing saved; the commune staff (staff_c1) answer by rating again.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_a_member_disputes_her_level_and_the_commune_rates_again(
    signed_in, live_server, live_world, page
):
    from ratings import services
    from ratings.models import MemberReview

    cycle = services.open_cycle(live_world.org("C1"), year=2025, by=live_world.user("staff_c1"))
    hoa = cycle.member_reviews.select_related("cycle", "cell").get(
        member=live_world.member("Trần Thị Hoa", "K1")
    )
    services.record_self_review(hoa, form_type="2C", results="Hoàn thành.", self_level="good")
    services.propose(hoa, level="good", score=82, votes_for=3, votes_eligible=4)
    services.decide(hoa, level="completed", note="QĐ 05-QĐ/ĐU")

    page.set_viewport_size({"width": 390, "height": 844})
    signed_in("member_k1")
    page.goto(live_server.url + hoa.get_absolute_url())
    page.get_by_text("Khiếu nại kết quả xếp loại").click()
    page.get_by_label("Nội dung khiếu nại và lý do").fill("ngắn")
    page.get_by_role("button", name="Gửi khiếu nại").click()
    expect(page.get_by_text("ít nhất 10 ký tự")).to_be_visible()
    assert MemberReview.objects.get(pk=hoa.pk).status == "decided"
    page.get_by_label("Nội dung khiếu nại và lý do").fill(
        "Tôi đã hoàn thành tốt mọi nhiệm vụ, đề nghị xem xét lại."
    )
    page.get_by_role("button", name="Gửi khiếu nại").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận khiếu nại")
    expect(page.get_by_text("Đang chờ cấp trên trả lời.")).to_be_visible()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "rating-complaint-phone")

    page.context.clear_cookies()
    signed_in("staff_c1")
    page.goto(live_server.url + hoa.get_absolute_url())
    page.get_by_label("Mức xếp loại sau khi giải quyết khiếu nại").select_option("good")
    page.get_by_label("Nội dung trả lời khiếu nại").fill("Chấp nhận khiếu nại, đánh giá lại.")
    page.get_by_role("button", name="Ghi nhận trả lời").click()
    expect(
        page.get_by_text(re.compile("Đã đánh giá lại: Hoàn thành nhiệm vụ → Hoàn thành tốt"))
    ).to_be_visible()
    shot(page, "rating-complaint-answered-phone")
