"""The write phase of the member import: bulk writes that keep every guarantee of the
row-by-row path (history with the importing user, memberships, derived columns,
all or nothing)."""

import datetime as dt
import unicodedata

import pytest
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from lib.text import search_text, sort_key
from members import services
from members.history import member_history
from members.models import Member, Membership, Person
from spreadsheets import import_members, tasks
from spreadsheets.models import Job, JobKind, JobStatus
from spreadsheets.tests.conftest import MEMBER_HEADERS, label, member_file, member_row


def run_import(world, username, content: bytes) -> Job:
    """Run an import as the background worker does: outside any request."""
    job = Job(kind=JobKind.IMPORT_MEMBERS, user=world.user(username), province=world.org("P1"))
    job.source.save("tep.xlsx", ContentFile(content), save=False)
    job.save()
    tasks.run_job.call(job.pk)
    job.refresh_from_db()
    return job


def many_rows(n: int) -> list[dict]:
    """n valid new members over two cells; every 10th has left the Party."""
    rows = []
    for i in range(n):
        left = i % 10 == 3
        rows.append(
            member_row(
                cell_code="K1" if i % 2 else "K2",
                full_name=f"Nguyễn Văn Số {i}",
                dossier_no=f"{300000 + i:06d}TN",
                card_no=f"{30000000 + i}",
                citizen_id=f"001090{i:06d}",
                phone=f"09{i:08d}",
                start_date=dt.date(2016, 3, 2) + dt.timedelta(days=i % 300),
                status=label("status", "left" if left else "official"),
                left_reason=label("left_reason", "death") if left else "",
                status_date="01/01/2025" if left else "",
            )
        )
    return rows


def history_counts():
    return Person.history.count(), Member.history.count(), Membership.history.count()


