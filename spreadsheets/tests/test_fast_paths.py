"""The fast paths of big imports and exports (goals P9, P10) against the library code they
replace: the streamed sheet against openpyxl's writer, the XML reader against openpyxl's
reader, and the executemany inserts against simple_history's bulk_create_with_history."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from simple_history.utils import bulk_create_with_history

from lib.bulk import insert_with_history
from members import services
from members.models import Member, Membership, MembershipKind, Person
from spreadsheets import xlsx
from spreadsheets.models import JobStatus
from spreadsheets.tests.conftest import label, member_file, member_row
from spreadsheets.tests.test_import_members_bulk import history_counts, many_rows, run_import

ROWS = [
    ["Nguyễn Văn An", dt.date(1990, 5, 17), 5, None, " padded ", "=1+2", True, False],
    ["x<&>\"'", dt.datetime(2021, 5, 6, 7, 8), 1.5, "", "@SUM(A1)", "a\rb\tc\nd", 0, None],
    [None, None, None, None, None, None, None, None],
    ["-5", dt.date(1900, 2, 1), -3, "Có", "x", "ok", None, "end"],
]
HEADERS = ["Tên", "Ngày", "Số", "Trống", "Chữ", "Công thức", "Đúng", "Sai"]


def cells(content: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    shape = (ws.title, ws.freeze_panes, {k: d.width for k, d in ws.column_dimensions.items()})
    rows = [
        [
            (c.value, c.number_format, c.font.b, c.fill.fgColor.rgb)
            for c in row
            if c.value is not None
        ]
        for row in ws.iter_rows()
    ]
    return shape, rows


def test_the_streamed_sheet_has_the_cells_openpyxl_writes():
    wb = xlsx.write_only_workbook()
    writer = xlsx.RowWriter(wb, "Đảng viên", HEADERS, list(range(10, 18)))
    for row in ROWS:
        writer.append(row)
    before = io.BytesIO()
    wb.save(before)
    after = io.BytesIO()
    with xlsx.SheetStream(after, "Đảng viên", HEADERS, list(range(10, 18)), flush_every=2) as s:
        for row in ROWS:
            s.append(row)
    assert cells(after.getvalue()) == cells(before.getvalue())
    # Text that looks like a formula stays text; nothing is a formula.
    ws = openpyxl.load_workbook(io.BytesIO(after.getvalue())).worksheets[0]
    assert ws["F2"].value == "'=1+2" and ws["E3"].value == "'@SUM(A1)"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_the_streamed_sheet_drops_characters_xml_cannot_hold():
    out = io.BytesIO()
    with xlsx.SheetStream(out, "S", ["a"], [10]) as s:
        s.append(["bell\x07 and nul\x00"])
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert ws["A2"].value == "bell and nul"


def openpyxl_rows(content: bytes, sheet: str):
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


def reader_rows(content: bytes, sheet: str):
    wb = xlsx.XlsxReader(io.BytesIO(content))
    total, rows = wb.rows(sheet)
    out = list(rows)
    wb.close()
    return total, out


def trim(row):
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


def test_the_reader_reads_what_openpyxl_reads():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đảng viên"
    ws.append(HEADERS)
    for row in ROWS:
        ws.append(row)
    ws["B7"] = "a gap: row 7 after empty rows"
    ws["C8"] = dt.time(7, 30)
    ws["D8"] = dt.timedelta(hours=30)
    ws["D8"].number_format = "[h]:mm"
    buf = io.BytesIO()
    wb.save(buf)
    content = buf.getvalue()
    expected = openpyxl_rows(content, "Đảng viên")
    total, got = reader_rows(content, "Đảng viên")
    assert total == 8
    # Excel's row numbers; a row without values may come as an empty list, or not at all.
    assert [n for n, r in got if r] == [1, 2, 3, 5, 7, 8]
    by_number = dict(got)
    for n, row in enumerate(expected, start=1):
        assert trim(by_number.get(n, [])) == trim(row), n


SHARED = (
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3">'
    "<si><t>Nguyễn Văn An</t></si>"
    '<si><r><rPr><b/></rPr><t xml:space="preserve">Chi bộ </t></r><r><t>thôn Đông</t></r>'
    '<rPh sb="0" eb="1"><t>phonetic</t></rPh></si>'
    "<si><t>tab_x005F_x0009_</t></si>"
    "</sst>"
)


def with_shared_strings(content: bytes) -> bytes:
    """The workbook with its first sheet's A2:C2 as shared strings, as Excel saves text."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<row r="2"')
                end = text.index("</row>", start)
                text = (
                    text[:start]
                    + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
                    + '<c r="C2" t="s"><v>2</v></c>'
                    + text[end:]
                )
                data = text.encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.'
                    b"openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
                    b'"/></Relationships>',
                )
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            z.writestr(info, data)
        z.writestr("xl/sharedStrings.xml", SHARED)
    return out.getvalue()


