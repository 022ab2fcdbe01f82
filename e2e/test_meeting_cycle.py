"""The monthly meeting cycle in a real browser, through the buttons a cell secretary clicks.

The secretary sets the cell's schedule, prepares and announces next month's meeting; a
member asks to be excused and the secretary agrees; the meeting is opened, attendance
taken ("all present", then the exceptions), an opinion, a vote and a resolution with a
task recorded, and the minutes approved. The minutes PDF is rendered to an image and
read back; the following month's meeting then carries the review of that resolution.

Dates are relative to today (the app plans meetings from last year to two years
ahead): the meeting is on the 5th of next month, the review on the 5th of the month after.
"""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, shot

pytestmark = pytest.mark.browser

PLACE = "Nhà văn hóa thôn Đông"
DRAFT = "Vận động nhân dân làm đường bê tông liên thôn; thu quỹ đảng đúng hạn."
REASON = "Đi công tác huyện"
TASK = "Vận động các hộ hiến đất làm đường liên thôn"


def _months_ahead(day: dt.date, n: int) -> dt.date:
    """The 5th of the month n months after `day`."""
    month = day.month - 1 + n
    return dt.date(day.year + month // 12, month % 12 + 1, 5)


def _switch_user(page, signed_in, username):
    """Log out through the header button, then sign in as someone else."""
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    return signed_in(username)


def _assert_unique_ids(page):
    """Forms repeated on a page need their own ids, or a label points at another form's field."""
    ids = page.locator("[id]").evaluate_all("els => els.map(e => e.id)")
    assert not [i for i in set(ids) if ids.count(i) > 1]


def _status(page, text):
    expect(page.locator("h1 .badge")).to_have_text(text)


def _check_minutes_pdf(data: bytes, tmp_path):
    """The header text of the minutes, and page 1 rendered to PNG for the screenshots gallery."""
    pdftotext, pdftoppm = shutil.which("pdftotext"), shutil.which("pdftoppm")
    if not (pdftotext and pdftoppm):
        print("poppler-utils (pdftotext, pdftoppm) not installed: the minutes PDF is not read back")
        return
    pdf = tmp_path / "bien-ban.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(  # noqa: S603 (fixed arguments, our own file)
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "BIÊN BẢN" in text
    assert "CHI BỘ THÔN ĐÔNG" in text
    png = SCREENSHOTS / "minutes-pdf-page1"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)],
        check=True,
    )
    assert png.with_suffix(".png").stat().st_size > 10_000


