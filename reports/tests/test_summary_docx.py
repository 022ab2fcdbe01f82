"""The monthly and annual summary report (reports/summary_docx.py): the document read back
with python-docx (HD 36 header, title, one section per registered report, the figures of the
Results, the margins), the background job and its progress, the page's form (scope, bad
input writes nothing), and the number of queries."""

import datetime as dt
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.access import Scope
from organizations import services as org_services
from organizations.models import CellType, OrgKind
from reports.registry import all_reports
from reports.summary_docx import (
    ANNUAL_ONLY,
    COLUMNS_PER_TABLE,
    ROMAN,
    build_summary,
    section_period,
    sections,
    summary_period,
)
from reports.tasks import export_report_summary, new_job
from spreadsheets.models import Job, JobKind, JobStatus

TODAY = dt.date(2026, 11, 21)
URL = reverse("reports:summary_docx")


@pytest.fixture
def june():
    return summary_period("month", 2025, 6, TODAY)


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def header_lines(document) -> list[str]:
    """The lines of the header table (issuing body left, party and date right)."""
    return [p.text for cell in document.tables[0].rows[0].cells for p in cell.paragraphs]


def build_vi(org, period, kind="month"):
    with translation.override("vi"):
        return read(build_summary(org, period, kind, today=TODAY))


# ---- the document ----------------------------------------------------------------------------


def test_the_monthly_summary_has_the_party_header_and_the_title(world, june):
    document = build_vi(world.org("C1"), june)
    lines = header_lines(document)
    assert lines[:4] == ["ĐẢNG BỘ TỈNH THỬ NGHIỆM", "ĐẢNG ỦY XÃ AN BÌNH", "*", "Số …-BC/ĐU"]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in lines
    assert "An Bình, ngày 21 tháng 11 năm 2026" in lines
    right = document.tables[0].rows[0].cells[1].paragraphs
    party = next(p for p in right if p.text == "ĐẢNG CỘNG SẢN VIỆT NAM").runs[0]
    assert party.font.bold and party.font.underline
    assert next(p for p in right if "ngày 21" in p.text).runs[0].font.italic
    body = texts(document)
    assert "BÁO CÁO" in body
    assert "Tình hình sinh hoạt và hoạt động của các chi bộ tháng 06/2025" in body
    # The signature block and the recipients.
    sign = [p.text for cell in document.tables[-1].rows[0].cells for p in cell.paragraphs]
    assert "Nơi nhận:" in sign and "T/M ĐẢNG ỦY" in sign and "BÍ THƯ" in sign


def test_the_annual_summary_is_titled_with_the_year(world):
    document = build_vi(world.org("P1"), summary_period("year", 2025, None, TODAY), "year")
    assert "Tổng kết công tác xây dựng Đảng năm 2025" in texts(document)
    lines = header_lines(document)
    assert lines[0] == "TỈNH ỦY THỬ NGHIỆM" and "Số …-BC/TU" in lines
    sign = [p.text for cell in document.tables[-1].rows[0].cells for p in cell.paragraphs]
    assert "T/M BAN THƯỜNG VỤ" in sign


def test_a_cells_summary_is_signed_for_the_cell(world, june):
    document = build_vi(world.org("K1"), june)
    lines = header_lines(document)
    assert lines[:2] == ["ĐẢNG BỘ XÃ AN BÌNH", "CHI BỘ THÔN ĐÔNG"] and "Số …-BC/CB" in lines
    sign = [p.text for cell in document.tables[-1].rows[0].cells for p in cell.paragraphs]
    assert "T/M CHI BỘ" in sign


@pytest.mark.parametrize("kind", ["month", "year"])
def test_there_is_one_section_per_registered_report(world, kind):
    period = summary_period(kind, 2025, 6, TODAY)
    document = build_vi(world.org("C1"), period, kind)
    with translation.override("vi"):
        expected = [
            f"{ROMAN[n]}. {str(r.title).upper()}"
            for n, r in enumerate(
                r for r in all_reports() if kind == "year" or r.name not in ANNUAL_ONLY
            )
        ]
    headings = [t for t in texts(document) if t.split(". ")[0] in ROMAN]
    assert headings == expected
    names = {r.name for r in sections(kind)}
    # Every registered report is there, but the annual rating in a month (see ANNUAL_ONLY).
    assert names == {r.name for r in all_reports()} - (ANNUAL_ONLY if kind == "month" else set())