def test_the_reader_reads_shared_and_rich_text_strings_as_openpyxl_does():
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b", "c"])
    wb.active.append(["x", "y", "z"])
    buf = io.BytesIO()
    wb.save(buf)
    content = with_shared_strings(buf.getvalue())
    expected = openpyxl_rows(content, "Sheet")
    _total, got = reader_rows(content, "Sheet")
    assert [trim(r) for _n, r in got] == [trim(r) for r in expected]
    assert got[1][1] == ["Nguyễn Văn An", "Chi bộ thôn Đông", "tab_x0009_"]


def test_an_exported_file_reads_back_with_its_dates_and_text():
    out = io.BytesIO()
    with xlsx.SheetStream(out, "Đảng viên", HEADERS, [10] * 8) as s:
        for row in ROWS:
            s.append(row)
    content = out.getvalue()
    _total, got = reader_rows(content, "Đảng viên")
    assert [trim(r) for _n, r in got if r] == [
        trim(r) for r in openpyxl_rows(content, "Đảng viên") if any(v is not None for v in r)
    ]


def new_people(province, n, tag):
    people = []
    for i in range(n):
        p = Person(
            province_id=province.pk,
            full_name=f"Lê Thị {tag} {i}",
            sex="F",
            birth_date=dt.date(1985, 1, 1 + i % 28),
            citizen_id="",
            phone=f"09{i:08d}",
        )
        p.refresh_derived()
        people.append(p)
    return people


IGNORED = {"id", "uuid", "history_id", "history_date", "created_at", "updated_at", "full_name"}


def stored(model, objs):
    rows = model.objects.filter(pk__in=[o.pk for o in objs]).order_by("pk").values()
    history = model.history.filter(id__in=[o.pk for o in objs]).order_by("id").values()
    strip = lambda r: {k: v for k, v in r.items() if k not in IGNORED and k != "search_text"}  # noqa: E731
    return [strip(r) for r in rows], [strip(r) for r in history]


def test_insert_with_history_writes_what_bulk_create_with_history_writes(world):
    user, province = world.user("staff_p1"), world.org("P1")
    ours = insert_with_history(new_people(province, 5, "A"), Person, user=user)
    theirs = bulk_create_with_history(new_people(province, 5, "A"), Person, default_user=user)
    assert all(p.pk and not p._state.adding for p in ours)
    assert len({p.pk for p in ours + theirs}) == 10
    mine, reference = stored(Person, ours), stored(Person, theirs)
    for got, want in zip(mine, reference, strict=True):
        assert [{**r, "sort_key": None} for r in got] == [{**r, "sort_key": None} for r in want]
    assert mine[1][0]["history_type"] == "+" and mine[1][0]["history_user_id"] == user.pk
    assert Person.objects.get(pk=ours[0].pk).created_at is not None


