"""The annual review and rating (QĐ 366) in a real browser: the commune's organization-board
staff (staff_c1) open the review of the year for Đảng bộ xã An Bình, a member (member_k1,
Trần Thị Hoa) hands in her self-review, the secretary of her cell (secretary_k1) records the
cell's proposal with its vote, and the commune decides. A score outside the band of the chosen
level is refused with the Vietnamese message and changes nothing.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def switch_user(page, signed_in, username):
    page.context.clear_cookies()
    return signed_in(username)


def submit(form, button):
    form.get_by_role("button", name=button, exact=True).click()
    form.page.wait_for_load_state()


def status(page, text):
    expect(page.locator("main .badge").first).to_have_text(text)


def test_a_member_is_rated_from_self_review_to_decision(signed_in, live_server, live_world):
    from django.utils import timezone

    from ratings.models import MemberReview, ReviewStatus

    year = timezone.localdate().year
    hoa = live_world.member("Trần Thị Hoa", "K1")

    # 1. The commune opens the review of the year (QĐ 366: scored on 100 points, cap 20 %).
    page = signed_in("staff_c1")
    page.goto(live_server.url + live_world.org("C1").get_absolute_url())
    page.get_by_role("link", name="Đánh giá, xếp loại").click()
    page.get_by_role("link", name="Bắt đầu đợt kiểm điểm").click()
    form = page.locator("main form")
    form.get_by_label("Năm").fill(str(year))
    form.get_by_label("Kỳ đánh giá").select_option(label="Cả năm")
    submit(form, "Bắt đầu kiểm điểm")
    # Mid-sentence the period is lower case; it starts the label of the list with a capital.
    expect(page.locator("h1")).to_have_text(f"Kiểm điểm năm {year}: Đảng bộ xã An Bình")
    expect(page.locator(".messages")).to_contain_text(
        f"Đã bắt đầu kiểm điểm năm {year}: 5 đảng viên cần xếp loại."
    )
    members = page.locator("table").nth(1)
    expect(members.locator("tbody tr", has_text="Phạm Thị Lan")).to_contain_text(
        "Không xếp loại Được miễn công tác và sinh hoạt đảng"
    )
    review_url = page.get_by_role("link", name="Trần Thị Hoa").get_attribute("href")
    page.get_by_role("link", name="Tất cả các đợt kiểm điểm").click()
    expect(page.get_by_role("link", name=f"Năm {year}")).to_be_visible()

    # 2. The member writes her self-review (form 2C: a village cell) and scores herself.
    page = switch_user(page, signed_in, "member_k1")
    page.goto(live_server.url + review_url)
    expect(page.locator("h1")).to_have_text(f"Kiểm điểm của Trần Thị Hoa, năm {year}")
    status(page, "Chờ bản tự kiểm điểm")
    form = page.locator("form[action$='/self/']")
    expect(form.get_by_label("Mẫu bản kiểm điểm")).to_have_value("2C")
    form.get_by_label("Kết quả thực hiện nhiệm vụ").fill(
        "Tham gia đầy đủ các buổi sinh hoạt chi bộ. Vận động 12 hộ hiến đất làm đường liên thôn."
    )
    form.get_by_label("Ưu điểm").fill("Gương mẫu, gần gũi quần chúng.")
    form.get_by_label("Hạn chế, khuyết điểm và nguyên nhân").fill(
        "Có lúc chưa mạnh dạn phê bình trong sinh hoạt chi bộ."
    )
    form.get_by_label("Phương hướng, biện pháp khắc phục").fill("Phát huy tự phê bình và phê bình.")
    form.get_by_label("Tự xếp loại").select_option(label="Hoàn thành tốt nhiệm vụ")
    form.get_by_label("Điểm tự chấm").fill("86")
    submit(form, "Lưu bản tự kiểm điểm")
    expect(page.locator(".messages")).to_contain_text("Đã lưu bản tự kiểm điểm.")
    status(page, "Đã tự kiểm điểm")
    shot(page, "rating-self-review-desktop")

    # 3. The secretary records the cell's proposal; a score below the band is refused first.
    page = switch_user(page, signed_in, "secretary_k1")
    page.goto(live_server.url + live_world.org("K1").get_absolute_url())
    page.get_by_role("link", name="Đánh giá, xếp loại").click()
    page.get_by_role("link", name=f"Năm {year}").click()
    expect(page.locator("h1")).to_have_text(f"Kiểm điểm năm {year}: Chi bộ thôn Đông")
    page.get_by_role("link", name="Trần Thị Hoa").click()
    form = page.locator("form[action$='/propose/']")
    expect(form.get_by_label("Mức chi bộ đề xuất")).to_have_value("good")
    form.get_by_label("Điểm", exact=True).fill("65")
    form.get_by_label("Số phiếu tán thành").fill("2")
    form.get_by_label("Số đảng viên có quyền biểu quyết").fill("2")
    form.get_by_label("Ý kiến nhận xét của chi bộ").fill("Chi bộ thống nhất với bản tự kiểm điểm.")
    submit(form, "Lưu đề xuất")
    form = page.locator("form[action$='/propose/']")
    expect(form.locator(".errorlist")).to_have_text(
        "Điểm 65,0 thuộc mức “Hoàn thành nhiệm vụ”: không thể xếp loại cao hơn. Các mức là từ "
        "90 trở lên, từ 70 đến dưới 90, từ 50 đến dưới 70 và dưới 50."
    )
    status(page, "Đã tự kiểm điểm")
    shot(page, "rating-proposal-error-desktop")
    review = MemberReview.objects.get(member=hoa)
    assert (review.status, review.score, review.cell_level) == (
        ReviewStatus.SELF_REVIEWED,
        None,
        "",
    )

    form.get_by_label("Điểm", exact=True).fill("84")
    submit(form, "Lưu đề xuất")
    expect(page.locator(".messages")).to_contain_text("Đã lưu đề xuất của chi bộ.")
    expect(page.locator("dl.facts").first).to_contain_text(
        "Hoàn thành tốt nhiệm vụ (84,0) — 2/2 phiếu"
    )

    # 4. The commune decides; raising the level above the score's band is refused.
    page = switch_user(page, signed_in, "staff_c1")
    page.goto(live_server.url + review_url)
    # Staff of the commune also manage the cell, so the proposal form is on the page too and
    # both forms have fields with the ids id_level and id_on: the decision's fields are
    # found by name.
    form = page.locator("form[action$='/decide/']")
    level = form.locator("select[name=level]")
    expect(level).to_have_value("good")
    form.get_by_label("Quyết định / ghi chú").fill("Quyết định số 05-QĐ/ĐU")
    submit(form, "Quyết định")
    expect(page.locator(".messages")).to_contain_text("Đã lưu quyết định xếp loại.")
    status(page, "Đã quyết định")

    form = page.locator("form[action$='/decide/']")
    form.locator("select[name=level]").select_option(label="Hoàn thành xuất sắc nhiệm vụ")
    submit(form, "Quyết định")
    form = page.locator("form[action$='/decide/']")
    expect(form.locator(".errorlist")).to_contain_text(
        "Điểm 84,0 thuộc mức “Hoàn thành tốt nhiệm vụ”: không thể xếp loại cao hơn."
    )
    review.refresh_from_db()
    assert (review.status, review.decided_level) == (ReviewStatus.DECIDED, "good")
    expect(page.locator("dl.facts").first).to_contain_text(
        re.compile(r"Mức được quyết định\s*Hoàn thành tốt nhiệm vụ")
    )
    shot(page, "rating-review-decided-desktop")

    page.get_by_role("link", name="Toàn bộ đợt kiểm điểm").click()
    row = page.locator("table").nth(1).locator("tbody tr", has_text="Trần Thị Hoa")
    expect(row).to_contain_text("Hoàn thành tốt nhiệm vụ")
    shot(page, "rating-cycle-desktop")
