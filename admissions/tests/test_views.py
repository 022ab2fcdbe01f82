"""Pages of the admission pipeline: who sees and does what, bad input, query budgets."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from admissions.models import Candidate, CellVote, Stage
from admissions.tests import targets as t
from members.models import Member, MemberStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client, world):
    def _as(username):
        client.force_login(world.user(username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _as


@pytest.fixture
def k1(world):
    return world.org("K1")


def pipeline_url(org, **query):
    url = reverse("admissions:pipeline", args=[org.uuid])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def step_url(candidate, step):
    return reverse(f"admissions:{step}", args=[candidate.uuid])


# ---- pipeline -------------------------------------------------------------------------------


def test_pipeline_of_a_commune_counts_and_lists_its_cells_candidates(as_user, world, k1):
    t.advance(t.new_candidate(k1, name="Đỗ Minh Khôi"), Stage.DOSSIER)
    t.new_candidate(k1, name="Hà Thu Trang", sex="F")
    t.new_candidate(world.org("K2"), name="Lý Văn Phúc")
    t.new_candidate(world.org("K3"), name="Ngoài Xã")  # another commune
    r = as_user("staff_c1").get(pipeline_url(world.org("C1")))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Đỗ Minh Khôi" in body and "Hà Thu Trang" in body and "Lý Văn Phúc" in body
    assert "Ngoài Xã" not in body
    stages = {v: n for v, _label, n in r.context["stages"]}
    assert stages["listed"] == 2 and stages["dossier"] == 1
    assert r.context["open_total"] == 3
    r = as_user("staff_c1").get(pipeline_url(world.org("C1"), stage="dossier"))
    assert [c.person.full_name for c, _due in r.context["rows"]] == ["Đỗ Minh Khôi"]
    assert as_user("staff_c1").get(pipeline_url(world.org("C1"), stage="nope")).status_code == 404


def test_pipeline_flags_an_overdue_ceremony(as_user, k1):
    t.advance(t.new_candidate(k1), Stage.DECIDED)  # decision received 25/08/2023
    r = as_user("secretary_k1").get(pipeline_url(k1))
    ((_c, due),) = r.context["rows"]
    assert due.overdue and due.due_on == dt.date(2023, 10, 10)
    assert "Overdue" in r.content.decode()


def test_pipeline_access(as_user, client, world, k1):
    assert as_user("committee_c1").get(pipeline_url(world.org("C1"))).status_code == 200
    assert as_user("secretary_k1").get(pipeline_url(k1)).status_code == 200
    assert as_user("secretary_k1").get(pipeline_url(world.org("C1"))).status_code == 404
    assert as_user("secretary_k1").get(pipeline_url(world.org("K2"))).status_code == 404
    assert as_user("staff_p2").get(pipeline_url(k1)).status_code == 404
    assert as_user("member_k1").get(pipeline_url(k1)).status_code == 404
    client.logout()
    assert client.get(pipeline_url(k1)).status_code == 302


def test_pipeline_query_count_does_not_grow_with_candidates(
    as_user, world, k1, django_assert_num_queries
):
    c1 = world.org("C1")
    client = as_user("staff_c1")
    t.advance(t.new_candidate(k1, name="Một"), Stage.DECIDED)
    client.get(pipeline_url(c1))  # warm the session
    # session, user, scope, organization, ancestors, counts, page count, page rows
    with django_assert_num_queries(8):
        r = client.get(pipeline_url(c1))
    assert len(r.context["rows"]) == 1
    for i in range(6):
        t.new_candidate(world.org("K2") if i % 2 else k1, name=f"Ứng viên {i}")
    with django_assert_num_queries(8):
        r = client.get(pipeline_url(c1))
    assert len(r.context["rows"]) == 7


# ---- new candidate --------------------------------------------------------------------------


def candidate_post(**over):
    data = {
        "full_name": "Đỗ Minh Khôi",
        "sex": "M",
        "birth_date": "15/01/2000",
        "ethnicity": "01",
        "citizen_id": "",
        "listed_on": "06/03/2023",
        "recommended_by": "Chi đoàn thôn Đông",
    }
    data.update(over)
    return data


def test_secretary_lists_a_new_candidate_in_their_cell(as_user, k1):
    client = as_user("secretary_k1")
    url = reverse("admissions:create", args=[k1.uuid])
    assert client.get(url).status_code == 200
    r = client.post(url, candidate_post())
    c = Candidate.objects.get(person__full_name="Đỗ Minh Khôi")
    assert r.status_code == 302 and r["Location"] == c.get_absolute_url()
    assert (c.organization, c.stage, c.listed_on, c.recommended_by) == (
        k1,
        Stage.LISTED,
        dt.date(2023, 3, 6),
        "Chi đoàn thôn Đông",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", ""),
        ("birth_date", "31/02/2000"),
        ("listed_on", "01/01/2999"),
        ("citizen_id", "12345"),
        ("listed_on", "01/01/1999"),  # before the birth
    ],
)
def test_bad_input_on_the_new_candidate_form_writes_nothing(as_user, k1, field, value):
    r = as_user("secretary_k1").post(
        reverse("admissions:create", args=[k1.uuid]), candidate_post(**{field: value})
    )
    assert r.status_code == 400
    assert r.context["form"].errors
    assert not Candidate.objects.exists()


def test_new_candidate_only_in_a_cell_and_only_for_its_managers(as_user, world, k1):
    assert (
        as_user("staff_c1").get(reverse("admissions:create", args=[world.org("C1").uuid]))
    ).status_code == 404
    assert (
        as_user("committee_c1").get(reverse("admissions:create", args=[k1.uuid]))
    ).status_code == 403
    assert (
        as_user("secretary_k1").post(
            reverse("admissions:create", args=[world.org("K2").uuid]), candidate_post()
        )
    ).status_code == 404
    assert not Candidate.objects.exists()


# ---- candidate page and steps ----------------------------------------------------------------


def test_candidate_page_shows_only_the_next_step_form(as_user, k1):
    c = t.new_candidate(k1)
    r = as_user("secretary_k1").get(c.get_absolute_url())
    assert r.status_code == 200
    assert [s.name for s, _f in r.context["actions"]] == ["sympathizer"]
    assert [s.name for s, _f in r.context["exits"]] == ["reject"]
    body = r.content.decode()
    assert step_url(c, "sympathizer") in body and step_url(c, "certificate") not in body


def test_the_committee_steps_wait_for_the_committee(as_user, k1):
    c = t.advance(t.new_candidate(k1), Stage.DOSSIER)
    r = as_user("secretary_k1").get(c.get_absolute_url())
    assert r.context["actions"] == [] and [s.name for s in r.context["waiting"]] == ["check"]
    assert "Waiting for the committee above" in r.content.decode()
    r = as_user("staff_c1").get(c.get_absolute_url())
    assert [s.name for s, _f in r.context["actions"]] == ["check"]
    # Committee members read, but record nothing.
    r = as_user("committee_c1").get(c.get_absolute_url())
    assert r.status_code == 200 and r.context["actions"] == [] and r.context["exits"] == []


def test_secretary_records_the_sympathizer_resolution(as_user, world, k1):
    c = t.new_candidate(k1)
    duc = world.member("Nguyễn Văn Đức", "K1")
    r = as_user("secretary_k1").post(
        step_url(c, "sympathizer"),
        {"resolution_no": "05-NQ/CB", "on": "20/03/2023", "helper": duc.pk},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert (c.stage, c.helper, c.sympathizer_on) == (Stage.SYMPATHIZER, duc, dt.date(2023, 3, 20))


def test_a_bad_step_is_shown_on_the_form_and_writes_nothing(as_user, world, k1):
    c = t.new_candidate(k1)
    nam = world.member("Lê Văn Nam", "K1")  # probationary: cannot help
    before = Candidate.history.count()
    r = as_user("secretary_k1").post(
        step_url(c, "sympathizer"), {"resolution_no": "05", "on": "20/03/2023", "helper": nam.pk}
    )
    assert r.status_code == 400
    assert "helper" in r.context["actions"][0][1].errors
    r = as_user("secretary_k1").post(
        step_url(c, "sympathizer"), {"resolution_no": "05", "on": "19/03/2023"}
    )
    assert r.status_code == 400
    c.refresh_from_db()
    assert c.stage == Stage.LISTED and Candidate.history.count() == before


def test_a_step_that_is_not_next_is_refused_without_writing(as_user, k1):
    c = t.new_candidate(k1)
    r = as_user("secretary_k1").post(
        step_url(c, "certificate"), {"number": "1", "on": "15/05/2023", "issuer": "X"}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.stage == Stage.LISTED and c.certificate_no == ""


def test_committee_steps_are_403_for_the_secretary_and_404_outside(as_user, k1):
    c = t.advance(t.new_candidate(k1), Stage.DOSSIER)
    data = {"on": "01/08/2023", "by": "Đảng ủy xã"}
    assert as_user("secretary_k1").post(step_url(c, "check"), data).status_code == 403
    assert as_user("committee_c1").post(step_url(c, "check"), data).status_code == 403
    assert as_user("staff_p2").post(step_url(c, "check"), data).status_code == 404
    assert as_user("staff_p2").get(c.get_absolute_url()).status_code == 404
    c.refresh_from_db()
    assert c.stage == Stage.DOSSIER
    assert as_user("staff_c1").post(step_url(c, "check"), data).status_code == 302
    c.refresh_from_db()
    assert c.stage == Stage.CHECKED


def test_a_failed_vote_is_kept_and_shown(as_user, k1):
    c = t.advance(t.new_candidate(k1), Stage.CHECKED)
    r = as_user("secretary_k1").post(
        step_url(c, "vote"), {"on": "10/08/2023", "votes_for": "1", "eligible": "2"}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.stage == Stage.CHECKED and CellVote.objects.filter(candidate=c, passed=False).exists()
    assert (
        "did not reach two thirds"
        in as_user("secretary_k1").get(c.get_absolute_url()).content.decode()
    )


def test_ceremony_through_the_page_puts_the_member_on_the_cell_list(as_user, k1):
    c = t.advance(t.new_candidate(k1), Stage.DECIDED)
    client = as_user("secretary_k1")
    r = client.post(step_url(c, "ceremony"), {"on": "05/09/2023", "dossier_no": "900001TN"})
    assert r.status_code == 302
    member = Member.objects.get(person__full_name="Đỗ Minh Khôi")
    assert member.status == MemberStatus.PROBATIONARY and member.organization == k1
    listing = client.get(reverse("members:list") + f"?org={k1.uuid}").content.decode()
    assert "Đỗ Minh Khôi" in listing


def test_late_ceremony_without_a_reason_is_refused_on_the_form(as_user, k1):
    c = t.advance(t.new_candidate(k1), Stage.DECIDED)
    r = as_user("secretary_k1").post(
        step_url(c, "ceremony"), {"on": "11/10/2023", "dossier_no": "900001TN"}
    )
    assert r.status_code == 400
    assert "late_reason" in r.context["actions"][0][1].errors
    assert not Member.objects.filter(person__full_name="Đỗ Minh Khôi").exists()


def test_citizen_id_is_masked_for_readers(as_user, k1):
    c = t.new_candidate(k1, citizen_id="001200012345")
    assert "001200012345" in as_user("secretary_k1").get(c.get_absolute_url()).content.decode()
    body = as_user("committee_c1").get(c.get_absolute_url()).content.decode()
    assert "001200012345" not in body


def test_detail_query_count_is_bounded(as_user, k1, django_assert_max_num_queries):
    c = t.advance(t.new_candidate(k1), Stage.PROBATION)
    client = as_user("staff_c1")
    client.get(c.get_absolute_url())
    with django_assert_max_num_queries(12):
        assert client.get(c.get_absolute_url()).status_code == 200


# ---- probationary members due for recognition -------------------------------------------------


def test_recognition_due_lists_probationary_members_with_their_dates(as_user, world, k1):
    t.advance(t.new_candidate(k1), Stage.PROBATION)
    r = as_user("committee_c1").get(
        reverse("admissions:recognition_due", args=[world.org("C1").uuid])
    )
    assert r.status_code == 200
    rows = {row["member"].person.full_name: row for row in r.context["rows"]}
    nam = rows["Lê Văn Nam"]  # entered with ceremony 01/06/2025, no candidacy
    assert nam["candidacy"] is None and not nam["can_open"]  # committee: read only
    assert (nam["probation_end"], nam["due"].due_on) == (dt.date(2026, 6, 1), dt.date(2026, 7, 13))
    khoi = rows["Đỗ Minh Khôi"]
    assert khoi["candidacy"] is not None and khoi["due"].due_on == dt.date(2024, 10, 17)
    assert "Probationary members due for recognition" in r.content.decode()


def test_recognition_due_query_count_is_constant(as_user, world, k1, django_assert_num_queries):
    client = as_user("staff_c1")
    url = reverse("admissions:recognition_due", args=[world.org("C1").uuid])
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    t.advance(t.new_candidate(k1, name="Một"), Stage.PROBATION, seq=1)
    t.advance(t.new_candidate(k1, name="Hai"), Stage.PROBATION, seq=2)
    with django_assert_num_queries(6):
        r = client.get(url)
    assert len(r.context["rows"]) == 3


def test_opening_the_recognition_record_of_a_member_entered_earlier(as_user, world):
    nam = world.member("Lê Văn Nam", "K1")
    url = reverse("admissions:open_probation", args=[nam.uuid])
    assert as_user("committee_c1").post(url).status_code == 403
    assert as_user("staff_p2").post(url).status_code == 404
    assert not Candidate.objects.exists()
    r = as_user("secretary_k1").post(url)
    c = Candidate.objects.get(member=nam)
    assert r.status_code == 302 and r["Location"] == c.get_absolute_url()
    page = as_user("secretary_k1").get(c.get_absolute_url())
    assert [s.name for s, _f in page.context["actions"]] == ["recognition_vote"]