def test_secretary_runs_a_monthly_meeting_and_next_month_reviews_its_resolution(
    signed_in, live_server, live_world, page, tmp_path
):
    from django.utils import timezone

    from meetings.agenda import REVIEW_TITLE

    today = timezone.localdate()
    day = _months_ahead(today, 1)
    next_day = _months_ahead(today, 2)
    when = f"{day:%d/%m/%Y}"

    # ---- 1. The secretary sets the schedule; next month's meeting is planned from it.
    page = signed_in("secretary_k1")
    page.get_by_role("link", name="Chi bộ thôn Đông").first.click()
    page.get_by_role("link", name="Lịch sinh hoạt định kỳ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chi bộ thôn Đông")
    page.get_by_label("Ngày trong tháng").fill("5")
    page.get_by_label(re.compile(r"^Giờ")).fill("19:30")
    page.get_by_label("Địa điểm").fill(PLACE)
    expect(page.get_by_label("Hiệu lực từ")).to_have_value(f"{day.replace(day=1):%d/%m/%Y}")
    expect(page.get_by_label("Lên lịch các kỳ sinh hoạt thường kỳ đến hết năm")).to_be_checked()
    page.get_by_role("button", name="Lưu lịch sinh hoạt").click()
    expect(page.locator(".messages")).to_contain_text("ngày 5 hằng tháng, lúc 19:30")
    page.get_by_role("link", name=f"{when} 19:30").click()

    title = f"Sinh hoạt thường kỳ tháng {day:%m/%Y}"
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    _status(page, "Dự kiến")
    meeting_url = page.url

    # Prepare: the committee's draft resolution; the proposed agenda is then saved.
    expect(page.get_by_text("Chương trình dự kiến", exact=False)).to_be_visible()
    page.get_by_label("Dự thảo nghị quyết chi ủy đã thống nhất").fill(DRAFT)
    page.get_by_role("button", name="Ghi nhận đã chuẩn bị").click()
    _status(page, "Đã chuẩn bị")
    expect(page.get_by_text("Chương trình dự kiến")).to_have_count(0)
    page.get_by_role("button", name="2. Gửi thông báo cho đảng viên").click()
    _status(page, "Đã gửi thông báo")
    expect(page.locator(".messages")).to_contain_text("Đã gửi thông báo")
    _assert_unique_ids(page)
    shot(page, "meeting-detail-desktop")

    # ---- 2. A member finds the meeting under "Sinh hoạt" and asks to be excused.
    page = _switch_user(page, signed_in, "member_k1")
    page.get_by_role("navigation", name="Trình đơn chính").get_by_role(
        "link", name="Sinh hoạt"
    ).click()
    page.get_by_role("link", name=title).click()
    page.get_by_label("Lý do vắng mặt").fill(REASON)
    page.get_by_role("button", name="Xin vắng mặt").click()
    own = page.locator(".panel", has_text=f"Trần Thị Hoa: {REASON}")
    expect(own).to_contain_text("Chờ xem xét")
    expect(own.get_by_role("button")).to_have_count(0)  # members do not decide
    expect(page.get_by_role("button", name="Xin vắng mặt")).to_have_count(0)  # asked once

    # The secretary agrees.
    page = _switch_user(page, signed_in, "secretary_k1")
    page.goto(meeting_url)
    request = page.locator(".panel", has_text=f"Trần Thị Hoa: {REASON}")
    request.get_by_role("button", name="Đồng ý", exact=True).click()
    expect(page.locator(".panel", has_text=f"Trần Thị Hoa: {REASON}")).to_contain_text("Đã đồng ý")

    # ---- 3. The meeting opens: chair, minutes secretary, the scheduled start.
    page.get_by_label("Giờ bắt đầu").fill(f"{when} 19:30")
    page.get_by_label("Chủ trì").select_option(label="Nguyễn Văn Đức")
    page.get_by_label("Thư ký").select_option(label="Lê Văn Nam")
    page.get_by_role("button", name="Khai mạc và điểm danh").click()

    # Attendance: the excused member is preset; "all present" marks the others.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Điểm danh")
    summary = page.locator("#att-summary")
    expect(summary).to_contain_text("Có mặt 0/3")
    expect(summary).to_contain_text("2 chưa điểm danh")
    page.get_by_role("button", name="Tất cả người chưa điểm danh đều có mặt").click()
    expect(summary).to_contain_text("Có mặt 2/3 (66,7%)")
    expect(summary).to_contain_text("vắng có lý do 1")

    # One exception, row by row: each change saves at once and the counts follow.
    nam = page.get_by_role("group", name="Điểm danh đồng chí Lê Văn Nam")
    nam.get_by_label("Vắng không lý do").check()
    expect(summary).to_contain_text("Có mặt 1/3 (33,3%)")
    expect(summary).to_contain_text("vắng không lý do 1")
    nam.get_by_label("Đến muộn").check()
    expect(summary).to_contain_text("Có mặt 2/3 (66,7%)")
    expect(summary).to_contain_text("vắng không lý do 0")
    page.reload()
    expect(
        page.get_by_role("group", name="Điểm danh đồng chí Lê Văn Nam").get_by_label("Đến muộn")
    ).to_be_checked()
    shot(page, "attendance-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "attendance-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # An opinion on the discussion item.
    page.get_by_role("link", name="Quay lại cuộc họp").click()
    item = page.locator("article.item", has_text="Đảng viên thảo luận, đóng góp ý kiến")
    item.get_by_text("Ghi ý kiến phát biểu").click()
    item.get_by_label("Người phát biểu").select_option(label="Lê Văn Nam")
    item.get_by_label("Ý kiến").fill("Đề nghị chia đoạn đường cho từng tổ đảng phụ trách.")
    item.get_by_role("button", name="Thêm").click()
    expect(page.locator("article.item", has_text="Đảng viên thảo luận")).to_contain_text(
        "Lê Văn Nam: Đề nghị chia đoạn đường"
    )
    _assert_unique_ids(page)

    # The vote: only official members present vote (the probationary member does not).
    votes = page.locator("#votes")
    votes.get_by_label("Tán thành", exact=True).fill("1")
    votes.get_by_label("Không tán thành").fill("0")
    votes.get_by_label("Không biểu quyết").fill("0")
    votes.get_by_role("button", name="Ghi kết quả biểu quyết").click()
    expect(page.locator("#votes")).to_contain_text("1/1 đảng viên tán thành (100,0%)")

    # The resolution, adopted by that vote, with one task.
    page.locator("#resolution").get_by_role("link", name="Ghi nghị quyết và nhiệm vụ").click()
    page.get_by_label("Trích yếu").fill("Nghị quyết sinh hoạt chi bộ tháng " + f"{day:%m/%Y}")
    expect(page.get_by_label("Nhiệm vụ, phương hướng tháng tới")).to_have_value(DRAFT)
    task = page.locator("fieldset", has=page.get_by_text("Nhiệm vụ 1", exact=True))
    task.get_by_label("Nhiệm vụ").fill(TASK)
    task.get_by_label("Người thực hiện").select_option(label="Lê Văn Nam")
    due = next_day - dt.timedelta(days=1)
    task.get_by_label("Thời hạn").fill(f"{due:%d/%m/%Y}")
    page.get_by_role("button", name="Ghi nghị quyết").click()
    resolution = page.locator("#resolution")
    expect(resolution).to_contain_text("01-NQ/CB")
    expect(resolution.locator("tbody tr")).to_have_count(1)
    expect(resolution.locator("tbody tr")).to_contain_text(TASK)
    expect(resolution.locator("tbody tr")).to_contain_text("Lê Văn Nam")
    expect(resolution.locator("tbody tr")).to_contain_text(f"{due:%d/%m/%Y}")

    # The end, then the minutes are approved and locked.
    page.get_by_label("Giờ kết thúc").fill(f"{when} 21:45")
    page.get_by_role("button", name="Ghi giờ kết thúc").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi giờ kết thúc")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="4. Thông qua biên bản").click()
    _status(page, "Đã thông qua biên bản")
    expect(page.locator("#minutes")).to_contain_text("19:30 – 21:45")
    expect(page.get_by_role("link", name="Điểm danh")).to_have_count(0)
    expect(page.get_by_text("Ghi ý kiến phát biểu")).to_have_count(0)
    shot(page, "minutes-desktop")

    # ---- 4. The minutes PDF: its text, and page 1 as an image.
    href = page.get_by_role("link", name="Biên bản (PDF)").get_attribute("href")
    response = page.context.request.get(f"{live_server.url}{href}")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    _check_minutes_pdf(response.body(), tmp_path)

    # ---- 5. The following month's regular meeting reviews this resolution and its task.
    page.get_by_role("link", name="Chi bộ thôn Đông").first.click()
    page.get_by_role("link", name="Lịch sinh hoạt định kỳ").click()
    expect(page.get_by_role("button", name="Lưu lịch sinh hoạt")).to_be_visible()
    planned = page.get_by_role("link", name=f"{next_day:%d/%m/%Y} 19:30")
    if planned.count():
        planned.click()  # generated with the schedule (the same year)
    else:  # the schedule plans to the end of the year: January is planned by hand
        page.get_by_role("link", name="Lên lịch cuộc họp").click()
        page.get_by_label("Loại sinh hoạt").select_option(label="Sinh hoạt thường kỳ")
        page.get_by_label(re.compile(r"^Ngày(?! trong)")).fill(f"{next_day:%d/%m/%Y}")
        page.get_by_label(re.compile(r"^Giờ")).fill("19:30")
        page.get_by_label("Địa điểm").fill(PLACE)
        page.get_by_role("button", name="Lên lịch", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Sinh hoạt thường kỳ tháng {next_day:%m/%Y}"
    )
    review = page.locator("article.item", has_text=REVIEW_TITLE)
    expect(review).to_have_count(1)
    expect(review).to_contain_text("01-NQ/CB")
    expect(review).to_contain_text(TASK)
    expect(review).to_contain_text("Lê Văn Nam")
    # Preparing saves the agenda with the review item in it.
    page.get_by_label("Dự thảo nghị quyết chi ủy đã thống nhất").fill(DRAFT)
    page.get_by_role("button", name="Ghi nhận đã chuẩn bị").click()
    _status(page, "Đã chuẩn bị")
    review = page.locator("article.item", has_text=REVIEW_TITLE)
    expect(review).to_contain_text(TASK)
    expect(review.get_by_role("link", name="sửa")).to_be_visible()
    shot(page, "next-meeting-review-desktop")
