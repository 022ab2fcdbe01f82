"""Village posts in a real browser: the commune's organization-board staff record the cell
secretary as village head on the village page, then see it in the village-positions report."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_staff_record_a_village_head_and_the_report_counts_it(
    page, live_server, signed_in, live_world
):
    from organizations.models import Village

    c1 = live_world.org("C1")
    v1 = Village.objects.get(code="V1")
    signed_in("staff_c1")
    page.goto(f"{live_server.url}/org/villages/")
    page.get_by_role("link", name="Thôn Đông").first.click()
    section = page.locator("#posts")
    expect(section.get_by_role("heading", level=2)).to_have_text("Chức danh ở thôn")
    expect(section).to_contain_text("Chưa ghi nhận trưởng thôn")

    section.locator("#id_post-title").select_option(label="Trưởng thôn / tổ trưởng tổ dân phố")
    section.locator("#id_post-member").select_option(label="Nguyễn Văn Đức — Chi bộ thôn Đông")
    section.locator("#id_post-valid_from").fill("01/01/2024")
    section.get_by_role("button", name="Ghi nhận").click()
    expect(page.locator(".messages")).to_contain_text(
        "Đã ghi nhận Nguyễn Văn Đức là Trưởng thôn / tổ trưởng tổ dân phố"
    )
    row = page.locator("#posts tbody tr").first
    expect(row).to_contain_text("Nguyễn Văn Đức")
    expect(row).to_contain_text("01/01/2024")
    expect(row.get_by_role("button", name="Thôi giữ chức danh")).to_be_visible()
    assert v1.posts.count() == 1
    shot(page, "village-posts")
    # On a phone the posts table scrolls inside its frame; the page itself does not.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # The report of the commune: 1 of its 3 villages has a party member as head, and K1's
    # secretary (secretary_k1 is Nguyễn Văn Đức) is that village head.
    page.goto(f"{live_server.url}/reports/village-positions/?org={c1.uuid}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đảng viên giữ chức danh ở thôn, tổ dân phố"
    )
    expect(page.locator('#report-headline dd[data-key="head_member"]')).to_have_text(
        "1/3 (33,33 %)"
    )
    expect(page.locator('#report-headline dd[data-key="secretary_head"]')).to_have_text(
        "1/1 (100,00 %)"
    )
    expect(page.locator("#report-units")).to_contain_text("Chi bộ thôn Đông")
    shot(page, "village-positions")
