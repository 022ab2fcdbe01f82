import datetime as dt
import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.access import Scope
from members.models import Member, MemberStatus, Person
from members.services import create_member
from spreadsheets import exporters
from spreadsheets.columns import MEMBER_COLUMNS
from spreadsheets.models import Job, JobKind, JobStatus

CID = "001185009999"  # Trần Thị Hoa: female, born 1985


def export(client, name="members", query=""):
    response = client.post(reverse(f"spreadsheets:export_{name}") + query)
    assert response.status_code == 302, response.status_code
    job = Job.objects.latest("created_at")
    assert response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.SUCCEEDED, job.phase
    download = client.get(reverse("spreadsheets:job_download", args=[job.uuid]))
    assert download.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    return job, [dict(zip(header, r, strict=True)) for r in rows[1:]], wb.worksheets[0]


def give_hoa_a_citizen_id(world):
    person = world.member("Trần Thị Hoa", "K1").person
    person.citizen_id = CID
    person.save()


def test_the_member_export_applies_the_list_filters(login, world):
    give_hoa_a_citizen_id(world)
    client = login("staff_p1")
    job, rows, _ws = export(client, query="?status=official&sex=F")
    assert {r["Họ và tên"] for r in rows} == {"Trần Thị Hoa", "Vũ Thị Mai"}
    hoa = next(r for r in rows if r["Họ và tên"] == "Trần Thị Hoa")
    assert hoa["Số CCCD"] == CID
    assert hoa["Mã chi bộ"] == "K1" and hoa["Tên chi bộ"] == "Chi bộ thôn Đông"
    assert isinstance(hoa["Ngày sinh"], dt.datetime) and hoa["Ngày sinh"].date() == dt.date(
        1985, 7, 9
    )
    assert job.summary == {"rows": 2}


def test_the_member_export_of_one_organization(login, world):
    client = login("staff_p1")
    _job, rows, _ws = export(client, query=f"?org={world.org('C1').uuid}&status=all")
    assert {r["Mã chi bộ"] for r in rows} == {"K1", "K2"} and len(rows) == 6


def test_a_committee_member_exports_masked_citizen_ids_of_their_subtree(login, world):
    give_hoa_a_citizen_id(world)
    client = login("committee_c1")
    _job, rows, _ws = export(client)
    assert {r["Mã chi bộ"] for r in rows} == {"K1", "K2"}
    hoa = next(r for r in rows if r["Họ và tên"] == "Trần Thị Hoa")
    assert hoa["Số CCCD"] == "001••••••999"


def test_exported_text_cannot_run_as_a_formula(login, world):
    person = world.member("Trần Thị Hoa", "K1").person
    person.native_place = '=HYPERLINK("http://evil","x")'
    person.residence = "@SUM(A1)"
    person.save()
    client = login("staff_p1")
    _job, rows, ws = export(client, query="?q=tran+thi+hoa")
    assert rows[0]["Quê quán"] == "'" + person.native_place
    assert rows[0]["Nơi ở hiện nay"] == "'@SUM(A1)"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_an_export_of_members_imports_back_unchanged(login, upload, world):
    client = login("staff_p1")
    job, rows, _ws = export(client, query="?status=all")
    content = b"".join(
        client.get(reverse("spreadsheets:job_download", args=[job.uuid])).streaming_content
    )
    before = Member.history.count(), Person.history.count()
    _response, job = upload("members", content)
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert job.summary == {"created": 0, "updated": 0, "unchanged": len(rows), "rows": len(rows)}
    assert (Member.history.count(), Person.history.count()) == before


def test_an_export_outside_the_scope_is_404(login, world):
    client = login("staff_c1")
    before = Job.objects.count()
    response = client.post(reverse("spreadsheets:export_members") + f"?org={world.org('K3').uuid}")
    assert response.status_code == 404 and Job.objects.count() == before
    assert client.get(reverse("spreadsheets:export_members")).status_code == 405


def test_a_plain_member_cannot_export(login, world):
    client = login("member_k1")
    assert client.post(reverse("spreadsheets:export_members")).status_code == 404


def _export_queries(world):
    job = Job.objects.create(
        kind=JobKind.EXPORT_MEMBERS,
        user=world.user("staff_p1"),
        params={"filters": {"status": "all"}},
    )
    scope = Scope.for_user(job.user)
    with CaptureQueriesContext(connection) as ctx:
        summary = exporters.export_members(job, scope)
    return summary["rows"], len(ctx.captured_queries)


def test_the_export_query_count_does_not_grow_with_rows(world):
    rows_before, queries_before = _export_queries(world)
    k2 = world.org("K2")
    for i in range(30):
        create_member(
            person=Person(full_name=f"Người Số {i}", sex="M", birth_date=dt.date(1980, 1, 1)),
            member=Member(
                dossier_no=f"{500000 + i}TN",
                status=MemberStatus.OFFICIAL,
                ceremony_date=dt.date(2010, 1, 1),
                official_date=dt.date(2011, 1, 1),
            ),
            organization=k2,
            start_date=dt.date(2010, 1, 1),
        )
    rows_after, queries_after = _export_queries(world)
    assert rows_after == rows_before + 30
    assert queries_after == queries_before


def test_the_organization_export_lists_a_subtree_with_parents_and_villages(login, world):
    client = login("staff_p1")
    _job, rows, _ws = export(client, "organizations", f"?org={world.org('C1').uuid}")
    by_code = {r["Mã tổ chức"]: r for r in rows}
    assert set(by_code) == {"C1", "K1", "T1", "K2"}
    assert by_code["C1"]["Mã tổ chức cấp trên"] == "P1"
    assert by_code["T1"]["Mã tổ chức cấp trên"] == "K1"
    assert by_code["K1"]["Thôn, tổ dân phố"] == "Thôn Đông; Thôn Nam"
    assert [c.header for c in MEMBER_COLUMNS][0] == "Mã chi bộ"
