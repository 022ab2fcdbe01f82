"""Data-subject request (S12): one document with everything stored about a person."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit import subject
from audit.models import Action, AuditEntry
from members.models import Member, Person


def related_labels(target) -> set[str]:
    """Every model (history tables included) with a foreign key, one-to-one or many-to-many
    to `target`."""
    out = set()
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.get_fields():
            if getattr(f, "concrete", False) and f.is_relation and f.related_model is target:
                out.add(model._meta.label)
    return out


@pytest.fixture
def hoa(world):
    return world.member("Trần Thị Hoa", "K1")


def test_every_model_pointing_at_a_member_or_person_is_in_the_document(world, hoa, record_property):
    doc = subject.document(hoa)
    expected = (related_labels(Member) | related_labels(Person)) - {
        "audit.AuditEntry",  # exported as the access log
        "accounts.User",  # exported as the account, without its password
        "members.Member",  # the member row itself
    }
    assert expected - set(doc["records"]) == set()
    record_property("S12.models_exported", len(expected))
    assert {"meetings.Attendance", "dues.DuesPayment", "members.Membership"} <= expected


def test_the_document_holds_the_person_the_member_their_rows_and_history(login, world, hoa):
    from meetings.tests import targets

    meeting = targets.meeting_in(world, "K1")
    from meetings import services

    services.build_roster(meeting)
    login("staff_c1").get(hoa.get_absolute_url())
    doc = subject.document(hoa)
    assert doc["format"] == subject.FORMAT and doc["member_uuid"] == str(hoa.uuid)
    assert doc["person"]["full_name"] == "Trần Thị Hoa"
    assert doc["member"]["dossier_no"] == hoa.dossier_no
    assert [r["organization_id"] for r in doc["records"]["members.Membership"]] == [
        world.org("K1").pk
    ]
    assert any(r["meeting_id"] == meeting.pk for r in doc["records"]["meetings.Attendance"])
    assert doc["records"]["members.HistoricalMember"]  # the change history
    assert doc["account"]["username"] == "member_k1"
    assert any(e["username"] == "staff_c1" and e["action"] == "view" for e in doc["access_log"])
    text = subject.to_json(doc).decode()
    assert "password" not in text and "search_text" not in text
    json.loads(text)


def test_rows_that_exist_because_of_the_person_bring_their_own_rows(world):
    """A residence liaison (it cannot exist without the member) brings its annual comments and
    notices; a meeting the member merely chaired does not bring the whole meeting."""
    from liaison.tests.targets import liaison_in

    liaison = liaison_in(world, "K1")
    doc = subject.document(liaison.member)
    assert [r["id"] for r in doc["records"]["liaison.ResidenceLiaison"]] == [liaison.pk]
    assert {"liaison.AnnualComment", "liaison.LiaisonNotice"} <= set(doc["records"])
    assert "meetings.Guest" not in doc["records"]


def test_the_command_finds_by_uuid_or_citizen_id_and_writes_json_or_zip(world, hoa, tmp_path):
    out = io.StringIO()
    call_command("subject_export", str(hoa.uuid), stdout=out)
    assert json.loads(out.getvalue())["member_uuid"] == str(hoa.uuid)
    path = tmp_path / "hoa.json"
    if hoa.person.citizen_id:
        call_command("subject_export", hoa.person.citizen_id, "--out", str(path))
        assert json.loads(path.read_text())["person"]["full_name"] == "Trần Thị Hoa"
    zpath = tmp_path / "hoa.zip"
    call_command("subject_export", str(hoa.uuid), "--out", str(zpath))
    with zipfile.ZipFile(zpath) as z:
        assert json.loads(z.read("subject.json"))["member_uuid"] == str(hoa.uuid)
    e = AuditEntry.objects.filter(action=Action.DATA_EXPORT).order_by("-id").first()
    assert e.member == hoa and e.extra["via"] == "command"


def test_the_command_says_clearly_when_nobody_matches(world):
    with pytest.raises(CommandError, match="No member"):
        call_command("subject_export", "999999999999")


def test_staff_download_the_zip_and_the_export_is_logged(login, world, hoa):
    url = reverse("audit:subject_export", args=[hoa.uuid])
    response = login("staff_c1").post(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "Trần" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        doc = json.loads(z.read("subject.json"))
    assert doc["person"]["full_name"] == "Trần Thị Hoa"
    e = AuditEntry.objects.filter(action=Action.DATA_EXPORT).order_by("-id").first()
    assert (e.member, e.username, e.role) == (hoa, "staff_c1", "org_staff")


def test_the_export_is_post_only_and_for_the_staff_above_the_cell(client, login, world, hoa):
    url = reverse("audit:subject_export", args=[hoa.uuid])
    assert client.post(url).status_code == 302  # anonymous: sign in first
    assert login("staff_c1").get(url).status_code == 405
    before = AuditEntry.objects.filter(action=Action.DATA_EXPORT).count()
    assert login("secretary_k1").post(url).status_code == 403
    assert login("member_k1").post(url).status_code == 403  # their own record: ask the staff
    assert login("staff_p2").post(url).status_code == 404
    assert AuditEntry.objects.filter(action=Action.DATA_EXPORT).count() == before
