"""Reads of a member's record through pages other than the member page (transfers, residence
liaison, ratings, membership history, the Word sheets) and list exports are in the member's
"who accessed my record"."""

from django.urls import reverse

from audit.models import Action, AuditEntry
from liaison.tests.targets import liaison_in
from members.models import Member
from ratings.tests.targets import review_in
from transfers.tests.targets import NO_LOGIN_MEMBER, transfer_in


def views_of(member) -> list[str]:
    return list(
        AuditEntry.objects.filter(action=Action.VIEW, member=member)
        .order_by("id")
        .values_list("extra__what", flat=True)
    )


def test_the_transfer_page_and_its_word_sheet_are_views_of_the_member(login, world):
    transfer = transfer_in(world, "K1")
    client = login("staff_c1")
    assert client.get(reverse("transfers:detail", args=[transfer.uuid])).status_code == 200
    assert client.get(reverse("transfers:sheet_docx", args=[transfer.uuid])).status_code == 200
    assert views_of(transfer.member) == ["transfer", "transfer_docx"]
    e = AuditEntry.objects.filter(action=Action.VIEW, member=transfer.member).first()
    assert (e.username, e.object_repr) == ("staff_c1", NO_LOGIN_MEMBER["K1"])


def test_the_liaison_page_and_its_comment_form_are_views_of_the_member(login, world):
    liaison = liaison_in(world, "K1")
    client = login("staff_p1")
    assert client.get(reverse("liaison:detail", args=[liaison.uuid])).status_code == 200
    assert client.get(reverse("liaison:comment_docx", args=[liaison.uuid])).status_code == 200
    assert views_of(liaison.member) == ["liaison", "liaison_docx"]


def test_the_rating_review_and_its_form_are_views_of_the_member(login, world):
    review = review_in(world, "K1")
    client = login("secretary_k1")
    assert client.get(reverse("ratings:review", args=[review.uuid])).status_code == 200
    assert client.get(reverse("ratings:review_docx", args=[review.uuid])).status_code == 200
    assert views_of(review.member) == ["rating", "rating_docx"]
    assert AuditEntry.objects.filter(member=review.member).first().extra["year"] == 2025


def test_the_membership_history_page_is_a_view_of_the_member(login, world):
    nam = world.member("Lê Văn Nam", "K1")
    assert login("staff_c1").get(reverse("lifecycle:member", args=[nam.uuid])).status_code == 200
    assert views_of(nam) == ["lifecycle"]


def test_an_out_of_scope_transfer_is_a_404_and_no_view_is_recorded(login, world):
    transfer = transfer_in(world, "K4")  # province P2
    assert (
        login("staff_c1").get(reverse("transfers:detail", args=[transfer.uuid])).status_code == 404
    )
    assert views_of(transfer.member) == []


def test_a_list_export_is_an_entry_for_every_member_in_the_file(login, world):
    client = login("staff_c1")
    k1 = world.org("K1")
    response = client.post(reverse("spreadsheets:export_members") + f"?org={k1.uuid}")
    assert response.status_code == 302
    in_k1 = set(Member.objects.filter(organization=k1).values_list("pk", flat=True))
    entries = AuditEntry.objects.filter(action=Action.EXPORT, extra__what="member_list")
    assert set(entries.values_list("member_id", flat=True)) == in_k1 and entries.count() == len(
        in_k1
    )
    e = entries.first()
    assert (e.username, e.role, e.object_type) == ("staff_c1", "org_staff", "spreadsheets.job")
    # K2's members were not in the file: nothing recorded for them.
    k2_member = Member.objects.filter(organization=world.org("K2")).first()
    assert not AuditEntry.objects.filter(action=Action.EXPORT, member=k2_member).exists()


def test_who_accessed_my_record_names_the_export_and_the_page_it_went_through(login, world):
    client = login("staff_c1")
    client.post(reverse("spreadsheets:export_members") + f"?org={world.org('K1').uuid}")
    member = world.user("member_k1").member
    page = login("member_k1").get(reverse("audit:accesses", args=[member.uuid]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "staff_c1" in text and "danh sách đảng viên được xuất ra Excel" in text
