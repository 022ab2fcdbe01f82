import datetime as dt
import unicodedata

from django.utils.translation import gettext as _

from members.models import Member, Membership, Person
from spreadsheets.models import JobStatus
from spreadsheets.tests.conftest import MEMBER_HEADERS, label, member_file, member_row


def counts():
    return (
        Person.objects.count(),
        Member.objects.count(),
        Membership.objects.count(),
        Person.history.count(),
        Member.history.count(),
        Membership.history.count(),
    )


def good_rows():
    return [
        member_row(),
        member_row(
            full_name="Lò Thị Xuân",
            sex=label("sex", "F"),
            birth_date=dt.datetime(1992, 8, 1),
            ethnicity="Thái",
            citizen_id="001192000111",
            dossier_no="100002tn",
            card_no="",
            status=label("status", "probationary"),
            official_date="",
            phone=912000111,
            ceremony_date="01/06/2024",
            admission_decision_date="20/05/2024",
            start_date="01/06/2024",
            youth_union="Có",
            cell_code="K2",
        ),
        member_row(
            full_name="Nguyễn Văn Sơn",
            dossier_no="100003TN",
            citizen_id=1088000222,
            birth_date="3/4/1988",
            card_no="22223333",
        ),
    ]


def errors_of(job):
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def test_a_good_member_file_creates_people_members_and_memberships(login, upload, world):
    login("staff_p1")
    before = counts()
    response, job = upload("members", member_file(good_rows()))
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.SUCCEEDED, job.errors or job.phase
    assert job.summary == {"created": 3, "updated": 0, "unchanged": 0, "rows": 3}
    after = counts()
    assert after[:3] == (before[0] + 3, before[1] + 3, before[2] + 3)
    xuan = Member.objects.select_related("person", "organization").get(dossier_no="100002TN")
    assert xuan.organization.code == "K2"
    assert xuan.status == "probationary" and xuan.official_date is None
    assert xuan.person.ethnicity == "03" and xuan.person.sex == "F" and xuan.person.youth_union
    assert xuan.person.birth_date == dt.date(1992, 8, 1)
    assert xuan.person.phone == "0912000111"  # the leading zero Excel dropped is back
    son = Member.objects.get(dossier_no="100003TN")
    assert son.person.citizen_id == "001088000222"
    assert son.person.birth_date == dt.date(1988, 4, 3)
    assert son.memberships.get().start_date == dt.date(2016, 3, 2)
    khoi = Member.objects.get(dossier_no="100001TN")
    assert khoi.person.qualification == "dai_hoc" and khoi.card_no == "12345678"


def test_importing_the_same_file_again_changes_nothing(login, upload, world):
    login("staff_p1")
    content = member_file(good_rows())
    upload("members", content)
    before = counts()
    _response, job = upload("members", content)
    assert job.status == JobStatus.SUCCEEDED
    assert job.summary == {"created": 0, "updated": 0, "unchanged": 3, "rows": 3}
    assert counts() == before


def test_nfd_spelling_of_a_name_is_the_same_name(login, upload, world):
    login("staff_p1")
    upload("members", member_file([member_row()]))
    nfd = unicodedata.normalize("NFD", "Đỗ Minh Khôi")
    _response, job = upload("members", member_file([member_row(full_name=nfd)]))
    assert job.summary["unchanged"] == 1
    assert Person.objects.filter(full_name="Đỗ Minh Khôi").count() == 1


def test_a_changed_value_updates_only_that_member(login, upload, world):
    login("staff_p1")
    upload("members", member_file(good_rows()))
    before = Member.history.count(), Person.history.count()
    rows = good_rows()
    rows[0]["phone"] = "0988777666"
    _response, job = upload("members", member_file(rows))
    assert job.summary == {"created": 0, "updated": 1, "unchanged": 2, "rows": 3}
    assert Person.objects.get(member__dossier_no="100001TN").phone == "0988777666"
    assert (Member.history.count(), Person.history.count()) == (before[0], before[1] + 1)


def test_a_new_cell_code_moves_the_member(login, upload, world):
    login("staff_p1")
    upload("members", member_file([member_row()]))
    _response, job = upload(
        "members", member_file([member_row(cell_code="K2", start_date="01/01/2025")])
    )
    assert job.status == JobStatus.SUCCEEDED, job.errors
    member = Member.objects.get(dossier_no="100001TN")
    assert member.organization.code == "K2"
    periods = list(
        member.memberships.order_by("start_date").values_list("organization__code", "end_date")
    )
    assert periods == [("K1", dt.date(2024, 12, 31)), ("K2", None)]


