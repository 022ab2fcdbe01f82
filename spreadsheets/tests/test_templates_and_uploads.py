import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lib.vn import ETHNICITIES
from members.models import Member
from spreadsheets import xlsx
from spreadsheets.columns import MEMBER_COLUMNS, ORG_COLUMNS
from spreadsheets.models import Job, JobStatus
from spreadsheets.tests.conftest import label, member_file, member_row, xlsx_bytes


def download_template(client, kind):
    response = client.get(reverse(f"spreadsheets:template_{kind}"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def dropdowns(wb, sheet):
    """Header of each column with a list validation → the values offered."""
    ws = wb[sheet]
    headers = {cell.column_letter: cell.value for cell in ws[1]}
    out = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        ref = dv.formula1.split("!")[1].replace("$", "")
        start, end = ref.split(":")
        values = [c.value for row in wb[xlsx.LISTS_SHEET][f"{start}:{end}"] for c in row]
        letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
        assert str(dv.sqref).startswith(f"{letter}2:")
        out[headers[letter]] = values
    return out


def test_the_member_template_has_vietnamese_headers_a_guide_and_dropdowns(login):
    wb = download_template(login("secretary_k1"), "members")
    ws = wb[xlsx.DATA_SHEET_NAMES["members"]]
    expected = [c.header for c in MEMBER_COLUMNS if not c.export_only]
    assert [c.value for c in ws[1]] == expected
    assert expected[:3] == ["Mã chi bộ", "Họ và tên", "Họ tên khai sinh"]
    guide = "\n".join(
        str(c.value) for row in wb[xlsx.GUIDE_SHEET].iter_rows() for c in row if c.value
    )
    assert "dd/mm/yyyy" in guide and "Số lý lịch" in guide
    lists = dropdowns(wb, xlsx.DATA_SHEET_NAMES["members"])
    assert set(lists) == {
        "Giới tính",
        "Dân tộc",
        "Tôn giáo",
        "Giáo dục phổ thông",
        "Lý luận chính trị",
        "Trình độ chuyên môn",
        "Tình trạng",
        "Lý do ra khỏi Đảng",
        "Đoàn viên TNCS Hồ Chí Minh",
    }
    assert lists["Dân tộc"] == [name for _code, name in ETHNICITIES] and len(lists["Dân tộc"]) == 54
    assert lists["Đoàn viên TNCS Hồ Chí Minh"] == ["Có", "Không"]
    assert lists["Giới tính"] == [label("sex", "M"), label("sex", "F")]
    assert label("status", "probationary") in lists["Tình trạng"]
    assert wb[xlsx.LISTS_SHEET].sheet_state == "hidden"


def test_the_organization_template_offers_kinds_and_cell_types(login):
    wb = download_template(login("staff_c1"), "organizations")
    ws = wb[xlsx.DATA_SHEET_NAMES["organizations"]]
    assert [c.value for c in ws[1]] == [c.header for c in ORG_COLUMNS if not c.export_only]
    lists = dropdowns(wb, xlsx.DATA_SHEET_NAMES["organizations"])
    assert set(lists) == {"Loại tổ chức", "Loại hình chi bộ"}
    assert label("kind", "cell") in lists["Loại tổ chức"]


def test_a_filled_in_template_imports(login, upload, world):
    client = login("staff_p1")
    wb = download_template(client, "members")
    ws = wb[xlsx.DATA_SHEET_NAMES["members"]]
    row = member_row()
    ws.append([row.get(c.key) for c in MEMBER_COLUMNS if not c.export_only])
    buf = io.BytesIO()
    wb.save(buf)
    _response, job = upload("members", buf.getvalue())
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert Member.objects.filter(dossier_no="100001TN").exists()


@pytest.mark.parametrize(
    ("user", "status"), [("committee_c1", 404), ("member_k1", 404), ("nobody", 404)]
)
def test_templates_are_for_those_who_import(login, user, status):
    client = login(user)
    assert client.get(reverse("spreadsheets:template_members")).status_code == status


# ---- uploads refused before anything is queued ---------------------------------


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def refused(upload, content, name="tep.xlsx"):
    before = Job.objects.count()
    response, job = upload("members", content, name=name)
    assert response.status_code == 400
    assert job is None and Job.objects.count() == before
    return response.context["forms"]["members"].errors.as_data()["file"][0].code


def test_a_zip_bomb_is_refused_before_parsing(login, upload):
    login("staff_p1")
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (8 * 1024 * 1024),
        }
    )
    assert len(bomb) < 100_000
    assert refused(upload, bomb) == "zip_bomb"


def test_inspection_rejects_a_bomb_without_opening_it_with_openpyxl(monkeypatch):
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<row>" * 2_000_000,
        }
    )
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(ValidationError) as e:
        xlsx.inspect_upload(io.BytesIO(bomb))
    assert e.value.code == "zip_bomb"


def test_a_file_over_the_size_limit_is_refused(login, upload, settings):
    login("staff_p1")
    content = member_file([member_row()])
    settings.CHIBO_MAX_IMPORT_BYTES = len(content) - 1
    assert refused(upload, content) == "too_large"


def test_files_that_are_not_xlsx_are_refused(login, upload):
    login("staff_p1")
    assert refused(upload, b"full name;birth date\n", name="members.csv") == "not_xlsx"
    assert refused(upload, b"this is not a zip", name="members.xlsx") == "not_xlsx"
    assert refused(upload, zip_bytes({"hello.txt": b"hi"}), name="members.xlsx") == "not_xlsx"
    broken = zip_bytes({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"<broken"})
    assert refused(upload, broken) == "not_xlsx"


def test_a_file_with_too_many_rows_is_refused(login, upload, monkeypatch):
    login("staff_p1")
    monkeypatch.setattr(xlsx, "MAX_DATA_ROWS", 3)
    content = member_file([member_row(dossier_no=f"30000{i}TN") for i in range(4)])
    assert refused(upload, content) == "too_many_rows"


def test_rows_are_counted_from_the_sheet_xml():
    content = xlsx_bytes(["a"], [[i] for i in range(10)])
    xlsx.inspect_upload(io.BytesIO(content), max_rows=10)
    with pytest.raises(ValidationError) as e:
        xlsx.inspect_upload(io.BytesIO(content), max_rows=9)
    assert e.value.code == "too_many_rows"
