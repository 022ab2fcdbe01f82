"""The residence-liaison pages: each side does its own steps, sees the liaison, and nobody else
does; bad input writes nothing; the list pages cost a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from chibo.testing import PASSWORD
from liaison import services
from liaison.models import AnnualComment, LiaisonNotice, LiaisonStatus, ResidenceLiaison
from liaison.tests.conftest import ANSWERS, JULY
from liaison.tests.targets import make_member
from meetings.models import Meeting, MeetingKind


@pytest.fixture
def staff_u1(world):
    """Organization-board staff of U1, the committee above G1: the workplace side only."""
    user = User.objects.create_user(username="staff_u1", password=PASSWORD)
    RoleAssignment.objects.create(
        user=user, role=Role.ORG_STAFF, organization=world.org("U1"), valid_from=dt.date(2020, 1, 1)
    )
    return user


def url(name, obj):
    return reverse(f"liaison:{name}", args=[obj.uuid])


def comment_data(year=2025, **extra):
    return {
        "year": year,
        **ANSWERS,
        "overall": "good",
        "commented_on": "20/12/2025",
        "front_opinion": "Nhất trí",
        **extra,
    }


# ---- anonymous and outsiders --------------------------------------------------------------


def test_the_anonymous_are_sent_to_log_in(client, world, received):
    for target in (
        url("detail", received),
        url("comment", received),
        url("org", world.org("P1")),
        url("cell", world.org("K1")),
    ):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("user", ["staff_p2", "nobody", "member_k1"])
def test_neither_side_gets_404(login, received, user):
    client = login(user)
    for name in ("detail", "comment"):
        assert client.get(url(name, received)).status_code == 404
    for name in ("receive", "end", "activity_exemption"):
        assert client.post(url(name, received), {"on": "01/08/2025"}).status_code == 404
    received.refresh_from_db()
    assert received.status == LiaisonStatus.RECEIVED


# ---- the workplace side introduces --------------------------------------------------------


def test_the_workplace_introduces_with_the_commune_proposed(login, world, huy, staff_u1):
    client = login("staff_u1")
    page = client.get(url("introduce", huy))
    assert page.status_code == 200
    assert page.context["form"].initial["residence_commune"] == world.org("C1").pk
    assert "Chi bộ thôn Đông" in page.content.decode()  # the proposed cell
    response = client.post(
        url("introduce", huy),
        {
            "residence_commune": world.org("C1").pk,
            "introduced_on": "01/07/2025",
            "letter_no": "15-GGT/ĐU",
        },
    )
    liaison = ResidenceLiaison.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", liaison)
    assert (liaison.residence_cell, liaison.introduced_by) == (world.org("K1"), staff_u1)


def test_bad_input_on_the_introduction_writes_nothing(login, world, huy, staff_u1):
    client = login("staff_u1")
    for data, field in [
        ({"residence_commune": world.org("C1").pk, "introduced_on": "31/02/2025"}, "introduced_on"),
        ({"residence_commune": world.org("C1").pk, "introduced_on": "01/01/2099"}, "introduced_on"),
        ({"residence_commune": "", "introduced_on": "01/07/2025"}, "residence_commune"),
        (
            {
                "residence_commune": world.org("C1").pk,
                "introduced_on": "01/07/2025",
                "exemption": "barracks",
            },
            "exemption_reason",
        ),
    ]:
        response = client.post(url("introduce", huy), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors, data
    assert not ResidenceLiaison.objects.exists()


def test_the_residence_side_cannot_introduce_someone_elses_worker(login, huy):
    assert login("staff_c1").get(url("introduce", huy)).status_code == 404
    assert login("secretary_k1").get(url("exempt", huy)).status_code == 404


def test_a_village_cell_member_is_shown_why_they_are_not_introduced(login, world):
    member = world.member("Trần Thị Hoa", "K1")
    response = login("staff_c1").post(
        url("introduce", member),
        {"residence_commune": world.org("C1").pk, "introduced_on": "01/07/2025"},
    )
    assert response.status_code == 200 and response.context["form"] is None
    assert response.context["why"]
    assert not ResidenceLiaison.objects.exists()


def test_the_workplace_records_a_member_not_introduced(login, huy, staff_u1):
    response = login("staff_u1").post(
        url("exempt", huy),
        {"category": "secret_mission", "reason": "Nhiệm vụ đặc biệt", "on": "01/07/2025"},
    )
    row = ResidenceLiaison.objects.get()
    assert response.status_code == 302 and row.status == LiaisonStatus.EXEMPT
    assert login("staff_u1").get(url("introduce", huy)).context["form"] is None


# ---- the liaison page: each side sees it, with its own forms ------------------------------


def test_each_side_sees_the_liaison_with_its_own_next_steps(login, world, introduced, staff_u1):
    work = login("staff_u1").get(url("detail", introduced))
    assert work.status_code == 200
    assert set(work.context["forms"]) == {"exemption", "end"}
    home = login("staff_c1").get(url("detail", introduced))
    assert set(home.context["forms"]) == {"receive", "exemption", "end"}
    reader = login("committee_c1").get(url("detail", introduced))
    assert reader.status_code == 200 and reader.context["forms"] == {}
    assert "Đặng Quốc Huy" in reader.content.decode()


def test_only_the_residence_committee_receives(login, world, introduced, staff_u1):
    data = {"residence_cell": world.org("K1").pk, "received_on": "10/07/2025"}
    assert login("staff_u1").post(url("receive", introduced), data).status_code == 403
    assert login("committee_c1").post(url("receive", introduced), data).status_code == 403
    response = login("staff_c1").post(url("receive", introduced), data)
    assert response.status_code == 302
    introduced.refresh_from_db()
    assert (introduced.status, introduced.received_by) == ("received", world.user("staff_c1"))


def test_a_bad_receipt_shows_the_error_on_the_page(login, world, introduced):
    response = login("staff_c1").post(
        url("receive", introduced),
        {"residence_cell": world.org("K1").pk, "received_on": "30/06/2025"},
    )
    assert response.status_code == 200
    assert "received_on" in response.context["forms"]["receive"].errors
    introduced.refresh_from_db()
    assert introduced.status == LiaisonStatus.INTRODUCED


def test_the_residence_cell_secretary_sees_the_received_member(login, received):
    response = login("secretary_k1").get(url("detail", received))
    assert response.status_code == 200
    assert response.context["can_comment"] and response.context["forms"] == {}


def test_the_workplace_ends_the_liaison_and_the_residence_is_notified(
    login, world, received, staff_u1
):
    response = login("staff_u1").post(
        url("end", received), {"reason": "changed_job", "on": "01/08/2025", "side": "residence"}
    )
    assert response.status_code == 200  # a side the user does not hold is not a choice
    assert "side" in response.context["forms"]["end"].errors
    response = login("staff_u1").post(
        url("end", received), {"reason": "changed_job", "on": "01/08/2025", "side": "workplace"}
    )
    assert response.status_code == 302
    notice = LiaisonNotice.objects.get()
    assert (notice.from_org, notice.to_org) == (world.org("G1"), world.org("C1"))


def test_the_residence_ends_the_liaison_and_the_workplace_is_notified(login, world, received):
    response = login("staff_c1").post(
        url("end", received), {"reason": "moved", "on": "01/08/2025", "side": "residence"}
    )
    assert response.status_code == 302
    assert LiaisonNotice.objects.get().to_org == world.org("G1")
    page = login("staff_c1").get(url("detail", received))
    assert page.context["forms"] == {} and len(page.context["notices"]) == 1


def test_the_cell_secretary_cannot_end_or_exempt(login, received):
    client = login("secretary_k1")
    assert client.post(url("end", received), {"reason": "moved"}).status_code == 403
    assert client.post(url("activity_exemption", received), {}).status_code == 403


def test_either_committee_marks_an_exemption_from_activities(login, received):
    response = login("staff_c1").post(
        url("activity_exemption", received),
        {"exemption": "student_away", "reason": "Học đại học ở Huế", "on": "01/09/2025"},
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.exempt_from_activities
    response = login("staff_c1").post(
        url("activity_exemption", received), {"exemption": "mobile", "on": "01/09/2025"}
    )
    assert "reason" in response.context["forms"]["exemption"].errors


# ---- the annual comment ---------------------------------------------------------------------


def test_the_residence_cell_records_the_annual_comment_once(login, world, received):
    client = login("secretary_k1")
    page = client.get(url("comment", received))
    assert page.status_code == 200 and page.context["form"] is not None
    response = client.post(url("comment", received), comment_data())
    assert response.status_code == 302
    c = AnnualComment.objects.get()
    assert (c.year, c.overall, c.commented_by) == (2025, "good", world.user("secretary_k1"))
    again = client.post(url("comment", received), comment_data(overall="not_good"))
    assert again.status_code == 200 and "year" in again.context["form"].errors
    assert AnnualComment.objects.count() == 1
    # The workplace side reads it on the liaison page.
    assert "Nhất trí" in login("staff_p1").get(url("detail", received)).content.decode()


def test_a_comment_with_a_missing_answer_writes_nothing(login, received):
    data = comment_data()
    del data["people"]
    response = login("secretary_k1").post(url("comment", received), data)
    assert response.status_code == 200 and "people" in response.context["form"].errors
    assert not AnnualComment.objects.exists()


@pytest.mark.parametrize("user", ["committee_c1", "staff_u1"])
def test_readers_and_the_workplace_do_not_comment(login, received, staff_u1, user):
    assert login(user).get(url("comment", received)).status_code == 403
    assert login(user).post(url("comment", received), comment_data()).status_code == 403
    assert not AnnualComment.objects.exists()


def test_no_comment_form_before_the_receipt(login, introduced):
    response = login("staff_c1").get(url("comment", introduced))
    assert response.status_code == 200 and response.context["form"] is None


# ---- the lists, the rates and the residence cell ---------------------------------------------


@pytest.fixture
def crowd(world, school, v1):
    """n teachers of S1 living in V1: introduced, received and commented on."""

    def make(n):
        for i in range(n):
            teacher = make_member(school, f"Giáo Viên {i:02d}", village=v1)
            liaison = services.introduce(
                teacher, residence_commune=world.org("C1"), introduced_on=JULY
            )
            services.receive(liaison, residence_cell=world.org("K1"), received_on=JULY)
            services.record_comment(
                liaison,
                year=2025,
                answers=ANSWERS,
                overall="good" if i % 2 else "not_good",
                commented_on=dt.date(2025, 12, 1),
            )

    return make


def test_the_organization_page_shows_both_sides_rates(login, world, crowd):
    crowd(4)
    response = login("staff_c1").get(url("org", world.org("C1")) + "?year=2025")
    assert response.status_code == 200
    work, home = response.context["work"], response.context["home"]
    assert (work["eligible"], work["introduced"], work["introduced_rate"]) == (4, 4, 100.0)
    assert (home["received"], home["commented"], home["well"], home["well_rate"]) == (
        4,
        4,
        2,
        50.0,
    )
    well = login("staff_c1").get(
        url("org", world.org("C1")) + "?side=residence&show=well&year=2025"
    )
    assert len(well.context["page"].object_list) == 2


def test_the_not_introduced_list_offers_the_introduction_to_the_workplace(
    login, world, huy, staff_u1
):
    response = login("staff_u1").get(url("org", world.org("U1")))
    rows = list(response.context["page"])
    assert rows == [huy] and rows[0].can_introduce
    assert url("introduce", huy) in response.content.decode()


@pytest.mark.parametrize(
    ("side", "show"),
    [
        ("workplace", "not_introduced"),
        ("workplace", "received"),
        ("workplace", "well"),
        ("residence", "introduced"),
        ("residence", "not_commented"),
    ],
)
def test_the_organization_page_costs_the_same_queries_however_many_rows(
    login, world, crowd, received, django_assert_num_queries, side, show
):
    """Every list below has rows at both counts (an empty page skips the rows' query)."""
    client = login("staff_p1")
    target = url("org", world.org("P1")) + f"?side={side}&show={show}&year=2025"
    crowd(2)
    make_member(world.org("S1"), "Chưa Giới Thiệu")
    with django_assert_num_queries(8):
        assert client.get(target).status_code == 200
    crowd(4)
    for i in range(4):
        make_member(world.org("S1"), f"Chưa Giới Thiệu {i}")
    with django_assert_num_queries(8):
        assert client.get(target).status_code == 200


def test_the_residence_cell_page_lists_the_expected_members_and_liaison_meetings(
    login, world, crowd, received
):
    crowd(2)
    services.set_activity_exemption(received, category="mobile", reason="Đi biển", on=JULY)
    meeting = Meeting.objects.create(
        province=world.org("P1"),
        organization=world.org("K1"),
        kind=MeetingKind.LIAISON,
        period_year=2025,
        period_month=8,
        scheduled_at=dt.datetime(2025, 8, 10, 12, 0, tzinfo=dt.UTC),
        status="approved",
    )
    response = login("secretary_k1").get(url("cell", world.org("K1")) + "?year=2025")
    assert response.status_code == 200
    assert len(response.context["liaisons"]) == 3 and len(response.context["expected"]) == 2
    first, second = response.context["halves"]
    assert (first["held"], first["past"]) == (False, True)
    assert second["held"] and second["meetings"] == [meeting]
    body = response.content.decode()
    assert meeting.get_absolute_url() in body
    assert reverse("meetings:plan", args=[world.org("K1").uuid]) in body


def test_the_residence_cell_page_costs_the_same_queries_however_many_members(
    login, world, crowd, django_assert_num_queries
):
    client = login("secretary_k1")
    target = url("cell", world.org("K1"))
    crowd(1)
    with django_assert_num_queries(7):
        client.get(target)
    crowd(4)
    with django_assert_num_queries(7):
        client.get(target)


def test_the_cell_page_is_for_cells_and_readers(login, world):
    assert login("staff_c1").get(url("cell", world.org("C1"))).status_code == 404
    assert login("member_k1").get(url("cell", world.org("K1"))).status_code == 404
    assert login("secretary_k1").get(url("cell", world.org("K2"))).status_code == 404


# ---- correcting a recorded comment ---------------------------------------------------------


def test_the_residence_cell_corrects_a_recorded_comment(login, world, received):
    client = login("secretary_k1")
    client.post(url("comment", received), comment_data())
    c = AnnualComment.objects.get()
    page = client.get(url("comment", received)).content.decode()
    assert "?year=2025" in page  # the link to correct it
    page = client.get(url("comment", received) + "?year=2025")
    assert page.context["correcting"] == c
    assert page.context["form"].initial["overall"] == "good"
    body = page.content.decode()
    assert 'name="correct" value="2025"' in body and "Sửa bản nhận xét năm 2025" in body
    response = client.post(
        url("comment", received), {**comment_data(overall="not_good"), "correct": "2025"}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.overall == "not_good" and AnnualComment.objects.count() == 1
    # The earlier version stays in the history.
    assert [h.overall for h in c.history.order_by("history_date")] == ["good", "not_good"]


def test_a_correction_never_replaces_another_year(login, world, received):
    client = login("secretary_k1")
    client.post(url("comment", received), comment_data())
    # The year opened for correction is 2025; a bad year in the post is refused, nothing changes.
    response = client.post(
        url("comment", received),
        {**comment_data(overall="not_good"), "correct": "2024"},
    )
    assert response.status_code == 200 and "year" in response.context["form"].errors
    assert AnnualComment.objects.get().overall == "good"


@pytest.mark.parametrize("user", ["committee_c1", "staff_u1"])
def test_readers_and_the_workplace_do_not_correct(login, received, staff_u1, user):
    login("secretary_k1").post(url("comment", received), comment_data())
    response = login(user).post(
        url("comment", received), {**comment_data(overall="not_good"), "correct": "2025"}
    )
    assert response.status_code == 403
    assert AnnualComment.objects.get().overall == "good"