def test_a_2000_row_file_is_written_in_bulk_and_a_second_import_changes_nothing(
    world, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(import_members, "WRITE_CHUNK", 700)  # three chunks, the last short
    rows = many_rows(2000)
    content = member_file(rows)
    people, histories = Person.objects.count(), history_counts()
    # Row by row this took more than 10 queries a row; in bulk it is a few per chunk
    # (SQLite inserts at most 999 values per statement, so ~45 rows per INSERT).
    with django_assert_max_num_queries(600):
        job = run_import(world, "staff_p1", content)
    assert job.status == JobStatus.SUCCEEDED, job.errors or job.phase
    assert job.summary == {"created": 2000, "updated": 0, "unchanged": 0, "rows": 2000}
    assert Person.objects.count() == people + 2000
    # One "+" per person, member and period, and a "~" for the 200 periods closed.
    assert history_counts() == (histories[0] + 2000, histories[1] + 2000, histories[2] + 2200)
    imported = Member.objects.filter(dossier_no__startswith="3", dossier_no__endswith="TN")
    assert imported.count() == 2000
    assert set(imported.values_list("province_id", flat=True)) == {world.org("P1").pk}
    periods = {
        ms.member.dossier_no: ms
        for ms in Membership.objects.filter(member__in=imported).select_related("member")
    }
    assert len(periods) == 2000  # exactly one period each
    for i in (0, 3, 699, 700, 1999):
        ms = periods[rows[i]["dossier_no"]]
        assert ms.kind == "home" and ms.start_date == rows[i]["start_date"]
        assert ms.organization.code == rows[i]["cell_code"] == ms.member.organization.code
        assert ms.end_date == (dt.date(2025, 1, 1) if i % 10 == 3 else None)

    again = run_import(world, "staff_p1", content)
    assert again.summary == {"created": 0, "updated": 0, "unchanged": 2000, "rows": 2000}
    assert history_counts() == (histories[0] + 2000, histories[1] + 2000, histories[2] + 2200)


def test_the_history_of_an_imported_member_names_the_importing_user(world):
    job = run_import(world, "staff_c1", member_file([member_row()]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    member = Member.objects.get(dossier_no="100001TN")
    user = world.user("staff_c1")
    records = [
        *Person.history.filter(id=member.person_id),
        *Member.history.filter(id=member.pk),
        *Membership.history.filter(member_id=member.pk),
    ]
    assert [(r.history_type, r.history_user) for r in records] == [("+", user)] * 3
    entries = member_history(member)
    assert len(entries) == 3 and {e["who"] for e in entries} == {user.display_name()}
    assert not hasattr(HistoricalRecords.context, "request")  # the stand-in is gone


def test_imported_people_get_the_province_and_the_columns_save_would_derive(world):
    nfd = unicodedata.normalize("NFD", "Đỗ Minh Khôi")
    job = run_import(world, "staff_p1", member_file([member_row(full_name=nfd)]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    person = Person.objects.get(member__dossier_no="100001TN")
    assert person.full_name == "Đỗ Minh Khôi" == unicodedata.normalize("NFC", nfd)
    assert person.search_text == search_text("Đỗ Minh Khôi", "") != ""
    assert person.sort_key == sort_key("Đỗ Minh Khôi", given_name_first=True) != ""
    assert person.province_id == person.member.province_id == world.org("P1").pk
    assert person.created_at is not None and person.member.created_at is not None


def test_a_new_member_who_left_gets_a_home_period_closed_on_the_status_date(world):
    row = member_row(
        status=label("status", "left"),
        left_reason=label("left_reason", "withdrawal"),
        status_date="15/01/2024",
    )
    job = run_import(world, "staff_p1", member_file([row]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    member = Member.objects.get(dossier_no="100001TN")
    ms = member.memberships.get()
    assert (ms.start_date, ms.end_date) == (dt.date(2016, 3, 2), dt.date(2024, 1, 15))
    assert ms.note == member.get_left_reason_display()
    types = list(
        Membership.history.filter(id=ms.pk).order_by("history_id").values_list("history_type")
    )
    assert types == [("+",), ("~",)]


def test_changed_rows_save_only_their_changes_each_with_one_history_record(world):
    rows = [
        member_row(),
        member_row(dossier_no="100002TN", citizen_id="", card_no="", full_name="Lò Văn Xuân"),
        member_row(dossier_no="100003TN", citizen_id="", card_no=""),
        member_row(dossier_no="100004TN", citizen_id="", card_no=""),
    ]
    run_import(world, "staff_p1", member_file(rows))
    members = {m.dossier_no: m for m in Member.objects.filter(dossier_no__startswith="10000")}
    before = history_counts()
    stamps = {d: m.person.updated_at for d, m in members.items()}
    rows[0]["phone"] = "0988777666"
    rows[1]["full_name"] = "Lò Văn Đông"
    rows[2]["status"] = label("status", "left")
    rows[2]["left_reason"] = label("left_reason", "death")
    rows[2]["status_date"] = "01/02/2025"
    job = run_import(world, "staff_c1", member_file(rows))
    assert job.summary == {"created": 0, "updated": 3, "unchanged": 1, "rows": 4}
    # Two people changed; one member changed and one period closed.
    assert history_counts() == (before[0] + 2, before[1] + 1, before[2] + 1)
    user = world.user("staff_c1")
    assert Person.history.filter(history_type="~").latest("history_id").history_user == user
    assert Member.history.latest("history_id").history_user == user
    assert Membership.history.latest("history_id").history_user == user
    khoi = Person.objects.get(member__dossier_no="100001TN")
    assert khoi.phone == "0988777666" and khoi.updated_at > stamps["100001TN"]
    dong = Person.objects.get(member__dossier_no="100002TN")
    assert dong.search_text == search_text("Lò Văn Đông", "")
    assert dong.sort_key == sort_key("Lò Văn Đông", given_name_first=True)
    left = Member.objects.get(dossier_no="100003TN")
    assert left.status == "left"
    assert left.memberships.get().end_date == dt.date(2025, 2, 1)
    assert Person.objects.get(member__dossier_no="100004TN").updated_at == stamps["100004TN"]


def test_a_move_by_import_names_the_importing_user_in_the_history(world):
    run_import(world, "staff_p1", member_file([member_row()]))
    job = run_import(
        world, "staff_c1", member_file([member_row(cell_code="K2", start_date="01/01/2025")])
    )
    assert job.status == JobStatus.SUCCEEDED, job.errors
    member = Member.objects.get(dossier_no="100001TN")
    assert member.organization.code == "K2"
    moves = Membership.history.filter(member_id=member.pk).order_by("history_id")[1:]
    assert [(r.history_type, r.history_user) for r in moves] == [
        ("~", world.user("staff_c1")),
        ("+", world.user("staff_c1")),
    ]
    assert not hasattr(HistoricalRecords.context, "request")


@pytest.mark.parametrize(
    ("taken", "column", "message"),
    [
        (
            {"dossier_no": "100003TN"},
            "dossier_no",
            "Another member of this province has dossier number %(n)s.",
        ),
        (
            {"card_no": "22223333"},
            "card_no",
            "Another member of this province has card number %(n)s.",
        ),
        (
            {"citizen_id": "001088000222"},
            "citizen_id",
            "Another person in this province has this citizen ID.",
        ),
    ],
)
def test_a_value_taken_while_the_file_was_checked_rejects_the_whole_file(
    world, monkeypatch, taken, column, message
):
    rows = [
        member_row(),
        member_row(
            full_name="Nguyễn Văn Sơn",
            dossier_no="100003TN",
            citizen_id="001088000222",
            birth_date="03/04/1988",
            card_no="22223333",
        ),
    ]
    check = import_members.MemberImport.check

    def check_then_someone_else_saves(self, file_rows):
        plan = check(self, file_rows)
        other = {"dossier_no": "100009TN", "card_no": "", "citizen_id": "", **taken}
        services.create_member(
            person=Person(
                full_name="Người Khác",
                sex="M",
                birth_date=dt.date(1988, 1, 1),
                citizen_id=other["citizen_id"],
            ),
            member=Member(
                dossier_no=other["dossier_no"],
                card_no=other["card_no"],
                status="official",
                ceremony_date=dt.date(2010, 1, 1),
                official_date=dt.date(2011, 1, 2),
            ),
            organization=world.org("K3"),
            start_date=dt.date(2010, 1, 1),
        )
        return plan

    monkeypatch.setattr(import_members.MemberImport, "check", check_then_someone_else_saves)
    people, histories = Person.objects.count(), history_counts()
    job = run_import(world, "staff_p1", member_file(rows))
    assert job.status == JobStatus.FAILED
    value = taken[column]
    assert job.errors == [
        {"row": 3, "column": MEMBER_HEADERS[column], "message": _(message) % {"n": value}}
    ]
    # Only the other user's member exists: nothing of the file was written.
    assert Person.objects.count() == people + 1
    assert history_counts() == tuple(h + 1 for h in histories)
    assert not Member.objects.filter(dossier_no="100001TN").exists()


def test_create_members_bulk_names_the_user_it_is_given_in_every_history_record(world):
    user = world.user("staff_p1")
    new = [
        services.NewMember(
            Person(full_name=f"Trần Văn {n}", sex="M", birth_date=dt.date(1980, 1, 1)),
            Member(
                dossier_no=f"40000{n}TN",
                status="official",
                ceremony_date=dt.date(2010, 1, 1),
                official_date=dt.date(2011, 1, 2),
            ),
            world.org("K1"),
            dt.date(2012, 5, 1),
        )
        for n in range(3)
    ]
    members = services.create_members_bulk(new, user=user)
    pks = [m.pk for m in members]
    assert Member.objects.filter(pk__in=pks, organization__code="K1").count() == 3
    assert set(Member.history.filter(id__in=pks).values_list("history_user", flat=True)) == {
        user.pk
    }
    periods = Membership.history.filter(member_id__in=pks)
    assert (
        sorted(periods.values_list("history_type", "history_user", "start_date"))
        == [("+", user.pk, dt.date(2012, 5, 1))] * 3
    )
    assert Person.history.filter(id__in=[m.person_id for m in members]).count() == 3


def test_an_update_writes_only_the_changed_cells_so_other_edits_survive(world, monkeypatch):
    run_import(world, "staff_p1", member_file([member_row()]))
    check = import_members.MemberImport.check

    def check_then_someone_edits_the_page(self, file_rows):
        plan = check(self, file_rows)
        # Another user saves the member page between the check and the write.
        Person.objects.filter(member__dossier_no="100001TN").update(native_place="Xã Hòa Lạc")
        Member.objects.filter(dossier_no="100001TN").update(status_note="QĐ 7")
        return plan

    monkeypatch.setattr(import_members.MemberImport, "check", check_then_someone_edits_the_page)
    job = run_import(
        world, "staff_p1", member_file([member_row(phone="0977000111", card_no="87878787")])
    )
    assert job.summary["updated"] == 1
    member = Member.objects.select_related("person").get(dossier_no="100001TN")
    assert (member.person.phone, member.card_no) == ("0977000111", "87878787")
    assert (member.person.native_place, member.status_note) == ("Xã Hòa Lạc", "QĐ 7")
