"""The province board customizes the agenda of the regular meeting, in a real browser."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser

NEW_ITEM = "Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh"


def test_the_province_board_customizes_the_regular_agenda(signed_in, live_server, live_world):
    page = signed_in("staff_p1")
    page.goto(f"{live_server.url}{live_world.org('P1').get_absolute_url()}")
    page.get_by_role("link", name="Mẫu chương trình sinh hoạt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mẫu chương trình sinh hoạt")

    page.get_by_role(
        "button", name=re.compile(r"^Tùy chỉnh\s*: Sinh hoạt thường kỳ, Mọi loại hình chi bộ$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sinh hoạt thường kỳ")

    # Add an item to the proceedings: the new field has the focus, type into it.
    page.get_by_role("button", name="+ Thêm mục vào phần Tiến hành").click()
    focused = page.locator("textarea:focus")
    expect(focused).to_have_value("")
    focused.fill(NEW_ITEM)
    # Move it up one place with the keyboard: the button keeps the focus after the reload.
    number = focused.get_attribute("id").split("-")[1]
    page.get_by_role("button", name=f"Chuyển mục {int(number) + 1} lên").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Đã thay đổi, chưa lưu.")).to_be_visible()
    expect(page.locator(f"#item-{int(number) - 1}-title")).to_have_value(NEW_ITEM)
    shot(page, "agenda-template-edit-desktop")

    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu mẫu chương trình sinh hoạt.")).to_be_visible()
    regular = page.locator("#kind-regular article").first
    expect(regular).to_contain_text("Của tỉnh · đang áp dụng")
    regular.get_by_text("Xem các mục").click()
    expect(regular.get_by_text(NEW_ITEM)).to_be_visible()
    shot(page, "agenda-templates-desktop")


def test_the_editor_fits_a_phone(signed_in, live_server, live_world, page):
    from django.urls import reverse

    from meetings import agenda

    page.set_viewport_size({"width": 360, "height": 740})
    page = signed_in("staff_p1")
    p1 = live_world.org("P1")
    template = agenda.customize(p1, "regular", "village", dt.date(2025, 7, 1))
    page.goto(
        live_server.url + reverse("meetings:agenda_template_edit", args=[p1.uuid, template.pk])
    )
    first = page.locator("#item-0-title")
    expect(first).to_be_visible()
    # No sideways scrolling: the page is as wide as the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "agenda-template-edit-phone")
