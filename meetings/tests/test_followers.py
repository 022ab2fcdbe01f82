"""The higher-committee members who follow a cell: the rules, the page, and the notices they get."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from meetings import followers, notices, services
from meetings.models import SupervisorAssignment

JULY = dt.date(2025, 7, 1)


def d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture
def k1(world):
    return world.org("K1")


def page(cell):
    return reverse("meetings:cell_followers", args=[cell.uuid])


def end_url(cell):
    return reverse("meetings:cell_follower_end", args=[cell.uuid])


# ---- the rules -----------------------------------------------------------------------


def test_a_member_of_the_commune_committee_follows_the_cell(world, k1):
    a = followers.assign_follower(k1, world.user("committee_c1"), JULY, by=world.user("staff_c1"))
    assert (a.organization, a.province, a.valid_to) == (k1, world.org("P1"), None)
    last = a.history.first()
    assert last.history_type == "+" and last.history_user == world.user("staff_c1")


def test_province_staff_may_follow_a_cell_too(world, k1):
    followers.assign_follower(k1, world.user("staff_p1"), JULY, d("31/12/2025"))
    assert k1.supervisors.get().user == world.user("staff_p1")


@pytest.mark.parametrize(
    "username",
    [
        "secretary_k1",  # a role on the cell itself, not above it
        "staff_p2",  # the committee of another province
        "admin",  # not tied to an organization
        "member_k1",  # no role at all
        "nobody",
    ],
)
def test_only_someone_with_a_role_in_a_committee_above_may_follow(world, k1, username):
    with pytest.raises(ValidationError) as e:
        followers.assign_follower(k1, world.user(username), JULY)
    assert "user" in e.value.error_dict
    assert not SupervisorAssignment.objects.exists()


def test_a_role_that_has_ended_or_an_inactive_account_is_not_enough(world, k1):
    today = timezone.localdate()
    former = User.objects.create_user(username="former_c1")
    RoleAssignment.objects.create(
        user=former,
        role=Role.COMMITTEE,
        organization=world.org("C1"),
        valid_from=dt.date(2020, 1, 1),
        valid_to=today - dt.timedelta(days=1),
    )
    inactive = User.objects.create_user(username="inactive_c1", is_active=False)
    RoleAssignment.objects.create(
        user=inactive, role=Role.COMMITTEE, organization=world.org("C1"), valid_from=JULY
    )
    for user in (former, inactive):
        with pytest.raises(ValidationError):
            followers.assign_follower(k1, user, JULY)
    assert set(followers.eligible_roles(k1).values_list("user__username", flat=True)) == {
        "staff_p1",
        "staff_c1",
        "committee_c1",
    }


def test_a_role_above_a_sibling_cell_does_not_reach_past_the_committee(world):
    """committee_c1 may follow K1 and K2 (under C1), not K3 (under C2)."""
    user = world.user("committee_c1")
    followers.assign_follower(world.org("K2"), user, JULY)
    with pytest.raises(ValidationError):
        followers.assign_follower(world.org("K3"), user, JULY)


def test_the_end_date_cannot_be_before_the_start(world, k1):
    with pytest.raises(ValidationError) as e:
        followers.assign_follower(k1, world.user("committee_c1"), d("01/09/2025"), d("31/08/2025"))
    assert "valid_to" in e.value.error_dict
    assert not SupervisorAssignment.objects.exists()


def test_only_a_cell_still_active_can_be_followed(world, k1):
    with pytest.raises(ValidationError):
        followers.assign_follower(world.org("C1"), world.user("staff_p1"), JULY)
    k1.dissolved_on = d("30/06/2025")  # in memory: the service reads the cell it is given
    with pytest.raises(ValidationError):
        followers.assign_follower(k1, world.user("committee_c1"), JULY)
    assert not SupervisorAssignment.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "clashes"),
    [
        ("01/01/2025", None, True),  # open, covers the existing period
        ("01/03/2025", "30/06/2025", False),  # ends the day before
        ("01/03/2025", "01/07/2025", True),  # ends on its first day
        ("30/09/2025", "31/10/2025", True),  # starts on its last day
        ("01/10/2025", None, False),  # starts the day after
        ("15/08/2025", "20/08/2025", True),  # inside
    ],
)
def test_the_same_person_cannot_follow_the_cell_twice_at_once(world, k1, start, end, clashes):
    user = world.user("committee_c1")
    followers.assign_follower(k1, user, JULY, d("30/09/2025"))
    call = lambda: followers.assign_follower(k1, user, d(start), d(end) if end else None)  # noqa: E731
    if clashes:
        with pytest.raises(ValidationError) as e:
            call()
        assert "01/07/2025" in e.value.messages[0]
        assert k1.supervisors.count() == 1
    else:
        call()
        assert k1.supervisors.count() == 2


def test_an_open_assignment_blocks_any_later_one_until_it_ends(world, k1):
    user = world.user("committee_c1")
    first = followers.assign_follower(k1, user, JULY)
    with pytest.raises(ValidationError):
        followers.assign_follower(k1, user, d("01/01/2026"))
    followers.assign_follower(k1, world.user("staff_c1"), JULY)  # another person: fine
    followers.end_follower(first, d("31/12/2025"))
    followers.assign_follower(k1, user, d("01/01/2026"))
    assert k1.supervisors.filter(user=user).count() == 2


def test_ending_sets_the_last_day(world, k1):
    a = followers.assign_follower(k1, world.user("committee_c1"), JULY)
    followers.end_follower(a, d("31/10/2025"), by=world.user("staff_c1"))
    a.refresh_from_db()
    assert a.valid_to == d("31/10/2025")
    assert a.history.first().history_user == world.user("staff_c1")
    b = followers.assign_follower(k1, world.user("staff_c1"), JULY)
    followers.end_follower(b)
    b.refresh_from_db()
    assert b.valid_to == timezone.localdate()


def test_ending_before_the_start_or_after_it_already_ended_is_refused(world, k1):
    a = followers.assign_follower(k1, world.user("committee_c1"), JULY, d("31/10/2025"))
    with pytest.raises(ValidationError) as e:
        followers.end_follower(a, d("30/06/2025"))
    assert "01/07/2025" in e.value.messages[0]
    with pytest.raises(ValidationError) as e:
        followers.end_follower(a, d("30/11/2025"))
    assert "31/10/2025" in e.value.messages[0]
    a.refresh_from_db()
    assert a.valid_to == d("31/10/2025")
    followers.end_follower(a, d("15/10/2025"))  # shortening is allowed
    a.refresh_from_db()
    assert a.valid_to == d("15/10/2025")


# ---- what it is for: the notices --------------------------------------------------------


@pytest.fixture
def meeting(k1):
    services.set_schedule(
        k1, day_of_month=5, time=dt.time(19, 30), place="Nhà văn hóa", valid_from=JULY
    )
    services.generate_regular_meetings(k1, d("01/09/2025"), d("30/09/2025"))
    return k1.meetings.get(period_year=2025, period_month=9)


def test_the_follower_receives_the_cells_meeting_notices(world, k1, meeting):
    user = world.user("committee_c1")
    User.objects.filter(pk=user.pk).update(email="uy.vien@example.vn")
    to, _without = notices.recipients(meeting)
    assert user not in to
    a = followers.assign_follower(k1, user, JULY)
    to, _without = notices.recipients(meeting)
    assert user in to
    followers.end_follower(a, d("04/09/2025"))  # ended the day before the meeting
    to, _without = notices.recipients(meeting)
    assert user not in to


def test_the_meeting_page_names_the_followers(login, world, k1, meeting):
    followers.assign_follower(k1, world.user("committee_c1"), JULY)
    body = login("member_k1").get(meeting.get_absolute_url()).content.decode()
    assert "Cấp ủy viên theo dõi chi bộ" in body and "committee_c1" in body
    assert page(k1) not in body  # a plain member does not read the cell's pages
    assert page(k1) in login("secretary_k1").get(meeting.get_absolute_url()).content.decode()


# ---- the page --------------------------------------------------------------------------


def test_the_commune_staff_assigns_a_follower_from_the_committees_above(login, world, k1):
    c = login("staff_c1")
    assert page(k1) in c.get(k1.get_absolute_url()).content.decode()
    body = c.get(page(k1)).content.decode()
    assert "Phân công theo dõi" in body
    for username in ("committee_c1", "staff_c1", "staff_p1"):
        assert f'value="{world.user(username).pk}"' in body
    for username in ("secretary_k1", "staff_p2", "nobody", "admin"):
        assert f'value="{world.user(username).pk}"' not in body
    r = c.post(page(k1), {"user": world.user("committee_c1").pk, "valid_from": "01/07/2025"})
    assert r.status_code == 302
    a = k1.supervisors.get()
    assert (a.user.username, a.valid_from, a.valid_to) == ("committee_c1", JULY, None)
    assert a.history.first().history_user == world.user("staff_c1")
    body = c.get(page(k1)).content.decode()
    assert "committee_c1" in body and "01/07/2025" in body
    assert "Cấp ủy viên (chỉ xem), Đảng bộ xã An Bình" in body  # the role they hold above
    assert "Kết thúc theo dõi" in body


def test_the_form_defaults_to_today(login, k1):
    body = login("staff_c1").get(page(k1)).content.decode()
    assert timezone.localdate().strftime("%d/%m/%Y") in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"user": "nobody", "valid_from": "01/07/2025"},
            "Chỉ người giữ chức vụ ở cấp ủy cấp trên",
        ),
        (
            {"user": "committee_c1", "valid_from": "01/09/2025", "valid_to": "31/08/2025"},
            "trước ngày bắt đầu",
        ),
        ({"user": "committee_c1", "valid_from": "01/08/2025"}, "đang theo dõi chi bộ này"),
        ({"user": "committee_c1", "valid_from": "31/02/2025"}, "ngày/tháng/năm"),
    ],
)
def test_the_page_refuses_with_a_clear_message_and_saves_nothing(login, world, k1, data, message):
    followers.assign_follower(k1, world.user("committee_c1"), JULY)
    c = login("staff_c1")
    data = {**data, "user": world.user(data["user"]).pk}
    r = c.post(page(k1), data)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert k1.supervisors.count() == 1


def test_the_staff_ends_an_assignment(login, world, k1):
    a = followers.assign_follower(k1, world.user("committee_c1"), JULY)
    c = login("staff_c1")
    r = c.post(end_url(k1), {"assignment": a.pk, "on": "30/06/2025"}, follow=True)
    assert "Ngày kết thúc không được trước ngày bắt đầu phân công" in r.content.decode()
    a.refresh_from_db()
    assert a.valid_to is None
    r = c.post(end_url(k1), {"assignment": a.pk, "on": "31/10/2025"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.valid_to == d("31/10/2025")
    body = c.get(page(k1)).content.decode()
    assert "31/10/2025" in body and "Kết thúc theo dõi" not in body


def test_an_assignment_of_another_cell_cannot_be_ended_from_this_one(login, world, k1):
    other = followers.assign_follower(world.org("K2"), world.user("committee_c1"), JULY)
    r = login("staff_c1").post(end_url(k1), {"assignment": other.pk, "on": "31/10/2025"})
    assert r.status_code == 404
    other.refresh_from_db()
    assert other.valid_to is None


def test_the_cell_secretary_sees_the_followers_but_cannot_change_them(login, world, k1):
    a = followers.assign_follower(k1, world.user("committee_c1"), JULY)
    c = login("secretary_k1")
    body = c.get(page(k1)).content.decode()
    assert "committee_c1" in body and "Cấp ủy viên (chỉ xem), Đảng bộ xã An Bình" in body
    assert "Phân công theo dõi" not in body and "Kết thúc theo dõi" not in body
    r = c.post(page(k1), {"user": world.user("staff_c1").pk, "valid_from": "01/07/2025"})
    assert r.status_code == 403
    r = c.post(end_url(k1), {"assignment": a.pk, "on": "31/10/2025"})
    assert r.status_code == 403
    a.refresh_from_db()
    assert a.valid_to is None and k1.supervisors.count() == 1


@pytest.mark.parametrize("username", ["staff_p2", "member_k1", "nobody"])
def test_outside_the_scope_the_page_does_not_exist(login, world, k1, username):
    a = followers.assign_follower(k1, world.user("committee_c1"), JULY)
    c = login(username)
    assert c.get(page(k1)).status_code == 404
    r = c.post(page(k1), {"user": world.user("staff_p1").pk, "valid_from": "01/07/2025"})
    assert r.status_code == 404
    assert c.post(end_url(k1), {"assignment": a.pk, "on": "31/10/2025"}).status_code == 404
    assert k1.supervisors.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, k1):
    r = client.get(page(k1))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_a_committee_page_is_not_a_cell(login, world):
    assert login("staff_c1").get(page(world.org("C1"))).status_code == 404


def test_the_page_query_count_is_pinned(login, world, k1, django_assert_num_queries):
    followers.assign_follower(k1, world.user("committee_c1"), JULY, d("30/09/2025"))
    c = login("staff_c1")
    # session, user, scope, cell, ancestors, the roles above the cell, the assignments
    with django_assert_num_queries(7):
        c.get(page(k1))
    for username in ("staff_c1", "staff_p1"):
        followers.assign_follower(k1, world.user(username), JULY)
    followers.assign_follower(k1, world.user("committee_c1"), d("01/10/2025"))
    with django_assert_num_queries(7):
        body = c.get(page(k1)).content.decode()
    assert body.count("Kết thúc theo dõi") == 3