def test_the_figures_are_the_results_totals(world, june):
    c1 = world.org("C1")
    document = build_vi(c1, june)
    tables = document.tables[1:-1]  # between the header and the signatures
    body = "\n".join(texts(document))
    n = 0
    with translation.override("vi"):
        for report in sections("month"):
            result = report.compute(c1, section_period(report, june, "month"))
            total = result.total.cells(result.columns)
            for first in range(0, len(result.columns), COLUMNS_PER_TABLE):
                table = tables[n]
                n += 1
                head = [c.text for c in table.rows[0].cells]
                assert head[1:] == [str(c.label) for c in result.columns[first : first + 4]]
                last = [c.text.replace("\u00a0", " ") for c in table.rows[-1].cells]
                assert last == ["Tổng cộng", *total[first : first + COLUMNS_PER_TABLE]]
                # One row per unit below, named as on the report page.
                assert [r.cells[0].text for r in table.rows[1:-1]] == [r.label for r in result.rows]
            for group in result.groups:
                if group.items:  # an empty distribution says nothing: left out
                    assert f"- {group.title}: " in body
    assert n == len(tables)
    # The structure sentence, with the Vietnamese number format.
    assert "Tính đến ngày 30/06/2025, Đảng bộ xã An Bình: đảng bộ cơ sở 1; chi bộ 2; " in body
    assert "đảng viên chính thức 4/6 (66,67 %)" in body


def test_admissions_are_for_the_year_to_date_in_a_monthly_summary(world, june):
    body = "\n".join(texts(build_vi(world.org("C1"), june)))
    assert (
        "Từ ngày 01/01/2025 đến ngày 30/06/2025, Đảng bộ xã An Bình: đảng viên mới kết nạp" in body
    )


def test_the_page_follows_hd_36(world, june):
    document = build_vi(world.org("C1"), june)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    mm = {k: round(getattr(section, f"{k}_margin").mm) for k in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    # Page numbers from page 2: the first page has its own, empty header.
    assert section.different_first_page_header_footer
    assert 'instr="PAGE"' in section.header._element.xml
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 14)


def test_the_document_is_in_the_language_of_the_request(world, june):
    with translation.override("en"):
        document = read(build_summary(world.org("C1"), june, "month", today=TODAY))
    assert "COMMUNIST PARTY OF VIETNAM" in header_lines(document)
    assert "REPORT" in texts(document)
    assert "16,130" not in "".join(texts(document))  # sanity: English uses its own format


# ---- the requested period ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "month", "message"),
    [
        ("week", 2025, 6, "Choose a monthly or an annual summary."),
        ("month", 2025, 13, "Choose a month between 1 and 12."),
        ("month", 2025, None, "Choose a month between 1 and 12."),
        ("month", 2026, 12, "12/2026 has not begun: choose this month or an earlier one."),
        ("year", 2027, None, "The year must be between 2000 and 2026."),
        ("year", 1999, None, "The year must be between 2000 and 2026."),
    ],
)
def test_a_bad_request_is_refused_with_a_message(kind, year, month, message):
    with pytest.raises(ValueError, match=message):
        summary_period(kind, year, month, TODAY)


def test_the_current_month_and_year_stop_today():
    assert summary_period("month", 2026, 11, TODAY).end == TODAY
    assert summary_period("year", 2026, None, TODAY).end == TODAY
    assert summary_period("month", 2026, 2, TODAY).end == dt.date(2026, 2, 28)


# ---- the background job ----------------------------------------------------------------------


def test_the_job_reports_one_step_per_section(world, monkeypatch):
    steps = []
    original = Job.set_progress

    def spy(self, done, total=None, phase=None):
        steps.append((done, total))
        original(self, done, total, phase)

    monkeypatch.setattr(Job, "set_progress", spy)
    user = world.user("staff_c1")
    job = new_job(user, world.org("C1"), "year", 2025, None, "vi")
    assert job.status == JobStatus.QUEUED and job.kind == JobKind.EXPORT_REPORT_SUMMARY
    summary = export_report_summary(job, Scope.for_user(user))
    n = len(sections("year"))
    assert summary["sections"] == n and summary["rows"] > n
    assert steps == [(i, n) for i in range(n + 1)]
    assert job.result.name.endswith(".docx")


def post(client, world, user, code=None, **data):
    client.force_login(world.user(user))
    today = timezone.localdate()
    body = {"kind": "month", "year": today.year, "month": today.month, **data}
    if code:
        body["org"] = str(world.org(code).uuid)
    return client.post(URL, body)


