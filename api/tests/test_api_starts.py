"""The API's "start" operations of a member's life: listing a candidate, opening the probation
record of a member entered without one, starting an outgoing transfer, recording an incoming
one. Each writes what its page writes, with the page's access rules; a refusal writes nothing.
"""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from admissions.models import Candidate, Stage
from members.models import Member, Person
from organizations.models import Organization
from transfers.models import Transfer

JSON = "application/json"
OUTSIDE = "Chi bộ thôn Bắc, Đảng bộ xã Tân Phú, tỉnh Khác"
# Columns that differ between two identical writes (identity, clock).
VOLATILE = {"id", "uuid", "person_id", "created_at", "updated_at"}


def post(client, path, body=None, lang=None):
    return client.post(
        f"/api/v1{path}",
        data=json.dumps(body or {}),
        content_type=JSON,
        headers={"Accept-Language": lang} if lang else {},
    )


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def row(obj) -> dict:
    """The stored columns of a row, but for those that differ between two identical writes."""
    obj.refresh_from_db()
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in VOLATILE
    }


def fields(response) -> set[str]:
    return {e["field"] for e in response.json()["detail"]}


def counts() -> tuple:
    return (
        Candidate.objects.count(),
        Candidate.history.count(),
        Person.objects.count(),
        Transfer.objects.count(),
        Transfer.history.count(),
        Member.history.count(),
    )


@pytest.fixture
def nam(world):
    """Lê Văn Nam, probationary in K1 (ceremony 01/06/2025), entered without a candidacy."""
    return world.member("Lê Văn Nam", "K1")


# ---- POST /candidates ------------------------------------------------------------------

PERSON = {
    "full_name": "Đỗ Minh Khôi",
    "sex": "M",
    "birth_date": "2000-01-15",
    "ethnicity": "01",
    "citizen_id": "001200099999",
    "phone": "0912345678",
    "native_place": "Xã An Bình",
    "residence": "Thôn Đông",
    "general_education": "upper_secondary",
    "youth_union": True,
}


def candidate_body(world, cell="K1", **extra):
    person = {**PERSON, **extra.pop("person", {})}
    return {
        "cell": str(world.org(cell).uuid),
        "listed_on": "2025-03-06",
        "recommended_by": "Chi đoàn thôn Đông",
        "person": person,
        **extra,
    }


def test_a_candidate_is_listed_as_the_page_lists_them(token_client, login, world):
    k1 = world.org("K1")
    page = {**PERSON, "listed_on": "06/03/2025", "recommended_by": "Chi đoàn thôn Đông"}
    page["youth_union"] = "on"
    r = login("secretary_k1").post(reverse("admissions:create", args=[k1.uuid]), page)
    assert r.status_code == 302, r.content[:500]
    by_page = Candidate.objects.get(person__full_name="Đỗ Minh Khôi")
    expected = (row(by_page), row(by_page.person))
    by_page.delete()
    by_page.person.delete()

    before = Candidate.history.count()
    r = post(token_client("secretary_k1"), "/candidates", candidate_body(world))
    assert r.status_code == 201, r.content
    by_api = Candidate.objects.get(person__full_name="Đỗ Minh Khôi")
    assert (row(by_api), row(by_api.person)) == expected
    assert by_api.stage == Stage.LISTED and by_api.organization == k1
    assert by_api.created_by == world.user("secretary_k1")
    assert Candidate.history.count() == before + 1
    d = r.json()
    assert d["uuid"] == str(by_api.uuid)
    assert d["stage"] == "listed" and d["listed_on"] == "2025-03-06"
    assert d["organization"]["uuid"] == str(k1.uuid)
    # The secretary manages the cell: the full citizen ID, and the cell's next steps.
    assert d["person"]["citizen_id"] == "001200099999"
    assert d["steps"] == ["sympathizer", "reject"]


def test_who_may_list_a_candidate(token_client, anon, world):
    before = counts()
    # Read-only committee member: visible cell, no capability.
    assert post(token_client("committee_c1"), "/candidates", candidate_body(world)).status_code == (
        403
    )
    # Out of scope: a sibling cell for the secretary, another province, nobody's.
    for user, cell in [
        ("secretary_k1", "K2"),
        ("staff_p2", "K1"),
        ("staff_p1", "K4"),
        ("member_k1", "K1"),
        ("nobody", "K1"),
    ]:
        r = post(token_client(user), "/candidates", candidate_body(world, cell))
        assert r.status_code == 404, (user, cell)
        assert world.org(cell).name not in text(r)
    assert post(anon, "/candidates", candidate_body(world)).status_code == 401
    assert counts() == before
    # The committee's staff lists in any of its cells; a province's staff in its own.
    r = post(token_client("staff_c1"), "/candidates", candidate_body(world, "K2"))
    assert r.status_code == 201, r.content
    assert r.json()["organization"]["name"] == world.org("K2").name
    lan = {"full_name": "Phan Thị Lan", "sex": "F", "citizen_id": "001300099998"}
    body = candidate_body(world, "K4", person=lan)
    r = post(token_client("staff_p2"), "/candidates", body)
    assert r.status_code == 201, r.content


