"""The monthly report on attending cell meetings: its content on the page, as DOCX and XLSX
written by a background job, and who may read and export it."""

import datetime as dt
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.urls import reverse

from oversight.board import Period
from oversight.models import VisitKind, VisitPolicy
from oversight.report import build_report, report_docx, report_xlsx
from oversight.tests.test_board import meeting, new_cells, score, visit
from quality.models import QualityLevel
from spreadsheets.models import Job, JobKind, JobStatus

MARCH = Period(2025, 3)


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def c1(world):
    return world.org("C1")


@pytest.fixture
def month(world):
    """March 2025 in commune C1: K1 visited twice (one meeting scored average), K2 not at all."""
    k1, k2 = world.org("K1"), world.org("K2")
    visitor = world.user("committee_c1")
    visitor.first_name = "Trần Văn Giám"
    visitor.save()
    m = meeting(k1, month=3)
    score(m, QualityLevel.AVERAGE, "62")
    visit(
        k1,
        visitor,
        dt.date(2025, 3, 10),
        meeting=m,
        observed_total=Decimal("65"),
        observed_level=QualityLevel.AVERAGE,
        strengths="Đủ ba bước",
        shortcomings="Ít đảng viên phát biểu",
        recommendations="Chuẩn bị dự thảo nghị quyết sớm hơn",
    )
    visit(k1, world.user("staff_c1"), dt.date(2025, 3, 28), observed_level=QualityLevel.GOOD)
    visit(k2, visitor, dt.date(2025, 4, 1), shortcomings="Sau tháng báo cáo")  # April: not in it
    return {"k1": k1, "k2": k2, "visitor": visitor}


def report_url(org, **params):
    query = "&".join(f"{k}={v}" for k, v in {"year": 2025, "month": 3, **params}.items())
    return reverse("oversight:report", args=[org.uuid]) + "?" + query


def export_url(org):
    return reverse("oversight:report_export", args=[org.uuid])


def test_the_report_content(c1, month):
    report = build_report(c1, MARCH, today=dt.date(2025, 4, 2))
    assert [(line.cell.code, line.day) for line in report.lines] == [
        ("K1", dt.date(2025, 3, 10)),
        ("K1", dt.date(2025, 3, 28)),
    ]
    first = report.lines[0]
    assert (first.visitor, first.observed_level, first.final_level) == (
        "Trần Văn Giám",
        QualityLevel.AVERAGE,
        QualityLevel.AVERAGE,
    )
    assert (report.n_cells, report.visited_cells, report.visited_pct) == (2, 1, 50)
    assert {lv["level"]: lv["n"] for lv in report.observed} == {
        QualityLevel.GOOD: 1,
        QualityLevel.FAIR: 0,
        QualityLevel.AVERAGE: 1,
        QualityLevel.WEAK: 0,
    }
    [group] = report.final_levels  # cells under a grassroots committee only
    assert group["kind"] == "cell" and group["scored"] == 1
    [findings] = report.findings
    assert findings.shortcomings == ["Ít đảng viên phát biểu"]
    assert findings.recommendations == ["Chuẩn bị dự thảo nghị quyết sớm hơn"]
    # K2's only visit is dated 1 April: not this quarter's.
    assert [(u.cell.code, u.done, u.required) for u in report.unvisited] == [("K2", 0, 1)]


def test_the_rule_of_the_committee_decides_who_is_not_visited_enough(c1, month):
    VisitPolicy.objects.create(
        province_id=c1.province_id, organization=c1, visits_per_quarter=3,
        effective_from=dt.date(2025, 1, 1),
    )  # fmt: skip
    report = build_report(c1, MARCH)
    assert [(u.cell.code, u.done, u.required) for u in report.unvisited] == [
        ("K1", 2, 3),
        ("K2", 0, 3),
    ]


def test_the_report_page(login, c1, month):
    r = login("committee_c1").get(report_url(c1))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Trần Văn Giám" in body
    assert "Ít đảng viên phát biểu" in body and "Chuẩn bị dự thảo nghị quyết sớm hơn" in body
    assert "Sau tháng báo cáo" not in body
    assert 'id="report-unvisited"' in body and "Chi bộ thôn Tây" in body
    # Committee members export (a read right): the buttons are there.
    assert export_url(c1) in body


def test_the_report_page_reads_in_constant_queries(login, c1, month, django_assert_num_queries):
    client = login("staff_c1")
    with django_assert_num_queries(REPORT_QUERIES):
        client.get(report_url(c1))
    visitor = month["visitor"]
    for cell in new_cells(c1, 12):
        m = meeting(cell, month=3)
        score(m, QualityLevel.GOOD, "95")
        visit(cell, visitor, dt.date(2025, 3, 12), meeting=m, observed_level=QualityLevel.GOOD,
              shortcomings="Chưa đúng giờ")  # fmt: skip
    with django_assert_num_queries(REPORT_QUERIES):
        r = client.get(report_url(c1))
    assert r.content.decode().count("Chưa đúng giờ") == 12


# session, user, scope, the organization, its ancestors, cells, parents, visits, visits_due (4),
# the levels of the month's meetings.
REPORT_QUERIES = 13


