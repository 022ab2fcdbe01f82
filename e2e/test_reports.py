"""The structure report in a real browser: the province's organization-board staff open it from
the province's page, drill down to a commune, and download the Excel file."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_province_user_drills_down_and_exports(page, live_server, signed_in, live_world):
    p1, c1 = live_world.org("P1"), live_world.org("C1")
    signed_in("staff_p1")
    page.goto(live_server.url + p1.get_absolute_url())
    page.get_by_role("link", name="Báo cáo thống kê").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổ chức đảng và đảng viên")
    expect(page.locator("#report-headline")).to_contain_text("Chi bộ thôn độc lập")
    expect(page.locator("svg.chart").first).to_be_visible()

    # Drill down to the commune: its cells are the units below.
    page.locator("#report-units").get_by_role("link", name=c1.name).click()
    expect(page.locator(".lead")).to_contain_text(c1.name)
    expect(page.locator("#report-units")).to_contain_text("Chi bộ thôn Đông")
    # K1 covers two villages, K2 one: 1/2 independent.
    expect(page.locator('#report-headline dd[data-key="independent_cells"]')).to_have_text(
        "1/2 (50,00 %)"
    )

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert c1.name in [c.value for c in wb.worksheets[0]["A"]]
