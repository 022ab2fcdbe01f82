"""iCalendar feeds: secret addresses, what they show, and revocation."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from meetings import services
from meetings.models import CalendarFeed, MeetingKind, SupervisorAssignment

TODAY = timezone.localdate()
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
FEEDS = "/meetings/feeds/"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def plan_cell(cell, place):
    """Regular meetings on the 5th at 19:30 from two months ago to five months ahead."""
    services.set_schedule(
        cell,
        day_of_month=5,
        time=dt.time(19, 30),
        place=place,
        valid_from=TODAY - dt.timedelta(days=400),
    )
    services.generate_regular_meetings(
        cell, TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=150)
    )
    return list(cell.meetings.order_by("scheduled_at"))


@pytest.fixture
def k1_meetings(world):
    return plan_cell(world.org("K1"), "Nhà văn hóa thôn Đông")


@pytest.fixture
def k2_meetings(world):
    return plan_cell(world.org("K2"), "Nhà văn hóa thôn Tây")


def create_feed(client, org=None) -> CalendarFeed:
    data = {"action": "create"}
    if org is not None:
        data["org"] = str(org.uuid)
    r = client.post(FEEDS, data)
    assert r.status_code == 302, r.status_code
    return CalendarFeed.objects.filter(revoked_at__isnull=True).latest("created_at")


def fetch(client, feed) -> icalendar.Calendar:
    client.logout()
    r = client.get(reverse("meetings:feed", args=[feed.token]))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(r.content)


def uids(cal) -> set[str]:
    return {str(e["UID"]) for e in cal.walk("VEVENT")}


def test_my_feed_is_a_valid_calendar_of_my_cells_meetings_in_vietnam_time(
    login, world, k1_meetings, k2_meetings
):
    feed = create_feed(login("secretary_k1"))
    assert len(feed.token) >= 43 and feed.organization is None
    cal = fetch(login("secretary_k1"), feed)
    assert uids(cal) == {f"{m.uuid}@chibo" for m in k1_meetings}
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Ho_Chi_Minh"
    event = cal.walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(hours=7)
    assert (start.hour, start.minute, start.day) == (19, 30, 5)
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=90)
    assert str(event["SUMMARY"]).endswith("– Chi bộ thôn Đông")
    assert str(event["LOCATION"]) == "Nhà văn hóa thôn Đông"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).startswith("http") and str(event["URL"]).endswith(
        reverse("meetings:detail", args=[k1_meetings[0].uuid])
    )


def test_the_feed_carries_no_personal_data(login, world, k1_meetings):
    feed = create_feed(login("secretary_k1"))
    meeting = k1_meetings[0]
    services.start(
        meeting,
        started_at=meeting.scheduled_at,
        chair=world.member("Nguyễn Văn Đức", "K1"),
        minutes_secretary=world.member("Trần Thị Hoa", "K1"),
    )
    services.mark_all_present(meeting)
    login("secretary_k1")
    body = login("secretary_k1").get(reverse("meetings:feed", args=[feed.token])).content
    body = icalendar.Calendar.from_ical(body).to_ical().decode()
    for name in ("Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Nam", "Phạm Thị Lan"):
        assert name not in body


def test_a_cancelled_meeting_is_cancelled_and_its_sequence_grows(login, world, k1_meetings):
    feed = create_feed(login("secretary_k1"))
    coming = next(m for m in k1_meetings if m.scheduled_at > timezone.now())
    uid = f"{coming.uuid}@chibo"
    before = {str(e["UID"]): e for e in fetch(login("secretary_k1"), feed).walk("VEVENT")}[uid]
    services.cancel(coming, reason="Bão")
    after = {str(e["UID"]): e for e in fetch(login("secretary_k1"), feed).walk("VEVENT")}[uid]
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_a_postponed_meeting_is_cancelled_and_its_new_time_appears(login, world, k1_meetings):
    feed = create_feed(login("secretary_k1"))
    coming = next(m for m in k1_meetings if m.scheduled_at > timezone.now())
    new = services.postpone(
        coming, new_time=coming.scheduled_at + dt.timedelta(days=3), reason="Trùng lịch"
    )
    events = {str(e["UID"]): e for e in fetch(login("secretary_k1"), feed).walk("VEVENT")}
    assert str(events[f"{coming.uuid}@chibo"]["STATUS"]) == "CANCELLED"
    assert events[f"{new.uuid}@chibo"].decoded("DTSTART") == new.scheduled_at.astimezone(VN)


def test_another_users_meetings_are_absent(login, world, k1_meetings, k2_meetings):
    cal = fetch(login("member_k1"), create_feed(login("member_k1")))
    assert uids(cal) == {f"{m.uuid}@chibo" for m in k1_meetings}


def test_my_feed_includes_the_cells_i_follow_within_my_scope(
    login, world, k1_meetings, k2_meetings
):
    user = world.user("committee_c1")
    for code in ("K2", "K4"):  # K4 is in another province: outside the user's scope
        cell = world.org(code)
        SupervisorAssignment.objects.create(
            province_id=cell.province_id, user=user, organization=cell
        )
    plan_cell(world.org("K4"), "Nhà văn hóa thôn Trung")
    cal = fetch(login("committee_c1"), create_feed(login("committee_c1")))
    assert uids(cal) == {f"{m.uuid}@chibo" for m in k2_meetings}


def test_meetings_more_than_a_year_away_are_left_out(login, world, k1_meetings):
    k1 = world.org("K1")
    old = services.plan_meeting(
        k1,
        kind=MeetingKind.EXTRAORDINARY,
        scheduled_at=timezone.now() - dt.timedelta(days=400),
    )
    cal = fetch(login("secretary_k1"), create_feed(login("secretary_k1")))
    assert f"{old.uuid}@chibo" not in uids(cal) and len(uids(cal)) == len(k1_meetings)


def test_a_cell_feed_shows_that_cell_for_someone_who_may_read_it(
    login, world, k1_meetings, k2_meetings
):
    feed = create_feed(login("committee_c1"), world.org("K2"))
    assert feed.organization == world.org("K2")
    assert uids(fetch(login("committee_c1"), feed)) == {f"{m.uuid}@chibo" for m in k2_meetings}


@pytest.mark.parametrize(
    ("user", "cell"),
    [("secretary_k1", "K2"), ("member_k1", "K2"), ("staff_p2", "K1"), ("nobody", "K1")],
)
def test_no_feed_for_a_cell_outside_the_scope(login, world, user, cell):
    r = login(user).post(FEEDS, {"action": "create", "org": str(world.org(cell).uuid)})
    assert r.status_code == 404 and not CalendarFeed.objects.exists()


def test_a_plain_member_may_subscribe_to_their_own_cell(login, world, k1_meetings):
    feed = create_feed(login("member_k1"), world.org("K1"))
    assert len(uids(fetch(login("member_k1"), feed))) == len(k1_meetings)


def test_a_cell_feed_stops_when_its_owner_loses_the_role(login, world, k2_meetings):
    feed = create_feed(login("committee_c1"), world.org("K2"))
    RoleAssignment.objects.filter(user__username="committee_c1").update(
        valid_to=TODAY - dt.timedelta(days=1)
    )
    assert login("committee_c1").get(reverse("meetings:feed", args=[feed.token])).status_code == 404


def test_a_revoked_or_unknown_address_is_not_found(login, world, k1_meetings):
    client = login("secretary_k1")
    feed = create_feed(client)
    page = client.get(FEEDS).content.decode()
    assert feed.token in page and "webcal://" in page
    client.post(FEEDS, {"action": "revoke", "feed": feed.pk})
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    client.logout()
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404
    assert client.get(reverse("meetings:feed", args=["x" * 43])).status_code == 404


def test_creating_twice_keeps_one_address_and_revoking_anothers_is_not_found(login, world):
    client = login("secretary_k1")
    first = create_feed(client)
    assert create_feed(client) == first
    other = login("member_k1")
    assert other.post(FEEDS, {"action": "revoke", "feed": first.pk}).status_code == 404
    first.refresh_from_db()
    assert first.revoked_at is None


def test_the_feeds_page_needs_a_sign_in(client):
    r = client.get(FEEDS)
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_the_feed_costs_the_same_queries_however_many_meetings(
    login, world, django_assert_max_num_queries
):
    client = login("secretary_k1")
    feed = create_feed(client)
    client.logout()
    url = reverse("meetings:feed", args=[feed.token])
    with django_assert_max_num_queries(4):
        client.get(url)
    plan_cell(world.org("K1"), "Nhà văn hóa")
    with django_assert_max_num_queries(4):
        r = client.get(url)
    assert r.content.count(b"BEGIN:VEVENT") >= 6