@pytest.mark.parametrize("user", ["secretary_k1", "member_k1", "staff_p2", "nobody"])
def test_the_report_is_404_outside_the_scope(login, c1, user):
    assert login(user).get(report_url(c1)).status_code == 404
    assert (
        login(user).post(export_url(c1), {"year": 2025, "month": 3, "format": "docx"}).status_code
        == 404
    )
    assert not Job.objects.exists()


def _export(client, org, fmt):
    r = client.post(export_url(org), {"year": 2025, "month": 3, "format": fmt})
    assert r.status_code == 302
    job = Job.objects.get(kind=JobKind.EXPORT_VISIT_REPORT, params__format=fmt)
    assert r["Location"] == job.get_absolute_url()
    return job


def test_the_word_file_in_the_background(login, c1, month):
    client = login("staff_c1")
    job = _export(client, c1, "docx")
    job.refresh_from_db()
    # The job ran (inline under tests) to the end, its progress full.
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.summary["rows"] == 2
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("spreadsheets:job_download", args=[job.uuid]) in page
    r = client.get(reverse("spreadsheets:job_download", args=[job.uuid]))
    assert r["Content-Type"].endswith("wordprocessingml.document")
    assert "bao-cao-du-sinh-hoat-chi-bo-03-2025.docx" in r["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(r.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text
    assert "kết quả dự sinh hoạt chi bộ tháng 03/2025" in text
    assert "dự sinh hoạt 2 lượt tại 1/2 chi bộ (50%)" in text
    assert "Hạn chế, khuyết điểm: Ít đảng viên phát biểu" in text
    assert "Đảng bộ xã An Bình: Chi bộ thôn Tây." in text
    header = document.tables[0].rows[0].cells
    assert "ĐẢNG ỦY XÃ AN BÌNH" in header[0].text
    visits = document.tables[1]
    assert [c.text for c in visits.rows[1].cells] == [
        "1", "Chi bộ thôn Đông", "10/03/2025", "Trần Văn Giám", "Trung bình", "Trung bình",
    ]  # fmt: skip


def test_the_excel_file_in_the_background(login, c1, month):
    client = login("committee_c1")
    job = _export(client, c1, "xlsx")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    r = client.get(reverse("spreadsheets:job_download", args=[job.uuid]))
    assert r["Content-Type"].endswith("spreadsheetml.sheet")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert wb.sheetnames == ["Dự sinh hoạt", "Chưa được dự quý 1", "Tổng hợp"]
    rows = list(wb["Dự sinh hoạt"].iter_rows(values_only=True))
    assert rows[0][:5] == ("STT", "Chi bộ", "Trực thuộc", "Ngày dự", "Người dự")
    first = rows[1]
    assert first[1] == "Chi bộ thôn Đông" and first[2] == "Đảng bộ xã An Bình"
    assert first[3].date() == dt.date(2025, 3, 10)
    assert first[5] == "Cấp ủy viên theo dõi chi bộ"
    assert (first[6], first[7], first[8]) == (65, "Trung bình", "Trung bình")
    assert first[10] == "Ít đảng viên phát biểu"
    assert [r[1] for r in wb["Chưa được dự quý 1"].iter_rows(min_row=2, values_only=True)] == [
        "Chi bộ thôn Tây"
    ]
    totals = {r[0]: r[1:] for r in wb["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert totals["Số chi bộ được dự / tổng số chi bộ"] == (1, 50)


def test_a_formula_looking_text_stays_text(c1, month, world):
    visit(world.org("K2"), month["visitor"], dt.date(2025, 3, 3), shortcomings="=HYPERLINK(1)")
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx(build_report(c1, MARCH))))
    assert "'=HYPERLINK(1)" in [r[10] for r in wb["Dự sinh hoạt"].iter_rows(values_only=True)]


def test_an_empty_month_still_makes_a_document(c1):
    report = build_report(c1, Period(2024, 7))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(report_docx(report))).paragraphs)
    assert "không có lượt dự sinh hoạt chi bộ nào" in text


def test_the_job_reports_its_progress_as_it_writes(c1, month, world, monkeypatch):
    from oversight import report as report_module
    from oversight.tasks import export_visit_report, new_job

    monkeypatch.setattr(report_module, "PROGRESS_EVERY", 1)
    job = new_job(world.user("staff_c1"), c1, MARCH, "xlsx", "en")
    seen = []
    original = Job.set_progress

    def spy(self, done, total=None, phase=None):
        seen.append((done, total))
        return original(self, done, total, phase)

    monkeypatch.setattr(Job, "set_progress", spy)
    from accounts.access import Scope

    summary = export_visit_report(job, Scope.for_user(world.user("staff_c1")))
    assert summary["rows"] == 2
    # Reading (0 of unknown), then each written row of 3 (2 visits, 1 cell not visited).
    assert seen[0] == (0, 0) and seen[1] == (0, 3)
    assert [d for d, _t in seen[2:]] == [1, 2, 3, 3, 3]


def test_an_export_request_needs_a_format(login, c1):
    r = login("staff_c1").post(export_url(c1), {"year": 2025, "month": 3, "format": "pdf"})
    assert r.status_code == 400
    assert not Job.objects.exists()


def test_the_export_is_post_only(login, c1):
    assert login("staff_c1").get(export_url(c1)).status_code == 405


def test_a_visit_kind_label_for_each_kind():
    from oversight.report import VISIT_KIND_VI

    assert set(VISIT_KIND_VI) == set(VisitKind)