def test_a_refused_candidate_is_a_422_and_writes_nothing(token_client, world):
    client = token_client("staff_c1")
    taken = world.member("Trần Thị Hoa", "K1").person
    taken.citizen_id = "001185012345"  # the digits say: a woman born in 1985, as she is
    taken.save()
    hoa_id = {"citizen_id": "001185012345", "sex": "F", "birth_date": "1985-07-09"}
    before = counts()
    cases = [
        # The page form's rules: a choice, a citizen ID's format, the sizes.
        ({"person": {"ethnicity": "99"}}, {"person.ethnicity"}),
        ({"person": {"citizen_id": "12345"}}, {"person.citizen_id"}),
        # The service's: per-province uniqueness, the dates.
        ({"person": {"citizen_id": "001200099998", "sex": "F"}}, {"person.citizen_id"}),
        ({"person": hoa_id}, {"person.citizen_id"}),
        ({"listed_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, {"listed_on"}),
        ({"listed_on": "1999-12-31"}, {"listed_on"}),
        # Candidates are developed by a cell, not a committee.
        ({"cell": "C1"}, {"cell"}),
        # The schema's: a missing name, a field the page's form does not have.
        ({"person": {"full_name": ""}}, {"person.full_name"}),
        ({"person": {"political_theory": "so_cap"}}, {"person.political_theory"}),
        ({"listed_on": "06/03/2025"}, {"listed_on"}),
    ]
    for extra, expected in cases:
        r = post(client, "/candidates", candidate_body(world, **extra), lang="en")
        assert r.status_code == 422, (extra, r.content)
        assert fields(r) == expected, (extra, r.json())
    # In Vietnamese by default, at the field the client sent.
    body = candidate_body(world, person=hoa_id)
    item = post(client, "/candidates", body).json()["detail"][0]
    assert item["loc"] == ["body", "person", "citizen_id"]
    assert item["msg"] == (
        "Số định danh cá nhân này đã có trong tỉnh: của một đảng viên hoặc một quần chúng đã có "
        "trong danh sách."
    )
    assert counts() == before
    # The same citizen ID in another province is another person's business.
    body = candidate_body(world, "K4", person=hoa_id)
    assert post(token_client("staff_p2"), "/candidates", body).status_code == 201


def test_a_dissolved_cell_lists_no_candidate(token_client, world):
    Organization.objects.filter(code="K2").update(dissolved_on=dt.date(2025, 1, 1))
    before = counts()
    r = post(token_client("staff_c1"), "/candidates", candidate_body(world, "K2"))
    assert r.status_code == 422
    assert fields(r) == {"cell"}
    assert counts() == before


# ---- POST /members/{uuid}/probation ----------------------------------------------------


def test_the_probation_record_is_opened_as_the_page_opens_it(token_client, login, world, nam):
    r = login("secretary_k1").post(reverse("admissions:open_probation", args=[nam.uuid]))
    assert r.status_code == 302
    by_page = Candidate.objects.get(member=nam)
    expected = row(by_page)
    by_page.delete()

    r = post(token_client("secretary_k1"), f"/members/{nam.uuid}/probation")
    assert r.status_code == 201, r.content
    by_api = Candidate.objects.get(member=nam)
    assert row(by_api) == expected
    assert by_api.stage == Stage.PROBATION and by_api.ceremony_on == dt.date(2025, 6, 1)
    d = r.json()
    assert d["uuid"] == str(by_api.uuid)
    assert d["member"] == str(nam.uuid)
    assert d["stage"] == "probation" and d["probation_end"]
    assert "recognition_vote" in d["steps"]
    # A second call answers with the record the member has: nothing new.
    before = counts()
    r = post(token_client("staff_c1"), f"/members/{nam.uuid}/probation")
    assert r.status_code == 200
    assert r.json()["uuid"] == str(by_api.uuid)
    assert counts() == before


def test_who_may_open_the_probation_record(token_client, anon, world, nam):
    path = f"/members/{nam.uuid}/probation"
    before = counts()
    assert post(token_client("committee_c1"), path).status_code == 403
    for user in ("staff_p2", "member_k1", "nobody"):
        r = post(token_client(user), path)
        assert r.status_code == 404, user
        assert "Lê Văn Nam" not in text(r)
    # A member of a sibling cell is outside the secretary's scope.
    binh = world.member("Hoàng Văn Bình", "K2")
    assert post(token_client("secretary_k1"), f"/members/{binh.uuid}/probation").status_code == 404
    assert post(anon, path).status_code == 401
    assert counts() == before


def test_only_a_probationary_member_with_a_ceremony_date_has_one(token_client, world, nam):
    client = token_client("secretary_k1")
    before = counts()
    duc = world.member("Nguyễn Văn Đức", "K1")
    r = post(client, f"/members/{duc.uuid}/probation", lang="en")
    assert r.status_code == 422
    assert (
        r.json()["detail"][0]["msg"] == "Only a probationary member with a ceremony date has one."
    )
    Member.objects.filter(pk=nam.pk).update(ceremony_date=None)
    assert post(client, f"/members/{nam.uuid}/probation").status_code == 422
    assert counts() == before


# ---- POST /transfers ------------------------------------------------------------------


def start_body(member, **extra):
    return {
        "member": str(member.uuid),
        "kind": "official",
        "reason": "job",
        "reason_detail": "Quyết định 12/QĐ-UBND",
        "trigger_date": "2026-01-05",
        "started_on": "2026-01-12",
        "note": "Đã đóng đảng phí",
        **extra,
    }


def test_a_transfer_is_started_as_the_page_starts_it(token_client, login, world, nam):
    k2 = world.org("K2")
    page = {
        "kind": "official",
        "reason": "job",
        "reason_detail": "Quyết định 12/QĐ-UBND",
        "trigger_date": "05/01/2026",
        "started_on": "12/01/2026",
        "to_org": k2.pk,
        "note": "Đã đóng đảng phí",
    }
    r = login("secretary_k1").post(reverse("transfers:start", args=[nam.uuid]), page)
    assert r.status_code == 302, r.content[:500]
    by_page = Transfer.objects.get(member=nam)
    expected = row(by_page)
    by_page.delete()

    before = Transfer.history.count()
    body = start_body(nam, to_org=str(k2.uuid))
    r = post(token_client("secretary_k1"), "/transfers", body)
    assert r.status_code == 201, r.content
    by_api = Transfer.objects.get(member=nam)
    assert row(by_api) == expected
    assert Transfer.history.count() == before + 1
    d = r.json()
    assert d["uuid"] == str(by_api.uuid)
    assert d["status"] == "started" and d["member"] == str(nam.uuid)
    assert d["from_org"]["name"] == world.org("K1").name
    assert d["to_org"]["name"] == k2.name
    assert d["start_due"] and d["reason_detail"] == "Quyết định 12/QĐ-UBND"
    # The letter is the committee's; the secretary may cancel.
    assert d["steps"] == ["cancel"]


def test_a_transfer_outside_the_system_and_a_temporary_one(token_client, world, nam):
    r = post(token_client("staff_c1"), "/transfers", start_body(nam, to_org_name=OUTSIDE))
    assert r.status_code == 201, r.content
    assert r.json()["to_org"] is None and r.json()["to_org_name"] == OUTSIDE
    assert r.json()["steps"] == ["issue", "cancel"]
    binh = world.member("Hoàng Văn Bình", "K2")
    body = start_body(
        binh,
        kind="temporary",
        reason="residence",
        trigger_date="2026-01-05",
        end_date="2026-07-05",
        to_org=str(world.org("K1").uuid),
    )
    r = post(token_client("staff_c1"), "/transfers", body)
    assert r.status_code == 201, r.content
    assert r.json()["kind"] == "temporary" and r.json()["end_date"] == "2026-07-05"


def test_a_cell_of_another_province_is_named_by_province_and_code(token_client, world, nam):
    client = token_client("secretary_k1")
    p1, p2, k4 = world.org("P1"), world.org("P2"), world.org("K4")
    before = counts()
    refused = [
        # The page lists the cells of the member's province only.
        ({"to_org": str(k4.uuid)}, {"to_org"}),
        # Another province: not the member's own; a cell's code, of a cell there.
        ({"to_province": str(p1.uuid), "to_code": "K2"}, {"to_province", "to_code"}),
        ({"to_province": str(p2.uuid), "to_code": "C3"}, {"to_code"}),
        ({"to_province": str(p2.uuid), "to_code": "K9"}, {"to_code"}),
        ({"to_province": str(p2.uuid)}, {"to_code"}),
        # One receiving cell only.
        ({"to_province": str(p2.uuid), "to_code": "K4", "to_org": str(world.org("K2").uuid)},),
    ]
    for extra, *expected in refused:
        r = post(client, "/transfers", start_body(nam, **extra), lang="en")
        assert r.status_code == 422, (extra, r.content)
        if expected:
            assert fields(r) == expected[0], (extra, r.json())
    # Nothing about the other province's cell leaks beyond what the page says.
    assert k4.name not in text(post(client, "/transfers", start_body(nam, to_org=str(k4.uuid))))
    assert counts() == before

    r = post(client, "/transfers", start_body(nam, to_province=str(p2.uuid), to_code="K4"))
    assert r.status_code == 201, r.content
    transfer = Transfer.objects.get(uuid=r.json()["uuid"])
    assert transfer.to_org == k4 and transfer.from_org == world.org("K1")
    assert transfer.province_id == p1.pk
    # Both sides see it: the receiving province's staff, without the member's record.
    d = token_client("staff_p2").get(f"/api/v1/transfers/{transfer.uuid}").json()
    assert d["member"] is None and d["member_name"] == "Lê Văn Nam"


def test_a_dissolved_cell_of_another_province_receives_no_one(token_client, world, nam):
    Organization.objects.filter(code="K4").update(dissolved_on=dt.date(2025, 1, 1))
    before = counts()
    body = start_body(nam, to_province=str(world.org("P2").uuid), to_code="K4")
    r = post(token_client("secretary_k1"), "/transfers", body)
    assert r.status_code == 422
    # Refused where the client named the cell.
    assert fields(r) == {"to_code"}
    assert counts() == before


def test_who_may_start_a_transfer(token_client, anon, world, nam):
    body = start_body(nam, to_org_name=OUTSIDE)
    before = counts()
    assert post(token_client("committee_c1"), "/transfers", body).status_code == 403
    for user in ("staff_p2", "member_k1", "nobody"):
        r = post(token_client(user), "/transfers", body)
        assert r.status_code == 404, user
        assert "Lê Văn Nam" not in text(r)
    binh = world.member("Hoàng Văn Bình", "K2")
    r = post(token_client("secretary_k1"), "/transfers", start_body(binh, to_org_name=OUTSIDE))
    assert r.status_code == 404
    assert post(anon, "/transfers", body).status_code == 401
    # Her own record: a plain member does not transfer herself.
    hoa = world.member("Trần Thị Hoa", "K1")
    r = post(token_client("member_k1"), "/transfers", start_body(hoa, to_org_name=OUTSIDE))
    assert r.status_code == 403
    assert counts() == before
    tam = world.member("Bùi Văn Tâm", "K4")
    r = post(token_client("staff_p2"), "/transfers", start_body(tam, to_org_name=OUTSIDE))
    assert r.status_code == 201, r.content


def test_a_refused_transfer_is_a_422_and_writes_nothing(token_client, world, nam):
    client = token_client("secretary_k1")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    k2 = str(world.org("K2").uuid)
    before = counts()
    cases = [
        ({}, {"to_org"}),  # no receiving side
        ({"to_org": str(world.org("K1").uuid)}, {"to_org"}),  # the member's own cell
        ({"to_org": str(world.org("C1").uuid)}, {"to_org"}),  # not a cell
        ({"to_org": k2, "reason": "study"}, {"reason"}),  # study is temporary
        ({"to_org": k2, "end_date": "2026-06-01"}, {"end_date"}),  # official: no end
        ({"to_org": k2, "kind": "temporary", "reason": "residence"}, {"end_date"}),
        ({"to_org": k2, "started_on": tomorrow}, {"started_on"}),
        ({"to_org": k2, "trigger_date": "05/01/2026"}, {"trigger_date"}),
        ({"to_org": k2, "kind": "sideways"}, {"kind"}),
    ]
    for extra, expected in cases:
        r = post(client, "/transfers", start_body(nam, **extra), lang="en")
        assert r.status_code == 422, (extra, r.content)
        assert fields(r) == expected, (extra, r.json())
    assert counts() == before
    # A member with a transfer in progress: refused before the form is, as on the page.
    assert post(client, "/transfers", start_body(nam, to_org=k2)).status_code == 201
    before = counts()
    r = post(client, "/transfers", start_body(nam, to_org=str(world.org("C1").uuid)))
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["field"] == "member" and item["type"] == "transfer_in_progress"
    assert item["msg"] == (
        "Đảng viên này đang có một việc chuyển sinh hoạt chưa xong: hãy hoàn tất hoặc hủy trước."
    )
    assert counts() == before


# ---- POST /transfers/incoming ----------------------------------------------------------


def incoming_body(world, cell="K1", **extra):
    return {
        "to_org": str(world.org(cell).uuid),
        "member_name": "Đinh Văn Long",
        "from_org_name": OUTSIDE,
        "reason": "residence",
        "reason_detail": "Chuyển về sống cùng gia đình",
        "trigger_date": "2026-01-05",
        "started_on": "2026-01-12",
        "note": "Có giấy giới thiệu",
        **extra,
    }


def test_an_incoming_transfer_is_recorded_as_the_page_records_it(token_client, login, world):
    k1 = world.org("K1")
    page = {k: v for k, v in incoming_body(world).items() if k != "to_org"}
    page.update(trigger_date="05/01/2026", started_on="12/01/2026")
    r = login("staff_c1").post(reverse("transfers:incoming_start", args=[k1.uuid]), page)
    assert r.status_code == 302, r.content[:500]
    by_page = Transfer.objects.get(member_name="Đinh Văn Long")
    expected = row(by_page)
    by_page.delete()

    r = post(token_client("staff_c1"), "/transfers/incoming", incoming_body(world))
    assert r.status_code == 201, r.content
    by_api = Transfer.objects.get(member_name="Đinh Văn Long")
    assert row(by_api) == expected
    d = r.json()
    assert d["uuid"] == str(by_api.uuid)
    assert d["kind"] == "official" and d["status"] == "started"
    assert d["from_org"] is None and d["from_org_name"] == OUTSIDE
    assert d["to_org"]["uuid"] == str(k1.uuid) and d["member"] is None
    # The sender is outside the system: the receiving committee records the letter too.
    assert d["steps"] == ["issue", "cancel"]


def test_who_may_record_an_incoming_transfer(token_client, anon, world):
    before = counts()
    # The secretary and a committee member see the cell; receiving is the committee's staff's.
    for user in ("secretary_k1", "committee_c1"):
        assert post(
            token_client(user), "/transfers/incoming", incoming_body(world)
        ).status_code == (403), user
    # A receiving cell of another province, or outside the caller's scope: 404.
    for user, cell in [
        ("staff_p1", "K4"),
        ("staff_c1", "K3"),
        ("staff_p2", "K1"),
        ("member_k1", "K1"),
        ("nobody", "K1"),
    ]:
        r = post(token_client(user), "/transfers/incoming", incoming_body(world, cell))
        assert r.status_code == 404, (user, cell)
        assert world.org(cell).name not in text(r)
    assert post(anon, "/transfers/incoming", incoming_body(world)).status_code == 401
    assert counts() == before
    # The other province's own staff records it for their cell.
    r = post(token_client("staff_p2"), "/transfers/incoming", incoming_body(world, "K4"))
    assert r.status_code == 201, r.content
    assert Transfer.objects.get(uuid=r.json()["uuid"]).province_id == world.org("P2").pk


def test_a_refused_incoming_transfer_is_a_422_and_writes_nothing(token_client, world):
    client = token_client("staff_c1")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    before = counts()
    cases = [
        ({"to_org": str(world.org("C1").uuid)}, {"to_org"}),  # a committee is not a cell
        ({"reason": "study"}, {"reason"}),  # study is a temporary transfer
        ({"started_on": tomorrow}, {"started_on"}),
        ({"member_name": "  "}, {"member_name"}),
        ({"from_org_name": ""}, {"from_org_name"}),
        ({"member": "00000000-0000-4000-8000-000000000000"}, {"member"}),  # not a field
    ]
    for extra, expected in cases:
        r = post(client, "/transfers/incoming", incoming_body(world, **extra), lang="en")
        assert r.status_code == 422, (extra, r.content)
        assert fields(r) == expected, (extra, r.json())
    assert counts() == before


# ---- the OpenAPI description -------------------------------------------------------------


def test_the_starts_are_described(anon, world):
    paths = anon.get("/api/v1/openapi.json").json()["paths"]
    for path, op_id in [
        ("/api/v1/candidates", "create_candidate"),
        ("/api/v1/members/{member_uuid}/probation", "open_probation_record"),
        ("/api/v1/transfers", "start_transfer"),
        ("/api/v1/transfers/incoming", "record_incoming_transfer"),
    ]:
        op = paths[path]["post"]
        assert op["operationId"] == op_id
        assert {"401", "403", "404", "422"} <= set(op["responses"])