def test_the_page_starts_the_job_and_the_user_downloads_the_file(client, world):
    response = post(client, world, "staff_c1", "C1", month=6, year=2025)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    # Inline under tests: the job ran to the end, its progress full.
    assert job.status == JobStatus.SUCCEEDED
    assert job.percent == 100 and job.done == job.total == len(sections("month"))
    assert job.params["filename"] == "bao-cao-tong-hop-06-2025-dang-bo-xa-an-binh.docx"
    page = client.get(job.get_absolute_url()).content.decode()
    download = reverse("spreadsheets:job_download", args=[job.uuid])
    assert download in page
    r = client.get(download)
    assert r.status_code == 200
    assert "bao-cao-tong-hop-06-2025-dang-bo-xa-an-binh.docx" in r["Content-Disposition"]
    document = read(b"".join(r.streaming_content))
    assert "ĐẢNG ỦY XÃ AN BÌNH" in header_lines(document)  # the job ran in Vietnamese


def test_the_index_page_offers_the_form_for_the_current_organization(client, world):
    client.force_login(world.user("staff_p1"))
    c1 = world.org("C1")
    page = client.get(reverse("reports:index"), {"org": c1.uuid}).content.decode()
    assert f'action="{URL}"' in page
    assert f'<option value="{c1.uuid}" selected>' in page


@pytest.mark.parametrize(
    ("user", "code", "status"),
    [
        ("staff_c1", "C1", 302),  # the committee's own staff
        ("committee_c1", "K1", 302),  # same scope, a cell below
        ("secretary_k1", "K1", 302),  # a cell secretary, their cell
        ("secretary_k1", None, 302),  # no organization: their first (their cell)
        ("committee_c1", "P1", 404),
        ("secretary_k1", "K2", 404),
        ("staff_p2", "C1", 404),
        ("member_k1", "K1", 404),
        ("nobody", None, 404),
    ],
)
def test_the_summary_respects_the_scope(client, world, user, code, status):
    response = post(client, world, user, code, month=6, year=2025)
    assert response.status_code == status
    assert Job.objects.count() == (1 if status == 302 else 0)


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.post(URL, {"kind": "month", "year": 2025, "month": 6})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Job.objects.exists()


def test_a_get_is_not_allowed(client, world):
    client.force_login(world.user("staff_c1"))
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "week"}, "week không phải là một trong các lựa chọn"),
        ({"month": 13}, "Hãy chọn"),
        ({"year": 1990}, "Năm phải từ 2000 đến"),
        ({"year": "abc"}, "Nhập một số nguyên."),
    ],
)
def test_bad_input_gives_a_message_and_writes_nothing(client, world, data, message):
    with translation.override("vi"):
        client.cookies["django_language"] = "vi"
        response = post(client, world, "staff_c1", "C1", **data)
    assert response.status_code == 400
    page = response.content.decode()
    errors = page[page.index('id="summary-docx"') :]
    errors = errors[errors.index('class="errorlist"') :][:300]
    assert 'role="alert"' in errors and message in errors
    assert not Job.objects.exists()


def test_a_future_month_is_refused(client, world):
    today = timezone.localdate()
    nxt = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    response = post(client, world, "staff_c1", "C1", month=nxt.month, year=nxt.year)
    assert response.status_code == 400
    assert f"Tháng {nxt:%m/%Y} chưa đến" in response.content.decode()
    assert not Job.objects.exists()


# ---- queries -----------------------------------------------------------------------------------


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_summary_costs_its_reports_queries_plus_one_whatever_the_units(world, june):
    """The document adds one query (the organization above, for the header) to the reports'
    own: pinned per report, so that a report added to the registry keeps the test true."""
    c1 = world.org("C1")

    def per_report():
        return sum(
            _queries(lambda r=r: r.compute(c1, section_period(r, june, "month")))
            for r in sections("month")
        )

    with translation.override("vi"):
        reports_alone = per_report()
        before = _queries(lambda: build_summary(c1, june, "month", today=TODAY))
        assert before == reports_alone + 1
        for n in range(5):
            org_services.create_organization(
                parent=c1,
                kind=OrgKind.CELL,
                name=f"Chi bộ thôn Mới {n}",
                code=f"KN{n}",
                cell_type=CellType.VILLAGE,
                founded_on=dt.date(2000, 1, 1),
            )
        assert _queries(lambda: build_summary(c1, june, "month", today=TODAY)) == before
        assert per_report() == reports_alone
