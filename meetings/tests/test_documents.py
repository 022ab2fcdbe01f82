"""Minutes and resolutions as DOCX and PDF in the Party's format, and the minutes book."""

import datetime as dt
import io
import shutil
import subprocess

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from chibo.testing import PASSWORD
from meetings import services
from meetings.documents import content
from meetings.models import (
    AttendanceStatus,
    DocumentSequence,
    Guest,
    ResolutionKind,
    Speech,
    Step,
)
from members.models import Member, Person
from members.services import create_member

FONT = "Times New Roman"


def at(y, m, d, hh=19, mm=30):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def add_member(cell, name, n):
    person = Person(full_name=name, sex="M", birth_date=dt.date(1980, 1, n), ethnicity="01")
    member = Member(
        dossier_no=f"90000{n}TN",
        admission_decision_date=dt.date(2005, 2, 10),
        ceremony_date=dt.date(2005, 3, 1),
        official_date=dt.date(2006, 3, 2),
        status="official",
    )
    return create_member(
        person=person, member=member, organization=cell, start_date=dt.date(2005, 3, 1)
    )


@pytest.fixture
def k1(world):
    k1 = world.org("K1")
    services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa thôn Đông",
        valid_from=dt.date(2025, 1, 1),
    )
    services.generate_regular_meetings(k1, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    return k1


@pytest.fixture
def people(world, k1):
    return {
        "duc": world.member("Nguyễn Văn Đức", "K1"),
        "hoa": world.member("Trần Thị Hoa", "K1"),
        "khoa": add_member(k1, "Đỗ Minh Khoa", 1),
        "hanh": add_member(k1, "Vũ Thị Hạnh", 2),
        "tuan": add_member(k1, "Phan Văn Tuấn", 3),
    }


def hold(meeting, people, *, resolution=True):
    """September's meeting, in progress: an excused and an unexcused absence, a guest,
    a speech and a conclusion, a vote, a resolution with two tasks, ended."""
    Guest.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        name="Lê Thị Thu",
        title="Đảng ủy viên phụ trách chi bộ",
        is_supervisor=True,
    )
    day = meeting.local_date
    services.start(
        meeting,
        started_at=at(day.year, day.month, day.day),
        chair=people["khoa"],
        minutes_secretary=people["hoa"],
    )
    services.mark_all_present(meeting)
    services.record_attendance(
        meeting,
        {
            people["tuan"].pk: (AttendanceStatus.ABSENT_EXCUSED, "Ốm"),
            people["hanh"].pk: (AttendanceStatus.ABSENT_UNEXCUSED, ""),
        },
    )
    item = meeting.agenda.filter(step=Step.PROCEEDINGS, reviews__isnull=True).first()
    item.notes = "Đồng chí bí thư báo cáo tình hình thôn trong tháng."
    item.conclusion = "Chi bộ thống nhất tập trung thu hoạch lúa mùa."
    item.save()
    Speech.objects.create(
        province_id=meeting.province_id,
        item=item,
        speaker=people["duc"],
        summary="Đề nghị vận động bà con làm đường liên thôn.",
    )
    vote = services.record_vote(meeting, motion="Thông qua nghị quyết", yes=2, no=1)
    if resolution:
        services.pass_resolution(
            meeting,
            kind=ResolutionKind.RESOLUTION,
            summary="",
            assessment="Hoàn thành chỉ tiêu thu quỹ.",
            directions="Tập trung làm đường liên thôn.",
            vote=vote,
            tasks=[
                {
                    "description": "Vận động làm đường liên thôn",
                    "assignee": people["khoa"],
                    "due_date": dt.date(2025, 9, 30),
                },
                {
                    "description": "Kiểm tra việc thu quỹ",
                    "assignee_group": "Chi ủy",
                    "due_date": dt.date(2025, 10, 15),
                },
            ],
        )
    services.end(meeting, ended_at=at(day.year, day.month, day.day, 21, 15))
    return meeting


@pytest.fixture
def held(k1, people):
    return hold(k1.meetings.get(period_year=2025, period_month=9), people)


@pytest.fixture
def approved(held):
    return services.approve_minutes(held)


def url(name, obj):
    return reverse(f"meetings:{name}", args=[obj.uuid])


