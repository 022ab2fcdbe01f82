"""What is logged: sign-ins, refused accesses, readings and exports of member records, changes."""

import datetime as dt
import uuid

from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from chibo.testing import PASSWORD


def last(**filters) -> AuditEntry:
    return AuditEntry.objects.filter(**filters).order_by("-id").first()


def test_a_successful_sign_in_records_who_with_their_role_and_organization(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": "staff_c1", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="Firefox " + "x" * 500,
    )
    assert response.status_code == 302
    e = last(action=Action.LOGIN)
    assert e.username == "staff_c1" and e.user == world.user("staff_c1")
    assert e.role == "org_staff" and e.organization == world.org("C1")
    assert e.organization_name == world.org("C1").name
    assert e.ip == "10.1.2.3" and e.user_agent.startswith("Firefox") and len(e.user_agent) == 200


def test_a_failed_sign_in_records_the_name_typed_never_the_password(client, world):
    client.post(
        reverse("accounts:login"),
        {"username": "staff_c1", "password": "wrong-secret-987"},
        REMOTE_ADDR="10.9.9.9",
    )
    e = last(action=Action.LOGIN_FAILED)
    assert e.extra["username"] == "staff_c1" and e.user is None and e.ip == "10.9.9.9"
    stored = str(
        AuditEntry.objects.filter(action=Action.LOGIN_FAILED).values_list(
            "extra", "object_repr", "username", "object_id"
        )
    )
    assert "wrong-secret-987" not in stored


def test_signing_out_is_recorded(login, world):
    client = login("member_k1")
    client.post(reverse("accounts:logout"))
    e = last(action=Action.LOGOUT)
    assert e.username == "member_k1" and e.role == "member"


def test_viewing_a_member_page_records_who_viewed_which_member(login, world):
    nam = world.member("Lê Văn Nam", "K1")
    login("secretary_k1").get(nam.get_absolute_url(), REMOTE_ADDR="10.0.0.7")
    e = last(action=Action.VIEW)
    assert e.member == nam and e.object_type == "members.member"
    assert e.object_id == str(nam.uuid) and e.object_repr == "Lê Văn Nam"
    assert (e.username, e.role, e.organization) == ("secretary_k1", "secretary", world.org("K1"))
    assert e.extra == {"what": "page"} and e.ip == "10.0.0.7"


def test_the_register_sheet_and_the_api_detail_are_recorded_as_views(login, world):
    nam = world.member("Lê Văn Nam", "K1")
    client = login("staff_c1")
    assert client.get(reverse("members:register_docx", args=[nam.uuid])).status_code == 200
    assert last(action=Action.VIEW, member=nam).extra == {"what": "register_docx"}
    assert client.get(f"/api/v1/members/{nam.uuid}").status_code == 200
    assert last(action=Action.VIEW, member=nam).extra == {"what": "api"}


def test_an_out_of_scope_member_is_a_plain_404_and_the_refusal_is_recorded(login, world):
    tam = world.member("Bùi Văn Tâm", "K4")  # province P2
    response = login("staff_c1").get(tam.get_absolute_url())
    assert response.status_code == 404
    assert "Bùi Văn Tâm" not in response.content.decode()
    e = last(action=Action.DENIED)
    assert (e.object_type, e.object_id, e.extra) == (
        "member",
        str(tam.uuid),
        {"reason": "not_found"},
    )
    assert e.member is None and e.username == "staff_c1"
    assert not AuditEntry.objects.filter(action=Action.VIEW, member=tam).exists()


def test_a_visible_member_with_too_low_a_level_is_a_recorded_403(login, world):
    nam = world.member("Lê Văn Nam", "K1")
    response = login("committee_c1").get(reverse("members:edit", args=[nam.uuid]))
    assert response.status_code == 403
    assert last(action=Action.DENIED).extra == {"reason": "forbidden"}


def test_a_made_up_id_is_recorded_as_asked(login, world):
    missing = uuid.uuid4()
    assert login("staff_p1").get(f"/members/{missing}/").status_code == 404
    assert last(action=Action.DENIED).object_id == str(missing)


