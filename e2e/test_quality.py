"""Meeting quality in a real browser: the province's organization board (staff_p1) installs the
provincial 100-point rubric; the secretary of Chi bộ thôn Đông (secretary_k1) scores the
September meeting once its minutes are approved — the criteria the data decides are filled in
with their reasons, the total follows what she types — then the commune's organization staff
(staff_c1) confirm it, lowering two criteria, and the confirmed level shows on the meeting page
and in the cell's year.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser

LEADERSHIP = (
    "Đánh giá kết quả lãnh đạo tháng qua và nêu nhiệm vụ tháng tới rõ ràng, có vấn đề trọng "
    "tâm để thảo luận"
)
NEWS = "Thông tin thời sự, quán triệt văn bản mới; nắm tình hình tư tưởng đảng viên, nhân dân"


def switch_user(page, signed_in, username):
    page.context.clear_cookies()
    return signed_in(username)


def approved_meeting(world):
    """K1's regular meeting of September 2025, held for 95 minutes, minutes approved."""
    from meetings import services

    k1 = world.org("K1")
    services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa",
        valid_from=dt.date(2025, 1, 1),
    )
    services.generate_regular_meetings(k1, dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    meeting = k1.meetings.get(period_year=2025, period_month=9, kind="regular")
    services.start(
        meeting,
        started_at=meeting.scheduled_at,
        chair=world.member("Nguyễn Văn Đức", "K1"),
        minutes_secretary=world.member("Trần Thị Hoa", "K1"),
    )
    services.mark_all_present(meeting)
    services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    services.approve_minutes(meeting)
    return meeting


def test_a_meeting_is_self_scored_then_confirmed(signed_in, live_server, live_world):
    from quality.models import Criterion, MeetingScore

    meeting = approved_meeting(live_world)

    # 0. The province's organization board installs the provincial 100-point sheet.
    page = signed_in("staff_p1")
    page.goto(live_server.url + live_world.org("P1").get_absolute_url())
    page.get_by_role("link", name="Tiêu chí đánh giá chất lượng sinh hoạt").click()
    expect(page.locator("main")).to_contain_text("Chưa có tiêu chí")
    page.get_by_label("Bảng điểm 100 điểm của tỉnh (Phú Thọ, Bình Thuận)").check()
    page.get_by_label("Có hiệu lực từ").fill("01/01/2025")
    page.get_by_role("button", name="Cài đặt", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "Đã cài đặt 2 bảng tiêu chí, có hiệu lực từ 01/01/2025."
    )
    page.get_by_role(
        "link", name="Bảng điểm đánh giá chất lượng sinh hoạt chi bộ thường kỳ"
    ).click()
    expect(page.locator("table")).to_contain_text("Trên 85% đảng viên có mặt")
    shot(page, "quality-rubric-desktop")

    # 1. The secretary opens the meeting and its score sheet.
    page = switch_user(page, signed_in, "secretary_k1")
    page.goto(live_server.url + meeting.get_absolute_url())
    panel = page.get_by_role("region", name="Chất lượng sinh hoạt", exact=True)
    expect(panel).to_contain_text("Chưa chấm điểm.")
    panel.get_by_role("link", name="Chấm điểm chất lượng").click()
    expect(page.locator("h1")).to_contain_text("Bảng chấm điểm chất lượng sinh hoạt")
    sheet = page.locator("table.score-sheet")
    expect(sheet).to_contain_text("Có mặt 3/3 = 100 % > 85 %")
    expect(sheet).to_contain_text("Sinh hoạt 95 phút (tối thiểu 90).")
    expect(sheet).to_contain_text("Không có tài liệu nào gửi đảng viên.")

    # 2. She gives full marks by hand; the total follows as she types (35 automatic + 45).
    inputs = page.locator("input[form='self-form']")
    expect(inputs).to_have_count(8)
    for i in range(inputs.count()):
        box = inputs.nth(i)
        box.fill(str(int(float(box.get_attribute("max")))))
    expect(page.locator("#self-total")).to_contain_text("80/100")
    expect(page.locator("#self-total")).to_contain_text("Khá")
    shot(page, "quality-self-score-desktop")
    page.get_by_role("button", name="Lưu điểm tự chấm").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu điểm tự chấm: 80 điểm, loại Khá.")
    expect(page.locator("dl.facts")).to_contain_text("chưa xác nhận")
    assert MeetingScore.objects.get(meeting=meeting).self_total == 80

    # 3. The commune's staff confirm, lowering two criteria: 65 points, average.
    page = switch_user(page, signed_in, "staff_c1")
    page.goto(live_server.url + meeting.get_absolute_url())
    page.get_by_role("link", name="Bảng chấm điểm chất lượng sinh hoạt").click()
    for text in (LEADERSHIP, NEWS):
        criterion = Criterion.objects.get(text=text, group__rubric__kind="regular")
        page.locator(f"#confirm-{criterion.pk}").fill("0")
    expect(page.locator("#confirm-total")).to_contain_text("65/100")
    page.get_by_label("Nhận xét của cấp trên").fill(
        "Chưa đánh giá rõ kết quả lãnh đạo tháng qua; chưa thông tin thời sự."
    )
    page.get_by_role("button", name="Xác nhận điểm").click()
    expect(page.locator(".messages")).to_contain_text("Đã xác nhận: 65 điểm, loại Trung bình.")
    shot(page, "quality-confirmed-desktop")

    # 4. The level shows on the meeting page and in the cell's year.
    page.get_by_role("link", name="Quay lại cuộc họp").click()
    panel = page.get_by_role("region", name="Chất lượng sinh hoạt", exact=True)
    expect(panel.locator(".badge").first).to_have_text("Trung bình")
    expect(panel).to_contain_text("cấp trên đã xác nhận")
    page.goto(live_server.url + f"/quality/cells/{live_world.org('K1').uuid}/year/?year=2025")
    row = page.locator("tbody tr", has_text="Tháng 9")
    expect(row.locator(".badge")).to_have_text("Trung bình")
    score = MeetingScore.objects.get(meeting=meeting)
    assert (score.self_total, score.confirmed_total, score.final_level) == (80, 65, "average")