def docx_texts(data):
    d = docx.Document(io.BytesIO(data))
    paragraphs = list(d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    return d, paragraphs, [p.text for p in paragraphs]


def line_with(texts, start):
    return next(t for t in texts if t.startswith(start))


def pdf_text(tmp_path, data, name="doc.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# ---- DOCX --------------------------------------------------------------------------------


def test_minutes_docx_has_the_header_counts_and_names_in_their_sections(login, approved):
    r = login("secretary_k1").get(url("minutes_docx", approved))
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    assert (
        r["Content-Disposition"] == 'attachment; filename="bien-ban-2025-09-chi-bo-thon-dong.docx"'
    )
    d, paragraphs, texts = docx_texts(r.content)
    for expected in (
        "ĐẢNG BỘ XÃ AN BÌNH",
        "CHI BỘ THÔN ĐÔNG",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 01-BB/CB",
        "Thôn Đông, ngày 05 tháng 9 năm 2025",
        "BIÊN BẢN",
        "Sinh hoạt chi bộ thường kỳ tháng 9 năm 2025",
        "I. PHẦN MỞ ĐẦU",
        "II. PHẦN TIẾN HÀNH",
        "III. PHẦN KẾT THÚC",
    ):
        assert expected in texts, expected
    assert "DỰ THẢO" not in texts
    # 6 members (5 official + 1 probationary) + Lan, official but exempt.
    assert "7 đồng chí (chính thức: 6, dự bị: 1)" in line_with(texts, "- Tổng số đảng viên")
    assert "Có mặt: 4 đồng chí (chính thức: 3, dự bị: 1)" in line_with(texts, "- Có mặt")
    assert line_with(texts, "- Vắng có lý do") == "- Vắng có lý do: 1 đồng chí: Phan Văn Tuấn (Ốm)."
    assert (
        line_with(texts, "- Vắng không có lý do")
        == "- Vắng không có lý do: 1 đồng chí: Vũ Thị Hạnh."
    )
    assert line_with(texts, "Chủ trì:") == "Chủ trì: đồng chí Đỗ Minh Khoa."
    assert line_with(texts, "Thư ký:") == "Thư ký: đồng chí Trần Thị Hoa."
    assert "Lê Thị Thu, Đảng ủy viên phụ trách chi bộ (đại biểu cấp trên)" in " ".join(texts)
    speech = line_with(texts, "- Đồng chí Nguyễn Văn Đức:")
    assert "làm đường liên thôn" in speech
    assert line_with(texts, "Kết luận:").endswith("thu hoạch lúa mùa.")
    assert "Biểu quyết: 2/3 đảng viên tán thành (66,7%); không tán thành: 1" in line_with(
        texts, "- Thông qua nghị quyết"
    )
    assert "kết thúc vào lúc 21 giờ 15 phút cùng ngày" in " ".join(texts)
    # Signatures: the secretary on the left, the chair on the right.
    left, right = d.tables[-1].rows[0].cells
    assert left.paragraphs[0].text == "THƯ KÝ" and left.paragraphs[-1].text == "Trần Thị Hoa"
    assert right.paragraphs[0].text == "CHỦ TRÌ" and right.paragraphs[-1].text == "Đỗ Minh Khoa"
    runs = [run for p in paragraphs for run in p.runs]
    assert runs and all(run.font.name == FONT for run in runs)
    assert all(run._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == FONT for run in runs)
    section = d.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (35, 15)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (25, 25)


def test_resolution_docx_has_the_symbol_sections_tasks_and_the_secretarys_signature(
    login, approved
):
    r = login("committee_c1").get(url("resolution_docx", approved))
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    assert 'filename="nghi-quyet-2025-09-chi-bo-thon-dong.docx"' in r["Content-Disposition"]
    d, paragraphs, texts = docx_texts(r.content)
    for expected in (
        "Số 01-NQ/CB",
        "NGHỊ QUYẾT",
        "Sinh hoạt chi bộ tháng 9 năm 2025",
        "CHI BỘ QUYẾT NGHỊ:",
        "I. ĐÁNH GIÁ KẾT QUẢ THÁNG 8 NĂM 2025",
        "Hoàn thành chỉ tiêu thu quỹ.",
        "II. NHIỆM VỤ THÁNG 9 NĂM 2025",
        "III. TỔ CHỨC THỰC HIỆN",
        "- Đảng ủy xã An Bình (b/c);",
        "- Lưu chi bộ.",
    ):
        assert expected in texts, expected
    assert "với 4 đảng viên dự" in line_with(texts, "- Căn cứ kết quả sinh hoạt chi bộ ngày 05")
    assert any("Biểu quyết: 2/3 đảng viên tán thành (66,7%)" in t for t in texts)
    tasks = [[c.text for c in row.cells] for row in d.tables[1].rows]
    assert tasks[1] == ["1", "Vận động làm đường liên thôn", "Đ/c Đỗ Minh Khoa", "30/09/2025"]
    assert tasks[2] == ["2", "Kiểm tra việc thu quỹ", "Chi ủy", "15/10/2025"]
    # Signed by the cell's secretary on the day (Đức), not the chair (Khoa).
    sign = d.tables[-1].rows[0].cells[1]
    assert [p.text for p in sign.paragraphs if p.text] == ["T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn Đức"]
    assert all(run.font.name == FONT for p in paragraphs for run in p.runs)


def test_the_resolution_signer_falls_back_to_the_chair_without_a_secretary(approved):
    RoleAssignment.objects.filter(organization=approved.organization).delete()
    doc = content.resolution_for(approved, content.resolution_of(approved))
    assert doc.right.titles == ["T/M CHI BỘ", "BÍ THƯ"] and doc.right.name == "Đỗ Minh Khoa"


# ---- PDF ---------------------------------------------------------------------------------


def test_resolution_pdf_is_a4_with_the_header_and_vietnamese_text(login, approved, tmp_path):
    r = login("secretary_k1").get(url("resolution_pdf", approved))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "no-store" in r["Cache-Control"]
    assert r["Content-Disposition"] == 'inline; filename="nghi-quyet-2025-09-chi-bo-thon-dong.pdf"'
    text = pdf_text(tmp_path, r.content)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "CHI BỘ THÔN ĐÔNG",
        "NGHỊ QUYẾT",
        "Số 01-NQ/CB",
        "Nguyễn Văn Đức",
        "Đỗ Minh Khoa",
        "Thôn Đông, ngày 05 tháng 9 năm 2025",
    ):
        assert expected in text, expected
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "(A4)" in info
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "LiberationSerif" in fonts or "ChiboSerif" in fonts


def test_minutes_pdf_renders_to_a_png_page(login, approved, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: the page cannot be rendered")
    r = login("secretary_k1").get(url("minutes_pdf", approved))
    (tmp_path / "m.pdf").write_bytes(r.content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "m.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 5000


def test_draft_minutes_are_marked_and_unnumbered_until_approved(login, held, tmp_path):
    c = login("secretary_k1")
    text = pdf_text(tmp_path, c.get(url("minutes_pdf", held)).content)
    assert "DỰ THẢO" in text and "01-BB/CB" not in text
    assert not DocumentSequence.objects.filter(
        organization=held.organization, doc_type="BB"
    ).exists()
    services.approve_minutes(held)
    text = pdf_text(tmp_path, c.get(url("minutes_pdf", held)).content)
    assert "DỰ THẢO" not in text and "Số 01-BB/CB" in text
    assert "Biểu quyết: 2/3 đảng viên tán thành (66,7%)" in text


def test_minutes_numbers_follow_approval_order_and_never_change(k1, people, approved):
    july = hold(k1.meetings.get(period_year=2025, period_month=7), people, resolution=False)
    services.approve_minutes(july)  # approved after September's: the next number
    assert content.minutes_numbers(k1) == {approved.pk: 1, july.pk: 2}
    assert content.minutes_numbers(k1) == {approved.pk: 1, july.pk: 2}
    seq = DocumentSequence.objects.get(organization=k1, doc_type="BB")
    assert seq.last_number == 2 and seq.term_start == dt.date(2025, 1, 1)


def test_the_review_of_last_months_resolution_lists_its_tasks(k1, people, approved):
    october = hold(k1.meetings.get(period_year=2025, period_month=10), people, resolution=False)
    doc = content.minutes_for(october)
    table = next(b for b in doc.body if isinstance(b, content.Table))
    assert [row[1] for row in table.rows] == [
        "Vận động làm đường liên thôn",
        "Kiểm tra việc thu quỹ",
    ]
    assert table.rows[0][3] == "Chưa thực hiện"
    texts = [r.text for b in doc.body if isinstance(b, content.Para) for r in b.runs]
    assert "Kết quả thực hiện Nghị quyết số 01-NQ/CB:" in texts
    assert doc.draft and doc.number == "Số      -BB/CB"


# ---- access --------------------------------------------------------------------------------


@pytest.fixture
def secretary_k2(world):
    user = User.objects.create_user(username="secretary_k2", password=PASSWORD)
    RoleAssignment.objects.create(
        user=user, role=Role.SECRETARY, organization=world.org("K2"), valid_from=dt.date(2020, 1, 1)
    )
    return user


DOCUMENTS = ["minutes_docx", "minutes_pdf", "resolution_docx", "resolution_pdf"]


@pytest.mark.parametrize("username", ["secretary_k2", "staff_p2", "member_k1", "nobody"])
def test_documents_are_404_outside_the_cells_managers_and_committees(
    client, login, approved, secretary_k2, username
):
    c = login(username)
    for name in DOCUMENTS:
        assert c.get(url(name, approved)).status_code == 404, name
    assert c.get(url("minutes_book", approved.organization)).status_code == 404
    assert c.get(url("minutes_book_pdf", approved.organization)).status_code == 404


@pytest.mark.parametrize(
    "username", ["secretary_k1", "committee_c1", "staff_c1", "staff_p1", "admin"]
)
def test_the_cells_managers_and_the_committees_above_download(login, approved, username):
    c = login(username)
    assert c.get(url("minutes_docx", approved)).status_code == 200
    assert c.get(url("resolution_docx", approved)).status_code == 200
    assert c.get(url("minutes_book", approved.organization)).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client, approved):
    for name in DOCUMENTS:
        r = client.get(url(name, approved))
        assert r.status_code == 302 and reverse("accounts:login") in r["Location"]
    r = client.get(url("minutes_book_pdf", approved.organization))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_no_resolution_document_without_a_resolution(login, k1, people):
    july = hold(k1.meetings.get(period_year=2025, period_month=7), people, resolution=False)
    c = login("secretary_k1")
    assert c.get(url("resolution_docx", july)).status_code == 404
    assert c.get(url("resolution_pdf", july)).status_code == 404
    assert c.get(url("minutes_docx", july)).status_code == 200


def test_no_documents_for_a_cancelled_meeting_or_a_committee(login, k1, world):
    november = k1.meetings.get(period_year=2025, period_month=11)
    services.cancel(november, reason="Mưa bão")
    c = login("secretary_k1")
    assert c.get(url("minutes_docx", november)).status_code == 404
    assert c.get(url("minutes_book", world.org("C1"))).status_code == 404


# ---- the minutes book -------------------------------------------------------------------------


def test_the_book_lists_only_the_approved_meetings_of_the_period(
    login, k1, people, approved, django_assert_max_num_queries
):
    july = hold(k1.meetings.get(period_year=2025, period_month=7), people, resolution=False)
    services.approve_minutes(july)
    hold(k1.meetings.get(period_year=2025, period_month=10), people, resolution=False)  # a draft
    c = login("committee_c1")
    book = url("minutes_book", k1)
    c.get(book + "?from=01/01/2025&to=31/12/2025")  # numbers the minutes once
    with django_assert_max_num_queries(20):
        r = c.get(book + "?from=01/01/2025&to=31/12/2025")
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    html = r.content.decode()
    assert html.count('<article class="doc"') == 2
    assert "SỔ BIÊN BẢN" in html and "MỤC LỤC" in html
    assert html.index("thường kỳ tháng 7 năm 2025") < html.index("thường kỳ tháng 9 năm 2025")
    assert "tháng 10 năm 2025" not in html and "DỰ THẢO" not in html
    r = c.get(book + "?from=01/08/2025&to=31/12/2025")
    html = r.content.decode()
    assert html.count('<article class="doc"') == 1 and "thường kỳ tháng 9 năm 2025" in html


def test_the_book_rejects_a_bad_date_with_a_message(login, k1, approved):
    c = login("secretary_k1")
    book = url("minutes_book", k1)
    r = c.get(book + "?from=31/02/2025&to=31/12/2025")
    assert r.status_code == 200
    html = r.content.decode()
    assert _("Enter a date as dd/mm/yyyy, e.g. 01/07/2025.") in html
    assert '<article class="doc"' not in html
    r = c.get(book + "?from=01/12/2025&to=01/01/2025")
    assert _("The end date is before the start date.") in r.content.decode()
    r = c.get(url("minutes_book_pdf", k1) + "?from=xx&to=31/12/2025")
    assert r.status_code == 302 and r["Location"].startswith(book)


def test_the_book_defaults_to_this_year(login, k1, approved):
    r = login("secretary_k1").get(url("minutes_book", k1))
    year = timezone.localdate().year
    assert f'value="01/01/{year}"' in r.content.decode()


def test_the_book_pdf_has_a_cover_a_contents_page_and_each_minutes(
    login, k1, people, approved, tmp_path
):
    july = hold(k1.meetings.get(period_year=2025, period_month=7), people, resolution=False)
    services.approve_minutes(july)
    r = login("secretary_k1").get(url("minutes_book_pdf", k1) + "?from=01/01/2025&to=31/12/2025")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert 'filename="so-bien-ban-chi-bo-thon-dong-2025.pdf"' in r["Content-Disposition"]
    text = pdf_text(tmp_path, r.content)
    assert "SỔ BIÊN BẢN" in text and "MỤC LỤC" in text
    assert "Từ ngày 01/01/2025 đến ngày 31/12/2025" in text
    assert text.count("ĐẢNG CỘNG SẢN VIỆT NAM") == 2
    assert text.index("tháng 7 năm 2025") < text.index("tháng 9 năm 2025")
    assert "Số 02-BB/CB" in text and "Số 01-BB/CB" in text


def test_a_planned_meeting_prints_as_a_draft_form_with_blanks(login, k1):
    october = k1.meetings.get(period_year=2025, period_month=10)
    r = login("secretary_k1").get(url("minutes_docx", october))
    assert r.status_code == 200
    _d, _paragraphs, texts = docx_texts(r.content)
    assert "DỰ THẢO" in texts and "Số      -BB/CB" in texts
    assert (
        line_with(texts, "Thời gian:")
        == "Thời gian: Bắt đầu lúc … giờ … phút, ngày … tháng … năm …."
    )


def test_a_thematic_meetings_conclusion_is_titled_and_named_by_its_day(login, k1, people):
    thematic = services.plan_meeting(
        k1,
        kind="thematic",
        scheduled_at=at(2025, 9, 20, 8, 0),
        place="Hội trường thôn",
        topic="Học tập Nghị quyết Trung ương",
    )
    services.start(thematic, started_at=at(2025, 9, 20, 8, 0), chair=people["duc"])
    services.mark_all_present(thematic)
    services.pass_resolution(
        thematic,
        kind=ResolutionKind.CONCLUSION,
        summary="",
        assessment="",
        directions="Vận dụng vào thực tiễn của thôn.",
        vote=None,
        tasks=[],
    )
    c = login("secretary_k1")
    r = c.get(url("resolution_docx", thematic))
    assert 'filename="nghi-quyet-2025-09-20-chi-bo-thon-dong.docx"' in r["Content-Disposition"]
    _d, _paragraphs, texts = docx_texts(r.content)
    assert "KẾT LUẬN" in texts and "CHI BỘ KẾT LUẬN:" in texts and "NGHỊ QUYẾT" not in texts
    assert "III. TỔ CHỨC THỰC HIỆN" in texts and not any("Biểu quyết:" in t for t in texts)
    _d, _paragraphs, texts = docx_texts(c.get(url("minutes_docx", thematic)).content)
    assert "Sinh hoạt chuyên đề: Học tập Nghị quyết Trung ương" in texts
    assert "Thôn Đông, ngày 20 tháng 9 năm 2025" in texts