def test_an_edit_records_the_change_with_the_member_and_the_history_row(login, world):
    from members.tests.test_views import valid_post

    nam = world.member("Lê Văn Nam", "K1")
    before = AuditEntry.objects.count()
    data = valid_post(
        world,
        full_name="Lê Văn Nam",
        sex="M",
        birth_date="20/01/1999",
        citizen_id="",
        dossier_no=nam.dossier_no,
        ceremony_date=nam.ceremony_date.strftime("%d/%m/%Y"),
        admission_decision_date="",
        phone="0912 000 111",
    )
    response = login("secretary_k1").post(reverse("members:edit", args=[nam.uuid]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    changes = AuditEntry.objects.filter(pk__gt=0, action=Action.UPDATE).order_by("-id")[:2]
    assert AuditEntry.objects.count() > before
    labels = {e.object_type for e in changes}
    assert labels == {"members.person", "members.member"}
    for e in changes:
        assert e.member == nam and e.username == "secretary_k1" and e.role == "secretary"
        assert "history_id" in e.extra  # the values are in django-simple-history's row
    person_entry = next(e for e in changes if e.object_type == "members.person")
    assert nam.person.history.filter(history_id=person_entry.extra["history_id"]).exists()


def test_creating_and_deleting_a_row_are_recorded_without_a_request(world):
    from lifecycle.models import PartyAgeInterruption

    nam = world.member("Lê Văn Nam", "K1")
    row = PartyAgeInterruption.objects.create(
        province_id=nam.province_id,
        member=nam,
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2011, 1, 1),
        note="x",
    )
    created = last(action=Action.CREATE)
    assert created.object_type == "lifecycle.partyageinterruption"
    assert created.member == nam and created.user is None and created.username == ""
    pk = row.pk
    row.delete()
    deleted = last(action=Action.DELETE)
    assert deleted.object_id == str(pk) and deleted.member == nam


def test_bookkeeping_rows_are_not_logged(world):
    from audit.receivers import _audited
    from reports.models import CellMonth
    from spreadsheets.models import Job

    assert Job not in _audited and CellMonth not in _audited and AuditEntry not in _audited
    from members.models import Member

    assert Member in _audited
    user = world.user("staff_p1")
    before = AuditEntry.objects.count()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    Job.objects.create(kind="export_members", user=user)
    assert AuditEntry.objects.count() == before


def test_a_bulk_attendance_sheet_is_one_entry_with_its_count(world):
    from meetings import services
    from meetings.tests import targets

    meeting = targets.meeting_in(world, "K1")
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    n = services.build_roster(meeting)
    bulk = AuditEntry.objects.exclude(pk__in=before).filter(object_type="meetings.attendance")
    assert n > 0 and bulk.count() == 1
    assert bulk.get().extra == {"bulk": True, "count": n, "meeting": str(meeting.uuid)}


def test_an_export_job_is_one_entry_with_the_count_and_filters_under_the_jobs_user(login, world):
    client = login("staff_c1")
    response = client.post(
        reverse("spreadsheets:export_members") + f"?org={world.org('K1').uuid}&status=official"
    )
    assert response.status_code == 302
    e = last(action=Action.EXPORT)
    assert e.username == "staff_c1" and e.role == "org_staff"
    assert e.object_type == "spreadsheets.job" and e.extra["kind"] == "export_members"
    assert e.extra["count"] >= 1 and e.extra["filters"].get("status") == "official"


def test_a_member_reading_their_own_cells_calendar_records_no_refusal(login, world):
    """A plain member's own cell is not in a role's scope: the lookup must not log a denial."""
    k1 = world.org("K1")
    client = login("member_k1")
    before = AuditEntry.objects.filter(action=Action.DENIED).count()
    assert client.get(reverse("meetings:cell_calendar", args=[k1.uuid])).status_code == 200
    assert client.get(f"/api/v1/meetings?organization={k1.uuid}").status_code == 200
    assert AuditEntry.objects.filter(action=Action.DENIED).count() == before
    # Another cell is still a 404, and that refusal is recorded.
    assert (
        client.get(reverse("meetings:cell_calendar", args=[world.org("K2").uuid])).status_code
        == 404
    )
    assert AuditEntry.objects.filter(action=Action.DENIED).count() == before + 1
