"""The summary report in a real browser: the commune's organization staff open the reports
page, ask for the monthly summary in Word, watch the job finish, and download the file."""

import io

import docx
import pytest
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_a_commune_user_writes_the_monthly_summary(page, live_server, signed_in, live_world):
    c1 = live_world.org("C1")
    signed_in("staff_c1")
    page.goto(f"{live_server.url}/reports/?org={c1.uuid}")
    form = page.locator("#summary-docx")
    expect(form.get_by_role("heading")).to_have_text("Báo cáo tổng hợp (Word)")
    expect(form.get_by_label("Tổ chức")).to_have_value(str(c1.uuid))
    form.get_by_label("Loại báo cáo").select_option("month")
    form.get_by_label("Tháng").select_option("6")
    form.get_by_label("Năm").fill("2025")
    form.get_by_role("button", name="Lập báo cáo tổng hợp").click()

    # The job page: the job runs inline under tests, so it is already finished.
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo tổng hợp (Word)")
    expect(page.get_by_role("status")).to_contain_text("Hoàn thành")
    page.screenshot(path=str(SCREENSHOTS / "summary-docx-job.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp về").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-tong-hop-06-2025-dang-bo-xa-an-binh.docx"
    document = docx.Document(io.BytesIO(open(download.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text
    assert "Tình hình sinh hoạt và hoạt động của các chi bộ tháng 06/2025" in text
    assert "I. TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN" in text
    header = [p.text for c in document.tables[0].rows[0].cells for p in c.paragraphs]
    assert "ĐẢNG ỦY XÃ AN BÌNH" in header and "ĐẢNG CỘNG SẢN VIỆT NAM" in header
