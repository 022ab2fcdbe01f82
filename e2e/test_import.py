"""Import in a real browser: a file with an error is refused with its row and column, then the fixed file goes in."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot
from spreadsheets.tests.conftest import member_file, member_row

pytestmark = pytest.mark.browser


def test_import_with_an_error_report_then_a_good_file(signed_in, live_server, tmp_path, settings):
    from members.models import Member

    settings.MEDIA_ROOT = tmp_path / "media"
    page = signed_in("staff_p1")
    bad = tmp_path / "dang-vien-loi.xlsx"
    bad.write_bytes(
        member_file(
            [
                member_row(),
                member_row(
                    full_name="Lò Văn Sáng",
                    dossier_no="100002TN",
                    citizen_id="",
                    card_no="",
                    birth_date="31/02/1991",
                ),
            ]
        )
    )
    good = tmp_path / "dang-vien.xlsx"
    good.write_bytes(
        member_file(
            [
                member_row(),
                member_row(
                    full_name="Lò Văn Sáng",
                    dossier_no="100002TN",
                    citizen_id="",
                    card_no="",
                    birth_date="28/02/1991",
                ),
            ]
        )
    )
    before = Member.objects.count()

    page.get_by_role("link", name="Excel", exact=True).click()
    section = page.locator("section", has=page.get_by_role("heading", name="Nhập đảng viên"))
    section.locator("input[type=file]").set_input_files(str(bad))
    section.get_by_role("button").last.click()
    expect(page.locator("body")).to_contain_text("chưa ghi dòng nào", timeout=15000)
    errors = page.locator("table").first
    expect(errors).to_contain_text("3")  # the row as Excel shows it
    expect(errors).to_contain_text("Ngày sinh")
    shot(page, "import-errors-desktop")
    assert Member.objects.count() == before

    page.get_by_role("link", name="Excel", exact=True).click()
    section = page.locator("section", has=page.get_by_role("heading", name="Nhập đảng viên"))
    section.locator("input[type=file]").set_input_files(str(good))
    section.get_by_role("button").last.click()
    expect(page.locator("body")).to_contain_text("Hoàn thành", timeout=15000)
    shot(page, "import-done-desktop")
    assert Member.objects.count() == before + 2
