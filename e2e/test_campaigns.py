"""An emulation campaign in a real browser: the commune's organization staff open "Phong trào
thi đua" from the menu, the province's "Tiết kiệm làm theo Bác", the month sheet of their
commune, record a month for a cell (Vietnamese numbers), then open the report by unit."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_commune_staff_record_a_month_then_read_the_report(
    signed_in, live_server, live_world, page
):
    from django.utils import timezone

    from campaigns.models import CampaignResult
    from campaigns.tests.targets import campaign_in

    today = timezone.localdate()
    month = today.replace(day=1)
    campaign = campaign_in(
        live_world, "P1", name="Tiết kiệm làm theo Bác", starts_on=dt.date(today.year, 1, 1)
    )
    k1, k2 = live_world.org("K1"), live_world.org("K2")
    CampaignResult.objects.create(
        province=live_world.org("P1"),
        campaign=campaign,
        organization=k2,
        month=month,
        amount_vnd=1_000_000,
        rice_kg=41,
        beneficiaries=5,
    )

    page = signed_in("staff_c1")
    page.get_by_role("navigation", name="Trình đơn chính").get_by_role(
        "link", name="Phong trào thi đua"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phong trào thi đua")
    page.get_by_role("link", name="Tiết kiệm làm theo Bác").click()
    page.get_by_role("link", name="Ghi kết quả tháng của Đảng bộ xã An Bình").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Kết quả tháng {month:%m/%Y}")
    # K2's month is already there.
    expect(page.get_by_label("Số tiền của Chi bộ thôn Tây (đồng)")).to_have_value("1000000")

    # A negative figure: nothing is saved, the row is named.
    page.get_by_label("Số tiền của Chi bộ thôn Đông (đồng)").fill("4.400.000.000")
    page.get_by_label("Số gạo của Chi bộ thôn Đông (kg)").fill("19.700")
    page.get_by_label("Số người được Chi bộ thôn Đông giúp đỡ").fill("-2")
    page.get_by_role("button", name="Lưu bảng").click()
    expect(page.locator(".errorbox")).to_contain_text(
        "Chi bộ thôn Đông: số người được giúp đỡ không được âm."
    )
    assert not CampaignResult.objects.filter(organization=k1).exists()

    page.get_by_label("Số người được Chi bộ thôn Đông giúp đỡ").fill("2.020")
    page.get_by_role("button", name="Lưu bảng").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã lưu kết quả tháng {month:%m/%Y}")
    expect(page.locator("#campaign-summary")).to_contain_text("4.401.000.000 đ")
    expect(page.locator("#campaign-summary")).to_contain_text("19.741 kg")
    r = CampaignResult.objects.get(organization=k1)
    assert (r.amount_vnd, r.rice_kg, r.beneficiaries) == (4_400_000_000, 19_700, 2_020)
    shot(page, "campaigns-sheet")

    # The report by unit: the commune's cells, this campaign.
    page.get_by_role("link", name="Về phong trào").click()
    page.get_by_role("link", name="Báo cáo theo đơn vị").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phong trào thi đua")
    expect(page.locator('#report-headline dd[data-key="amount_vnd"]')).to_have_text("4.401.000.000")
    expect(page.locator('#report-headline dd[data-key="rice_kg"]')).to_have_text("19.741")
    expect(page.locator('#report-headline dd[data-key="beneficiaries"]')).to_have_text("2.025")
    expect(page.locator("#report-units")).to_contain_text("Chi bộ thôn Đông")
    expect(page.locator("#id_campaign")).to_have_value(str(campaign.uuid))
    shot(page, "campaigns")