def test_ids_are_not_reused_after_a_delete(world):
    province = world.org("P1")
    first = insert_with_history(new_people(province, 2, "B"), Person)
    top = first[-1].pk
    Person.history.filter(id__in=[p.pk for p in first]).delete()
    Person.objects.filter(pk__in=[p.pk for p in first]).delete()
    again = insert_with_history(new_people(province, 1, "C"), Person)
    assert again[0].pk > top


def reference_create_members_bulk(rows, *, user=None):
    """create_members_bulk as it was with simple_history's bulk_create_with_history: the fast
    inserts must write the same rows and history."""
    for row in rows:
        row.person.province_id = row.organization.province_id
        row.person.refresh_derived()
    bulk_create_with_history([r.person for r in rows], Person, default_user=user)
    for row in rows:
        row.member.person = row.person
        row.member.sort_key = row.person.sort_key
        row.member.province_id = row.organization.province_id
        row.member.organization = row.organization
    members = bulk_create_with_history([r.member for r in rows], Member, default_user=user)
    bulk_create_with_history(
        [
            Membership(
                province_id=r.organization.province_id,
                member=r.member,
                organization=r.organization,
                kind=MembershipKind.HOME,
                start_date=r.start_date,
                note=r.note,
            )
            for r in rows
        ],
        Membership,
        default_user=user,
    )
    services.close_memberships_of_leavers(
        [r.member for r in rows if not r.member.is_active], user=user
    )
    return members


def test_create_members_bulk_writes_what_bulk_create_with_history_writes(world):
    user = world.user("staff_p1")

    def batch(tag):
        return [
            services.NewMember(
                Person(full_name=f"Trần Văn {tag}", sex="M", birth_date=dt.date(1980, 1, 1)),
                Member(
                    dossier_no=f"4{tag}000{n}TN",
                    status="left" if n == 1 else "official",
                    left_reason="death" if n == 1 else "",
                    status_date=dt.date(2024, 1, 2) if n == 1 else None,
                    ceremony_date=dt.date(2010, 1, 1),
                    official_date=dt.date(2011, 1, 2),
                ),
                world.org("K1"),
                dt.date(2012, 5, 1),
            )
            for n in range(3)
        ]

    before = history_counts()
    ours = services.create_members_bulk(batch(1), user=user)
    middle = history_counts()
    theirs = reference_create_members_bulk(batch(2), user=user)
    after = history_counts()
    assert [m - b for m, b in zip(middle, before, strict=True)] == [
        a - m for a, m in zip(after, middle, strict=True)
    ]

    def shape(members):
        out = []
        for m in members:
            m.refresh_from_db()
            ms = list(
                Membership.objects.filter(member=m).values_list(
                    "kind", "start_date", "end_date", "note", "organization_id", "province_id"
                )
            )
            types = list(
                Membership.history.filter(member_id=m.pk)
                .order_by("history_id")
                .values_list("history_type", "history_user")
            )
            out.append(
                (m.status, m.organization_id, m.province_id, m.person.province_id, ms, types)
            )
            assert m.sort_key == m.person.sort_key != ""
        return out

    assert shape(ours) == shape(theirs)


def test_a_big_file_with_one_bad_row_writes_nothing_and_names_the_row_and_column(world):
    rows = many_rows(1200)
    rows[1000]["birth_date"] = "31/02/1990"
    people, histories = Person.objects.count(), history_counts()
    job = run_import(world, "staff_p1", member_file(rows))
    assert job.status == JobStatus.FAILED
    assert job.errors == [{"row": 1002, "column": "Ngày sinh", "message": job.errors[0]["message"]}]
    assert "01/07/2025" in job.errors[0]["message"]  # the date message, in either language
    assert Person.objects.count() == people and history_counts() == histories


@pytest.mark.parametrize("status", ["official", "probationary"])
def test_a_small_import_still_succeeds(world, status):
    row = member_row(status=label("status", status))
    if status == "probationary":
        row["official_date"] = ""
    job = run_import(world, "staff_p1", member_file([row]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
