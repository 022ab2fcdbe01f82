"""A member sees who viewed their record, in a real browser.

The commune's organization-board staff open a member's record; the member then signs in,
opens their own record, follows "Ai đã xem hồ sơ của tôi" and finds that reading: who, in
which role and organization, and when.
"""

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_member_sees_who_viewed_their_record(signed_in, live_server, live_world, page):
    from django.utils import timezone

    from audit.models import Action, AuditEntry

    hoa = live_world.member("Trần Thị Hoa", "K1")
    c1 = live_world.org("C1")

    page = signed_in("staff_c1")
    page.goto(live_server.url + hoa.get_absolute_url())
    expect(page.get_by_role("heading", name="Trần Thị Hoa")).to_be_visible()
    assert AuditEntry.objects.filter(action=Action.VIEW, member=hoa, username="staff_c1").exists()
    page.context.clear_cookies()

    page = signed_in("member_k1")
    page.goto(live_server.url + hoa.get_absolute_url())
    page.get_by_role("link", name="Ai đã xem hồ sơ của tôi").click()
    expect(page.get_by_role("heading", name="Ai đã xem hồ sơ của tôi")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text="staff_c1").first
    expect(row).to_contain_text("Cán bộ Ban Tổ chức")
    expect(row).to_contain_text(c1.name)
    expect(row).to_contain_text("Đã xem")
    expect(row).to_contain_text(timezone.localtime().strftime("%d/%m/%Y"))
    shot(page, "audit-who-viewed-my-record")