def test_a_secretary_cannot_move_a_member_by_import(login, upload, world):
    client = login("staff_p1")
    upload("members", member_file([member_row()]))
    client.logout()
    login("secretary_k1")
    member = Member.objects.get(dossier_no="100001TN")
    _response, job = upload(
        "members", member_file([member_row(cell_code="K1", phone="0911111111")])
    )
    assert job.status == JobStatus.SUCCEEDED  # may edit in own cell
    _response, job = upload(
        "members", member_file([member_row(cell_code="K2", start_date="01/01/2025")])
    )
    assert job.status == JobStatus.FAILED
    # K2 lies outside the secretary's scope: reported like a code that does not exist.
    assert errors_of(job)[(2, MEMBER_HEADERS["cell_code"])] == _(
        "No cell with code %(code)s in your scope."
    ) % {"code": "K2"}
    member.refresh_from_db()
    assert member.organization.code == "K1"


def test_a_bad_file_reports_row_column_and_message_and_writes_nothing(login, upload, world):
    login("staff_c1")
    existing = world.member("Hoàng Văn Bình", "K2")
    existing.card_no = "87654321"
    existing.save()
    before = counts()
    rows = [
        member_row(),  # row 2: fine
        member_row(
            dossier_no="200001TN", citizen_id="", card_no="", cell_code="ZZ9"
        ),  # 3: unknown cell
        member_row(
            dossier_no="200002TN", citizen_id="", card_no="", cell_code="K3"
        ),  # 4: out of scope
        member_row(dossier_no="200003TN", citizen_id="", card_no="", birth_date="31/02/1990"),  # 5
        member_row(dossier_no="200004TN", citizen_id="00109012345", card_no=""),  # 6: 11 digits
        member_row(citizen_id="", card_no=""),  # 7: dossier of row 2 again
        member_row(dossier_no="200006TN", citizen_id="", card_no="87654321"),  # 8: card in the DB
        member_row(
            dossier_no="200007TN", citizen_id="", card_no="", status=label("status", "probationary")
        ),  # 9
        member_row(
            dossier_no="200008TN", citizen_id="", card_no="", full_name='=HYPERLINK("x")'
        ),  # 10
        member_row(dossier_no="200009TN", citizen_id="", card_no="", ethnicity="Martian"),  # 11
        member_row(dossier_no="12", citizen_id="", card_no="", birth_date="1990"),  # 12: two errors
    ]
    _response, job = upload("members", member_file(rows))
    assert job.status == JobStatus.FAILED
    assert counts() == before
    errors = errors_of(job)
    h = MEMBER_HEADERS
    scope_msg = _("No cell with code %(code)s in your scope.")
    assert errors[(3, h["cell_code"])] == scope_msg % {"code": "ZZ9"}
    assert errors[(4, h["cell_code"])] == scope_msg % {"code": "K3"}
    assert errors[(5, h["birth_date"])] == _("Enter a date as dd/mm/yyyy, e.g. 01/07/2025.")
    assert "12" in errors[(6, h["citizen_id"])]
    assert errors[(7, h["dossier_no"])] == _(
        "The same value is on row %(row)s; each member needs their own."
    ) % {"row": 2}
    assert errors[(8, h["card_no"])] == _(
        "Another member of this province has card number %(n)s."
    ) % {"n": "87654321"}
    assert (9, h["official_date"]) in errors
    assert (10, h["full_name"]) in errors
    assert (11, h["ethnicity"]) in errors
    # Every error of a row in one round, one per cell: no “required” after “bad date”.
    assert [e["column"] for e in job.errors if e["row"] == 12] == [h["birth_date"], h["dossier_no"]]
    assert 2 not in {row for row, _col in errors}
    assert job.summary["error_count"] == len(job.errors)


def test_an_administrator_chooses_the_province_of_the_file(login, upload, world):
    login("admin")
    response, job = upload("members", member_file([member_row()]))
    assert response.status_code == 400 and job is None
    response, job = upload(
        "members", member_file([member_row()]), **{"members-province": world.org("P1").pk}
    )
    assert job.status == JobStatus.SUCCEEDED and job.province == world.org("P1")
    response, job = upload(
        "members",
        member_file([member_row(dossier_no="100009TN", citizen_id="")]),
        **{"members-province": world.org("P2").pk},
    )
    assert job.status == JobStatus.FAILED  # K1 is no cell of P2
    assert errors_of(job)[(2, MEMBER_HEADERS["cell_code"])] == _(
        "No cell with code %(code)s in your scope."
    ) % {"code": "K1"}
