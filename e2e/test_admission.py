"""Admitting a member in a real browser: the cell secretary lists a candidate and records the
cell's steps, the commune's organization-board staff record the background check and the
admission decision, the secretary records the ceremony, and the new probationary member is
on the cell's list."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def submit(page, button):
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def switch_user(page, signed_in, username):
    page.context.clear_cookies()
    return signed_in(username)


def test_a_candidate_goes_from_the_list_to_probationary_member(signed_in, live_server, live_world):
    page = signed_in("secretary_k1")
    page.goto(live_server.url + live_world.org("K1").get_absolute_url())
    page.get_by_role("link", name="Kết nạp đảng viên").click()
    expect(page.get_by_role("heading", name=re.compile("Kết nạp đảng viên"))).to_be_visible()
    page.get_by_role("link", name="Thêm quần chúng ưu tú").click()

    page.get_by_label("Họ và tên đang dùng").fill("Đỗ Minh Khôi")
    page.get_by_label("Giới tính").select_option(label="Nam")
    page.get_by_label("Ngày sinh").fill("15/01/2000")
    page.get_by_label("Ngày đưa vào danh sách").fill("03/03/2025")
    page.get_by_label("Tổ chức giới thiệu").fill("Chi đoàn thôn Đông")
    submit(page, "Đưa vào danh sách")
    expect(page.get_by_role("heading", name=re.compile("Đỗ Minh Khôi"))).to_contain_text(
        "Quần chúng ưu tú"
    )
    candidate_url = page.url

    # The cell's steps: sympathizer, class certificate, dossier.
    page.get_by_label("Số nghị quyết chi bộ").fill("05-NQ/CB")
    page.get_by_label("Ngày nghị quyết").fill("17/03/2025")
    page.get_by_label("Đảng viên giúp đỡ").select_option(label="Trần Thị Hoa")
    submit(page, "Công nhận cảm tình Đảng")
    expect(page.locator("h1")).to_contain_text("Cảm tình Đảng")

    page.get_by_label("Số giấy chứng nhận").fill("123/GCN")
    page.get_by_label("Ngày cấp giấy chứng nhận").fill("15/04/2025")
    page.locator("#certificate_issuer").fill("Trung tâm chính trị huyện")
    submit(page, "Ghi giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng")

    page.get_by_label("Ngày làm đơn xin vào Đảng").fill("05/05/2025")
    page.get_by_label("Ngày khai lý lịch").fill("06/05/2025")
    page.get_by_label("Người giới thiệu thứ nhất").select_option(label="Nguyễn Văn Đức")
    page.get_by_label("Người giới thiệu thứ hai").select_option(label="Trần Thị Hoa")
    since = page.get_by_label("Cùng công tác hoặc cư trú với người vào Đảng từ")
    since.nth(0).fill("01/01/2020")
    since.nth(1).fill("01/06/2021")
    submit(page, "Ghi hồ sơ xin vào Đảng")
    expect(page.locator("h1")).to_contain_text("Hồ sơ xin vào Đảng")
    # The background check is the committee's: the secretary waits for it.
    expect(page.get_by_text("Chờ cấp ủy cấp trên: Ghi kết quả thẩm tra lý lịch.")).to_be_visible()

    page = switch_user(page, signed_in, "staff_c1")
    page.goto(candidate_url)
    page.get_by_label("Ngày hoàn thành thẩm tra lý lịch").fill("02/06/2025")
    page.get_by_label("Đơn vị thẩm tra").fill("Đảng ủy xã An Bình")
    submit(page, "Ghi kết quả thẩm tra lý lịch")
    expect(page.locator("h1")).to_contain_text("Đã thẩm tra lý lịch")

    page = switch_user(page, signed_in, "secretary_k1")
    page.goto(candidate_url)
    page.get_by_label("Ngày biểu quyết").fill("10/06/2025")
    page.get_by_label("Số đảng viên chính thức tán thành").fill("2")
    page.get_by_label("Số đảng viên chính thức của chi bộ").fill("2")
    page.get_by_label("Số nghị quyết").fill("07-NQ/CB")
    submit(page, "Ghi kết quả chi bộ xét, đề nghị kết nạp")
    expect(page.locator("h1")).to_contain_text("Chi bộ đã đề nghị kết nạp")

    page = switch_user(page, signed_in, "staff_c1")
    page.goto(candidate_url)
    page.get_by_label("Số quyết định").fill("45-QĐ/ĐU")
    page.get_by_label("Ngày quyết định").fill("20/06/2025")
    page.get_by_label("Cấp quyết định").fill("Ban Thường vụ Đảng ủy xã An Bình")
    page.get_by_label("Ngày chi bộ nhận quyết định").fill("23/06/2025")
    submit(page, "Ghi quyết định kết nạp")
    expect(page.locator("h1")).to_contain_text("Đã có quyết định kết nạp")

    page = switch_user(page, signed_in, "secretary_k1")
    page.goto(candidate_url)
    page.get_by_label("Ngày lễ kết nạp").fill("01/07/2025")
    page.get_by_label("Số lý lịch").fill("900001TN")
    submit(page, "Ghi lễ kết nạp")
    expect(page.locator("h1")).to_contain_text("Đảng viên dự bị")
    expect(page.get_by_text("Đã kết nạp")).to_be_visible()
    expect(page.get_by_role("link", name="Hồ sơ đảng viên")).to_be_visible()
    shot(page, "admission-candidate-desktop")

    page.get_by_role("link", name=re.compile("Kết nạp đảng viên: Chi bộ thôn Đông")).click()
    expect(page.locator("tbody tr", has_text="Đỗ Minh Khôi")).to_contain_text("Đảng viên dự bị")
    shot(page, "admission-pipeline-desktop")

    page.goto(f"{live_server.url}/members/")
    row = page.locator("tbody tr", has_text="Đỗ Minh Khôi")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Dự bị")
    expect(row).to_contain_text("Chi bộ thôn Đông")
